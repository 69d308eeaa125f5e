"""Encryption at rest (Fernet: AES-128-CBC + HMAC-SHA256), with a key ring for rotation.

The keys come from CAREOPS_ENCRYPTION_KEY (required in production, see Settings): one key, or
several separated by commas, newest first. In development, when none is set, a key file is created
once under DATA_DIR/keys/ with owner-only permissions; it holds one key per line, newest first.

The newest key encrypts; every key in the ring decrypts (MultiFernet), so a rotation can re-encrypt
stored values in batches while the assistant keeps writing (core/privacy/rotation.py). A value no
key opens is a clear error, never garbage: Fernet authenticates before it decrypts."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from core.config import Settings, get_settings
from core.errors import InvalidInput


def _split(keys: str) -> tuple[str, ...]:
    return tuple(k.strip() for k in keys.replace("\n", ",").split(",") if k.strip())


@lru_cache(maxsize=8)
def _ring(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise InvalidInput("no encryption key is configured (CAREOPS_ENCRYPTION_KEY or the development key file)")
    fernets = []
    for position, key in enumerate(keys, 1):
        try:
            fernets.append(Fernet(key.encode()))
        except (ValueError, TypeError) as exc:
            raise InvalidInput(f"encryption key {position} of {len(keys)} is not a valid Fernet key "
                               "(32 url-safe base64 bytes)") from exc
    return MultiFernet(fernets)


def key_file(settings: Settings) -> Path:
    return settings.data_dir / "keys" / "careops.key"


def _write_key_file(path: Path, keys: tuple[str, ...]) -> None:
    """Whole or not at all: a new file beside the old one, then an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("\n".join(keys) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def _development_keys(settings: Settings) -> tuple[str, ...]:
    path = key_file(settings)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: read theirs
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(Fernet.generate_key().decode() + "\n")
    return _split(path.read_text())


def keys_from_environment(settings: Settings) -> bool:
    """True when the keys are configured (CAREOPS_ENCRYPTION_KEY), not kept in the development file."""
    return bool((settings.encryption_key or "").strip())


def encryption_keys(settings: Settings | None = None) -> tuple[str, ...]:
    """The key ring, newest (the one that encrypts) first."""
    settings = settings or get_settings()
    if keys_from_environment(settings):
        return _split(settings.encryption_key or "")
    return _development_keys(settings)


def cipher(settings: Settings | None = None) -> MultiFernet:
    return _ring(encryption_keys(settings))


def encrypt(text: str, settings: Settings | None = None) -> str:
    return cipher(settings).encrypt(text.encode()).decode()


def decrypt(token: str, settings: Settings | None = None) -> str:
    return decrypt_all([token], settings)[0]


def decrypt_all(tokens: list[str], settings: Settings | None = None) -> list[str]:
    """Many values with one read of the key ring (the labeling queue decrypts thousands at a time)."""
    ring = cipher(settings)
    try:
        return [ring.decrypt(token.encode()).decode() for token in tokens]
    except InvalidToken as exc:
        raise InvalidInput("a stored value could not be decrypted with any configured key: the key is wrong "
                           "or was lost (CAREOPS_ENCRYPTION_KEY, or DATA_DIR/keys/careops.key)") from exc


def under_newest_key(token: str, settings: Settings | None = None) -> bool:
    """Whether the newest key alone opens `token` (a rotation skips those, which makes it resumable)."""
    newest = encryption_keys(settings)[0]
    try:
        _ring((newest,)).decrypt(token.encode())
        return True
    except InvalidToken:
        return False


def reencrypt(token: str, settings: Settings | None = None) -> str:
    """`token` under the newest key (MultiFernet.rotate); a token no key opens is refused."""
    try:
        return cipher(settings).rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise InvalidInput("a stored value could not be decrypted with any configured key; nothing was "
                           "re-encrypted (add the key it was written with to the ring)") from exc


def add_development_key(settings: Settings) -> str:
    """A new newest key in the development key file, the older ones kept behind it to decrypt."""
    keys = (Fernet.generate_key().decode(), *_development_keys(settings))
    _write_key_file(key_file(settings), keys)
    return keys[0]


def retire_old_development_keys(settings: Settings) -> int:
    """Keep only the newest key in the development key file; how many keys were dropped."""
    keys = _development_keys(settings)
    if len(keys) > 1:
        _write_key_file(key_file(settings), keys[:1])
    return len(keys) - 1
