"""Scenario versions: every save is a new version (who, when, why, diff) kept in the database, and
the file in scenarios/ is the current version. Rolling back saves an old version as a new one.

A save validates first; an invalid scenario is never written, and no version row is added."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from sqlmodel import col, select

from core import audit
from core.config import Settings, get_settings
from core.content.scenarios import ScenarioError, load_scenario, parse_scenario, write_scenario
from core.content.schema import Scenario
from core.errors import InvalidInput, NotFound
from core.store.engine import session_scope
from core.store.state import RETRAIN_NEEDED, set_state
from core.store.tables import ScenarioVersion

_VERSION_LINE = re.compile(r"^version:\s*\S+\s*$", re.M)


@dataclass(frozen=True)
class SaveResult:
    scenario: Scenario
    version: int
    diff: str
    examples_changed: bool


def current_text(intent: str, settings: Settings | None = None) -> str:
    path = (settings or get_settings()).scenarios_dir / f"{intent}.yaml"
    if not path.exists():
        raise NotFound(f"no scenario for intent {intent!r}")
    return path.read_text(encoding="utf-8")


def _next_version(intent: str, file_version: int, settings: Settings | None) -> int:
    with session_scope(settings) as session:
        latest = session.exec(select(ScenarioVersion.version).where(ScenarioVersion.intent == intent)
                              .order_by(col(ScenarioVersion.version).desc()).limit(1)).first()
    return max(latest or 0, file_version) + 1


def save_scenario(text: str, *, author: str, reason: str, settings: Settings | None = None) -> SaveResult:
    """Validate, number, diff, write the file, record the version, mark the model stale if the
    examples changed. Raises ScenarioError (with file, line and field) and changes nothing."""
    settings = settings or get_settings()
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("say why you are changing this scenario", details=["reason: required"])
    draft = parse_scenario(text, "<edited scenario>")
    path = settings.scenarios_dir / f"{draft.intent}.yaml"
    old_text = path.read_text(encoding="utf-8") if path.exists() else ""
    old = load_scenario(path) if path.exists() else None
    if old is not None and old == draft.model_copy(update={"version": old.version}):
        raise InvalidInput("nothing changed: the scenario is the same as the current version")
    if old is not None and not history(draft.intent, settings):
        _keep_original(old_text, old, settings)
    version = _next_version(draft.intent, old.version if old else 0, settings)
    text = _VERSION_LINE.sub(f"version: {version}", text, count=1)
    diff = "".join(difflib.unified_diff(old_text.splitlines(True), text.splitlines(True),
                                        f"{draft.intent}.yaml (current)", f"{draft.intent}.yaml (v{version})"))
    scenario = write_scenario(text, settings.scenarios_dir, path.name)
    examples_changed = old is None or old.examples != scenario.examples
    with session_scope(settings) as session:
        session.add(ScenarioVersion(intent=scenario.intent, version=version, author=author, reason=reason[:500],
                                    yaml_text=text, diff=diff))
    if examples_changed:
        set_state(RETRAIN_NEEDED, f"examples of {scenario.intent} changed in v{version} by {author}", settings)
    audit.record("scenario.saved", actor=author, target=scenario.intent,
                 details={"version": version, "examples_changed": examples_changed}, settings=settings)
    return SaveResult(scenario, version, diff, examples_changed)


def _keep_original(text: str, scenario: Scenario, settings: Settings) -> None:
    """Before the first console edit, keep the file's own version so it can be rolled back to."""
    with session_scope(settings) as session:
        session.add(ScenarioVersion(intent=scenario.intent, version=scenario.version, author="scenarios/ file",
                                    reason="version in the repository before the first console edit", yaml_text=text))


def history(intent: str, settings: Settings | None = None) -> list[ScenarioVersion]:
    with session_scope(settings) as session:
        return list(session.exec(select(ScenarioVersion).where(ScenarioVersion.intent == intent)
                                 .order_by(col(ScenarioVersion.version).desc())))


def rollback(intent: str, version: int, *, author: str, reason: str = "", settings: Settings | None = None) -> SaveResult:
    with session_scope(settings) as session:
        row = session.exec(select(ScenarioVersion).where(ScenarioVersion.intent == intent,
                                                         ScenarioVersion.version == version)).first()
    if row is None:
        raise NotFound(f"{intent} has no version {version}")
    why = reason.strip() or f"roll back to version {version}"
    return save_scenario(row.yaml_text, author=author, reason=why, settings=settings)


__all__ = ["SaveResult", "ScenarioError", "current_text", "history", "rollback", "save_scenario"]
