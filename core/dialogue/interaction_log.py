"""The interaction log: one hook after each reply, off the reply's critical path.

The hook only puts the finished turn on a queue (a few microseconds); a writer process redacts the
text (core/privacy/redaction.py), encrypts it, and writes a second's batch of turns and the
anonymous counters in one transaction. Only conversations whose newest consent answer is "yes" keep their
turns; every turn, consented or not, adds to the counters (day, intent, risk level, language,
latency bucket), which hold no text and no conversation.

A full queue drops the turn (and says how many, never what) rather than slow a reply down."""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
import time
import uuid
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import col, select

from core.config import PROJECT_ROOT, Settings, get_settings
from core.dialogue.reply import Reply
from core.privacy.consent import CONSENT_VERSION, ConsentAnswer, pseudonym
from core.privacy.crypto import decrypt, encrypt
from core.privacy.redaction import redact
from core.privacy.retention import erase_conversation
from core.store import interactions
from core.store.engine import read_scope
from core.store.tables import ConsentRecord, Interaction
from core.taxonomy import MODEL_KINDS

log = logging.getLogger(__name__)
LATENCY_BUCKETS = ((50.0, "<50ms"), (100.0, "50-100ms"), (250.0, "100-250ms"), (1000.0, "250ms-1s"))
SLOWEST_BUCKET = ">=1s"
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
        crisis_type=reply.crisis_type, urgency=reply.urgency, risk_margin=reply.risk_margin, kind=reply.kind,
        scenario=reply.topic,
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
    """Attach with `log.attach(assistant)`; `flush()` waits until everything queued is written.

    The writer is a process of its own, started at the first turn: redacting, encrypting and
    writing are Python work, and in a thread of the serving process they would hold the interpreter
    lock while a reply waits for it (measured: +4 ms on the turn's p95 for the counters alone, +13 ms
    with every turn consented; benchmarks/bench_log.py). The hook only puts the turn on the process's
    queue."""

    def __init__(self, settings: Settings | None = None, *, max_queue: int = 10_000, batch: int = 500,
                 window: float = 1.0) -> None:
        self._settings = settings  # None: the process's Settings at each turn (as every other store call)
        self.window, self.batch, self.max_queue = window, batch, max_queue
        self.versions: Versions = lambda: ("", "")  # attach() reads them from the assistant
        self.dropped = 0
        self.failed_batches = 0
        self._process: subprocess.Popen | None = None
        self._outgoing: queue.Queue | None = None
        self._acks: dict[str, int] = {}  # flush token -> failed batches, as the writer answered
        self._answered = threading.Condition()
        self._sent_settings: Settings | None = None
        self._lock = threading.Lock()  # one sender at a time: a settings change and its turns stay in order

    @property
    def settings(self) -> Settings:
        return self._settings or get_settings()

    # ---- the hook (on the reply's thread: cheap) ------------------------------------------------
    def attach(self, assistant) -> InteractionLog:
        def served() -> tuple[str, str]:
            health = assistant.health or {}
            return tuple(getattr(health.get(kind), "version", "") or "" for kind in MODEL_KINDS)

        self.versions = served
        assistant.hooks.append(self.hook)
        return self

    def hook(self, session_id: str, text: str, reply: Reply, latency_ms: float) -> None:
        intent_version, crisis_version = self.versions()
        turn = _Turn(pseudonym(session_id), text, reply, latency_ms, datetime.now(UTC), intent_version, crisis_version)
        try:
            self._send("turn", turn)
        except queue.Full:
            self.dropped += 1
            log.warning("interaction log queue full: %d turn(s) dropped so far", self.dropped)

    def _send(self, kind: str, payload) -> None:
        with self._lock:
            self._ensure_writer()
            settings = self.settings
            if settings is not self._sent_settings:  # never waits: a full queue raises queue.Full
                self._outgoing.put_nowait(("settings", settings.model_dump(mode="json")))
                self._sent_settings = settings
            self._outgoing.put_nowait((kind, payload))

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

    # ---- the writer process ---------------------------------------------------------------------
    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until every turn queued so far is written (or its batch failed); False on timeout."""
        if self._process is None:
            return True
        token = uuid.uuid4().hex
        self._send("flush", token)
        deadline = time.monotonic() + timeout
        with self._answered:
            while token not in self._acks:
                left = deadline - time.monotonic()
                if left <= 0 or not self._answered.wait(left):
                    return False
            self.failed_batches = self._acks.pop(token)
        return True

    def _ensure_writer(self) -> None:
        """Start the writer: `python -c` of this module's `_writer_main`, never multiprocessing's
        spawn, which runs the parent's __main__ in the child first, and under Streamlit __main__ is
        the page script (Streamlit installs it there; measured: the writer ran the console's page and
        never answered a flush)."""
        if self._process is not None:
            return
        self._outgoing = queue.Queue(maxsize=self.max_queue)
        self._process = subprocess.Popen(
            [sys.executable, "-c", _WRITER_COMMAND, str(self.window), str(self.batch)],
            cwd=PROJECT_ROOT, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None)
        threading.Thread(target=_feed, args=(self._outgoing, self._process.stdin),
                         name="careops-interaction-log-feed", daemon=True).start()
        threading.Thread(target=_read_acks, args=(self._process.stdout, self._acks, self._answered),
                         name="careops-interaction-log-acks", daemon=True).start()
        weakref.finalize(self, _stop_writer, self._outgoing, self._process)


_WRITER_COMMAND = "import sys; from core.dialogue.interaction_log import _writer_main; _writer_main(*sys.argv[1:])"


def _feed(outgoing: queue.Queue, stream) -> None:
    """The parent's sender: pickles what the hook queued into the writer's stdin (pickles frame
    themselves, so one `pickle.load` reads one message); a stop closes the pipe."""
    try:
        while True:
            message = outgoing.get()
            if message[0] == "stop":
                break
            try:  # pickled whole first: a message that cannot be pickled never leaves half a frame
                frame = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # no message text: it could quote a turn
                log.error("interaction log: a %s message could not be sent (%s)", message[0], type(exc).__name__)
                continue
            stream.write(frame)
            if outgoing.empty():
                stream.flush()
    except (BrokenPipeError, OSError, ValueError):  # the writer is gone: nothing more can be sent
        log.error("interaction log: the writer process has stopped; turns are no longer written")
    finally:
        with contextlib.suppress(OSError, ValueError):
            stream.close()


def _read_acks(stream, acks: dict[str, int], answered: threading.Condition) -> None:
    """The parent's receiver: each line the writer prints is "<flush token> <failed batches>"."""
    for line in stream:
        token, _, failed = line.decode().strip().partition(" ")
        with answered:
            acks[token] = int(failed or 0)
            answered.notify_all()


def _stop_writer(outgoing: queue.Queue, process: subprocess.Popen) -> None:
    """At exit (or when the log is gone): what is queued is written, then the process ends."""
    try:
        outgoing.put(("stop", None), timeout=1)
        process.wait(timeout=10)
    except Exception:  # shutting down: nothing more to do
        pass
    if process.poll() is None:
        process.terminate()


def _writer_main(window: str, batch: str) -> None:
    """The writer process: messages arrive pickled on stdin (read by a thread into a queue, so the
    loop can wait with a timeout); flush answers go out on a private copy of stdout, and anything
    else printed goes to stderr, never into the answers."""
    answers = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    inbox: queue.Queue = queue.Queue()

    def read() -> None:
        stream = sys.stdin.buffer
        while True:
            try:
                inbox.put(pickle.load(stream))
            except Exception:  # EOF (the parent stopped or is gone) or a torn message: write and stop
                inbox.put(("stop", None))
                return

    threading.Thread(target=read, name="careops-interaction-log-inbox", daemon=True).start()
    _writer_loop(inbox, lambda token, failed: print(token, failed, file=answers), float(window), int(batch))


def _writer_loop(inbox: queue.Queue, answer: Callable[[str, int], None], window: float, batch: int) -> None:
    """The writer's loop: turns are collected for `window` seconds after the first (or until a flush,
    a settings change or a full batch) and written in one transaction. At the lowest CPU priority:
    on a machine whose cores the replies keep busy, the writer runs in the gaps between them."""
    with contextlib.suppress(OSError):
        os.nice(19)
    settings: Settings | None = None
    pending: list[_Turn] = []
    failed = 0
    deadline = 0.0
    while True:
        try:
            kind, payload = inbox.get(timeout=max(0.0, deadline - time.monotonic()) if pending else None)
        except queue.Empty:
            kind, payload = "write", None
        if kind == "turn":
            pending.append(payload)
            deadline = deadline if len(pending) > 1 else time.monotonic() + window
            if len(pending) < batch:
                continue
        if pending and settings is not None:
            failed += _write_batch(pending, settings)
        pending = []
        if kind == "settings":
            settings = Settings(**payload)
        elif kind == "flush":
            answer(payload, failed)
        elif kind == "stop":
            return


def _write_batch(pending: list[_Turn], settings: Settings) -> int:
    """1 when the batch could not be written (logged without a word of it), else 0."""
    try:
        consent = _consents({t.conversation for t in pending}, settings)
        counts: Counter = Counter()
        rows = []
        for turn in pending:
            counts[counter_key(turn.at, turn.reply, turn.latency_ms)] += 1
            answer = consent.get(turn.conversation)
            if answer is not None and answer.allowed:
                rows.append(logged_turn(turn.conversation, turn.text, turn.reply, latency_ms=turn.latency_ms,
                                        at=turn.at, versions=(turn.intent_version, turn.crisis_version),
                                        consent_version=answer.version, settings=settings))
        interactions.write_turns(rows, counts, settings)
        return 0
    except Exception as exc:  # no message: it could quote a turn
        log.error("interaction log: a batch of %d turn(s) was not written (%s)", len(pending), type(exc).__name__)
        return 1


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
