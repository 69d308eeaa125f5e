"""Shared fixtures. Every test works on a copy of the data in tmp_path, never on a developer's data/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.config import PROJECT_ROOT, Settings, get_settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def copy_project_data(target: Path) -> Settings:
    """A private copy of the shipped data and scenarios, and Settings that point at it."""
    data = target / "data"
    for part in ("training", "intent", "golden", "public", "real", "risk", "redteam"):
        shutil.copytree(PROJECT_ROOT / "data" / part, data / part)
    shutil.copytree(PROJECT_ROOT / "scenarios", target / "scenarios")
    (target / "reports").mkdir()
    return Settings(data_dir=data, scenarios_dir=target / "scenarios", reports_dir=target / "reports")


def settings_env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "CAREOPS_DATA_DIR": str(settings.data_dir),
        "CAREOPS_SCENARIOS_DIR": str(settings.scenarios_dir),
        "CAREOPS_REPORTS_DIR": str(settings.reports_dir),
        "PYTHONPATH": str(PROJECT_ROOT),
    }


def run_cli(settings: Settings, *args: str, stdin: str | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core", *args], cwd=PROJECT_ROOT, env=settings_env(settings), input=stdin,
        capture_output=True, text=True, timeout=timeout,
    )


def _outer_settings_variables() -> list[str]:
    """Every CAREOPS_* variable but the test suite's own (CAREOPS_TEST_*): any of them could point a
    test at a developer's database, Redis, MLflow server, models or secrets file."""
    return [name for name in os.environ if name.upper().startswith("CAREOPS_") and not name.upper().startswith("CAREOPS_TEST_")]


def _clear_outer_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _outer_settings_variables():
        monkeypatch.delenv(name)
    monkeypatch.setenv("CAREOPS_SECRETS_FILE", "")  # empty: no secrets file, not even .streamlit/secrets.toml


@pytest.fixture(scope="session", autouse=True)
def _no_outer_settings():
    """Session-wide, so it runs before every other fixture (the trained models included) and reaches
    every subprocess a test starts: the developer's settings and secrets file are never seen."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        _clear_outer_settings(monkeypatch)
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _isolated_settings(_no_outer_settings, tmp_path, monkeypatch):
    """No test reads or writes the developer's data/, database, Redis or secrets through Settings:
    everything not pointed at tmp_path is unset (a test that wants a service sets its URL itself)."""
    _clear_outer_settings(monkeypatch)
    monkeypatch.setenv("CAREOPS_DATA_DIR", str(tmp_path / "isolated-data"))
    monkeypatch.setenv("CAREOPS_REPORTS_DIR", str(tmp_path / "isolated-reports"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def trained(tmp_path_factory) -> Settings:
    """A copy of the data, trained once through the real command line (`python -m core train`).
    Registered nowhere (`--no-register`): registration and assessment are tested on these files by
    tests/test_lifecycle.py and the data loop, each in a registry of its own; assessing them here too
    would add minutes to every run and be read by no test."""
    settings = copy_project_data(tmp_path_factory.mktemp("trained"))
    reuse = os.environ.get("CAREOPS_TEST_MODELS_FROM")  # local iteration only: CI always trains
    if reuse:
        shutil.copytree(reuse, settings.models_dir)
        return settings
    result = run_cli(settings, "train", "--no-register", timeout=4200)
    assert result.returncode == 0, result.stderr + result.stdout
    return settings


@pytest.fixture(scope="session")
def assistant_factory(trained):
    from core.dialogue.factory import build_assistant

    def make():
        return build_assistant(trained, require_models=True)

    return make


@pytest.fixture(scope="session")
def assistant(assistant_factory):
    return assistant_factory()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of this test's own on 127.0.0.1, so a test can stop it mid-conversation
    without disturbing the shared one."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed: `make test` installs it")
    port = free_port()
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(50):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    yield proc, f"redis://127.0.0.1:{port}/0"
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)


def pytest_collection_modifyitems(items):
    """A test that needs the trained models is slow, whether or not its file says so (`-m "not slow"`
    then never starts a training)."""
    for item in items:
        if {"trained", "assistant", "assistant_factory"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
