"""core.auth without the console: sign-in failures that tell nothing about which names exist, a
failure count that concurrent attempts cannot lose, an audit log that never keeps what was typed
as a user name unless it is an account's, lockout that holds on a server outside UTC, and the one
access check that reads the role and the active flag from the database every time.

Runs on a real SQLite file in tmp_path and on the real PostgreSQL on 127.0.0.1."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from database_fixtures import fresh_postgres
from sqlmodel import select

from core import audit
from core.auth.users import (
    MAX_FAILED_ATTEMPTS,
    SIGN_IN_FAILED,
    UNKNOWN_USER,
    authenticate,
    authorize,
    check_session,
    create_user,
    record_sign_out,
    update_user,
)
from core.config import Settings
from core.errors import InvalidInput, NotPermitted
from core.store.engine import session_scope
from core.store.tables import AuditEvent, User

PASSWORD = "a-long-test-password-1"
WRONG = "not-the-password-at-all"
ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


@pytest.fixture
def sqlite_settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'auth.db'}")


def _postgres(tmp_path, timezone: str):
    """A database of its own on the real server, whose sessions run in `timezone`; dropped after."""
    with fresh_postgres(tmp_path, timezone=timezone) as settings:
        yield settings


@pytest.fixture
def pacific_postgres(tmp_path):
    """PostgreSQL whose session time zone is 8 hours behind UTC (7 in summer)."""
    yield from _postgres(tmp_path, "America/Los_Angeles")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    if request.param == "sqlite":
        yield Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'auth.db'}")
    else:
        yield from _postgres(tmp_path, "UTC")


def _row(name: str, settings: Settings) -> User:
    with session_scope(settings) as session:
        return session.exec(select(User).where(User.username == name)).one()


def _fail(name: str, settings: Settings, password: str = WRONG) -> str:
    with pytest.raises(NotPermitted) as caught:
        authenticate(name, password, settings=settings)
    return caught.value.message


# --- the count of failures ------------------------------------------------------------------------

def test_concurrent_failed_sign_ins_are_all_counted(db):
    """Threads that fail at the same moment each add one: a read-then-write would store 1."""
    create_user("casey", PASSWORD, "caregiver", actor="test", settings=db)
    attempts = MAX_FAILED_ATTEMPTS - 1
    start = threading.Barrier(attempts)
    messages: list[str] = []

    def fail_once() -> None:
        start.wait()
        messages.append(_fail("casey", db))

    threads = [threading.Thread(target=fail_once) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert messages == [SIGN_IN_FAILED] * attempts
    assert _row("casey", db).failed_attempts == attempts
    assert _row("casey", db).locked_until is None
    _fail("casey", db)  # the limit: this one locks the account
    assert _row("casey", db).locked_until is not None
    _fail("casey", db, PASSWORD)


def test_a_good_sign_in_clears_the_count(sqlite_settings):
    create_user("casey", PASSWORD, "caregiver", actor="test", settings=sqlite_settings)
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        _fail("casey", sqlite_settings)
    assert authenticate("casey", PASSWORD, settings=sqlite_settings).username == "casey"
    assert _row("casey", sqlite_settings).failed_attempts == 0
    _fail("casey", sqlite_settings)
    assert _row("casey", sqlite_settings).locked_until is None, "the count started again at zero"


# --- what a failure tells ---------------------------------------------------------------------------

def test_every_failure_reads_the_same_for_real_and_unknown_names(sqlite_settings):
    create_user("robin", PASSWORD, "caregiver", actor="test", settings=sqlite_settings)
    create_user("sam", PASSWORD, "reviewer", actor="test", settings=sqlite_settings)
    update_user("sam", actor="admin", active=False, settings=sqlite_settings)
    answers = {_fail("robin", sqlite_settings) for _ in range(MAX_FAILED_ATTEMPTS)}  # ends locked
    answers.add(_fail("robin", sqlite_settings, PASSWORD))  # right password, locked account
    answers |= {_fail("nobody-by-this-name", sqlite_settings) for _ in range(MAX_FAILED_ATTEMPTS + 1)}
    answers.add(_fail("sam", sqlite_settings, PASSWORD))  # inactive account
    assert answers == {SIGN_IN_FAILED}
    assert _row("robin", sqlite_settings).locked_until is not None


def test_the_audit_log_never_keeps_a_typed_name_that_is_no_account(sqlite_settings):
    create_user("robin", PASSWORD, "caregiver", actor="test", settings=sqlite_settings)
    typed_password = "Correct-Horse-Battery-9"  # someone typed their password into the name box
    _fail(typed_password, sqlite_settings, "")
    _fail("  ROBIN ", sqlite_settings)
    failed = audit.recent(10, action="signin.failed", settings=sqlite_settings)
    assert [event.actor for event in failed] == ["robin", UNKNOWN_USER]
    with session_scope(sqlite_settings) as session:
        everything = " ".join(f"{e.actor} {e.target} {e.details}" for e in session.exec(select(AuditEvent)))
    assert typed_password.lower() not in everything.lower()


def test_reserved_names_cannot_become_accounts(sqlite_settings):
    for name in ("public", "anonymous"):
        with pytest.raises(InvalidInput, match="reserved"):
            create_user(name, PASSWORD, "admin", actor="test", settings=sqlite_settings)


# --- time zones ---------------------------------------------------------------------------------------

def _lock(name: str, settings: Settings) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        _fail(name, settings)


@pytest.mark.postgres
def test_lockout_holds_on_a_server_outside_utc(pacific_postgres):
    """The lock is stored and compared as a zoned time: a column or a comparison without the zone
    would move it by the session's offset (here: end it before it began)."""
    create_user("lee", PASSWORD, "caregiver", actor="test", settings=pacific_postgres)
    before = datetime.now(UTC)
    _lock("lee", pacific_postgres)
    until = _row("lee", pacific_postgres).locked_until
    assert timedelta(minutes=14) < until - before < timedelta(minutes=16)
    _fail("lee", pacific_postgres, PASSWORD)


def test_an_expired_lock_lets_the_right_password_in(db):
    create_user("lee", PASSWORD, "caregiver", actor="test", settings=db)
    _lock("lee", db)
    _fail("lee", db, PASSWORD)
    with session_scope(db) as session:  # the lock ends a second ago
        user = session.exec(select(User).where(User.username == "lee")).one()
        user.locked_until = datetime.now(UTC) - timedelta(seconds=1)
        session.add(user)
    assert authenticate("lee", PASSWORD, settings=db).username == "lee"


# --- the access check -------------------------------------------------------------------------------

def test_authorize_reads_the_role_and_the_active_flag_every_time(db):
    create_user("rae", PASSWORD, "reviewer", actor="test", settings=db)
    assert authorize("rae", "scenarios.edit", target="scenarios", settings=db).role == "reviewer"
    update_user("rae", actor="admin", role="caregiver", settings=db)
    with pytest.raises(NotPermitted):
        authorize("rae", "scenarios.edit", target="scenarios", settings=db)
    assert authorize("rae", "chat", target="chat", settings=db).role == "caregiver"
    update_user("rae", actor="admin", active=False, settings=db)
    with pytest.raises(NotPermitted):
        authorize("rae", "chat", target="chat", settings=db)
    refused = audit.recent(5, action="page.forbidden", settings=db)
    assert [(e.actor, e.target) for e in refused] == [("rae", "chat"), ("rae", "scenarios")]


def test_authorize_refuses_names_that_are_no_account(sqlite_settings):
    with pytest.raises(NotPermitted):
        authorize("ghost", "chat", target="chat", settings=sqlite_settings)
    assert audit.recent(1, action="page.forbidden", settings=sqlite_settings)[0].actor == "ghost"


def test_without_an_account_only_the_public_chat_and_only_when_it_is_on(sqlite_settings):
    with pytest.raises(NotPermitted):
        authorize(None, "chat", target="chat", settings=sqlite_settings)
    public = sqlite_settings.model_copy(update={"public_chat": True})
    assert authorize(None, "chat", target="chat", settings=public).role == "public"
    with pytest.raises(NotPermitted):
        authorize(None, "scenarios.edit", target="scenarios", settings=public)
    assert [e.actor for e in audit.recent(5, action="page.forbidden", settings=public)] == ["public", "anonymous"]


def test_a_session_check_ends_idle_inactive_and_switched_off_sessions(sqlite_settings):
    create_user("rae", PASSWORD, "reviewer", actor="test", settings=sqlite_settings)
    now, idle = datetime.now(UTC), timedelta(minutes=sqlite_settings.console_idle_minutes)
    assert check_session("rae", now, settings=sqlite_settings).account.role == "reviewer"
    assert check_session("rae", now - idle + timedelta(seconds=5), settings=sqlite_settings).ended is None
    assert check_session("rae", now - idle - timedelta(seconds=1), settings=sqlite_settings).ended == "idle"
    update_user("rae", actor="admin", role="analyst", settings=sqlite_settings)
    assert check_session("rae", now, settings=sqlite_settings).account.role == "analyst"
    update_user("rae", actor="admin", active=False, settings=sqlite_settings)
    assert check_session("rae", now, settings=sqlite_settings).ended == "account_inactive"
    assert check_session("ghost", now, settings=sqlite_settings).ended == "account_inactive"
    # The public pseudo-user: idle minutes apply too, and the session ends when the public chat is off.
    public = sqlite_settings.model_copy(update={"public_chat": True})
    assert check_session(None, now, settings=public).account.role == "public"
    assert check_session(None, now - idle - timedelta(seconds=1), settings=public).ended == "idle"
    assert check_session(None, now, settings=sqlite_settings).ended == "public_chat_off"


def test_sign_out_is_audited_with_its_reason(sqlite_settings):
    record_sign_out("robin", reason="idle", settings=sqlite_settings)
    event = audit.recent(1, action="signout", settings=sqlite_settings)[0]
    assert (event.actor, event.details) == ("robin", '{"reason": "idle"}')
