"""Loading and validating scenario files. A bad file is refused loudly with file, line and field;
it is never skipped, and an invalid scenario is never written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml
from pydantic import ValidationError

from core.content.schema import Scenario
from core.errors import InvalidInput


class ScenarioError(InvalidInput):
    """A scenario failed validation; `details` holds one 'file:line: field: problem' per error."""


def _line_of(root: yaml.Node | None, loc: tuple) -> int | None:
    """Walk the YAML node tree along a pydantic error location to find the line it refers to."""
    node, line = root, (root.start_mark.line + 1 if root is not None else None)
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
            if match is None:
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        line = node.start_mark.line + 1
    return line


def parse_scenario(text: str, filename: str = "<scenario>") -> Scenario:
    """Parse and validate YAML text; raise ScenarioError naming the file, line and field."""
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{filename}:{mark.line + 1}" if mark else filename
        raise ScenarioError(f"{where}: not valid YAML", details=[f"{where}: {exc}"]) from exc
    if not isinstance(data, dict):
        raise ScenarioError(f"{filename}: a scenario must be a YAML mapping", details=[f"{filename}: top level is not a mapping"])
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        details = []
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"]) or "(top level)"
            line = _line_of(root, error["loc"])
            details.append(f"{filename}:{line}: {field}: {error['msg']}")
        raise ScenarioError(f"{filename}: {len(details)} problem(s): {details[0]}", details=details) from exc


def load_scenario(path: Path) -> Scenario:
    scenario = parse_scenario(path.read_text(encoding="utf-8"), str(path))
    if scenario.intent != path.stem:
        raise ScenarioError(
            f"{path}: intent {scenario.intent!r} does not match the file name",
            details=[f"{path}:1: intent: must equal the file name ({path.stem})"],
        )
    return scenario


def load_scenarios(directory: Path) -> dict[str, Scenario]:
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise ScenarioError(f"no scenario files in {directory}")
    return {scenario.intent: scenario for scenario in map(load_scenario, files)}


class _BlockDumper(yaml.SafeDumper):
    """Multi-line text as block scalars, so that version diffs read line by line."""


# Characters YAML reads as line breaks besides "\n": in a plain or block scalar they would come back
# as "\n" or a space, so a text that holds one is written double-quoted, where they are escaped.
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = '"' if any(c in value for c in _OTHER_BREAKS) else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_str)


def dump_yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=110)


def dump_scenario(scenario: Scenario) -> str:
    return dump_yaml(scenario.model_dump(mode="json"))


def write_scenario(text: str, directory: Path, filename: str | None = None) -> Scenario:
    """Validate first, then write atomically: an invalid scenario never reaches the file."""
    scenario = parse_scenario(text, filename or "<scenario>")
    write_atomically(directory / f"{scenario.intent}.yaml", text)
    return scenario


def write_atomically(path: Path, text: str) -> None:
    """Write a temporary file beside `path` and rename it over `path`: a reader sees the old file
    or the new one, never half of one, and a failed write leaves the old file (and no temporary)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        _replace_file(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _replace_file(source: str, target: Path) -> None:
    os.replace(source, target)  # atomic on one filesystem
