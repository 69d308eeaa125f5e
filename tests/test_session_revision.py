"""After a Redis outage the fresher conversation state wins (issue 15): Redis comes back with the
snapshot it had before it stopped, and the turns kept in memory meanwhile must not be rewound.
Uses a real redis-server of the test's own, stopped and restarted from its snapshot."""

from __future__ import annotations

import subprocess
import time
import uuid

import pytest
import redis

from core.dialogue.sessions import ResilientSessionStore, SessionState, make_session_store

pytestmark = pytest.mark.redis


def _turn(store: ResilientSessionStore, session_id: str, topic: str, *, fresh: bool = False) -> SessionState:
    state = SessionState(session_id) if fresh else (store.load(session_id) or SessionState(session_id))
    state.topic = topic
    state.record({"turn_id": uuid.uuid4().hex, "intent": topic, "kind": "answer", "topic": topic})
    store.save(state)
    return state


@pytest.fixture
def outage(private_redis):
    """(store, stop, restart): stop snapshots Redis and stops it; restart brings it back from the
    snapshot on the same port, as after a crash or a failover to a replica that lagged."""
    proc, url = private_redis
    started: list[subprocess.Popen] = []
    store = make_session_store(url, 600)
    store.RETRY_AFTER_SECONDS = 0.0  # retry Redis on the next call, so the test needs no sleeping
    client = redis.Redis.from_url(url)

    def stop() -> None:
        client.save()
        current = started[-1] if started else proc
        current.terminate()
        current.wait(timeout=10)

    def restart() -> None:
        started.append(subprocess.Popen(proc.args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        pytest.fail("redis-server did not come back")

    yield store, stop, restart
    for server in started:
        server.terminate()
        server.wait(timeout=10)


def test_turns_kept_in_memory_during_an_outage_win_over_the_older_redis_state(outage):
    store, stop, restart = outage
    session = uuid.uuid4().hex
    _turn(store, session, "diabetes")
    stop()
    _turn(store, session, "nutrition")
    _turn(store, session, "home_safety")
    restart()
    state = store.load(session)
    assert (state.topic, state.turns) == ("home_safety", 3)
    assert store.primary.load(session).topic == "home_safety", "Redis is brought up to date"


def test_a_conversation_started_over_during_an_outage_stays_started_over(outage):
    store, stop, restart = outage
    session = uuid.uuid4().hex
    for topic in ("diabetes", "nutrition", "adl"):
        _turn(store, session, topic)
    stop()
    _turn(store, session, "greeting", fresh=True)  # "start over" builds a new state from scratch
    restart()
    state = store.load(session)
    assert (state.topic, state.turns) == ("greeting", 1)


def test_a_newer_state_saved_through_redis_by_another_process_wins_over_memory(private_redis):
    _, url = private_redis
    here, there = make_session_store(url, 600), make_session_store(url, 600)
    session = uuid.uuid4().hex
    _turn(here, session, "diabetes")
    _turn(there, session, "nutrition")
    _turn(there, session, "adl")
    assert here.load(session).topic == "adl"


def test_revision_survives_the_round_trip_through_json():
    state = SessionState("s", revision=7)
    assert SessionState.from_json(state.to_json()).revision == 7
    assert SessionState.from_json('{"session_id": "old"}').revision == 0, "state saved before revisions still loads"

