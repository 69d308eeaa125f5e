"""One Settings object for the whole project, read from CAREOPS_* environment variables and the
secrets file (.streamlit/secrets.toml).

Settings reads the secrets file itself, so every entry point (console, command line, API) sees the
same configuration: before, only Streamlit read it, and `python -m core users add` created the first
admin in the local SQLite file while the console used the database named there. Environment
variables win over the file. Built through the cached `get_settings()` so tests can point
CAREOPS_DATA_DIR at tmp_path and call `get_settings.cache_clear()`; nothing reads the environment
anywhere else.
"""

from __future__ import annotations

import base64
import binascii
import os
import sys
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PREFIX = "CAREOPS_"
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"
# Names another secrets file (a mounted secret in a container); empty means none (tests use this so a
# developer's own secrets.toml is never read). Not a setting itself: it says where settings come from.
SECRETS_FILE_VARIABLE = "CAREOPS_SECRETS_FILE"

# Documentation of every setting; a test checks that each field is described here and in README.
SETTING_DOCS: dict[str, str] = {
    "data_dir": "Local state: SQLite databases, MLflow store, keys, models unless MODELS_DIR (default data/).",
    "models_dir": "Trained model files (default DATA_DIR/models; the container keeps them in the image).",
    "reports_dir": "Generated reports such as drift reports (default reports/).",
    "scenarios_dir": "Scenario YAML files (default scenarios/).",
    "database_url": "SQLAlchemy URL of the database; default a SQLite file in DATA_DIR; required in production.",
    "redis_url": "Redis URL for the session store; unset means an in-process store.",
    "mlflow_uri": "MLflow tracking/registry URI; default a local store in DATA_DIR.",
    "encryption_key": "Key for encryption at rest, or several comma-separated, newest first (rotation); required in production.",
    "retention_days": "Days a logged turn is kept before `python -m core retention run` deletes it (default 90).",
    "log_turns": "0 turns the interaction log off (anonymous counters included); consented turns are kept redacted and encrypted.",
    "env": "development or production; production refuses missing secrets.",
    "public_chat": "1 lets the public open the chat page without an account.",
    "session_ttl_seconds": "How long an idle conversation is kept in the session store.",
    "console_idle_minutes": "A console sign-in expires after this many minutes without activity.",
    "champion_check_seconds": "How often a running assistant asks the registry for a new champion (0: never).",
    "double_label_share": "Share of logged turns (0-1, chosen by a hash of the turn id) that two reviewers label, for Cohen's kappa (default 0.10).",
    "approvals_required": "Reviewer approvals a model version needs to become champion (2: two different reviewers).",
    "gates_file": "The quality bars every new model version is held to (default core/mlops/gates.yaml); each version is tagged with the file's SHA-256.",
}

# What production refuses to start without, and why (the reason is part of the error message).
PRODUCTION_SECRETS: dict[str, str] = {
    "encryption_key": "the key that encrypts stored feedback and turns; without it a new key file would "
    "be made and everything stored before could not be read",
    "database_url": "the database; without it a SQLite file inside the container would be used and "
    "lost with the container",
}


class SettingsError(ValueError):
    """A configuration problem found at start-up; the message names the file or variable to fix."""


def secrets_file() -> Path | None:
    """The secrets file to read: CAREOPS_SECRETS_FILE when set ('' for none), else .streamlit/secrets.toml."""
    named = os.environ.get(SECRETS_FILE_VARIABLE)
    if named is None:
        return SECRETS_FILE
    return Path(named).expanduser() if named.strip() else None


def read_secrets_file(path: Path | None, fields: set[str], *, required: bool = False) -> dict[str, Any]:
    """The CAREOPS_* entries of a secrets file, keyed by field name. Other keys and tables belong to
    other tools and are left alone; an unknown CAREOPS_* key is a typo and is refused, since a
    misspelt CAREOPS_DATABASE_URL would otherwise fall back to the local SQLite file unnoticed."""
    if path is None:
        return {}
    if not path.is_file():
        if required:
            raise SettingsError(f"{SECRETS_FILE_VARIABLE} names {path}, which is not a file")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(
            f"the secrets file {path} is not valid TOML ({exc}); fix or remove it "
            "(the format is in .streamlit/secrets.example.toml)"
        ) from None
    except OSError as exc:
        raise SettingsError(f"the secrets file {path} could not be read: {exc.strerror}") from None
    values: dict[str, Any] = {}
    for key, value in data.items():
        if not key.upper().startswith(PREFIX):
            continue
        name = key[len(PREFIX):].lower()
        if name not in fields:
            known = ", ".join(PREFIX + f.upper() for f in sorted(fields))
            raise SettingsError(f"the secrets file {path} sets {key}, which is not a setting (known: {known})")
        if isinstance(value, dict | list):
            raise SettingsError(f"the secrets file {path} sets {key} to a table or list; it takes one value")
        values[name] = value
    return values


class SecretsFileSource(PydanticBaseSettingsSource):
    """The secrets file as a pydantic-settings source, below the environment in priority."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)
        path = secrets_file()
        required = bool(os.environ.get(SECRETS_FILE_VARIABLE, "").strip())
        self.values = read_secrets_file(path, set(settings_cls.model_fields), required=required)

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self.values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self.values)


def is_fernet_key(key: str) -> bool:
    """A Fernet key is 32 bytes in url-safe base64; checked here so production fails at start-up,
    not at the first stored turn."""
    try:
        return len(base64.urlsafe_b64decode(key.encode())) == 32
    except (binascii.Error, ValueError):
        return False


class Settings(BaseSettings):
    # hide_input_in_errors: a refused value may be a secret (a key, a URL with a password); the
    # error names the setting, never its value.
    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", hide_input_in_errors=True)

    data_dir: Path = PROJECT_ROOT / "data"
    models_dir: Path | None = None  # always a Path once built: DATA_DIR/models unless set
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
    approvals_required: int = Field(default=1, ge=1, le=5)
    champion_check_seconds: int = Field(default=30, ge=0, le=24 * 3600)
    retention_days: int = Field(default=90, ge=1, le=3650)
    log_turns: bool = True
    double_label_share: float = Field(default=0.10, ge=0.0, le=1.0)
    gates_file: Path | None = None  # None: core/mlops/gates.yaml (core/mlops/gates.bars_file)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then environment variables, then the secrets file: the environment wins, so
        one run can override what the file says."""
        return init_settings, env_settings, SecretsFileSource(settings_cls)

    @model_validator(mode="after")
    def _models_under_data_dir_by_default(self) -> Settings:
        if self.models_dir is None:
            self.models_dir = self.data_dir / "models"
        return self

    @model_validator(mode="after")
    def _refuse_missing_secrets_in_production(self) -> Settings:
        if self.env != "production":
            return self
        missing = [f"{PREFIX}{name.upper()} ({why})" for name, why in PRODUCTION_SECRETS.items()
                   if not (getattr(self, name) or "").strip()]
        if missing:
            raise ValueError(
                f"{PREFIX}ENV=production refuses to start without " + "; and ".join(missing)
                + f". Set each as an environment variable or in the secrets file ({SECRETS_FILE_VARIABLE}); "
                "no default secret is ever used in production."
            )
        if not all(is_fernet_key(k.strip()) for k in (self.encryption_key or "").split(",")):
            raise ValueError(
                f"{PREFIX}ENCRYPTION_KEY is not a valid key, or a comma-separated list of keys newest first "
                "(each 32 url-safe base64 bytes); generate one with: "
                "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
            )
        return self

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'careops.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def describe_error(exc: SettingsError | ValidationError) -> str:
    """One line per problem, naming the setting; never the refused value (it may be a secret)."""
    if isinstance(exc, SettingsError):
        return str(exc)
    lines = []
    for error in exc.errors():
        message = error["msg"].removeprefix("Value error, ")
        field = ".".join(str(part) for part in error["loc"])
        lines.append(f"{PREFIX}{field.upper()}: {message}" if field else message)
    return "\n".join(lines)


def main() -> int:
    """`python -m core.config`: the container's start-up check, so a missing production secret stops
    the container with a clear message instead of a server that fails on its first page."""
    try:
        settings = Settings()
    except (SettingsError, ValidationError) as exc:
        print(f"error: {describe_error(exc)}", file=sys.stderr)
        return 2
    print(f"settings ok ({settings.env})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
