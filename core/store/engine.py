"""The one database engine factory: a SQLite file in DATA_DIR by default, PostgreSQL (or any
SQLAlchemy URL) when CAREOPS_DATABASE_URL is set. Same code path; only the URL differs.

Several processes share one database (console, API, CLI, training), so writes that read before
they write are serialised in the database, not with a lock of this process: on SQLite every
session_scope transaction is BEGIN IMMEDIATE (one writer at a time, waiting its turn); on
PostgreSQL a named write lock is a transaction-scoped advisory lock."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, SQLModel, create_engine

from core.config import Settings, get_settings

_engines: dict[str, Engine] = {}
_lock = threading.Lock()
_BEGIN = "careops_sqlite_begin"  # execution option: the BEGIN statement a SQLite transaction starts with


def get_engine(settings: Settings | None = None) -> Engine:
    """One engine per database URL per process, with the tables created on first use."""
    url = (settings or get_settings()).effective_database_url
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = _create(url)
        return engine


def _create(url: str) -> Engine:
    from core.store import tables  # noqa: F401  (registers the tables on SQLModel.metadata)

    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _own_sqlite_transactions(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    _create_schema(engine)
    return engine


def _own_sqlite_transactions(engine: Engine) -> None:
    """pysqlite begins transactions late (at the first write) and never as IMMEDIATE, so a read
    followed by a write can interleave with another process. Here the driver does no transaction
    handling and every transaction starts with the BEGIN its connection asks for (SQLAlchemy docs,
    "Serializable isolation / Savepoints / Transactional DDL" for pysqlite)."""

    @event.listens_for(engine, "connect")
    def _connect(connection, _record) -> None:
        connection.isolation_level = None
        cursor = connection.cursor()
        _set_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get(_BEGIN, "BEGIN"))


def _set_wal(cursor, seconds: float = 30.0) -> None:
    """Switching a fresh file to WAL needs the database to itself for a moment, and SQLite can answer
    "database is locked" at once, without its busy timeout, while another process is creating the
    same file: try again until the connection's own timeout."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _create_schema(engine: Engine) -> None:
    """Create missing tables in one serialised transaction, so processes starting together on a
    fresh database do not both try to create the same table."""
    with engine.connect() as conn:
        conn.execution_options(**{_BEGIN: "BEGIN IMMEDIATE"})
        with conn.begin():
            take_lock(conn, "schema")
            SQLModel.metadata.create_all(conn)


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"careops:{name}".encode()).digest()[:8], "big", signed=True)


def take_lock(conn: Connection | Session, name: str) -> None:
    """Hold the named write lock until the transaction ends. PostgreSQL: an advisory lock (other
    writers of the same name wait). SQLite: the IMMEDIATE transaction already holds the database's
    one write lock, so there is nothing more to take."""
    bind = conn.get_bind() if isinstance(conn, Session) else conn
    if bind.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(name)})


@contextmanager
def session_scope(settings: Settings | None = None, *, lock: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error: nothing is half-written.
    On SQLite the transaction holds the write lock from its start, so what it reads is still true
    when it writes; `lock` names a write lock to take first on PostgreSQL too."""
    with Session(get_engine(settings), expire_on_commit=False) as session:
        try:
            session.connection(execution_options={_BEGIN: "BEGIN IMMEDIATE"})
            if lock:
                take_lock(session, lock)
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


@contextmanager
def read_scope(settings: Settings | None = None) -> Iterator[Session]:
    """For reads only: a plain (deferred) transaction, so readers never wait for a writer."""
    with Session(get_engine(settings), expire_on_commit=False) as session:
        yield session  # closing returns the connection, which ends the transaction
