"""The labeling queue for clinical reviewers: what people asked, labeled by people.

The queue holds the logged turns a reviewer has not labeled yet, the ones the models are least sure
of first: crisis- and distress-flagged turns, then turns where the screen and the intent model
disagree, the intent model was unsure (below CLARIFY_BELOW, the confidence under which the assistant
asks instead of guessing), the person said the answer did not help, or the text has words the
training data never had. Each item says why it is there.

A share of turns (CAREOPS_DOUBLE_LABEL_SHARE, chosen by a hash of the turn id, so every process
picks the same ones) is labeled twice by two different reviewers; the second does not see the first
label. Agreement and adjudication are in core/mlops/agreement.py. `final_labels` is what a dataset
version takes: one label per item, and none while two reviewers still disagree.

The intents a reviewer can give are the known ones (core/content/topics.known_intents): the
built-in ones and each new topic that has a scenario. A topic without a scenario yet is labeled
`new:<snake_case_id>`; once its scenario exists, `new:<id>` is stored as `<id>`.

Reading logged text is a staff read of health data: every decryption here is audited."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from core import audit
from core.auth.users import authorize
from core.config import Settings, get_settings
from core.content.topics import NEW_PREFIX, NEW_TOPIC_LABEL, known_intents, new_topic_problem, topic_intents
from core.errors import InvalidInput, NotFound, Refused
from core.mlops.vocabulary import training_vocabulary
from core.nlu.intent import CLARIFY_BELOW
from core.privacy.crypto import decrypt_all, encrypt
from core.privacy.redaction import redact
from core.store.engine import read_scope, session_scope
from core.store.tables import Interaction, Label
from core.taxonomy import CRISIS_TYPES, LANGUAGES, RISK_LEVELS

FIRST, SECOND, ADJUDICATION = "first", "second", "adjudication"
NEW_TOPIC = NEW_TOPIC_LABEL
MAX_COMMENT = 1000
QUEUE_SCAN = 5000  # open turns (newest first) considered per queue build: each is decrypted, the read audited
SHORTLIST = 9  # number keys 1-9
# A turn whose crisis screen came within this distance of a threshold (crisis, confirming or
# distress probability; Interaction.risk_margin) is queued as "near the threshold".
NEAR_THRESHOLD = 0.10
FILTER_KEYS = ("intent", "risk", "language")


@dataclass(frozen=True)
class QueueItem:
    """One turn to label, as the reviewer sees it: the redacted text, what the assistant decided, and
    why the turn is in the queue. It carries no other reviewer's label (a second labeler labels blind)."""

    interaction_id: int
    turn_id: str
    at: datetime
    text: str
    language: str
    intent: str
    confidence: float
    risk: str
    crisis_type: str | None
    feedback: int | None
    reasons: tuple[str, ...]
    kind: str  # the label this reviewer would give: first or second
    shortlist: tuple[str, ...]  # intents for the number keys: the model's prediction first, then the likeliest


@dataclass(frozen=True)
class FinalLabel:
    turn_id: str
    interaction_id: int
    intent: str
    risk: str
    crisis_type: str | None
    source: str  # adjudicated | agreed | single
    reviewers: tuple[str, ...]


@dataclass(frozen=True)
class FinalLabels:
    labels: list[FinalLabel]
    in_disagreement: int  # double-labeled items still waiting for an adjudicator (left out of `labels`)


# ---- who labels what ------------------------------------------------------------------------------
def double_labeled(turn_id: str, share: float) -> bool:
    """Deterministic: the same turns are double-labeled in every process and on every run."""
    bucket = int.from_bytes(hashlib.sha256(turn_id.encode("utf-8")).digest()[:8], "big") / 2**64
    return bucket < share


def labeled(labels: Iterable[Label], kind: str) -> list[Label]:
    return [row for row in labels if row.kind == kind and not row.skipped]


def next_kind(labels: list[Label], reviewer: str, turn_id: str, share: float) -> str | None:
    """The label `reviewer` would give this turn now, or None when it needs nothing from them."""
    if any(row.reviewer == reviewer and row.kind in (FIRST, SECOND) for row in labels):
        return None  # labeled or skipped by them already
    firsts = labeled(labels, FIRST)
    if not firsts:
        return FIRST
    if double_labeled(turn_id, share) and not labeled(labels, SECOND) and firsts[0].reviewer != reviewer:
        return SECOND
    return None


# ---- the queue ------------------------------------------------------------------------------------
def _reasons(row: Interaction, text: str, unseen: list[str], topics: Sequence[str]) -> tuple[int, tuple[str, ...]]:
    """(tier, reasons): crisis 0, distress 1, any other reason 2, none 3."""
    head: list[str] = []
    if row.risk == "crisis":
        head.append(f"crisis flagged ({row.crisis_type or 'no type'})")
    elif row.risk == "distress":
        head.append("distress flagged")
    more: list[str] = []
    if row.risk in ("distress", "crisis") and row.intent in topics:
        more.append(f"screen and intent disagree: {row.risk} on the topic {row.intent}")
    if row.intent == "crisis" and row.risk != "crisis":
        more.append(f"screen and intent disagree: intent crisis, risk {row.risk}")
    if (row.risk == "crisis") != bool(row.crisis_type) or (row.crisis_type and row.crisis_type not in CRISIS_TYPES):
        more.append(f"crisis type does not fit: {row.crisis_type or 'none'} with risk {row.risk}")
    if row.risk_margin is not None and row.risk_margin < NEAR_THRESHOLD:
        more.append(f"near the threshold: the crisis screen was {row.risk_margin:.2f} from deciding otherwise")
    if row.confidence < CLARIFY_BELOW:
        more.append(f"low confidence: intent confidence {row.confidence:.2f} below {CLARIFY_BELOW:.2f}")
    if row.feedback is not None and row.feedback < 0:
        more.append("negative feedback")
    if unseen:
        more.append("words the training data never had: " + ", ".join(unseen[:5]))
    tier = 0 if row.risk == "crisis" else 1 if row.risk == "distress" else 2 if more else 3
    return tier, (*head, *more)


def _filter_values(filters: dict | None, intents: Sequence[str]) -> dict[str, list[str]]:
    """The Drift page's st.session_state["labeling_filter"]: {"intent"|"risk"|"language": value or values}."""
    allowed = {"intent": intents, "risk": RISK_LEVELS, "language": LANGUAGES}
    chosen: dict[str, list[str]] = {}
    for key, value in (filters or {}).items():
        if key not in allowed:
            raise InvalidInput(f"unknown labeling filter {key!r}; use {', '.join(FILTER_KEYS)}")
        values = [value] if isinstance(value, str) else list(value or [])
        bad = [v for v in values if v not in allowed[key]]
        if bad:
            raise InvalidInput(f"unknown {key} {', '.join(map(repr, bad))} in the labeling filter")
        if values:
            chosen[key] = values
    return chosen


def _labels_by_turn(session: Session, turn_ids: list[str]) -> dict[str, list[Label]]:
    grouped: dict[str, list[Label]] = {}
    for start in range(0, len(turn_ids), 900):  # under every backend's bound-parameter limit
        for row in session.exec(select(Label).where(col(Label.turn_id).in_(turn_ids[start:start + 900]))):
            grouped.setdefault(row.turn_id, []).append(row)
    return grouped


def _open_turns(reviewer: str, chosen: dict[str, list[str]], settings: Settings) -> list[tuple[Interaction, str]]:
    """The newest QUEUE_SCAN turns that need a label from `reviewer`, with the kind they would give,
    read newest first a page at a time (labeled turns are passed over without being decrypted)."""
    query = select(Interaction)
    for key, column in (("intent", Interaction.intent), ("risk", Interaction.risk), ("language", Interaction.language)):
        if key in chosen:
            query = query.where(col(column).in_(chosen[key]))
    found: list[tuple[Interaction, str]] = []
    before: int | None = None
    with read_scope(settings) as session:
        while len(found) < QUEUE_SCAN:
            page = query if before is None else query.where(col(Interaction.id) < before)
            rows = list(session.exec(page.order_by(col(Interaction.id).desc()).limit(2000)))
            if not rows:
                break
            labels = _labels_by_turn(session, [r.turn_id for r in rows])
            found += [(r, kind) for r in rows if (kind := next_kind(
                labels.get(r.turn_id, []), reviewer, r.turn_id, settings.double_label_share))]
            before = rows[-1].id
    return found[:QUEUE_SCAN]


def queue(reviewer: str, *, filters: dict | None = None, limit: int = 50, settings: Settings | None = None) -> list[QueueItem]:
    """The reviewer's queue, least sure first. Decrypting the candidates is a staff read of logged
    text: it is audited (how many turns, never what they say)."""
    settings = settings or get_settings()
    authorize(reviewer, "labeling", target="labeling.queue", settings=settings)
    intents = known_intents(settings.scenarios_dir)
    chosen = _filter_values(filters, intents)
    open_rows = _open_turns(reviewer, chosen, settings)
    if not open_rows:  # nothing was decrypted, so nothing was read (and every page run would say so)
        return []
    audit.record("log.read", actor=reviewer, target="labeling.queue",
                 details={"rows": len(open_rows), "filters": chosen}, settings=settings)
    vocabulary = training_vocabulary(settings)
    topics = topic_intents(settings.scenarios_dir)  # once per queue, not once per turn
    ranked = []
    for (row, kind), text in zip(open_rows, decrypt_all([r.text_encrypted for r, _ in open_rows], settings)):
        tier, reasons = _reasons(row, text, vocabulary.unseen(text), topics)
        ranked.append(((tier, -len(reasons), row.confidence, row.id), row, kind, text, reasons))
    ranked.sort(key=lambda entry: entry[0])
    items = []
    for _, row, kind, text, reasons in ranked[:limit]:  # the shortlist only for what is shown
        shortlist = [row.intent] if row.intent in intents else []
        shortlist += [i for i in vocabulary.likeliest(text) if i not in shortlist]
        items.append(QueueItem(row.id, row.turn_id, row.at, text, row.language, row.intent, row.confidence, row.risk,
                               row.crisis_type, row.feedback, reasons, kind, tuple(shortlist[:SHORTLIST])))
    return items


# ---- labeling -------------------------------------------------------------------------------------
def validate(intent: str, risk: str, crisis_type: str | None, comment: str, *,
             settings: Settings | None = None) -> str:
    """The intent to store: `new:<id>` is stored as `<id>` once `<id>` is a topic (its scenario
    exists). Raises InvalidInput naming every problem; nothing is stored on bad input."""
    settings = settings or get_settings()
    intents, topics = known_intents(settings.scenarios_dir), topic_intents(settings.scenarios_dir)
    intent, problems = intent or "", []
    if intent.startswith(NEW_PREFIX):
        name = intent.removeprefix(NEW_PREFIX)
        if name in topics:
            intent = name  # its scenario exists: it is a topic now
        elif name in intents:
            problems.append(f"{name!r} is not new: label it {name}")
        elif problem := new_topic_problem(name):
            problems.append(f"unknown intent {intent!r}: as a new topic, {problem}")
    elif intent not in intents:
        problems.append(f"unknown intent {intent!r}: use an intent id, or a new topic written new:<snake_case_name>")
    if risk not in RISK_LEVELS:
        problems.append(f"unknown risk {risk!r}: one of {', '.join(RISK_LEVELS)}")
    elif risk == "crisis" and crisis_type not in CRISIS_TYPES:
        problems.append(f"a crisis needs its type: one of {', '.join(CRISIS_TYPES)}")
    elif risk != "crisis" and crisis_type:
        problems.append(f"a crisis type goes only with risk crisis, not {risk}")
    if intent == "crisis" and risk != "crisis":
        problems.append("the intent crisis needs risk crisis")
    if len(comment or "") > MAX_COMMENT:
        problems.append(f"the comment is longer than {MAX_COMMENT} characters")
    if problems:
        raise InvalidInput("The label was not saved: " + "; ".join(problems), details=problems)
    return intent


def turn_id_of(item: QueueItem | str) -> str:
    return item if isinstance(item, str) else item.turn_id


def store_label(session: Session, row: Interaction, reviewer: str, kind: str, *, intent: str = "", risk: str = "",
                crisis_type: str | None = None, skipped: bool = False, comment: str = "",
                settings: Settings) -> Label:
    """Inside the caller's transaction; the audit event says who labeled which turn, not how."""
    label = Label(interaction_id=row.id, turn_id=row.turn_id, reviewer=reviewer, kind=kind, intent=intent, risk=risk,
                  crisis_type=crisis_type or None, skipped=skipped,
                  comment_encrypted=encrypt(redact(comment), settings) if comment.strip() else None)
    session.add(label)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Refused(f"{reviewer} has already labeled this item as {kind}") from exc
    audit.record("label.skip" if skipped else "label.save", actor=reviewer, target=row.turn_id,
                 details={"kind": kind}, session=session)
    return label


def _save(reviewer: str, item: QueueItem | str, settings: Settings | None, **fields) -> Label:
    settings = settings or get_settings()
    turn_id = turn_id_of(item)
    authorize(reviewer, "labeling", target=turn_id, settings=settings)
    with session_scope(settings, lock="interactions") as session:  # the lock erasure takes: no label outlives its turn
        row = session.exec(select(Interaction).where(Interaction.turn_id == turn_id)).first()
        if row is None:
            raise NotFound("That turn is not in the log any more (erased or past retention).")
        existing = list(session.exec(select(Label).where(Label.turn_id == turn_id)))
        kind = next_kind(existing, reviewer, turn_id, settings.double_label_share)
        if kind is None:
            raise Refused("This item needs no label from you: you labeled or skipped it, or it has all its labels.")
        return store_label(session, row, reviewer, kind, settings=settings, **fields)


def label(reviewer: str, item: QueueItem | str, intent: str, risk: str, crisis_type: str | None = None,
          comment: str = "", *, settings: Settings | None = None) -> Label:
    """Record `reviewer`'s label; whether it is the first or the second label is decided here."""
    intent = validate(intent, risk, crisis_type, comment, settings=settings)
    return _save(reviewer, item, settings, intent=intent, risk=risk, crisis_type=crisis_type, comment=comment)


def skip(reviewer: str, item: QueueItem | str, comment: str = "", *, settings: Settings | None = None) -> Label:
    """The item leaves this reviewer's queue and stays in everyone else's."""
    if len(comment or "") > MAX_COMMENT:
        raise InvalidInput(f"The skip was not saved: the comment is longer than {MAX_COMMENT} characters")
    return _save(reviewer, item, settings, skipped=True, comment=comment)


# ---- what a dataset takes -------------------------------------------------------------------------
def agree(a: Label, b: Label) -> bool:
    return (a.intent, a.risk, a.crisis_type) == (b.intent, b.risk, b.crisis_type)


def all_labels(settings: Settings | None = None) -> dict[str, list[Label]]:
    """Every label of every turn still in the log, grouped by turn id."""
    with read_scope(settings) as session:
        rows = session.exec(select(Label).join(Interaction, col(Interaction.turn_id) == col(Label.turn_id))
                            .order_by(col(Label.id)))
        grouped: dict[str, list[Label]] = {}
        for row in rows:
            grouped.setdefault(row.turn_id, []).append(row)
        return grouped


def final_labels(settings: Settings | None = None) -> FinalLabels:
    """One label per item: the adjudicated one, else the one both reviewers agreed on, else the single
    one (a double-labeled item whose second label is still to come counts as single). Items whose two
    labels disagree and are not adjudicated yet are left out and counted."""
    out, waiting = [], 0
    for turn_id, rows in all_labels(settings).items():
        adjudicated, firsts, seconds = labeled(rows, ADJUDICATION), labeled(rows, FIRST), labeled(rows, SECOND)
        if adjudicated:
            chosen, source, who = adjudicated[0], "adjudicated", [r.reviewer for r in (*firsts, *seconds, *adjudicated)]
        elif firsts and seconds:
            if not agree(firsts[0], seconds[0]):
                waiting += 1
                continue
            chosen, source, who = firsts[0], "agreed", [firsts[0].reviewer, seconds[0].reviewer]
        elif firsts:
            chosen, source, who = firsts[0], "single", [firsts[0].reviewer]
        else:
            continue  # skipped by everyone so far
        out.append(FinalLabel(turn_id, chosen.interaction_id, chosen.intent, chosen.risk, chosen.crisis_type,
                              source, tuple(who)))
    return FinalLabels(out, waiting)
