"""Session stores: in-memory TTL, the real Redis on 127.0.0.1, and the fallback when Redis stops."""

from __future__ import annotations

import logging
import uuid

import pytest
import redis

from core.dialogue.sessions import (
    MemorySessionStore,
    RedisSessionStore,
    ResilientSessionStore,
    SessionState,
    make_session_store,
)

SHARED_REDIS = "redis://127.0.0.1:6379/15"


def test_memory_store_round_trip_and_expiry():
    store = MemorySessionStore(ttl_seconds=60)
    state = SessionState("a", topic="diabetes", language="es")
    store.save(state)
    assert store.load("a").topic == "diabetes"
    store.ttl = -1
    store.save(state)
    assert store.load("a") is None


def test_memory_store_forgets_least_recent_beyond_its_bound():
    store = MemorySessionStore(max_sessions=2)
    for name in ("a", "b", "c"):
        store.save(SessionState(name))
    assert store.load("a") is None and store.load("c") is not None


def test_session_state_holds_no_message_text():
    state = SessionState("x")
    state.record({"turn_id": "t", "intent": "diabetes", "kind": "answer", "topic": "diabetes"})
    assert "text" not in state.to_json()


@pytest.mark.redis
def test_redis_store_round_trip_with_ttl():
    store = RedisSessionStore(SHARED_REDIS, ttl_seconds=120)
    session = f"test-{uuid.uuid4().hex}"
    try:
        store.save(SessionState(session, topic="nutrition", role="senior"))
        loaded = store.load(session)
        assert loaded.topic == "nutrition" and loaded.role == "senior"
        assert 0 < store.client.ttl(RedisSessionStore.PREFIX + session) <= 120
    finally:
        store.delete(session)
    assert store.load(session) is None


def test_make_session_store_without_redis_is_in_memory():
    assert isinstance(make_session_store(None, 60), MemorySessionStore)


@pytest.mark.redis
def test_conversation_carries_on_when_redis_stops(private_redis, assistant_factory, caplog):
    proc, url = private_redis
    assistant = assistant_factory()
    assistant.store = make_session_store(url, 600)
    assert isinstance(assistant.store, ResilientSessionStore)
    session = uuid.uuid4().hex
    first = assistant.reply(session, "my mom has alzheimers and keeps asking the same question all day")
    assert redis.Redis.from_url(url).exists(RedisSessionStore.PREFIX + session)
    proc.terminate()
    proc.wait(timeout=10)
    with caplog.at_level(logging.WARNING):
        follow = assistant.reply(session, "what about at night?")
    assert follow.kind == "follow_up" and follow.topic == first.topic
    assert any("continuing in memory" in r.message for r in caplog.records)
    assert assistant.store.degraded  # Redis is skipped for a while rather than retried on every turn
    assert assistant.reply(session, "tell me more").topic == first.topic
