"""The audit log: append-only and hash-chained, so a changed or removed row breaks the chain.

Each event's hash covers the previous hash and its own content. Events hold names of things and
what happened, never health data (no message text, no comments).

Writers are serialised in the database (the "audit" write lock, see core.store.engine), and the
last event is read inside that same transaction: every process appends to one chain, none forks it."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC

from sqlmodel import Session, col, func, select

from core.config import Settings
from core.store.engine import read_scope, session_scope, take_lock
from core.store.tables import AuditEvent, utcnow

GENESIS = "0" * 64


def _digest(prev_hash: str, at: str, actor: str, action: str, target: str, details: str) -> str:
    payload = json.dumps([prev_hash, at, actor, action, target, details], separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _stamp(event: AuditEvent) -> str:
    at = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)
    return at.isoformat(timespec="microseconds")


def record(action: str, *, actor: str, target: str = "", details: dict | None = None,
           settings: Settings | None = None, session: Session | None = None) -> AuditEvent:
    """Append one event. With `session` (from session_scope) the event is part of that transaction,
    so it is stored exactly when the change it describes is."""
    if session is not None:
        return _append(session, action, actor, target, details)
    with session_scope(settings) as own:
        return _append(own, action, actor, target, details)


def _append(session: Session, action: str, actor: str, target: str, details: dict | None) -> AuditEvent:
    take_lock(session, "audit")  # before reading the last event: the next writer waits for this one
    body = json.dumps(details or {}, sort_keys=True, ensure_ascii=False)
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(1)).first()
    prev = last.hash if last else GENESIS
    event = AuditEvent(at=utcnow(), actor=actor[:64], action=action[:64], target=target[:200], details=body,
                       prev_hash=prev, hash="")
    event.hash = _digest(prev, _stamp(event), event.actor, event.action, event.target, body)
    session.add(event)
    session.flush()
    return event


def verify_chain(settings: Settings | None = None) -> int | None:
    """None when the chain is intact, else the id of the first event that does not check out."""
    with read_scope(settings) as session:
        prev = GENESIS
        for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.id))):
            expected = _digest(prev, _stamp(event), event.actor, event.action, event.target, event.details)
            if event.prev_hash != prev or event.hash != expected:
                return event.id
            prev = event.hash
    return None


def count(settings: Settings | None = None) -> int:
    with read_scope(settings) as session:
        return session.exec(select(func.count()).select_from(AuditEvent)).one()


def recent(limit: int = 200, *, action: str | None = None, settings: Settings | None = None) -> list[AuditEvent]:
    with read_scope(settings) as session:
        query = select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(limit)
        if action:
            query = query.where(AuditEvent.action == action)
        return list(session.exec(query))
