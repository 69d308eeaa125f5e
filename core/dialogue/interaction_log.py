"""The interaction log: one hook after each reply, off the reply's critical path.

The hook only puts the finished turn on a queue (a few microseconds); a background thread redacts
the text (core/privacy/redaction.py), encrypts it, and writes a batch of turns and the anonymous
counters in one transaction. Only conversations whose newest consent answer is "yes" keep their
turns; every turn, consented or not, adds to the counters (day, intent, risk level, language,
latency bucket), which hold no text and no conversation.

A full queue drops the turn (and says how many, never what) rather than slow a reply down."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import col, select

from core.config import Settings, get_settings
from core.dialogue.reply import Reply
from core.privacy.consent import CONSENT_VERSION, ConsentAnswer, pseudonym
from core.privacy.crypto import decrypt, encrypt
from core.privacy.redaction import redact
from core.privacy.retention import erase_conversation
from core.store import interactions
from core.store.engine import read_scope
from core.store.tables import ConsentRecord, Interaction

log = logging.getLogger(__name__)
LATENCY_BUCKETS = ((50.0, "<50ms"), (100.0, "50-100ms"), (250.0, "100-250ms"), (1000.0, "250ms-1s"))
SLOWEST_BUCKET = ">=1s"
POLL_SECONDS = 0.05  # how often a collecting writer looks for a flush request
Versions = Callable[[], tuple[str, str]]  # (intent version, crisis version) being served


def latency_bucket(ms: float) -> str:
    return next((name for limit, name in LATENCY_BUCKETS if ms < limit), SLOWEST_BUCKET)


def counter_key(at: datetime, reply: Reply, latency_ms: float) -> interactions.CounterKey:
    """The anonymous counter a turn adds to, consented or not."""
    return (at.strftime("%Y-%m-%d"), reply.intent, reply.risk, reply.language, latency_bucket(latency_ms))


def logged_turn(conversation: str, text: str, reply: Reply, *, latency_ms: float, at: datetime,
                versions: tuple[str, str], consent_version: str, settings: Settings) -> Interaction:
    """The one way a consented turn becomes a log row: redacted, then encrypted. The background
    writer and the traffic simulator (core/mlops/simulate.py) both build their rows here, so a
    simulated row is stored exactly as a real one."""
    return Interaction(
        at=at, conversation=conversation, turn_id=reply.turn_id,
        text_encrypted=encrypt(redact(text), settings), words=len(text.split()),
        language=reply.language, intent=reply.intent, confidence=float(reply.confidence), risk=reply.risk,
        crisis_type=reply.crisis_type, urgency=reply.urgency, kind=reply.kind, scenario=reply.topic,
        intent_version=versions[0], crisis_version=versions[1],
        latency_ms=round(latency_ms, 3), consent_version=consent_version,
    )


@dataclass(frozen=True)
class _Turn:
    conversation: str
    text: str
    reply: Reply
    latency_ms: float
    at: datetime
    intent_version: str
    crisis_version: str


class InteractionLog:
    """Attach with `log.attach(assistant)`; `flush()` waits until everything queued is written."""

    def __init__(self, settings: Settings | None = None, *, max_queue: int = 10_000, batch: int = 500,
                 window: float = 1.0) -> None:
        self._settings = settings  # None: the process's Settings at each write (as every other store call)
        self.window = window
        self._hurry = threading.Event()
        self.versions: Versions = lambda: ("", "")  # attach() reads them from the assistant
        self.batch = batch
        self.dropped = 0
        self.failed_batches = 0
        self._queue: queue.Queue[_Turn] = queue.Queue(maxsize=max_queue)
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    @property
    def settings(self) -> Settings:
        return self._settings or get_settings()

    # ---- the hook (on the reply's thread: cheap) ------------------------------------------------
    def attach(self, assistant) -> InteractionLog:
        def served() -> tuple[str, str]:
            health = assistant.health or {}
            return tuple(getattr(health.get(kind), "version", "") or "" for kind in ("intent", "crisis"))

        self.versions = served
        assistant.hooks.append(self.hook)
        return self

    def hook(self, session_id: str, text: str, reply: Reply, latency_ms: float) -> None:
        intent_version, crisis_version = self.versions()
        turn = _Turn(pseudonym(session_id), text, reply, latency_ms, datetime.now(UTC), intent_version, crisis_version)
        self._ensure_writer()
        try:
            self._queue.put_nowait(turn)
        except queue.Full:
            self.dropped += 1
            log.warning("interaction log queue full: %d turn(s) dropped so far", self.dropped)

    # ---- consent and erasure (on the person's click) ------------------------------------------
    def record_consent(self, session_id: str, allowed: bool, language: str) -> ConsentAnswer:
        row = interactions.save_consent(conversation=pseudonym(session_id), allowed=allowed,
                                        version=CONSENT_VERSION, language=language, settings=self.settings)
        return ConsentAnswer(row.allowed, row.version, row.language)

    def consent(self, session_id: str) -> ConsentAnswer | None:
        row = interactions.consent_of(pseudonym(session_id), self.settings)
        return ConsentAnswer(row.allowed, row.version, row.language) if row else None

    def erase(self, session_id: str, *, by: str = "person") -> int:
        """The person's "delete this conversation": what is queued is written first, so nothing of
        it arrives after the deletion."""
        self.flush()
        return erase_conversation(pseudonym(session_id), by=by, settings=self.settings)

    # ---- the writer thread ----------------------------------------------------------------------
    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until every queued turn is written (or dropped); False on timeout."""
        done = threading.Event()

        def wait() -> None:
            self._queue.join()
            done.set()

        self._hurry.set()
        try:
            threading.Thread(target=wait, daemon=True).start()
            return done.wait(timeout)
        finally:
            self._hurry.clear()

    def _ensure_writer(self) -> None:
        if self._thread is not None:
            return
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="interaction-log", daemon=True)
                self._thread.start()

    def _collect(self) -> list[_Turn]:
        """The next batch: the turns that arrive within `window` seconds of the first (or until a
        flush asks), so a busy assistant costs one transaction a second, not one a turn, and the
        writer thread rarely competes with a reply for the interpreter."""
        pending = [self._queue.get()]
        deadline = time.monotonic() + self.window
        while len(pending) < self.batch and not self._hurry.is_set() and time.monotonic() < deadline:
            try:
                pending.append(self._queue.get(timeout=POLL_SECONDS))
            except queue.Empty:
                continue
        while len(pending) < self.batch:
            try:
                pending.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return pending

    def _run(self) -> None:
        while True:
            pending = self._collect()
            try:
                self._write(pending)
            except Exception as exc:  # no message: it could quote a turn
                self.failed_batches += 1
                log.error("interaction log: a batch of %d turn(s) was not written (%s)", len(pending), type(exc).__name__)
            finally:
                for _ in pending:
                    self._queue.task_done()

    def _write(self, pending: list[_Turn]) -> None:
        consent = _consents({t.conversation for t in pending}, self.settings)
        counts: Counter = Counter()
        rows = []
        for turn in pending:
            counts[counter_key(turn.at, turn.reply, turn.latency_ms)] += 1
            answer = consent.get(turn.conversation)
            if answer is None or not answer.allowed:
                continue
            rows.append(logged_turn(turn.conversation, turn.text, turn.reply, latency_ms=turn.latency_ms, at=turn.at,
                                    versions=(turn.intent_version, turn.crisis_version),
                                    consent_version=answer.version, settings=self.settings))
        interactions.write_turns(rows, counts, self.settings)


def _consents(conversations: set[str], settings: Settings) -> dict[str, ConsentRecord]:
    """The newest consent answer of each conversation in a batch (one query)."""
    with read_scope(settings) as session:
        rows = session.exec(select(ConsentRecord).where(col(ConsentRecord.conversation).in_(conversations))
                            .order_by(col(ConsentRecord.id)))
        return {row.conversation: row for row in rows}  # later rows overwrite earlier ones


def read_turns(*, reader: str, conversation: str | None = None, since: datetime | None = None,
               until: datetime | None = None, limit: int = 1000, settings: Settings | None = None) -> list[dict]:
    """Staff reading of logged turns: decrypted for the reader, and the read is audited."""
    from core import audit

    rows = interactions.list_turns(conversation=conversation, since=since, until=until, limit=limit, settings=settings)
    audit.record("log.read", actor=reader, target=conversation or "",
                 details={"rows": len(rows)}, settings=settings)
    return [{"at": r.at, "conversation": r.conversation, "turn_id": r.turn_id,
             "text": decrypt(r.text_encrypted, settings), "language": r.language, "intent": r.intent,
             "confidence": r.confidence, "risk": r.risk, "crisis_type": r.crisis_type, "kind": r.kind,
             "scenario": r.scenario, "feedback": r.feedback} for r in rows]
