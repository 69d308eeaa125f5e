"""Feedback rows: thumbs up/down per turn, with an already redacted-and-encrypted comment."""

from __future__ import annotations

from sqlmodel import col, select

from core.config import Settings
from core.errors import InvalidInput
from core.store.engine import session_scope
from core.store.tables import Feedback


def save_feedback(*, session_id: str, turn_id: str, intent: str, rating: int, comment_encrypted: str | None,
                  settings: Settings | None = None) -> Feedback:
    """One feedback per turn; giving it again replaces the earlier one."""
    if rating not in (1, -1):
        raise InvalidInput("rating must be 1 (helpful) or -1 (not helpful)")
    if not turn_id or not session_id:
        raise InvalidInput("feedback needs the session and the turn it is about")
    with session_scope(settings) as session:
        row = session.exec(select(Feedback).where(Feedback.turn_id == turn_id)).first() or Feedback(turn_id=turn_id)
        row.session_id, row.intent, row.rating, row.comment_encrypted = session_id, intent, rating, comment_encrypted
        session.add(row)
    return row


def list_feedback(limit: int = 500, settings: Settings | None = None) -> list[Feedback]:
    with session_scope(settings) as session:
        return list(session.exec(select(Feedback).order_by(col(Feedback.id).desc()).limit(limit)))
