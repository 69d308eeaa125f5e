"""Key rotation: `python -m core keys rotate`.

Every stored ciphertext (logged turns, feedback comments) is re-encrypted under the newest key in
batches, one transaction per batch. A row the newest key already opens is skipped, so a rotation
that stops half-way (a crash, a deploy) is finished by running the command again, and running it
while the assistant writes is safe: new rows are written under the newest key.

Development keys live in DATA_DIR/keys/careops.key: `rotate` adds a new key in front when the file
holds one key, resumes when it holds more (an unfinished rotation), and keeps only the newest once
every row is under it. With CAREOPS_ENCRYPTION_KEY the operator puts the new key first
("new,old"), runs `rotate`, then drops the old key from the variable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import select

from core import audit
from core.config import Settings, get_settings
from core.privacy import crypto
from core.store.engine import session_scope
from core.store.tables import Feedback, Interaction

# (table, primary key column, ciphertext attribute): every column that holds encrypted text.
ENCRYPTED = ((Interaction, Interaction.id, "text_encrypted"), (Feedback, Feedback.id, "comment_encrypted"))


@dataclass
class Rotation:
    new_key: bool = False
    reencrypted: dict[str, int] = field(default_factory=dict)
    already_current: dict[str, int] = field(default_factory=dict)
    retired_keys: int = 0


def rotate_keys(*, actor: str, batch: int = 500, settings: Settings | None = None,
                say: Callable[[str], None] = lambda _: None, stop_after_batches: int | None = None) -> Rotation:
    """`stop_after_batches` stops early, as a crash would (the tests resume from there)."""
    settings = settings or get_settings()
    result = Rotation()
    from_environment = crypto.keys_from_environment(settings)
    if not from_environment and len(crypto.encryption_keys(settings)) == 1:
        crypto.add_development_key(settings)
        result.new_key = True
        say("a new key was added in front of the development key file")
    batches = 0
    for table, key_column, attribute in ENCRYPTED:
        name = table.__tablename__
        result.reencrypted[name] = result.already_current[name] = 0
        last = 0
        while True:
            if stop_after_batches is not None and batches >= stop_after_batches:
                return result
            with session_scope(settings) as session:
                rows = list(session.exec(select(table).where(key_column > last).order_by(key_column).limit(batch)))
                for row in rows:
                    token = getattr(row, attribute)
                    if not token:
                        continue
                    if crypto.under_newest_key(token, settings):
                        result.already_current[name] += 1
                        continue
                    setattr(row, attribute, crypto.reencrypt(token, settings))
                    session.add(row)
                    result.reencrypted[name] += 1
            batches += 1
            if len(rows) < batch:
                break
            last = rows[-1].id
            say(f"{name}: {result.reencrypted[name]} re-encrypted so far")
    if not from_environment:
        result.retired_keys = crypto.retire_old_development_keys(settings)
    audit.record("keys.rotate", actor=actor, details={
        "new_key": result.new_key, "reencrypted": result.reencrypted, "retired_keys": result.retired_keys,
    }, settings=settings)
    return result
