"""Users: creation, sign-in with rate limiting, role changes, and the access check every console
page run makes. Passwords are hashed with argon2; the hash never leaves this module (UserPublic
carries no hash)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import case, col, func, select, update

from core import audit
from core.auth.permissions import PUBLIC, ROLES, allowed
from core.config import Settings, get_settings
from core.errors import InvalidInput, NotFound, NotPermitted
from core.store.engine import session_scope
from core.store.tables import User, utcnow

MIN_PASSWORD_LENGTH = 12
MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
# One answer for every failed sign-in (wrong name, wrong password, inactive, locked), so the answer
# never tells which user names exist; it still says that repeated failures lock an account.
SIGN_IN_FAILED = ("Wrong username or password. Too many failed sign-ins lock an account for "
                  f"{int(LOCKOUT.total_seconds() // 60)} minutes.")
NOT_PERMITTED = "Not permitted. Your account does not have access to this page."
# What the audit log stores as the actor of a failed sign-in with a name that is no account's:
# people type passwords into the user-name box, and the log must not keep them.
UNKNOWN_USER = "(unknown user)"
# Names that mean "no account" in the console and the audit log, so no account may take them.
RESERVED_NAMES = frozenset({PUBLIC, "anonymous"})
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
    elif username in RESERVED_NAMES:
        problems.append(f"username: {username!r} is reserved")
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
                _count_failure(session, user.id, now)
    if result is None:
        reason = "locked" if locked else ("unknown_user" if user is None else ("inactive" if not user.active else "bad_password"))
        actor = user.username if user is not None else UNKNOWN_USER
        audit.record("signin.failed", actor=actor, details={"reason": reason}, settings=settings)
        raise NotPermitted(SIGN_IN_FAILED)
    audit.record("signin.ok", actor=username, settings=settings)
    return result


def _count_failure(session, user_id: int, now: datetime) -> None:
    """One UPDATE counts the failure in the database (failed_attempts + 1) and sets the lock when
    the count reaches the limit: a read-then-write in Python would let concurrent failures
    overwrite each other's count. Both CASEs see the row as it was before this statement."""
    reached = User.failed_attempts + 1 >= MAX_FAILED_ATTEMPTS
    session.exec(
        update(User).where(User.id == user_id).values(
            failed_attempts=case((reached, 0), else_=User.failed_attempts + 1),
            locked_until=case((reached, now + LOCKOUT), else_=User.locked_until),
        ).execution_options(synchronize_session=False)
    )


def _aware(moment: datetime) -> datetime:
    """The columns are SQLModel's UTCDateTime (zoned, UTC on reading); a row written around it
    without a zone is UTC too. Comparing zoned with zoned keeps the lockout exact whatever the
    server's or the session's time zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _public_pseudo_user() -> UserPublic:
    """Someone using the public chat without an account: never looked up by name."""
    return UserPublic(PUBLIC, PUBLIC, True, datetime.now(UTC), None)


def current_account(username: str, settings: Settings | None = None) -> UserPublic | None:
    """The account as the database has it now, or None when it is inactive or gone. Read on every
    console page run (one indexed lookup), so an admin's change takes effect at the next click."""
    with session_scope(settings) as session:
        user = session.exec(select(User).where(User.username == username)).first()
        return _public(user) if user is not None and user.active else None


def authorize(username: str | None, permission: str, *, target: str, settings: Settings | None = None) -> UserPublic:
    """The one access check: return the account if it may use `permission` now, else raise
    NotPermitted (audited). The role and the active flag come from the database, never from what
    the caller remembers. No username means someone without an account: they may use what the
    public role allows, and only while public chat is switched on."""
    settings = settings or get_settings()
    if username is None:
        account = _public_pseudo_user() if settings.public_chat else None
    else:
        account = current_account(username, settings)
    if account is None or not allowed(account.role, permission):
        audit.record("page.forbidden", actor=username or ("public" if settings.public_chat else "anonymous"),
                     target=target, details={"permission": permission, "role": account.role if account else None},
                     settings=settings)
        raise NotPermitted(NOT_PERMITTED)
    return account


@dataclass(frozen=True)
class SessionCheck:
    """The start of every console page run: whose session this is now, or why it must end
    ("idle", "account_inactive", "public_chat_off")."""

    account: UserPublic | None
    ended: str | None = None


def check_session(username: str | None, last_active: datetime, *, settings: Settings | None = None) -> SessionCheck:
    """Idle minutes end every session, the public pseudo-user's (username None) too, so a shared
    screen does not keep the last visitor's conversation; an account is re-read from the
    database, so a deactivation or a role change applies at the next click."""
    settings = settings or get_settings()
    if datetime.now(UTC) - _aware(last_active) > timedelta(minutes=settings.console_idle_minutes):
        return SessionCheck(None, "idle")
    if username is None:
        return SessionCheck(_public_pseudo_user()) if settings.public_chat else SessionCheck(None, "public_chat_off")
    account = current_account(username, settings)
    return SessionCheck(account) if account is not None else SessionCheck(None, "account_inactive")


def record_sign_out(username: str, *, reason: str, settings: Settings | None = None) -> None:
    """Audit the end of a console sign-in: by the user, after idle minutes, or because the
    account was deactivated or removed meanwhile."""
    audit.record("signout", actor=username, details={"reason": reason}, settings=settings)


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


__all__ = ["MIN_PASSWORD_LENGTH", "NOT_PERMITTED", "SIGN_IN_FAILED", "UNKNOWN_USER", "SessionCheck", "UserPublic",
           "authenticate", "authorize", "check_session", "count_users", "create_user", "current_account", "list_users",
           "record_sign_out", "update_user", "utcnow"]
