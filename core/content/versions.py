"""Scenario versions: every save is a new version (who, when, why, diff) kept in the database, and
the file in scenarios/ is the current version. Rolling back saves an old version as a new one.

A save validates first; an invalid scenario is never written, and no version row is added.
A save names the scenario being edited and the version it started from: the edited scenario is
the only file written (its intent cannot change), and a save over a newer version is refused, so
one reviewer never silently undoes another's change. The version row, the "retrain needed" mark,
the audit event and the file change together: the database work is done first inside one
transaction holding the "scenarios" write lock, the file is replaced atomically last, and the
transaction commits only after that (a failed commit puts the old file back)."""

from __future__ import annotations

import difflib
import hashlib
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from core import audit
from core.config import Settings, get_settings
from core.content import scenarios as files
from core.content.forms import starter_scenario
from core.content.scenarios import ScenarioError, load_scenarios, parse_scenario
from core.content.schema import Scenario
from core.content.topics import new_topic_problem
from core.errors import CareOpsError, InvalidInput, NotFound
from core.store.engine import read_scope, session_scope
from core.store.state import RETRAIN_NEEDED, read_state, write_state
from core.store.tables import ScenarioVersion

log = logging.getLogger(__name__)
_VERSION_LINE = re.compile(r"^version:\s*\S+\s*$", re.M)
LOCK = "scenarios"  # the write lock every change of scenario files and versions holds


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


def save_scenario(text: str, *, intent: str, base_version: int, author: str, reason: str,
                  settings: Settings | None = None) -> SaveResult:
    """Validate, check the draft is still based on the current version, number, diff, record the
    version (and the stale-model mark if the examples changed), then write the file. Raises
    InvalidInput or ScenarioError (with file, line and field) and changes nothing."""
    return _save(text, intent=intent, base_version=base_version, author=author, reason=reason,
                 settings=settings or get_settings())


MAX_TITLE = 120


def create_topic(topic_id: str, title_en: str, title_es: str, *, author: str,
                 settings: Settings | None = None) -> SaveResult:
    """A new topic: the smallest valid bilingual scenario (core/content/forms.starter_scenario) for a
    reviewer to edit, saved as version 1 through the same save as every edit (a version row, the
    audit event, "retrain needed"). A bad id (taken, built-in, crisis, not snake_case) or a missing
    title raises InvalidInput naming every problem, and nothing is written. The model answers the
    topic only after it is trained on enough labelled examples of it (core/mlops/validation.py)."""
    settings = settings or get_settings()
    topic_id, titles = (topic_id or "").strip(), {"en": (title_en or "").strip(), "es": (title_es or "").strip()}
    problems = []
    if problem := new_topic_problem(topic_id):
        problems.append(f"topic id: {problem}" if topic_id else "topic id: required (snake_case, e.g. hearing_aids)")
    elif (settings.scenarios_dir / f"{topic_id}.yaml").exists():
        problems.append(f"topic id: {topic_id!r} exists already; choose it in the list to edit it")
    for language, title in titles.items():
        if not title:
            problems.append(f"title ({language}): required")
        elif len(title) > MAX_TITLE or "\n" in title:
            problems.append(f"title ({language}): one line of at most {MAX_TITLE} characters")
    if problems:
        raise InvalidInput("The topic was not created: " + "; ".join(problems), details=problems)
    return _save(starter_scenario(topic_id, titles["en"], titles["es"]), intent=topic_id, base_version=0,
                 author=author, reason=f"new topic {topic_id}: first draft from the New topic form", settings=settings)


def _save(text: str, *, intent: str, base_version: int | None, author: str, reason: str,
          settings: Settings) -> SaveResult:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("say why you are changing this scenario", details=["reason: required"])
    draft = parse_scenario(text, f"{intent}.yaml (edited)")
    if draft.intent != intent:
        raise InvalidInput(f"this is the {intent} scenario: its intent cannot be changed to {draft.intent!r} "
                           f"(to edit {draft.intent}, open that scenario)", details=[f"intent: must stay {intent}"])
    path = settings.scenarios_dir / f"{intent}.yaml"
    replaced: str | None = None  # the old file text, once the new file is in place
    try:
        with session_scope(settings, lock=LOCK) as session:
            result, new_text, old_text = _record(session, path, draft, text, base_version, author, reason)
            _write(path, new_text)
            replaced = old_text
    except Exception:
        if replaced is not None:  # the file was replaced but the transaction did not commit
            _restore(path, replaced)
        raise
    return result


def _record(session: Session, path: Path, draft: Scenario, text: str, base_version: int | None, author: str,
            reason: str) -> tuple[SaveResult, str, str]:
    """The database half of a save, in the caller's transaction: (result, new file text, old file text)."""
    old_text = path.read_text(encoding="utf-8") if path.exists() else ""
    old = parse_scenario(old_text, str(path)) if old_text else None
    current = old.version if old else 0
    if base_version is not None and base_version != current:
        raise InvalidInput(f"{draft.intent} was changed since you opened it: it is now version {current} and you "
                           f"started from version {base_version}. Nothing was saved; reopen it and make your change again.")
    if old is not None and old == draft.model_copy(update={"version": old.version}):
        raise InvalidInput("nothing changed: the scenario is the same as the current version")
    if old is not None and not _has_history(session, draft.intent):
        session.add(ScenarioVersion(intent=old.intent, version=old.version, author="scenarios/ file",
                                    reason="version in the repository before the first console edit", yaml_text=old_text))
    version = _next_version(session, draft.intent, current)
    text = _VERSION_LINE.sub(f"version: {version}", text, count=1)
    scenario = parse_scenario(text, f"{draft.intent}.yaml (v{version})")
    diff = "".join(difflib.unified_diff(old_text.splitlines(True), text.splitlines(True),
                                        f"{draft.intent}.yaml (current)", f"{draft.intent}.yaml (v{version})"))
    examples_changed = old is None or old.examples != scenario.examples
    session.add(ScenarioVersion(intent=scenario.intent, version=version, author=author, reason=reason[:500],
                                yaml_text=text, diff=diff))
    if examples_changed:
        write_state(session, RETRAIN_NEEDED, f"examples of {scenario.intent} changed in v{version} by {author}")
    audit.record("scenario.saved", actor=author, target=scenario.intent, session=session,
                 details={"version": version, "examples_changed": examples_changed})
    session.flush()  # constraint failures surface here, before the file is touched
    return SaveResult(scenario, version, diff, examples_changed), text, old_text


def _has_history(session: Session, intent: str) -> bool:
    return session.exec(select(ScenarioVersion.id).where(ScenarioVersion.intent == intent).limit(1)).first() is not None


def _next_version(session: Session, intent: str, file_version: int) -> int:
    latest = session.exec(select(ScenarioVersion.version).where(ScenarioVersion.intent == intent)
                          .order_by(col(ScenarioVersion.version).desc()).limit(1)).first()
    return max(latest or 0, file_version) + 1


def _write(path: Path, text: str) -> None:
    try:
        files.write_atomically(path, text)
    except OSError as exc:
        raise CareOpsError(f"could not write {path.name} ({exc.strerror or exc}); nothing was saved") from exc


def _restore(path: Path, old_text: str) -> None:
    try:
        if old_text:
            files.write_atomically(path, old_text)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        log.exception("could not put back %s after a failed save", path.name)


def history(intent: str, settings: Settings | None = None) -> list[ScenarioVersion]:
    with read_scope(settings) as session:
        return list(session.exec(select(ScenarioVersion).where(ScenarioVersion.intent == intent)
                                 .order_by(col(ScenarioVersion.version).desc())))


def rollback(intent: str, version: int, *, author: str, reason: str = "", base_version: int | None = None,
             settings: Settings | None = None) -> SaveResult:
    """Save an earlier version's content as a new version. The content is fully named by `version`,
    so without `base_version` it applies over whatever is current."""
    with read_scope(settings) as session:
        row = session.exec(select(ScenarioVersion).where(ScenarioVersion.intent == intent,
                                                         ScenarioVersion.version == version)).first()
    if row is None:
        raise NotFound(f"{intent} has no version {version}")
    why = reason.strip() or f"roll back to version {version}"
    return _save(row.yaml_text, intent=intent, base_version=base_version, author=author, reason=why,
                 settings=settings or get_settings())


# ---- "retrain needed" ------------------------------------------------------------------------

def scenario_examples(scenarios: Mapping[str, Scenario]) -> list[tuple[str, str, str]]:
    """(intent, language, text) for every example message of every scenario."""
    return [(intent, language, text) for intent, scenario in sorted(scenarios.items())
            for language in ("en", "es") for text in getattr(scenario.examples, language)]


def examples_fingerprint(examples: Iterable[tuple[str, str, str]]) -> str:
    """A digest of (intent, language, text) rows; their order does not matter to a model."""
    digest = hashlib.sha256()
    for row in sorted(examples):
        digest.update(("\t".join(row) + "\n").encode())
    return digest.hexdigest()[:16]


def current_examples_fingerprint(settings: Settings | None = None) -> str:
    return examples_fingerprint(scenario_examples(load_scenarios((settings or get_settings()).scenarios_dir)))


def clear_retrain_needed_if_current(trained_on: str, settings: Settings | None = None) -> bool:
    """Called after a successful train with the fingerprint of the scenario examples it trained on.
    Clears "retrain needed" only when those are still the current examples, so an edit made while
    the model was training keeps the mark. True when the model is current (the mark is clear)."""
    settings = settings or get_settings()
    with session_scope(settings, lock=LOCK) as session:  # no save can land between the check and the clear
        try:
            current = current_examples_fingerprint(settings)
        except ScenarioError:
            return False
        if current != trained_on:
            return False
        if read_state(session, RETRAIN_NEEDED):
            write_state(session, RETRAIN_NEEDED, "")
            audit.record("model.retrain_cleared", actor="training", session=session, details={"examples": trained_on})
        return True


__all__ = ["SaveResult", "ScenarioError", "clear_retrain_needed_if_current", "create_topic", "current_examples_fingerprint",
           "current_text", "examples_fingerprint", "history", "rollback", "save_scenario", "scenario_examples"]
