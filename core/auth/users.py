"""Users: creation, sign-in with rate limiting, role changes. Passwords are hashed with argon2;
the hash never leaves this module (UserPublic carries no hash)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import col, func, select

from core import audit
from core.auth.permissions import ROLES
from core.config import Settings
from core.errors import InvalidInput, NotFound, NotPermitted
from core.store.engine import session_scope
from core.store.tables import User, utcnow

MIN_PASSWORD_LENGTH = 12
MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_hasher = PasswordHasher()
# Verifying against this keeps the time of a sign-in for an unknown user like that of a known one.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")


@dataclass(frozen=True)
class UserPublic:
    username: str
    role: str
    active: bool
    created_at: datetime
    last_login_at: datetime | None


def _public(user: User) -> UserPublic:
    return UserPublic(user.username, user.role, user.active, user.created_at, user.last_login_at)


def _check(username: str, role: str, password: str | None) -> None:
    problems = []
    if not _USERNAME.match(username):
        problems.append("username: 2-64 characters, lowercase letters, digits, dot, dash or underscore")
    if role not in ROLES:
        problems.append(f"role: must be one of {', '.join(ROLES)}")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"password: at least {MIN_PASSWORD_LENGTH} characters")
    if problems:
        raise InvalidInput("; ".join(problems), details=problems)


def count_users(settings: Settings | None = None) -> int:
    with session_scope(settings) as session:
        return session.exec(select(func.count()).select_from(User)).one()


def create_user(username: str, password: str, role: str, *, actor: str, settings: Settings | None = None) -> UserPublic:
    username = username.strip().lower()
    _check(username, role, password)
    with session_scope(settings) as session:
        if session.exec(select(User).where(User.username == username)).first():
            raise InvalidInput(f"a user named {username!r} already exists")
        user = User(username=username, role=role, password_hash=_hasher.hash(password))
        session.add(user)
    audit.record("user.created", actor=actor, target=username, details={"role": role}, settings=settings)
    return _public(user)


def authenticate(username: str, password: str, *, settings: Settings | None = None) -> UserPublic:
    """Return the user, or raise NotPermitted with one message for every kind of failure (so the
    answer does not reveal which usernames exist). Every failure is audited; repeated failures
    lock the account for a while."""
    username = (username or "").strip().lower()
    now = datetime.now(UTC)
    with session_scope(settings) as session:
        user = session.exec(select(User).where(User.username == username)).first()
        locked = user is not None and user.locked_until is not None and _aware(user.locked_until) > now
        ok = _verify(user.password_hash if user else _DUMMY_HASH, password or "") and user is not None
        if ok and user.active and not locked:
            user.failed_attempts, user.locked_until, user.last_login_at = 0, None, now
            session.add(user)
            result = _public(user)
        else:
            result = None
            if user is not None and not locked:
                user.failed_attempts += 1
                if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
                    user.locked_until, user.failed_attempts = now + LOCKOUT, 0
                session.add(user)
    if result is None:
        reason = "locked" if locked else ("unknown_user" if user is None else ("inactive" if not user.active else "bad_password"))
        audit.record("signin.failed", actor=username[:64] or "-", details={"reason": reason}, settings=settings)
        message = "Too many failed sign-ins; try again in 15 minutes." if locked else "Wrong username or password."
        raise NotPermitted(message)
    audit.record("signin.ok", actor=username, settings=settings)
    return result


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def list_users(settings: Settings | None = None) -> list[UserPublic]:
    with session_scope(settings) as session:
        return [_public(u) for u in session.exec(select(User).order_by(col(User.username)))]


def update_user(username: str, *, actor: str, role: str | None = None, active: bool | None = None,
                password: str | None = None, settings: Settings | None = None) -> UserPublic:
    with session_scope(settings) as session:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None:
            raise NotFound(f"no user named {username!r}")
        _check(user.username, role or user.role, password)
        if username == actor and ((role and role != user.role) or active is False):
            raise InvalidInput("you cannot change your own role or deactivate yourself")
        changes = {}
        if role and role != user.role:
            changes["role"], user.role = role, role
        if active is not None and active != user.active:
            changes["active"], user.active = active, active
        if password:
            user.password_hash, changes["password"] = _hasher.hash(password), "changed"
            user.failed_attempts, user.locked_until = 0, None
        session.add(user)
        result = _public(user)
    if changes:
        audit.record("user.updated", actor=actor, target=username, details=changes, settings=settings)
    return result


__all__ = ["MIN_PASSWORD_LENGTH", "UserPublic", "authenticate", "count_users", "create_user", "list_users",
           "update_user", "utcnow"]
