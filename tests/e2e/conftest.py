"""Fixtures for the real-browser tests: the console running as a subprocess on the trained data copy,
and Debian's Chromium driven by Playwright (no `playwright install`: the browser comes from apt)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port, settings_env

from core.config import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
AXE_JS = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
REPORTS = PROJECT_ROOT / "reports"
FIRST_PAINT = REPORTS / "console-first-paint.json"
# Filled by the console fixture: seconds from `streamlit run` to a healthy server (no script run yet,
# so the models are not loaded: the first browser request meets a cold console).
STARTUP: dict[str, float] = {}
USERNAME, PASSWORD = "e2e-caregiver", "a-long-test-password-1"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the console exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    pytest.fail(f"the console did not answer {url} within {timeout}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def caregiver(trained) -> tuple[str, str]:
    """A caregiver account in the trained data copy (created once per module)."""
    from core.auth.users import create_user

    create_user(USERNAME, PASSWORD, "caregiver", actor="test", settings=trained)
    return USERNAME, PASSWORD


@pytest.fixture(scope="module")
def console(trained, caregiver, tmp_path_factory):
    """`streamlit run app.py` on a free port, over the trained data copy; yields its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("console") / "streamlit.log"
    env = settings_env(trained) | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             # No file watcher: other people's edits during the run must not change the app under test
             # (and watching .venv/node_modules overflows inotify).
             "--server.fileWatcherType", "none"],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        _wait_healthy(f"{base}/_stcore/health", proc, log)
        STARTUP["server_healthy_s"] = round(time.monotonic() - started, 2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        # Shown by pytest only when the test fails: the console's own errors.
        print(f"--- console log ({log}), last lines ---\n{log.read_text()[-6000:]}")


@pytest.fixture
def browser_context(tmp_path):
    """A Chromium with a fresh profile, desktop-sized, accepting downloads."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium")
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run `npm install` in the project folder")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)  # a loaded machine (training in parallel) can be slow to rerun
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
            headless=True, viewport=DESKTOP, accept_downloads=True, downloads_path=str(tmp_path / "downloads"),
        )
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()
