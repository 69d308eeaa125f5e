"""`python -m core models`: the terminal does what the Models page does, with the same checks: the
acting --user's role is read from the database; one-line errors, exit 2 for bad input and 1 for a
refused action."""

from __future__ import annotations

import pytest
from conftest import run_cli
from model_versions import tiny_version

from core.auth.users import create_user
from core.config import Settings
from core.store import registry

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def settings(tmp_path) -> Settings:
    settings = Settings(data_dir=tmp_path / "data", scenarios_dir=tmp_path, reports_dir=tmp_path)
    create_user("rita", PASSWORD, "reviewer", actor="test", settings=settings)
    create_user("cara", PASSWORD, "caregiver", actor="test", settings=settings)
    return settings


def test_list_show_approve_and_rollback_from_the_terminal(settings):
    first, second = tiny_version(settings, "crisis"), tiny_version(settings, "crisis")
    approved = run_cli(settings, "models", "approve", str(first.version), "--kind", "crisis", "--user", "rita",
                       "--note", "card read")
    assert approved.returncode == 0, approved.stderr
    assert "approved care-crisis version 1 (1/1): now champion" in approved.stdout
    assert run_cli(settings, "models", "approve", "2", "--kind", "crisis", "--user", "rita", "--note", "ok").returncode == 0
    listed = run_cli(settings, "models", "list", "--kind", "crisis")
    assert listed.returncode == 0 and "== care-crisis" in listed.stdout
    lines = {line.split()[0]: line for line in listed.stdout.splitlines()[2:]}
    assert "champion" in lines[str(second.version)] and "superseded" in lines[str(first.version)]
    assert "rita" in lines[str(first.version)]
    shown = run_cli(settings, "models", "show", "2", "--kind", "crisis")
    assert shown.returncode == 0 and '"reviewer": "rita"' in shown.stdout and '"gates": "passed"' in shown.stdout
    back = run_cli(settings, "models", "rollback", "1", "--kind", "crisis", "--user", "rita")
    assert back.returncode == 0 and "champion is version 1 again (was 2)" in back.stdout
    assert registry.champion("crisis", settings).version == 1


def test_refused_actions_exit_1_with_one_line(settings):
    failing = tiny_version(settings, "intent", passes=False)
    refused = run_cli(settings, "models", "approve", str(failing.version), "--kind", "intent", "--user", "rita",
                      "--note", "looks fine")
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: care-intent version 1 cannot be approved") and "Traceback" not in refused.stderr
    assert "intent_accuracy: golden: accuracy = 0.5000 (bar >= 0.9)" in refused.stderr
    caregiver = run_cli(settings, "models", "reject", "1", "--kind", "intent", "--user", "cara", "--note", "no")
    assert caregiver.returncode == 1 and "Not permitted" in caregiver.stderr
    assert registry.get_version("intent", 1, settings).status == "candidate"


@pytest.mark.parametrize("args, message", [
    (("approve", "1", "--kind", "intent", "--user", "rita"), "a note is required"),
    (("approve", "1", "--kind", "intent", "--note", "ok"), "--user NAME is required"),
    (("show", "1"), "--kind intent|crisis is required"),
    (("compare", "1", "--kind", "intent"), "takes 2 version number(s)"),
    (("show", "9", "--kind", "intent"), "care-intent has no version 9"),
    (("show", "latest", "--kind", "intent"), "a version is a positive number"),
])
def test_bad_input_exits_2_and_says_what_is_wrong(settings, args, message):
    tiny_version(settings, "intent")
    result = run_cli(settings, "models", *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert registry.champion("intent", settings) is None
