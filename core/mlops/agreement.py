"""How far reviewers agree on the double-labeled share, and the adjudication of what they disagree on.

Cohen's kappa (sklearn) for the risk level over every item with two labels, and per intent one
against the rest: for each intent, did both reviewers say "this intent" or both "another one". A
kappa is None where it is undefined (both reviewers gave one answer only, so chance agreement is
complete). The adjudicator is a reviewer who gave neither label, or an admin; their label is final."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from core import audit
from core.auth.users import authorize
from core.config import Settings, get_settings
from core.errors import NotFound, Refused
from core.mlops.labeling import (
    ADJUDICATION,
    FIRST,
    SECOND,
    QueueItem,
    agree,
    all_labels,
    labeled,
    store_label,
    turn_id_of,
    validate,
)
from core.privacy.crypto import decrypt
from core.store.engine import read_scope, session_scope
from core.store.tables import Interaction, Label


@dataclass(frozen=True)
class Kappa:
    name: str  # "risk" or an intent id
    kappa: float | None
    items: int  # double-labeled items measured
    positives: int  # labels (of both reviewers) that named this intent; for risk, the flagged ones


@dataclass(frozen=True)
class Agreement:
    items: int
    risk: Kappa
    intents: list[Kappa]
    disagreements: int
    adjudicated: int


@dataclass(frozen=True)
class LabelView:
    reviewer: str
    intent: str
    risk: str
    crisis_type: str | None
    comment: str
    at: datetime


@dataclass(frozen=True)
class Disagreement:
    turn_id: str
    text: str
    model_intent: str
    model_risk: str
    first: LabelView
    second: LabelView


def _kappa(a: list, b: list) -> float | None:
    from sklearn.metrics import cohen_kappa_score  # imported when measured: the page opens without sklearn

    if not a or len(set(a) | set(b)) < 2:
        return None
    value = float(cohen_kappa_score(a, b))
    return None if math.isnan(value) else round(value, 4)


def _pairs(settings: Settings) -> list[tuple[Label, Label, list[Label]]]:
    pairs = []
    for rows in all_labels(settings).values():
        firsts, seconds = labeled(rows, FIRST), labeled(rows, SECOND)
        if firsts and seconds:
            pairs.append((firsts[0], seconds[0], labeled(rows, ADJUDICATION)))
    return pairs


def agreement(reader: str, *, settings: Settings | None = None) -> Agreement:
    """Kappa with its item counts, over every item both labels of which are in."""
    settings = settings or get_settings()
    authorize(reader, "labeling", target="labeling.agreement", settings=settings)
    pairs = _pairs(settings)
    first, second = [p[0] for p in pairs], [p[1] for p in pairs]
    risk = Kappa("risk", _kappa([r.risk for r in first], [r.risk for r in second]), len(pairs),
                 sum(r.risk != "none" for r in (*first, *second)))
    intents = []
    for intent in sorted({r.intent for r in (*first, *second)}):
        a, b = [r.intent == intent for r in first], [r.intent == intent for r in second]
        intents.append(Kappa(intent, _kappa(a, b), len(pairs), sum(a) + sum(b)))
    disagreeing = [p for p in pairs if not agree(p[0], p[1])]
    return Agreement(len(pairs), risk, intents, sum(not p[2] for p in disagreeing), sum(bool(p[2]) for p in disagreeing))


def _view(row: Label, settings: Settings) -> LabelView:
    comment = decrypt(row.comment_encrypted, settings) if row.comment_encrypted else ""
    return LabelView(row.reviewer, row.intent, row.risk, row.crisis_type, comment, row.at)


def disagreements(reader: str, *, settings: Settings | None = None) -> list[Disagreement]:
    """The adjudication list: items whose two labels differ and that no one adjudicated yet. Shows the
    decrypted text and comments, so the read is audited."""
    settings = settings or get_settings()
    authorize(reader, "labeling", target="labeling.adjudication", settings=settings)
    open_pairs = [(a, b) for a, b, adjudicated in _pairs(settings) if not agree(a, b) and not adjudicated]
    with read_scope(settings) as session:
        turns = {r.turn_id: r for r in session.exec(
            select(Interaction).where(col(Interaction.turn_id).in_([a.turn_id for a, _ in open_pairs])))}
    audit.record("log.read", actor=reader, target="labeling.adjudication", details={"rows": len(open_pairs)},
                 settings=settings)
    return [Disagreement(a.turn_id, decrypt(turns[a.turn_id].text_encrypted, settings), turns[a.turn_id].intent,
                         turns[a.turn_id].risk, _view(a, settings), _view(b, settings))
            for a, b in open_pairs if a.turn_id in turns]


def adjudicate(adjudicator: str, item: QueueItem | Disagreement | str, intent: str, risk: str,
               crisis_type: str | None = None, comment: str = "", *, settings: Settings | None = None) -> Label:
    """The final label of an item two reviewers disagree on. Neither of the two may decide it,
    unless they are an admin."""
    settings = settings or get_settings()
    intent = validate(intent, risk, crisis_type, comment, settings=settings)
    turn_id = turn_id_of(item) if not isinstance(item, Disagreement) else item.turn_id
    account = authorize(adjudicator, "labeling", target=turn_id, settings=settings)
    with session_scope(settings, lock="interactions") as session:  # the lock erasure takes: no label outlives its turn
        row = session.exec(select(Interaction).where(Interaction.turn_id == turn_id)).first()
        if row is None:
            raise NotFound("That turn is not in the log any more (erased or past retention).")
        rows = list(session.exec(select(Label).where(Label.turn_id == turn_id)))
        firsts, seconds = labeled(rows, FIRST), labeled(rows, SECOND)
        if not (firsts and seconds) or agree(firsts[0], seconds[0]):
            raise Refused("Only an item whose two labels disagree is adjudicated.")
        if labeled(rows, ADJUDICATION):
            raise Refused("This item has been adjudicated already.")
        if account.role != "admin" and adjudicator in (firsts[0].reviewer, seconds[0].reviewer):
            raise Refused("An adjudicator is a reviewer who gave neither label (or an admin).")
        return store_label(session, row, adjudicator, ADJUDICATION, intent=intent, risk=risk,
                           crisis_type=crisis_type, comment=comment, settings=settings)
