"""One Settings object for the whole project, read from CAREOPS_* environment variables.

Built through the cached `get_settings()` so tests can point CAREOPS_DATA_DIR at tmp_path and call
`get_settings.cache_clear()`; nothing reads the environment anywhere else.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Documentation of every setting; a test checks that each field is described here and in README.
SETTING_DOCS: dict[str, str] = {
    "data_dir": "Local state: SQLite databases, model files, MLflow store, keys (default data/).",
    "reports_dir": "Generated reports such as drift reports (default reports/).",
    "scenarios_dir": "Scenario YAML files (default scenarios/).",
    "database_url": "SQLAlchemy URL of the database; default a SQLite file in DATA_DIR.",
    "redis_url": "Redis URL for the session store; unset means an in-process store.",
    "mlflow_uri": "MLflow tracking/registry URI; default a local store in DATA_DIR.",
    "encryption_key": "Key for encryption at rest; required in production.",
    "env": "development or production; production refuses missing secrets.",
    "public_chat": "1 lets the public open the chat page without an account.",
    "session_ttl_seconds": "How long an idle conversation is kept in the session store.",
    "console_idle_minutes": "A console sign-in expires after this many minutes without activity.",
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAREOPS_", extra="ignore")

    data_dir: Path = PROJECT_ROOT / "data"
    reports_dir: Path = PROJECT_ROOT / "reports"
    scenarios_dir: Path = PROJECT_ROOT / "scenarios"
    database_url: str | None = None
    redis_url: str | None = None
    mlflow_uri: str | None = None
    encryption_key: str | None = None
    env: Literal["development", "production"] = "development"
    public_chat: bool = False
    session_ttl_seconds: int = Field(default=6 * 3600, ge=60)
    console_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)

    @model_validator(mode="after")
    def _refuse_missing_secrets_in_production(self) -> Settings:
        if self.env == "production" and not self.encryption_key:
            raise ValueError(
                "CAREOPS_ENCRYPTION_KEY must be set when CAREOPS_ENV=production "
                "(no default secret is ever used in production)."
            )
        return self

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'careops.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
