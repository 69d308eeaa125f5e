"""Settings: every setting documented; production refuses a missing secret."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.config import PROJECT_ROOT, SETTING_DOCS, Settings, get_settings


def test_every_setting_is_documented_in_code_and_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert name in SETTING_DOCS, name
        assert f"CAREOPS_{name.upper()}" in readme, name


def test_production_refuses_a_missing_encryption_key(monkeypatch):
    monkeypatch.setenv("CAREOPS_ENV", "production")
    monkeypatch.delenv("CAREOPS_ENCRYPTION_KEY", raising=False)
    with pytest.raises(ValidationError, match="CAREOPS_ENCRYPTION_KEY"):
        Settings()


def test_settings_follow_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CAREOPS_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    assert get_settings().data_dir == tmp_path
    assert get_settings().effective_database_url == f"sqlite:///{tmp_path / 'careops.db'}"
