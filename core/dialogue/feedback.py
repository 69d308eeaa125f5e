"""Recording what people thought of a reply: the comment is redacted, then encrypted, then stored."""

from __future__ import annotations

from core.config import Settings
from core.errors import InvalidInput
from core.privacy.crypto import decrypt, encrypt
from core.privacy.redaction import redact
from core.store.feedback import list_feedback, save_feedback
from core.store.interactions import set_feedback
from core.store.tables import Feedback

MAX_COMMENT = 1000


def record_feedback(*, session_id: str, turn_id: str, intent: str, rating: int, comment: str = "",
                    settings: Settings | None = None) -> Feedback:
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(f"the comment is longer than {MAX_COMMENT} characters")
    token = encrypt(redact(comment), settings) if comment else None
    row = save_feedback(session_id=session_id, turn_id=turn_id, intent=intent, rating=rating,
                        comment_encrypted=token, settings=settings)
    set_feedback(turn_id, rating, settings)  # the logged turn, when the conversation consented
    return row


def read_feedback(*, reader: str, limit: int = 200, settings: Settings | None = None) -> list[dict]:
    """Staff reading of feedback: comments are decrypted for the reader, and the read is audited."""
    from core import audit

    rows = list_feedback(limit, settings)
    audit.record("feedback.read", actor=reader, details={"rows": len(rows)}, settings=settings)
    return [
        {"at": r.at, "intent": r.intent, "rating": r.rating,
         "comment": decrypt(r.comment_encrypted, settings) if r.comment_encrypted else ""}
        for r in rows
    ]
