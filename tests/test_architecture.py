"""The layering of DESIGN.md, enforced: core never imports a UI framework; config and store are leaves."""

from __future__ import annotations

import ast
from pathlib import Path

from core.config import PROJECT_ROOT

CORE = PROJECT_ROOT / "core"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_never_imports_streamlit_or_gradio_outside_serve():
    for path in CORE.rglob("*.py"):
        if "serve" in path.relative_to(CORE).parts:
            continue
        bad = {n for n in _imports(path) if n.split(".")[0] in ("streamlit", "gradio")}
        assert not bad, f"{path} imports {bad}"


def test_config_imports_nothing_of_core():
    assert not {n for n in _imports(CORE / "config.py") if n.startswith("core")}


def test_store_imports_only_config_and_errors_of_core():
    for path in (CORE / "store").rglob("*.py"):
        own = {n for n in _imports(path) if n.startswith("core")}
        assert own <= {"core.config", "core.errors"} | {n for n in own if n.startswith("core.store")}, path


def test_safety_does_not_depend_on_the_intent_model():
    for path in (CORE / "safety").rglob("*.py"):
        assert not {n for n in _imports(path) if n.startswith(("core.nlu.intent", "core.dialogue", "core.mlops"))}, path
