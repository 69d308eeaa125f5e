"""Encryption at rest and key rotation on a real SQLite file: round trip, a wrong or lost key is a
clear error (never garbage), rotation re-encrypts in batches, resumes after a stop, and refuses a
value no key opens without changing anything."""

from __future__ import annotations

import sqlite3

import pytest
from cryptography.fernet import Fernet

from core.config import Settings
from core.errors import InvalidInput
from core.privacy import crypto
from core.privacy.rotation import rotate_keys
from core.store.engine import read_scope, session_scope
from core.store.tables import AuditEvent, Feedback, Interaction
from tests.conftest import run_cli


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path / "data")


def store_turns(settings: Settings, texts: list[str]) -> None:
    with session_scope(settings) as session:
        for i, text in enumerate(texts):
            session.add(Interaction(conversation="c-" + "0" * 32, turn_id=f"t{i}", text_encrypted=crypto.encrypt(text, settings),
                                    words=len(text.split()), language="en", intent="greeting", confidence=1.0,
                                    risk="none", kind="smalltalk", latency_ms=1.0, consent_version="v"))
        session.add(Feedback(session_id="s", turn_id="t0", intent="greeting", rating=1,
                             comment_encrypted=crypto.encrypt("a comment", settings)))


def tokens(settings: Settings) -> list[str]:
    with sqlite3.connect(settings.data_dir / "careops.db") as db:
        return [row[0] for row in db.execute("SELECT text_encrypted FROM interaction ORDER BY id")]


def texts(settings: Settings) -> list[str]:
    return [crypto.decrypt(t, settings) for t in tokens(settings)]


def test_round_trip_and_ciphertext_is_not_the_text(settings):
    token = crypto.encrypt("la enfermera viene el martes", settings)
    assert "enfermera" not in token
    assert crypto.decrypt(token, settings) == "la enfermera viene el martes"
    assert (settings.data_dir / "keys" / "careops.key").stat().st_mode & 0o777 == 0o600


def test_a_wrong_key_is_a_clear_error_not_garbage(settings, tmp_path):
    token = crypto.encrypt("private", settings)
    other = Settings(data_dir=tmp_path / "data", encryption_key=Fernet.generate_key().decode())
    with pytest.raises(InvalidInput, match="could not be decrypted with any configured key"):
        crypto.decrypt(token, other)
    with pytest.raises(InvalidInput, match="not a valid Fernet key"):
        crypto.encrypt("x", Settings(data_dir=tmp_path / "data", encryption_key="not-a-key"))


def test_a_lost_key_file_is_a_clear_error(settings):
    token = crypto.encrypt("private", settings)
    (settings.data_dir / "keys" / "careops.key").unlink()  # a new key is made; the old values stay shut
    with pytest.raises(InvalidInput, match="wrong or was lost"):
        crypto.decrypt(token, settings)


def test_rotation_reencrypts_everything_under_a_new_key_and_retires_the_old(settings):
    store_turns(settings, [f"turn number {i}" for i in range(7)])
    old_key = crypto.encryption_keys(settings)
    before = tokens(settings)
    result = rotate_keys(actor="ops", batch=3, settings=settings)
    assert result.new_key and result.reencrypted == {"interaction": 7, "feedback": 1} and result.retired_keys == 1
    keys = crypto.encryption_keys(settings)
    assert len(keys) == 1 and keys != old_key
    assert texts(settings) == [f"turn number {i}" for i in range(7)]
    assert all(a != b for a, b in zip(before, tokens(settings), strict=True))
    with pytest.raises(InvalidInput):  # the old key alone no longer opens anything
        crypto.decrypt(tokens(settings)[0], Settings(data_dir=settings.data_dir, encryption_key=old_key[0]))
    with read_scope(settings) as session:
        events = [e for e in session.query(AuditEvent).all() if e.action == "keys.rotate"]
    assert len(events) == 1 and events[0].actor == "ops"


def test_an_interrupted_rotation_resumes_without_another_key(settings):
    store_turns(settings, [f"turn {i}" for i in range(6)])
    first = rotate_keys(actor="ops", batch=2, settings=settings, stop_after_batches=1)
    assert first.new_key and first.reencrypted["interaction"] == 2
    assert len(crypto.encryption_keys(settings)) == 2  # both keys kept while rows remain under the old one
    assert texts(settings) == [f"turn {i}" for i in range(6)]  # readable mid-rotation
    second = rotate_keys(actor="ops", batch=2, settings=settings)
    assert not second.new_key
    assert second.reencrypted == {"interaction": 4, "feedback": 1} and second.already_current["interaction"] == 2
    assert len(crypto.encryption_keys(settings)) == 1
    assert texts(settings) == [f"turn {i}" for i in range(6)]


def test_rotation_with_configured_keys_puts_everything_under_the_first(tmp_path):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    before = Settings(data_dir=tmp_path / "data", encryption_key=old)
    store_turns(before, ["one", "two"])
    after = Settings(data_dir=tmp_path / "data", encryption_key=f"{new},{old}")
    assert texts(after) == ["one", "two"]  # the ring reads the old values before the rotation
    result = rotate_keys(actor="ops", settings=after)
    assert not result.new_key and result.reencrypted["interaction"] == 2
    only_new = Settings(data_dir=tmp_path / "data", encryption_key=new)
    assert texts(only_new) == ["one", "two"]


def test_a_value_no_key_opens_stops_the_rotation_and_changes_nothing(settings, tmp_path):
    store_turns(settings, ["one", "two", "three"])
    stranger = Fernet(Fernet.generate_key()).encrypt(b"from another system").decode()
    with session_scope(settings) as session:
        session.get(Interaction, 2).text_encrypted = stranger
    before = tokens(settings)
    with pytest.raises(InvalidInput, match="could not be decrypted with any configured key"):
        rotate_keys(actor="ops", batch=10, settings=settings)
    assert tokens(settings) == before


def test_keys_rotate_command(settings):
    store_turns(settings, ["uno", "dos"])
    result = run_cli(settings, "keys", "rotate", "--batch", "1")
    assert result.returncode == 0, result.stderr
    assert "re-encrypted under the newest key: interaction 2, feedback 1" in result.stdout
    assert texts(settings) == ["uno", "dos"]
