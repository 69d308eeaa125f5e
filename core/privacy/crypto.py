"""Encryption at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The key comes from CAREOPS_ENCRYPTION_KEY (required in production, see Settings). In development,
when none is set, a key file is created once under DATA_DIR/keys/ with owner-only permissions."""

from __future__ import annotations

import os
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken

from core.config import Settings, get_settings
from core.errors import InvalidInput


@lru_cache(maxsize=8)
def _cipher(key: str) -> Fernet:
    try:
        return Fernet(key.encode())
    except (ValueError, TypeError) as exc:
        raise InvalidInput("CAREOPS_ENCRYPTION_KEY is not a valid Fernet key (32 url-safe base64 bytes)") from exc


def _development_key(settings: Settings) -> str:
    path = settings.data_dir / "keys" / "careops.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(Fernet.generate_key().decode())
    return path.read_text().strip()


def cipher(settings: Settings | None = None) -> Fernet:
    settings = settings or get_settings()
    return _cipher(settings.encryption_key or _development_key(settings))


def encrypt(text: str, settings: Settings | None = None) -> str:
    return cipher(settings).encrypt(text.encode()).decode()


def decrypt(token: str, settings: Settings | None = None) -> str:
    try:
        return cipher(settings).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise InvalidInput("stored value could not be decrypted with the current key") from exc
