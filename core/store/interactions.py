"""The interaction log's rows: consent answers, consented turns (already redacted and encrypted),
anonymous counters, and erasures. Deletions run inside the caller's transaction, so the audit event
that records them (core/privacy/retention.py) is stored exactly when they are."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlmodel import Session, col, delete, select

from core.config import Settings
from core.store.engine import read_scope, session_scope
from core.store.tables import ConsentRecord, Erasure, Feedback, Interaction, Label, UsageCount

CounterKey = tuple[str, str, str, str, str]  # day, intent, risk, language, latency bucket


def save_consent(*, conversation: str, allowed: bool, version: str, language: str,
                 settings: Settings | None = None) -> ConsentRecord:
    with session_scope(settings) as session:
        row = ConsentRecord(conversation=conversation, allowed=allowed, version=version, language=language)
        session.add(row)
    return row


def save_consents(rows: list[ConsentRecord], settings: Settings | None = None) -> None:
    """Many answers in one transaction (the traffic simulator's consented conversations)."""
    with session_scope(settings) as session:
        session.add_all(rows)


def consent_of(conversation: str, settings: Settings | None = None) -> ConsentRecord | None:
    """The conversation's newest answer, or None when it was never asked or never answered."""
    with read_scope(settings) as session:
        query = (select(ConsentRecord).where(ConsentRecord.conversation == conversation)
                 .order_by(col(ConsentRecord.id).desc()).limit(1))
        return session.exec(query).first()


def write_turns(turns: list[Interaction], counts: Counter[CounterKey], settings: Settings | None = None) -> None:
    """A batch from the background writer: turns and counters together, or neither. A turn of a
    conversation that was erased meanwhile is dropped here, inside the same transaction."""
    with session_scope(settings, lock="interactions") as session:
        erased = set()
        if turns:
            names = {t.conversation for t in turns}
            erased = set(session.exec(select(Erasure.conversation).where(col(Erasure.conversation).in_(names))))
        kept = [t for t in turns if t.conversation not in erased]
        if kept:  # a rating given before its turn reached the log
            rated = dict(session.exec(select(Feedback.turn_id, Feedback.rating)
                                      .where(col(Feedback.turn_id).in_([t.turn_id for t in kept]))).all())
            for turn in kept:
                turn.feedback = rated.get(turn.turn_id, turn.feedback)
        session.add_all(kept)
        for key, turns_counted in counts.items():
            day, intent, risk, language, latency = key
            row = session.exec(select(UsageCount).where(
                UsageCount.day == day, UsageCount.intent == intent, UsageCount.risk == risk,
                UsageCount.language == language, UsageCount.latency == latency)).first()
            row = row or UsageCount(day=day, intent=intent, risk=risk, language=language, latency=latency)
            row.turns += turns_counted
            session.add(row)


def set_feedback(turn_id: str, rating: int, settings: Settings | None = None) -> bool:
    """Copy a reply's rating onto its logged turn; False when that turn was not logged."""
    with session_scope(settings) as session:
        row = session.exec(select(Interaction).where(Interaction.turn_id == turn_id)).first()
        if row is None:
            return False
        row.feedback = rating
        session.add(row)
        return True


def list_turns(*, conversation: str | None = None, since: datetime | None = None, until: datetime | None = None,
               limit: int = 10_000, settings: Settings | None = None) -> list[Interaction]:
    """Logged turns, oldest first; the text stays encrypted (core/dialogue/interaction_log.read_turns
    decrypts, and audits the read)."""
    query = select(Interaction)
    if conversation:
        query = query.where(Interaction.conversation == conversation)
    if since is not None:
        query = query.where(Interaction.at >= since)
    if until is not None:
        query = query.where(Interaction.at < until)
    with read_scope(settings) as session:
        return list(session.exec(query.order_by(col(Interaction.id)).limit(limit)))


def usage_counts(settings: Settings | None = None) -> list[UsageCount]:
    with read_scope(settings) as session:
        return list(session.exec(select(UsageCount).order_by(col(UsageCount.day), col(UsageCount.id))))


def feedback_sessions(session: Session) -> list[tuple[int, str]]:
    """(feedback id, live session id) of every feedback row: privacy/retention.py matches them to a
    conversation's pseudonym."""
    return list(session.exec(select(Feedback.id, Feedback.session_id)).all())


def erase_rows(session: Session, conversation: str, *, by: str, feedback_ids: list[int]) -> int:
    """Inside the caller's transaction: a conversation's turns, their labels, consent answers and
    feedback go, and the erasure is remembered. How many turns were deleted."""
    session.exec(delete(Label).where(col(Label.turn_id).in_(
        select(Interaction.turn_id).where(Interaction.conversation == conversation))))
    turns = session.exec(delete(Interaction).where(Interaction.conversation == conversation)).rowcount
    session.exec(delete(ConsentRecord).where(ConsentRecord.conversation == conversation))
    if feedback_ids:
        session.exec(delete(Feedback).where(col(Feedback.id).in_(feedback_ids)))
    session.add(Erasure(conversation=conversation, by=by, turns=turns))
    return turns


def delete_rows_before(session: Session, cutoff: datetime) -> dict[str, int]:
    """Inside the caller's transaction: logged turns (and their labels), consent answers and feedback
    older than `cutoff`."""
    labels = session.exec(delete(Label).where(col(Label.turn_id).in_(
        select(Interaction.turn_id).where(Interaction.at < cutoff)))).rowcount  # before their turns go
    return {
        "turns": session.exec(delete(Interaction).where(Interaction.at < cutoff)).rowcount,
        "consents": session.exec(delete(ConsentRecord).where(ConsentRecord.at < cutoff)).rowcount,
        "feedback": session.exec(delete(Feedback).where(Feedback.at < cutoff)).rowcount,
        "labels": labels,
    }


def recent_erasures(limit: int = 50, settings: Settings | None = None) -> list[Erasure]:
    """The newest erasures first: pseudonym, when, by whom, how many turns (no text)."""
    with read_scope(settings) as session:
        return list(session.exec(select(Erasure).order_by(col(Erasure.id).desc()).limit(limit)))
