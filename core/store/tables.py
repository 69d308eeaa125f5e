"""The tables. Health data never lands here in clear text: feedback comments are redacted and
encrypted before they are stored (core/privacy)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True, max_length=64)
    role: str = Field(max_length=32)
    password_hash: str
    active: bool = True
    failed_attempts: int = 0
    locked_until: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None


class AuditEvent(SQLModel, table=True):
    """Append-only and hash-chained: each row's hash covers its content and the previous hash."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64, index=True)
    target: str = Field(default="", max_length=200)
    details: str = Field(default="{}")
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class Feedback(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    session_id: str = Field(index=True, max_length=64)
    turn_id: str = Field(index=True, unique=True, max_length=64)
    intent: str = Field(max_length=64)
    rating: int  # +1 helpful, -1 not helpful
    comment_encrypted: str | None = None  # redacted, then encrypted


class ScenarioVersion(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    intent: str = Field(index=True, max_length=64)
    version: int
    author: str = Field(max_length=64)
    reason: str = Field(max_length=500)
    at: datetime = Field(default_factory=utcnow)
    yaml_text: str
    diff: str = ""


class ModelState(SQLModel, table=True):
    """Small key/value facts about the models, e.g. 'retrain_needed'."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="")
    at: datetime = Field(default_factory=utcnow)
