"""Redaction, encryption at rest, the audit chain and feedback storage on the SQLite default."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import audit
from core.config import Settings
from core.dialogue.feedback import read_feedback, record_feedback
from core.errors import InvalidInput
from core.privacy.crypto import decrypt, encrypt
from core.privacy.redaction import redact
from core.store.engine import session_scope
from core.store.tables import AuditEvent, Feedback


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path)


@pytest.mark.parametrize(("text", "label"), [
    ("email me at someone@example.org please", "<EMAIL>"),
    ("call (555) 123-4567 after six", "<PHONE>"),
    ("mi teléfono es 612 345 678", "<PHONE>"),
    ("her ssn is 123-45-6789", "<SSN>"),
    ("born 03/14/1942 in ohio", "<DATE>"),
    ("we live at 42 Oak Street now", "<ADDRESS>"),
    ("MRN: A123456 on the wristband", "<RECORD_NUMBER>"),
    ("my name is Maria Lopez", "<NAME>"),
])
def test_redaction_replaces_identifiers(text, label):
    assert label in redact(text)


def test_redaction_keeps_ordinary_care_words():
    text = "she takes 10 mg twice a day and walks 20 minutes"
    assert redact(text) == text


@given(st.text(max_size=300))
def test_redaction_never_fails_and_is_idempotent(text):
    once = redact(text)
    assert redact(once) == once


def test_encryption_round_trip_and_key_file_is_private(settings):
    token = encrypt("sensitive words", settings)
    assert "sensitive" not in token and decrypt(token, settings) == "sensitive words"
    key_file = settings.data_dir / "keys" / "careops.key"
    assert oct(key_file.stat().st_mode)[-3:] == "600"


def test_feedback_comment_is_redacted_then_encrypted(settings):
    record_feedback(session_id="s", turn_id="t", intent="adl", rating=-1,
                    comment="too long, reach me at 555-123-4567", settings=settings)
    with session_scope(settings) as session:
        stored = session.get(Feedback, 1).comment_encrypted
    assert "555" not in stored and "too long" not in stored
    rows = read_feedback(reader="reviewer1", settings=settings)
    assert rows[0]["comment"] == "too long, reach me at <PHONE>"
    assert audit.recent(1, action="feedback.read", settings=settings)[0].actor == "reviewer1"


def test_bad_rating_changes_nothing(settings):
    with pytest.raises(InvalidInput):
        record_feedback(session_id="s", turn_id="t", intent="adl", rating=5, settings=settings)
    with session_scope(settings) as session:
        assert session.get(Feedback, 1) is None


def test_audit_chain_breaks_when_a_row_is_removed(settings):
    for i in range(4):
        audit.record("test.event", actor="test", target=str(i), settings=settings)
    assert audit.verify_chain(settings) is None
    with session_scope(settings) as session:
        session.delete(session.get(AuditEvent, 2))
    assert audit.verify_chain(settings) == 3
