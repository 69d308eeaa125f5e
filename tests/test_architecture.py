"""The layering of DESIGN.md, enforced on every module's imports.

"Dependencies point down: pages -> core; serve -> dialogue, mlops; dialogue -> safety, nlu, content;
mlops -> nlu, store; store and config are leaves. No cycles. core never imports streamlit." and
"serve/ is the only place that imports a web framework besides pages/".

The arrows DESIGN.md draws are the layers below; what it leaves implicit is written out here once:
`taxonomy` and `errors` are leaves like config; nlu is the lowest model layer; safety reads nlu
(the shared embedding); content reads nlu's text normaliser only; audit, auth and privacy sit on
store (privacy audits the deletions and key rotations it makes); mlops may also evaluate the safety
screen and read scenarios (content); it reads the encrypted interaction log (labeling queue, drift,
audited) and dataset files through privacy, and the traffic simulator (mlops/simulate.py) answers
with the real assistant and builds its rows with the log's own function (dialogue.factory and
dialogue.interaction_log only; dialogue imports nothing of mlops). A module may import
from its own package and from the packages listed for it, nothing else of core.

nlu may import `store.registry` and nothing else of store: the one model-loading function
(core/nlu/model_files.load_model) reads the champion from the model registry (issue 17), and the
registry is a persistent store like the database, so it lives in store, which imports nothing of
nlu (no cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core.config import PROJECT_ROOT

CORE = PROJECT_ROOT / "core"
LEAVES = {"config", "errors", "taxonomy"}
ALLOWED: dict[str, set[str]] = {
    "config": set(),
    "errors": set(),
    "taxonomy": set(),
    "store": {"config", "errors"},
    "nlu": {"config", "errors", "taxonomy", "store.registry"},
    "safety": {"nlu", "taxonomy", "errors", "config"},
    "content": {"nlu.normalize", "store", "audit", "taxonomy", "errors", "config"},
    "privacy": {"store", "audit", "errors", "config"},
    "audit": {"store", "config", "errors"},
    "auth": {"store", "audit", "errors", "config"},
    "dialogue": {"safety", "nlu", "content", "store", "privacy", "audit", "taxonomy", "errors", "config"},
    "mlops": {"nlu", "store", "safety", "content", "audit", "auth", "privacy", "dialogue.factory",
              "dialogue.interaction_log", "taxonomy", "errors", "config"},
    "serve": {"dialogue", "mlops", "auth", "audit", "privacy", "store", "safety", "nlu", "content", "taxonomy",
              "errors", "config"},
    "__main__": {"*"},
    "cli": {"*"},  # the command line's parts (core/cli/), which __main__ registers: the same reach
    "__init__": set(),
}
WEB_FRAMEWORKS = {"streamlit", "gradio", "fastapi", "starlette", "flask", "uvicorn"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            # `from core.store import registry` imports the module core.store.registry
            package = PROJECT_ROOT.joinpath(*node.module.split("."))
            names |= {f"{node.module}.{a.name}" for a in node.names} if package.is_dir() else {node.module}
    return names


def _part(path: Path) -> str:
    rel = path.relative_to(CORE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def _allowed(part: str, target: str) -> bool:
    """`target` is a dotted name under core (e.g. "nlu.normalize")."""
    rules = ALLOWED[part]
    top = target.split(".")[0]
    return "*" in rules or top == part or top in rules or any(target.startswith(r + ".") or target == r for r in rules)


def test_every_core_package_has_a_rule():
    assert {_part(p) for p in _core_modules()} <= set(ALLOWED), "add the new package to ALLOWED (and DESIGN.md)"


@pytest.mark.parametrize("path", _core_modules(), ids=lambda p: str(p.relative_to(CORE)))
def test_dependencies_point_down(path):
    part = _part(path)
    bad = sorted(n for n in _imports(path) if n.startswith("core.") and not _allowed(part, n.removeprefix("core.")))
    assert not bad, f"core/{path.relative_to(CORE)} ({part}) may not import {bad}"


def test_core_never_imports_a_web_framework_outside_serve():
    for path in _core_modules():
        if _part(path) == "serve":
            continue
        bad = {n for n in _imports(path) if n.split(".")[0] in WEB_FRAMEWORKS}
        assert not bad, f"{path} imports {bad}"


def test_leaves_import_nothing_of_core():
    for path in _core_modules():
        if _part(path) in LEAVES:
            assert not {n for n in _imports(path) if n.startswith("core")}, path


def test_safety_does_not_depend_on_the_intent_model():
    for path in (CORE / "safety").rglob("*.py"):
        assert not {n for n in _imports(path) if n.startswith(("core.nlu.intent", "core.dialogue", "core.mlops"))}, path


def _module_name(path: Path) -> str:
    rel = path.relative_to(PROJECT_ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def test_no_import_cycles_between_modules():
    """Module-level imports (function-local ones included) form no cycle."""
    graph = {_module_name(p): {n for n in _imports(p) if n.startswith("core")} for p in _core_modules()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycle = [*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for module in graph:
        if module not in state:
            visit(module, [module])


def test_pages_reach_core_only_through_its_public_modules():
    """Pages are thin: they import core and streamlit, never a database session or a model class
    directly (what a test should check lives in core)."""
    forbidden = ("core.store.engine", "core.store.tables", "sqlmodel", "sqlalchemy", "sklearn")
    for path in [PROJECT_ROOT / "app.py", *sorted((PROJECT_ROOT / "pages").glob("*.py"))]:
        bad = {n for n in _imports(path) if n.startswith(forbidden)}
        assert not bad, f"{path.name} imports {bad}"


def test_no_module_uses_another_modules_private_names():
    for path in [*_core_modules(), PROJECT_ROOT / "app.py", *sorted((PROJECT_ROOT / "pages").glob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        private = [(node.module, a.name) for node in ast.walk(tree)
                   if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(("core", "pages"))
                   for a in node.names if a.name.startswith("_")]
        assert not private, f"{path.name} imports private names {private}"
