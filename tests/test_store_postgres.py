"""The same store code on the real PostgreSQL on 127.0.0.1: users, sign-in lockout, the audit chain,
feedback and scenario versions. Each test gets a database of its own, dropped afterwards."""

from __future__ import annotations

import pytest
from database_fixtures import fresh_postgres

from core import audit
from core.auth.users import MAX_FAILED_ATTEMPTS, authenticate, create_user
from core.errors import NotPermitted
from core.store.engine import session_scope
from core.store.feedback import list_feedback, save_feedback
from core.store.tables import AuditEvent

pytestmark = pytest.mark.postgres
ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


@pytest.fixture
def pg_settings(tmp_path):
    with fresh_postgres(tmp_path) as settings:
        yield settings


def test_users_and_sign_in_on_postgres(pg_settings):
    create_user("pat", "a-long-test-password-1", "reviewer", actor="test", settings=pg_settings)
    assert authenticate("pat", "a-long-test-password-1", settings=pg_settings).role == "reviewer"


def test_repeated_failures_lock_the_account(pg_settings):
    create_user("lee", "a-long-test-password-1", "caregiver", actor="test", settings=pg_settings)
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(NotPermitted):
            authenticate("lee", "wrong-password-here", settings=pg_settings)
    with pytest.raises(NotPermitted, match="Too many failed sign-ins"):
        authenticate("lee", "a-long-test-password-1", settings=pg_settings)


def test_audit_chain_detects_a_changed_row(pg_settings):
    for i in range(3):
        audit.record("test.event", actor="test", target=str(i), settings=pg_settings)
    assert audit.verify_chain(pg_settings) is None
    with session_scope(pg_settings) as session:
        event = session.get(AuditEvent, 2)
        event.target = "tampered"
        session.add(event)
    assert audit.verify_chain(pg_settings) == 2


def test_feedback_round_trip_on_postgres(pg_settings):
    save_feedback(session_id="s", turn_id="t1", intent="diabetes", rating=1, comment_encrypted=None, settings=pg_settings)
    save_feedback(session_id="s", turn_id="t1", intent="diabetes", rating=-1, comment_encrypted=None, settings=pg_settings)
    rows = list_feedback(settings=pg_settings)
    assert len(rows) == 1 and rows[0].rating == -1
