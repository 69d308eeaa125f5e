"""Settings: every setting documented; the secrets file read for every entry point, below the
environment; production refuses missing secrets; tests never see a developer's settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import settings_env
from cryptography.fernet import Fernet
from database_fixtures import fresh_postgres
from pydantic import ValidationError

from core.config import PROJECT_ROOT, SECRETS_FILE, SETTING_DOCS, Settings, SettingsError, get_settings, secrets_file

ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


def write_secrets(monkeypatch, tmp_path: Path, text: str) -> Path:
    path = tmp_path / "secrets.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("CAREOPS_SECRETS_FILE", str(path))
    return path


def test_every_setting_is_documented_in_code_and_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert name in SETTING_DOCS, name
        assert f"CAREOPS_{name.upper()}" in readme, name


def test_settings_follow_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CAREOPS_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    assert get_settings().data_dir == tmp_path
    assert get_settings().effective_database_url == f"sqlite:///{tmp_path / 'careops.db'}"
    assert get_settings().models_dir == tmp_path / "models"


def test_models_can_live_apart_from_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("CAREOPS_MODELS_DIR", str(tmp_path / "image-models"))
    assert Settings(data_dir=tmp_path / "volume").models_dir == tmp_path / "image-models"


# ---- the secrets file ----------------------------------------------------------------------------
def test_the_default_secrets_file_is_the_streamlit_one(monkeypatch):
    monkeypatch.delenv("CAREOPS_SECRETS_FILE")
    assert secrets_file() == SECRETS_FILE == PROJECT_ROOT / ".streamlit" / "secrets.toml"


def test_settings_read_the_secrets_file_themselves(monkeypatch, tmp_path):
    write_secrets(monkeypatch, tmp_path, 'CAREOPS_DATABASE_URL = "sqlite:///elsewhere.db"\nCAREOPS_PUBLIC_CHAT = true\n')
    settings = Settings()
    assert settings.database_url == "sqlite:///elsewhere.db"
    assert settings.public_chat is True


def test_the_environment_wins_over_the_secrets_file(monkeypatch, tmp_path):
    write_secrets(monkeypatch, tmp_path, 'CAREOPS_DATABASE_URL = "sqlite:///from-file.db"\n'
                  'CAREOPS_REDIS_URL = "redis://127.0.0.1:6379/9"\n')
    monkeypatch.setenv("CAREOPS_DATABASE_URL", "sqlite:///from-env.db")
    settings = Settings()
    assert settings.database_url == "sqlite:///from-env.db"
    assert settings.redis_url == "redis://127.0.0.1:6379/9"
    assert Settings(database_url="sqlite:///from-code.db").database_url == "sqlite:///from-code.db"


def test_other_keys_and_tables_in_the_secrets_file_are_left_alone(monkeypatch, tmp_path):
    write_secrets(monkeypatch, tmp_path, 'OTHER_TOOL_TOKEN = "x"\n[connections.other]\nurl = "y"\n')
    assert Settings().database_url is None


@pytest.mark.parametrize(("text", "expected"), [
    ('CAREOPS_DATABASE_URL = "sqlite:///x.db\n', "is not valid TOML"),
    ("CAREOPS_DATABASE_URL postgresql://somewhere\n", "is not valid TOML"),
    ('CAREOPS_DATABSE_URL = "postgresql://somewhere"\n', "CAREOPS_DATABSE_URL, which is not a setting"),
    ('CAREOPS_DATABASE_URL = ["a", "b"]\n', "CAREOPS_DATABASE_URL to a table or list"),
])
def test_a_bad_secrets_file_is_a_clear_error_naming_the_file(monkeypatch, tmp_path, text, expected):
    path = write_secrets(monkeypatch, tmp_path, text)
    with pytest.raises(SettingsError, match=expected) as caught:
        Settings()
    assert str(path) in str(caught.value)


def test_a_named_secrets_file_that_is_missing_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("CAREOPS_SECRETS_FILE", str(tmp_path / "missing.toml"))
    with pytest.raises(SettingsError, match=r"missing\.toml, which is not a file"):
        Settings()


@pytest.fixture
def postgres_url(tmp_path):
    with fresh_postgres(tmp_path) as settings:
        yield settings.database_url


@pytest.mark.postgres
def test_the_command_line_creates_the_first_admin_in_the_database_the_secrets_file_names(tmp_path, postgres_url):
    """The reported bug: only Streamlit read secrets.toml, so `users add` wrote to the SQLite file."""
    from core.auth.users import list_users

    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'CAREOPS_DATABASE_URL = "{postgres_url}"\n', encoding="utf-8")
    local = Settings(data_dir=tmp_path / "data", scenarios_dir=tmp_path, reports_dir=tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "core", "users", "add", "Alice", "--role", "admin"], cwd=PROJECT_ROOT,
        env=settings_env(local) | {"CAREOPS_SECRETS_FILE": str(secrets)}, input="a-long-test-password-1\n",
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert [u.username for u in list_users(Settings(data_dir=tmp_path / "data", database_url=postgres_url))] == ["alice"]
    assert not (tmp_path / "data" / "careops.db").exists()


# ---- production ----------------------------------------------------------------------------------
def production(monkeypatch, **values: str) -> None:
    monkeypatch.setenv("CAREOPS_ENV", "production")
    for name, value in values.items():
        monkeypatch.setenv(f"CAREOPS_{name.upper()}", value)


def test_production_refuses_a_missing_encryption_key(monkeypatch):
    production(monkeypatch, database_url="postgresql+psycopg://careops@db/careops")
    with pytest.raises(ValidationError, match="refuses to start without CAREOPS_ENCRYPTION_KEY") as caught:
        Settings()
    assert "CAREOPS_DATABASE_URL" not in str(caught.value)


def test_production_refuses_a_missing_database_url(monkeypatch):
    """A production container must not fall back to a SQLite file that disappears with it."""
    production(monkeypatch, encryption_key=Fernet.generate_key().decode())
    with pytest.raises(ValidationError, match="refuses to start without CAREOPS_DATABASE_URL") as caught:
        Settings()
    assert "CAREOPS_ENCRYPTION_KEY" not in str(caught.value)


def test_production_names_every_missing_secret_at_once(monkeypatch):
    production(monkeypatch, database_url="  ")
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert "CAREOPS_ENCRYPTION_KEY" in str(caught.value) and "CAREOPS_DATABASE_URL" in str(caught.value)


def test_production_refuses_a_malformed_key_without_printing_it(monkeypatch):
    production(monkeypatch, encryption_key="not-a-real-key-7f3a", database_url="postgresql+psycopg://u:pw-9c1e@db/x")
    with pytest.raises(ValidationError, match="CAREOPS_ENCRYPTION_KEY is not a valid key") as caught:
        Settings()
    assert "not-a-real-key-7f3a" not in str(caught.value) and "pw-9c1e" not in str(caught.value)


def test_production_starts_with_its_secrets_from_the_secrets_file(monkeypatch, tmp_path):
    key = Fernet.generate_key().decode()
    write_secrets(monkeypatch, tmp_path, f'CAREOPS_ENCRYPTION_KEY = "{key}"\n'
                  'CAREOPS_DATABASE_URL = "postgresql+psycopg://careops@db/careops"\n')
    production(monkeypatch)
    settings = Settings()
    assert settings.env == "production" and settings.encryption_key == key


def test_development_needs_no_secrets(monkeypatch):
    monkeypatch.setenv("CAREOPS_ENV", "development")
    assert Settings().encryption_key is None


# ---- test isolation ------------------------------------------------------------------------------
PROBE = '''
import os
import subprocess
import sys

import pytest

from conftest import settings_env
from core.config import Settings, get_settings, secrets_file


@pytest.fixture(scope="session")
def seen_by_a_session_fixture():
    return {k: v for k, v in os.environ.items() if k.startswith("CAREOPS_")}


def test_the_fixture_settings_use_tmp_path(tmp_path, seen_by_a_session_fixture):
    settings = get_settings()
    assert settings.data_dir.is_relative_to(tmp_path)
    assert settings.models_dir.is_relative_to(tmp_path)
    assert settings.effective_database_url == f"sqlite:///{settings.data_dir / 'careops.db'}"
    assert settings.redis_url is None and settings.mlflow_uri is None and settings.encryption_key is None
    assert settings.env == "development" and settings.public_chat is False
    assert Settings(data_dir=tmp_path).effective_database_url == f"sqlite:///{tmp_path / 'careops.db'}"
    assert secrets_file() is None
    assert "CAREOPS_DATABASE_URL" not in seen_by_a_session_fixture
    assert "CAREOPS_SECRETS_FILE" in seen_by_a_session_fixture
    assert os.environ["CAREOPS_TEST_MODELS_FROM"] == "/kept/for/the/suite"


def test_a_command_line_run_by_a_test_sees_no_outer_setting(tmp_path):
    code = "from core.config import get_settings as g; s = g(); print(s.database_url, s.redis_url, s.models_dir)"
    env = settings_env(Settings(data_dir=tmp_path, scenarios_dir=tmp_path, reports_dir=tmp_path))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["None", "None", str(tmp_path / "models")]
'''


def test_tests_never_see_the_developers_settings_or_secrets(tmp_path):
    """Runs a small suite under tests/conftest.py in an environment that names a developer's
    database, Redis, MLflow, models, key and secrets file: none of them reaches a test."""
    secrets = tmp_path / "developer-secrets.toml"
    secrets.write_text('CAREOPS_DATABASE_URL = "postgresql+psycopg://dev@127.0.0.1:5432/developers_own"\n')
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    outer = {
        "CAREOPS_DATABASE_URL": "postgresql+psycopg://dev@127.0.0.1:5432/developers_own",
        "CAREOPS_REDIS_URL": "redis://127.0.0.1:6379/0",
        "CAREOPS_MLFLOW_URI": "http://127.0.0.1:5000",
        "CAREOPS_MODELS_DIR": "/home/dev/careops/models",
        "CAREOPS_SCENARIOS_DIR": "/home/dev/careops/scenarios",
        "CAREOPS_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "CAREOPS_PUBLIC_CHAT": "1",
        "CAREOPS_SECRETS_FILE": str(secrets),
        "CAREOPS_TEST_MODELS_FROM": "/kept/for/the/suite",
    }
    env = {k: v for k, v in settings_env(Settings()).items() if not k.startswith("CAREOPS_")} | outer
    env["PYTHONPATH"] = f"{PROJECT_ROOT / 'tests'}:{PROJECT_ROOT}"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
         str(tmp_path / "test_probe.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "2 passed" in result.stdout


def test_the_example_secrets_file_uncommented_is_a_valid_secrets_file(monkeypatch, tmp_path):
    example = (PROJECT_ROOT / ".streamlit" / "secrets.example.toml").read_text(encoding="utf-8")
    lines = [line.removeprefix("# ") for line in example.splitlines() if line.startswith("# CAREOPS_") and " = " in line]
    assert {line.split(" = ")[0] for line in lines} >= {"CAREOPS_ENCRYPTION_KEY", "CAREOPS_DATABASE_URL"}
    write_secrets(monkeypatch, tmp_path, "\n".join(lines) + "\n")
    assert Settings().database_url == "postgresql+psycopg://careops@127.0.0.1:5432/careops"


def test_the_command_line_reports_a_bad_setting_without_a_traceback(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREOPS_")}
    env.update({"CAREOPS_ENV": "production", "CAREOPS_SECRETS_FILE": "", "CAREOPS_DATA_DIR": str(tmp_path)})
    out = subprocess.run([sys.executable, "-m", "core", "users", "list"], cwd=PROJECT_ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and out.stderr.startswith("error: ") and "Traceback" not in out.stderr
    assert "CAREOPS_ENCRYPTION_KEY" in out.stderr
