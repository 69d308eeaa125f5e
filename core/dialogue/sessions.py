"""Per-session conversation state and the one session-store interface.

State holds no message text: only topics, intents and counters, so the session store never holds
health data. Backends: an in-process TTL store, Redis (JSON values with a TTL), and a resilient
wrapper that keeps answering from memory when Redis goes away. Every state carries a revision, so
when Redis comes back with an older copy the fresher one wins and the conversation never rewinds.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Protocol

log = logging.getLogger(__name__)

MAX_HISTORY = 50


@dataclass
class SessionState:
    session_id: str
    role: str | None = None
    role_explicit: bool = False
    language: str = "en"
    topic: str | None = None
    topic_stack: list[str] = field(default_factory=list)  # earlier topics, most recent last
    shown_follow_ups: dict[str, list[str]] = field(default_factory=dict)
    history: list[dict] = field(default_factory=list)  # {turn_id, at, intent, kind, topic, crisis_type}
    crisis_types: list[str] = field(default_factory=list)
    turns: int = 0
    checkin_open: bool = False  # the last reply asked the distress check-in question
    checkin_turn: int = -1  # the turn it was last asked on (-1: never)
    revision: int = 0  # saves so far (set by ResilientSessionStore): of two copies, the higher is fresher

    def record(self, entry: dict) -> None:
        self.history.append(entry)
        del self.history[:-MAX_HISTORY]
        self.turns += 1

    def to_json(self) -> str:
        return json.dumps(vars(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str | bytes) -> SessionState:
        data = json.loads(raw)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


class SessionStore(Protocol):
    def load(self, session_id: str) -> SessionState | None: ...
    def save(self, state: SessionState) -> None: ...
    def delete(self, session_id: str) -> None: ...


class MemorySessionStore:
    """In-process store with a TTL and a size bound (least recently used go first)."""

    def __init__(self, ttl_seconds: int = 6 * 3600, max_sessions: int = 100_000) -> None:
        self.ttl = ttl_seconds
        self.max_sessions = max_sessions
        self._data: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def load(self, session_id: str) -> SessionState | None:
        with self._lock:
            item = self._data.get(session_id)
            if item is None:
                return None
            expires, raw = item
            if expires < time.monotonic():
                del self._data[session_id]
                return None
            self._data.move_to_end(session_id)
        return SessionState.from_json(raw)

    def save(self, state: SessionState) -> None:
        raw = state.to_json()
        with self._lock:
            self._data[state.session_id] = (time.monotonic() + self.ttl, raw)
            self._data.move_to_end(state.session_id)
            while len(self._data) > self.max_sessions:
                self._data.popitem(last=False)

    def delete(self, session_id: str) -> None:
        with self._lock:
            self._data.pop(session_id, None)


class RedisSessionStore:
    PREFIX = "careops:session:"

    def __init__(self, url: str, ttl_seconds: int = 6 * 3600) -> None:
        import redis

        self.ttl = ttl_seconds
        self.client = redis.Redis.from_url(url, socket_connect_timeout=0.25, socket_timeout=0.5)

    def load(self, session_id: str) -> SessionState | None:
        raw = self.client.get(self.PREFIX + session_id)
        return SessionState.from_json(raw) if raw else None

    def save(self, state: SessionState) -> None:
        self.client.set(self.PREFIX + state.session_id, state.to_json(), ex=self.ttl)

    def delete(self, session_id: str) -> None:
        self.client.delete(self.PREFIX + session_id)


class ResilientSessionStore:
    """Redis first, memory always: every save goes to both, so if Redis stops mid-conversation the
    conversation carries on from memory (with a warning), and Redis is retried after a pause."""

    RETRY_AFTER_SECONDS = 5.0

    def __init__(self, primary: SessionStore, fallback: MemorySessionStore) -> None:
        self.primary = primary
        self.fallback = fallback
        self._down_until = 0.0

    @property
    def degraded(self) -> bool:
        return time.monotonic() < self._down_until

    def _call(self, method: str, *args):
        if self.degraded:
            return None, False
        try:
            return getattr(self.primary, method)(*args), True
        except Exception as exc:  # any Redis/network failure: keep answering
            log.warning("session store unavailable (%s); continuing in memory", type(exc).__name__)
            self._down_until = time.monotonic() + self.RETRY_AFTER_SECONDS
            return None, False

    def load(self, session_id: str) -> SessionState | None:
        """The fresher of the Redis and the memory copy. Memory is fresher after an outage (turns
        Redis missed), and then Redis is brought up to date; Redis is fresher when another process
        carried the conversation on."""
        remote, ok = self._call("load", session_id)
        local = self.fallback.load(session_id)
        if not ok:
            return local
        if local is not None and (remote is None or local.revision > remote.revision):
            self._call("save", local)
            return local
        if remote is not None and (local is None or remote.revision > local.revision):
            self.fallback.save(remote)
        return remote

    def save(self, state: SessionState) -> None:
        """Number the save past every copy this process has seen, so that even a state built anew
        ("start over") counts as fresher than the one it replaces."""
        known = self.fallback.load(state.session_id)
        state.revision = max(state.revision, known.revision if known else 0) + 1
        self.fallback.save(state)
        self._call("save", state)

    def delete(self, session_id: str) -> None:
        self.fallback.delete(session_id)
        self._call("delete", session_id)


def make_session_store(redis_url: str | None, ttl_seconds: int) -> SessionStore:
    memory = MemorySessionStore(ttl_seconds)
    if not redis_url:
        return memory
    return ResilientSessionStore(RedisSessionStore(redis_url, ttl_seconds), memory)


class SessionLocks:
    """One turn per session at a time, in this process."""

    def __init__(self, max_idle: int = 10_000) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self.max_idle = max_idle

    def get(self, session_id: str) -> threading.Lock:
        with self._guard:
            lock = self._locks.get(session_id)
            if lock is None:
                if len(self._locks) >= self.max_idle:
                    for key in [k for k, v in self._locks.items() if not v.locked()]:
                        del self._locks[key]
                lock = self._locks[session_id] = threading.Lock()
            return lock
