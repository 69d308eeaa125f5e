"""The audit chain under real concurrency and real time zones (issue 15): several processes writing
at once keep one unbroken chain on SQLite and PostgreSQL; a PostgreSQL session in another time zone
changes nothing; `python -m core audit verify` says whether the chain is intact."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from conftest import run_cli
from database_fixtures import fresh_postgres, race
from sqlmodel import col, select

from core import audit
from core.auth.users import LOCKOUT, MAX_FAILED_ATTEMPTS, authenticate, create_user
from core.config import Settings
from core.errors import NotPermitted
from core.store.engine import get_engine, session_scope
from core.store.tables import AuditEvent, User

PROCESSES, EVENTS = 4, 60
WRITE_EVENTS = (
    "from core import audit\nfrom core.store.engine import get_engine\nget_engine()",
    f"for i in range({EVENTS}):\n    audit.record('test.concurrent', actor=f'writer{{WORKER}}', target=str(i))",
)


def _write_at_once(settings: Settings) -> None:
    get_engine(settings)  # the schema exists before the writers start: this test is about the chain
    results = race(*WRITE_EVENTS, PROCESSES, settings)
    assert all(code == 0 for code, _, _ in results), [err[-500:] for code, _, err in results if code]


def _assert_one_chain(settings: Settings) -> None:
    with session_scope(settings) as session:
        events = list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))))
    assert len(events) == PROCESSES * EVENTS
    forks = len(events) - len({e.prev_hash for e in events})
    assert forks == 0, f"{forks} events share a predecessor"
    assert audit.verify_chain(settings) is None


def test_processes_writing_at_once_keep_one_chain_on_sqlite(tmp_path):
    settings = Settings(data_dir=tmp_path)
    _write_at_once(settings)
    _assert_one_chain(settings)


@pytest.mark.postgres
def test_processes_writing_at_once_keep_one_chain_on_postgres(tmp_path):
    with fresh_postgres(tmp_path) as settings:
        _write_at_once(settings)
        _assert_one_chain(settings)


def test_times_read_back_as_aware_utc_on_sqlite(tmp_path):
    settings = Settings(data_dir=tmp_path)
    before = datetime.now(UTC)
    audit.record("test.event", actor="test", settings=settings)
    at = audit.recent(1, settings=settings)[0].at
    assert at.utcoffset() == timedelta(0) and before <= at <= datetime.now(UTC)


def _lock_out(username: str, settings: Settings) -> None:
    create_user(username, "a-long-test-password-1", "caregiver", actor="test", settings=settings)
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(NotPermitted):
            authenticate(username, "wrong-password-here", settings=settings)


@pytest.mark.postgres
def test_a_new_york_server_time_zone_changes_nothing(tmp_path):
    with fresh_postgres(tmp_path, timezone="America/New_York") as settings:
        before = datetime.now(UTC)
        for i in range(3):
            audit.record("test.event", actor="test", target=str(i), settings=settings)
        _lock_out("lee", settings)
        assert audit.verify_chain(settings) is None
        at = audit.recent(1, action="test.event", settings=settings)[0].at
        assert at.utcoffset() == timedelta(0) and before <= at <= datetime.now(UTC)
        with session_scope(settings) as session:
            locked_until = session.exec(select(User).where(User.username == "lee")).one().locked_until
        assert locked_until - datetime.now(UTC) > LOCKOUT - timedelta(minutes=1)
        with pytest.raises(NotPermitted):  # the right password is still refused while locked
            authenticate("lee", "a-long-test-password-1", settings=settings)


@pytest.mark.postgres
def test_sessions_in_different_time_zones_read_the_same_chain(tmp_path):
    with fresh_postgres(tmp_path) as utc:
        new_york = Settings(data_dir=tmp_path, database_url=utc.database_url + "?options=-cTimeZone%3DAmerica/New_York")
        audit.record("test.event", actor="test", target="written in UTC", settings=utc)
        audit.record("test.event", actor="test", target="written in New York", settings=new_york)
        assert audit.verify_chain(utc) is None and audit.verify_chain(new_york) is None
        assert [e.at for e in audit.recent(settings=utc)] == [e.at for e in audit.recent(settings=new_york)]


def test_a_database_written_before_the_change_still_verifies(tmp_path):
    """Earlier versions stored naive UTC text in SQLite; those chains must still check out."""
    settings = Settings(data_dir=tmp_path)
    get_engine(settings)
    prev = audit.GENESIS
    with sqlite3.connect(tmp_path / "careops.db") as conn:
        for i, at in enumerate(["2024-05-01 10:00:00.000000", "2024-05-01 10:00:01.250000"]):
            stamp = datetime.fromisoformat(at).replace(tzinfo=UTC).isoformat(timespec="microseconds")
            digest = audit._digest(prev, stamp, "test", "test.event", str(i), "{}")
            conn.execute("INSERT INTO auditevent (at, actor, action, target, details, prev_hash, hash) "
                         "VALUES (?, 'test', 'test.event', ?, '{}', ?, ?)", (at, str(i), prev, digest))
            prev = digest
    audit.record("test.event", actor="test", target="after the change", settings=settings)
    assert audit.verify_chain(settings) is None
    assert audit.recent(settings=settings)[-1].at == datetime(2024, 5, 1, 10, tzinfo=UTC)


def test_cli_audit_verify_says_intact_then_names_the_first_changed_event(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", scenarios_dir=tmp_path, reports_dir=tmp_path)
    for i in range(3):
        audit.record("test.event", actor="test", target=str(i), settings=settings)
    intact = run_cli(settings, "audit", "verify", timeout=120)
    assert intact.returncode == 0, intact.stderr
    assert "intact" in intact.stdout and "3 events" in intact.stdout
    with session_scope(settings) as session:
        event = session.get(AuditEvent, 2)
        event.target = "tampered"
        session.add(event)
    broken = run_cli(settings, "audit", "verify", timeout=120)
    assert broken.returncode == 1
    assert "event 2" in broken.stderr
