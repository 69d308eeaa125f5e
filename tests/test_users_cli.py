"""`python -m core users`: the first-admin hint, creating a user with the password from stdin, and
refusing a weak password with nothing created."""

from __future__ import annotations

from conftest import run_cli

from core.auth.users import list_users
from core.config import Settings


def test_first_admin_hint_then_add_then_list(tmp_path):
    settings = Settings(data_dir=tmp_path, scenarios_dir=tmp_path, reports_dir=tmp_path)
    hint = run_cli(settings, "users", "hint")
    assert hint.returncode == 0 and "users add YOUR_NAME --role admin" in hint.stdout
    added = run_cli(settings, "users", "add", "Alice", "--role", "admin", stdin="a-long-test-password-1\n")
    assert added.returncode == 0, added.stderr
    assert "created alice (admin)" in added.stdout
    assert [(u.username, u.role) for u in list_users(settings)] == [("alice", "admin")]
    assert run_cli(settings, "users", "hint").stdout == ""
    assert "alice" in run_cli(settings, "users", "list").stdout


def test_weak_password_is_refused_and_nothing_is_created(tmp_path):
    settings = Settings(data_dir=tmp_path, scenarios_dir=tmp_path, reports_dir=tmp_path)
    result = run_cli(settings, "users", "add", "bob", "--role", "reviewer", stdin="short\n")
    assert result.returncode == 2 and "at least 12 characters" in result.stderr
    assert list_users(settings) == []


def test_unknown_role_is_refused(tmp_path):
    settings = Settings(data_dir=tmp_path, scenarios_dir=tmp_path, reports_dir=tmp_path)
    result = run_cli(settings, "users", "add", "carl", "--role", "superuser", stdin="a-long-test-password-1\n")
    assert result.returncode == 2
