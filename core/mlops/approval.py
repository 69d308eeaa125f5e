"""Approval: the only way a registry version becomes the served `champion`.

A clinical reviewer (or an admin) approves or rejects a version with a note; only a version that
passed every gate of its model and carries its safety card can be approved; the role is checked
here, in core, from the database (core.auth.users.authorize), never only in a page. With
CAREOPS_APPROVALS_REQUIRED=2, two different reviewers must approve. When enough have, the version
becomes champion and the previous champion is tagged superseded. Each decision (who, when, note, the
checksum of the card signed) is a ModelApproval row, an audit event in the same transaction, and
tags on the version. Rollback re-points `champion` to an earlier approved version in one action;
retiring tags a version archived (never deleted). `bootstrap_champion` is the one automatic
approval: the first version to pass every gate, when there is no champion at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from core import audit
from core.auth.users import authorize
from core.config import Settings
from core.errors import InvalidInput, Refused
from core.mlops.gates import failed_gates
from core.store import registry
from core.store.engine import read_scope, session_scope
from core.store.registry import CHALLENGER, CHAMPION, VersionRecord
from core.store.tables import ModelApproval

PERMISSION = "models.approve"
BOOTSTRAP_REVIEWER = "bootstrap (system)"
BOOTSTRAP_NOTE = "first version to pass every gate with no champion yet: approved automatically (the only automatic approval)"
MAX_NOTE = 1000
LOCK = "model-approval"


@dataclass(frozen=True)
class Decision:
    kind: str
    version: int
    reviewer: str
    decision: str  # approved | rejected | bootstrap
    note: str
    at: datetime
    card_sha256: str


@dataclass(frozen=True)
class ApprovalOutcome:
    kind: str
    version: int
    approvals: int
    required: int
    promoted: bool
    previous_champion: int | None = None


def _note(note: str | None, *, required: bool = True) -> str:
    text = (note or "").strip()
    if required and not text:
        raise InvalidInput("a note is required: say what you checked and why you decided so")
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"the note is {len(text)} characters; at most {MAX_NOTE}")
    return text


def _target(kind: str, version: int) -> str:
    return f"{registry.model_name(kind)} version {version}"


def _require_gates(record: VersionRecord) -> None:
    if record.gates_passed is not True or "card.sha256" not in record.tags:
        problems = failed_gates(record.tags) if record.gates_passed is False else (
            ["gates: not evaluated on this version"] if record.gates_passed is None else ["no safety card"])
        raise Refused(f"{_target(record.kind, record.version)} cannot be approved: it did not pass every gate",
                      details=problems)


def _rows(session: Session, kind: str, version: int) -> list[ModelApproval]:
    query = select(ModelApproval).where(ModelApproval.kind == kind, ModelApproval.version == version)
    return list(session.exec(query.order_by(col(ModelApproval.id))))


def _sign(session: Session, record: VersionRecord, reviewer: str, decision: str, note: str, n: int,
          settings: Settings) -> ModelApproval:
    row = ModelApproval(kind=record.kind, version=record.version, run_id=record.run_id, reviewer=reviewer,
                        decision=decision, note=note, card_sha256=record.tags.get("card.sha256", ""))
    session.add(row)
    session.flush()
    registry.set_tags(record.kind, record.version, {
        f"approval.{n}.by": reviewer, f"approval.{n}.decision": decision, f"approval.{n}.note": note,
        f"approval.{n}.at": row.at.isoformat(timespec="seconds"), f"approval.{n}.card": row.card_sha256}, settings)
    return row


def _promote(session: Session, record: VersionRecord, actor: str, settings: Settings, action: str) -> int | None:
    """Point champion at `record`; the previous champion is superseded. Audited in `session`."""
    previous = registry.champion(record.kind, settings)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    if previous is not None and previous.version != record.version:
        registry.set_tags(record.kind, previous.version, {"status": "superseded", "superseded.by": str(record.version),
                                                          "superseded.at": now}, settings)
    registry.set_alias(record.kind, CHAMPION, record.version, settings)
    if CHALLENGER in record.aliases:
        registry.clear_alias(record.kind, CHALLENGER, settings)
    registry.set_tags(record.kind, record.version, {"status": "champion", "approved": "true", "promoted.at": now},
                      settings)
    before = previous.version if previous is not None else None
    audit.record(action, actor=actor, target=_target(record.kind, record.version),
                 details={"previous_champion": before, "sha256": record.sha256}, session=session)
    return before


def approve(settings: Settings, user: str, kind: str, version: int, note: str) -> ApprovalOutcome:
    """Sign a version's safety card; it becomes champion once CAREOPS_APPROVALS_REQUIRED different
    reviewers have. NotPermitted for a role that may not approve; Refused when the version failed a
    gate, was rejected or archived, or this reviewer already signed it."""
    note = _note(note)
    authorize(user, PERMISSION, target=_target(kind, version), settings=settings)
    with session_scope(settings, lock=LOCK) as session:
        record = registry.get_version(kind, version, settings)
        if record.status in ("rejected", "archived", "champion") or CHAMPION in record.aliases:
            raise Refused(f"{_target(kind, record.version)} is {record.status}; it cannot be approved")
        _require_gates(record)
        rows = _rows(session, kind, record.version)
        if any(r.reviewer == user for r in rows):
            raise Refused(f"you already signed {_target(kind, record.version)}; another reviewer must approve it")
        _sign(session, record, user, "approved", note, len(rows) + 1, settings)
        audit.record("model.approved", actor=user, target=_target(kind, record.version),
                     details={"card_sha256": record.tags.get("card.sha256"), "note_chars": len(note)}, session=session)
        approvals = sum(r.decision == "approved" for r in rows) + 1
        promoted = approvals >= settings.approvals_required
        previous = _promote(session, record, user, settings, "model.promoted") if promoted else None
    return ApprovalOutcome(kind, record.version, approvals, settings.approvals_required, promoted, previous)


def reject(settings: Settings, user: str, kind: str, version: int, note: str) -> None:
    """Record a rejection with its note; the version is tagged rejected and can no longer be approved."""
    note = _note(note)
    authorize(user, PERMISSION, target=_target(kind, version), settings=settings)
    with session_scope(settings, lock=LOCK) as session:
        record = registry.get_version(kind, version, settings)
        if CHAMPION in record.aliases:
            raise Refused(f"{_target(kind, record.version)} is the champion: roll back to another version instead")
        if record.status in ("rejected", "archived"):
            raise Refused(f"{_target(kind, record.version)} is already {record.status}")
        rows = _rows(session, kind, record.version)
        if any(r.reviewer == user for r in rows):
            raise Refused(f"you already decided on {_target(kind, record.version)}")
        _sign(session, record, user, "rejected", note, len(rows) + 1, settings)
        if CHALLENGER in record.aliases:
            registry.clear_alias(kind, CHALLENGER, settings)
        registry.set_tags(kind, record.version, {"status": "rejected"}, settings)
        audit.record("model.rejected", actor=user, target=_target(kind, record.version),
                     details={"note_chars": len(note)}, session=session)


def approved_versions(settings: Settings, kind: str) -> set[int]:
    """Versions that were made champion by approval or bootstrap (those rollback may return to)."""
    with read_scope(settings) as session:
        rows = session.exec(select(ModelApproval).where(ModelApproval.kind == kind,
                                                        col(ModelApproval.decision).in_(("approved", "bootstrap"))))
        return {r.version for r in rows}


def rollback(settings: Settings, user: str, kind: str, version: int, note: str = "") -> int | None:
    """Re-point champion to an earlier approved version in one action; returns the version replaced."""
    note = _note(note, required=False)
    authorize(user, PERMISSION, target=_target(kind, version), settings=settings)
    with session_scope(settings, lock=LOCK) as session:
        record = registry.get_version(kind, version, settings)
        if CHAMPION in record.aliases:
            raise Refused(f"{_target(kind, record.version)} is already the champion")
        if record.status == "archived":
            raise Refused(f"{_target(kind, record.version)} is archived; it is not served again")
        signed = [r for r in _rows(session, kind, record.version) if r.decision in ("approved", "bootstrap")]
        if record.tags.get("approved") != "true" or not signed:
            raise Refused(f"{_target(kind, record.version)} was never approved as champion; only an approved "
                          "version can be rolled back to")
        previous = _promote(session, record, user, settings, "model.rolled_back")
        if note:
            audit.record("model.rollback_note", actor=user, target=_target(kind, record.version),
                         details={"note_chars": len(note)}, session=session)
    return previous


def retire(settings: Settings, user: str, kind: str, version: int, note: str = "") -> None:
    """Tag a version archived (who, when); never deleted, never served again. Not the champion."""
    note = _note(note, required=False)
    authorize(user, PERMISSION, target=_target(kind, version), settings=settings)
    with session_scope(settings, lock=LOCK) as session:
        record = registry.get_version(kind, version, settings)
        if CHAMPION in record.aliases:
            raise Refused(f"{_target(kind, record.version)} is the champion: roll back or approve another first")
        if record.status == "archived":
            raise Refused(f"{_target(kind, record.version)} is already archived")
        registry.archive(kind, record.version, by=user, settings=settings)
        if note:
            registry.set_tags(kind, record.version, {"archived.note": note}, settings)
        audit.record("model.retired", actor=user, target=_target(kind, record.version),
                     details={"previous_status": record.status}, session=session)


def bootstrap_champion(settings: Settings, kind: str, version: int) -> ApprovalOutcome:
    """The first run's champion: approved as "bootstrap (system)" only when no champion exists and
    the version passed every gate. Refused otherwise."""
    with session_scope(settings, lock=LOCK) as session:
        if registry.champion(kind, settings) is not None:
            raise Refused(f"{registry.model_name(kind)} has a champion; only a reviewer can replace it")
        record = registry.get_version(kind, version, settings)
        if record.status in ("rejected", "archived"):
            raise Refused(f"{_target(kind, record.version)} is {record.status}")
        _require_gates(record)
        _sign(session, record, BOOTSTRAP_REVIEWER, "bootstrap", BOOTSTRAP_NOTE,
              len(_rows(session, kind, record.version)) + 1, settings)
        _promote(session, record, "system", settings, "model.bootstrapped")
    return ApprovalOutcome(kind, record.version, 1, 1, True, None)


def decisions(settings: Settings, kind: str, version: int) -> list[Decision]:
    """Every reviewer decision on a version, oldest first (the signatures on its card)."""
    with read_scope(settings) as session:
        return [Decision(r.kind, r.version, r.reviewer, r.decision, r.note, r.at, r.card_sha256)
                for r in _rows(session, kind, int(version))]
