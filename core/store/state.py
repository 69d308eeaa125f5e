"""Small key/value facts kept in the database (e.g. that the model needs retraining)."""

from __future__ import annotations

from core.config import Settings
from core.store.engine import session_scope
from core.store.tables import ModelState, utcnow

RETRAIN_NEEDED = "retrain_needed"


def get_state(key: str, settings: Settings | None = None) -> str:
    with session_scope(settings) as session:
        row = session.get(ModelState, key)
        return row.value if row else ""


def set_state(key: str, value: str, settings: Settings | None = None) -> None:
    with session_scope(settings) as session:
        row = session.get(ModelState, key) or ModelState(key=key)
        row.value, row.at = value, utcnow()
        session.add(row)
