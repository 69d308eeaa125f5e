"""Shared by the store tests: a fresh PostgreSQL database of a test's own, and several Python
processes started together, so that races between processes really happen in the tests."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from core.config import PROJECT_ROOT, Settings

ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


def forget_engines(fragment: str) -> None:
    """Close this process's engines for a database about to be dropped."""
    from core.store import engine as engines

    for url, engine in list(engines._engines.items()):
        if fragment in url:
            engine.dispose()
            del engines._engines[url]


@contextmanager
def fresh_postgres(tmp_path: Path, *, timezone: str | None = None) -> Iterator[Settings]:
    """A new, empty database (optionally with a server-side default TimeZone), dropped afterwards."""
    name = f"careops_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        if timezone:
            conn.execute(f"ALTER DATABASE \"{name}\" SET timezone TO '{timezone}'")
    try:
        yield Settings(data_dir=tmp_path, database_url=f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    finally:
        forget_engines(name)
        with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def race(setup: str, body: str, count: int, settings: Settings, timeout: int = 240) -> list[tuple[int, str, str]]:
    """Run `count` Python processes: each runs `setup`, says it is ready, and runs `body` only once
    every process is ready, so the bodies overlap. WORKER (0..count-1) is set in each. Returns
    (exit code, stdout, stderr) per process."""
    script = f"import os, sys\nWORKER = int(os.environ['WORKER'])\n{setup}\nprint('ready', flush=True)\nsys.stdin.readline()\n{body}\n"
    base = {**os.environ, "CAREOPS_DATA_DIR": str(settings.data_dir), "CAREOPS_SCENARIOS_DIR": str(settings.scenarios_dir),
            "PYTHONPATH": str(PROJECT_ROOT)}
    if settings.database_url:
        base["CAREOPS_DATABASE_URL"] = settings.database_url
    procs = [subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT_ROOT, env={**base, "WORKER": str(i)},
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(count)]
    try:
        for proc in procs:
            line = proc.stdout.readline()
            assert line.strip() == "ready", proc.communicate(timeout=timeout)[1]
        for proc in procs:
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=timeout)
            results.append((proc.returncode, out, err))
        return results
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
