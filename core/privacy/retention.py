"""Retention and erasure of what the interaction log keeps.

Retention (`python -m core retention run`, safe on a schedule: running it twice deletes nothing the
second time) removes logged turns (with their labels), consent answers and feedback older than CAREOPS_RETENTION_DAYS.
Erasure removes one conversation, at the person's request from the chat page or by staff with its
pseudonym, and remembers the pseudonym so nothing of it comes back. Both are audited in the same
transaction as the deletion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core import audit
from core.config import Settings, get_settings
from core.errors import InvalidInput
from core.privacy.consent import pseudonym
from core.store import interactions
from core.store.engine import session_scope

PSEUDONYM_LENGTH = len(pseudonym(""))


def run_retention(*, actor: str = "retention (system)", now: datetime | None = None,
                  settings: Settings | None = None) -> dict[str, int]:
    settings = settings or get_settings()
    cutoff = (now or datetime.now(UTC)) - timedelta(days=settings.retention_days)
    with session_scope(settings, lock="interactions") as session:
        counts = interactions.delete_rows_before(session, cutoff)
        audit.record("retention.run", actor=actor, details={
            **counts, "days": settings.retention_days, "cutoff": cutoff.isoformat(timespec="seconds")}, session=session)
    return counts


def erase_conversation(conversation: str, *, by: str, settings: Settings | None = None) -> int:
    """Delete a conversation by its pseudonym (staff) or, through `pseudonym(session_id)`, the
    person's own. How many logged turns were deleted (0 is fine: it may never have been kept)."""
    if not (conversation.startswith("c-") and len(conversation) == PSEUDONYM_LENGTH):
        raise InvalidInput(f"{conversation!r} is not a conversation pseudonym (c- and 32 hex characters)")
    with session_scope(settings, lock="interactions") as session:
        feedback = [row_id for row_id, session_id in interactions.feedback_sessions(session)
                    if pseudonym(session_id) == conversation]
        turns = interactions.erase_rows(session, conversation, by=by, feedback_ids=feedback)
        audit.record("log.erase", actor=by, target=conversation,
                     details={"turns": turns, "feedback": len(feedback)}, session=session)
    return turns
