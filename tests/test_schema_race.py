"""A fresh database opened by several processes at once: every one of them starts, none fails with
"table already exists" (issue 15)."""

from __future__ import annotations

import pytest
from database_fixtures import fresh_postgres, race
from sqlalchemy import inspect

from core.config import Settings
from core.store.engine import get_engine

PROCESSES = 4
ROUNDS = 3  # a race can be lost by luck once; three fresh databases in a row make a pass meaningful
OPEN_THE_DATABASE = ("from core.store.engine import get_engine", "get_engine()")


def _all_started(results: list[tuple[int, str, str]]) -> None:
    failures = [next((line for line in reversed(err.splitlines()) if "Error" in line), err[-300:])
                for code, _, err in results if code != 0]
    assert not failures, failures


def _has_every_table(settings: Settings) -> None:
    from sqlmodel import SQLModel

    names = set(inspect(get_engine(settings)).get_table_names())
    assert set(SQLModel.metadata.tables) <= names


def test_processes_creating_the_schema_of_a_fresh_sqlite_file_all_succeed(tmp_path):
    for round_ in range(ROUNDS):
        settings = Settings(data_dir=tmp_path / f"round{round_}")
        _all_started(race(*OPEN_THE_DATABASE, PROCESSES, settings))
        _has_every_table(settings)


@pytest.mark.postgres
def test_processes_creating_the_schema_of_a_fresh_postgres_database_all_succeed(tmp_path):
    for _ in range(ROUNDS):
        with fresh_postgres(tmp_path) as settings:
            _all_started(race(*OPEN_THE_DATABASE, PROCESSES, settings))
            _has_every_table(settings)
