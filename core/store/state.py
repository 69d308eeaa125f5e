"""Small key/value facts kept in the database (e.g. that the model needs retraining)."""

from __future__ import annotations

from sqlmodel import Session

from core.config import Settings
from core.store.engine import read_scope, session_scope
from core.store.tables import ModelState, utcnow

RETRAIN_NEEDED = "retrain_needed"


def get_state(key: str, settings: Settings | None = None) -> str:
    with read_scope(settings) as session:
        return read_state(session, key)


def set_state(key: str, value: str, settings: Settings | None = None) -> None:
    with session_scope(settings) as session:
        write_state(session, key, value)


def read_state(session: Session, key: str) -> str:
    row = session.get(ModelState, key)
    return row.value if row else ""


def write_state(session: Session, key: str, value: str) -> None:
    """Inside the caller's transaction, so the fact changes exactly when what it is about does."""
    row = session.get(ModelState, key) or ModelState(key=key)
    row.value, row.at = value, utcnow()
    session.add(row)
