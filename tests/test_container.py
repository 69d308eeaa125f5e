"""The container: what `COPY . .` may take (checked against .dockerignore with Docker's documented
matching rules, since no Docker engine runs here), production mode, the data volume, the start-up check."""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet

from core.config import PROJECT_ROOT

# ---- .dockerignore, read and matched the way Docker does -----------------------------------------
# https://docs.docker.com/build/concepts/context/#dockerignore-files: each line is a pattern relative to
# the context root (a leading / is dropped, the path is cleaned), `*` and `?` stop at `/`, `**` spans any
# number of directories, a pattern that matches a directory matches everything under it, `!` makes an
# exception, `#` starts a comment, and the last line that matches a path decides.


def compile_pattern(pattern: str) -> re.Pattern:
    """Docker's translation of a pattern to a regular expression (moby patternmatcher)."""
    regex, i = "^", 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):
                i += 1
            regex += ".*" if i >= len(pattern) else "(.*/)?"
            continue
        if char == "[":
            raise AssertionError(f"character classes are not used in .dockerignore: {pattern}")
        if char == "\\" and i + 1 < len(pattern):
            i += 1
            regex += re.escape(pattern[i])
        else:
            regex += {"*": "[^/]*", "?": "[^/]"}.get(char, re.escape(char))
        i += 1
    return re.compile(regex + "$")


def read_patterns(text: str) -> list[tuple[bool, re.Pattern]]:
    """(is_exception, regex) per line, in order."""
    patterns = []
    for raw in text.splitlines():
        if raw.startswith("#"):
            continue
        line = raw.strip()
        if not line:
            continue
        exception = line.startswith("!")
        line = line[1:].strip() if exception else line
        line = posixpath.normpath(line).lstrip("/")
        patterns.append((exception, compile_pattern(line)))
    return patterns


def is_excluded(path: str, patterns: list[tuple[bool, re.Pattern]]) -> bool:
    """The path or any directory above it matches; the last matching line wins."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for exception, regex in patterns:
        if exception != excluded:  # an exception only matters once excluded, and the reverse
            continue
        if any(regex.match(candidate) for candidate in candidates):
            excluded = not exception
    return excluded


@pytest.fixture(scope="module")
def dockerignore() -> list[tuple[bool, re.Pattern]]:
    return read_patterns((PROJECT_ROOT / ".dockerignore").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("lines", "path", "excluded"), [
    # the examples of Docker's documentation
    ("*/temp*", "somedir/temporary.txt", True),
    ("*/temp*", "somedir/temp/file", True),
    ("*/temp*", "temporary.txt", False),
    ("*/*/temp*", "somedir/subdir/temporary.txt", True),
    ("temp?", "tempa", True),
    ("temp?", "somedir/tempa", False),
    ("**/*.go", "main.go", True),
    ("**/*.go", "a/b/c.go", True),
    ("*.md\n!README*.md\nREADME-secret.md", "README-secret.md", True),
    ("*.md\n!README*.md\nREADME-secret.md", "README.md", False),
    ("*.md\n!README*.md\nREADME-secret.md", "notes.md", True),
    ("*.md\nREADME-secret.md\n!README*.md", "README-secret.md", False),
    # not git's rules: a bare name matches at the root only
    ("node_modules", "tests/e2e/node_modules/x.js", False),
    ("/data/*\n!data/training", "data/training/a.csv", False),
    ("# data\n  data  ", "data/x", True),
])
def test_the_matcher_follows_dockers_documented_rules(lines, path, excluded):
    assert is_excluded(path, read_patterns(lines)) is excluded


NEVER_COPIED = [
    "data/careops.db", "data/careops.db-wal", "data/careops.db-shm", "data/mlflow.db", "data/local.sqlite",
    "data/keys/careops.key", "data/models/intent.json", "data/models/crisis.skops", "data/models/embedding.onnx",
    "data/mlruns/0/meta.yaml", "data/something-new-and-local.bin", "data/training/careops.db",
    ".streamlit/secrets.toml", "deploy/secrets.toml", "deploy/.env", ".env",
    ".venv/bin/python", ".venv/lib/python3.11/site-packages/streamlit/__init__.py",
    ".git/HEAD", ".git/objects/ab/cdef", "node_modules/axe-core/axe.min.js", "tests/e2e/node_modules/x.js",
    "reports/drift.html", "core/__pycache__/config.cpython-311.pyc", ".pytest_cache/v/cache/nodeids",
]
ALWAYS_COPIED = [
    "app.py", "requirements.txt", "pyproject.toml", "core/__main__.py", "core/config.py", "pages/chat.py",
    ".streamlit/config.toml", ".streamlit/secrets.example.toml", "deploy/entrypoint.sh", "data/README.md",
]


@pytest.mark.parametrize("path", NEVER_COPIED)
def test_local_state_secrets_and_environments_stay_out_of_the_image(dockerignore, path):
    assert is_excluded(path, dockerignore)


@pytest.mark.parametrize("path", ALWAYS_COPIED)
def test_the_code_and_settings_files_the_image_runs_are_copied(dockerignore, path):
    assert not is_excluded(path, dockerignore)


def _git_files(*args: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    return [p.rstrip("/") for p in out.stdout.split("\0") if p]


def test_every_shipped_code_scenario_and_dataset_file_is_copied(dockerignore):
    shipped = _git_files("--", "core", "pages", "scenarios", "data/training", "data/intent", "data/golden", "data/public",
                         "data/real", "data/risk", "data/redteam")
    assert any(p.startswith("scenarios/") for p in shipped) and any(p.startswith("data/training/") for p in shipped)
    assert [p for p in shipped if is_excluded(p, dockerignore)] == []


def test_nothing_git_ignores_is_copied(dockerignore):
    """What git ignores is local (state, caches, environments, secrets): the image never takes it."""
    ignored = _git_files("--others", "--ignored", "--exclude-standard", "--directory")
    assert [p for p in ignored if not is_excluded(p, dockerignore)] == []


# ---- the image: production mode, the data volume, models outside it ------------------------------
def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def image_environment() -> dict[str, str]:
    env = {}
    for instruction, rest in dockerfile_instructions():
        if instruction == "ENV":
            env |= dict(re.findall(r"(\w+)=(\S+)", rest))
    return env


def test_the_image_runs_in_production_mode_with_its_data_on_a_volume():
    env = image_environment()
    assert env["CAREOPS_ENV"] == "production"
    volumes = [v for i, rest in dockerfile_instructions() if i == "VOLUME" for v in re.findall(r"/[\w/.-]+", rest)]
    assert env["CAREOPS_DATA_DIR"] in volumes
    for name in ("CAREOPS_REPORTS_DIR", "CAREOPS_SCENARIOS_DIR"):  # what the console writes lives on the volume
        assert Path(env[name]).is_relative_to(env["CAREOPS_DATA_DIR"]), name


def test_the_models_trained_at_build_time_live_outside_the_data_volume():
    """A volume over the data dir would hide models trained into it, or keep serving an old image's."""
    env = image_environment()
    assert not Path(env["CAREOPS_MODELS_DIR"]).is_relative_to(env["CAREOPS_DATA_DIR"])
    order = [i for i, _ in dockerfile_instructions()]
    train = next(n for n, (i, rest) in enumerate(dockerfile_instructions()) if i == "RUN" and "core train" in rest)
    assert train < order.index("VOLUME")  # a RUN after VOLUME would write into a discarded layer


def test_the_image_starts_through_the_settings_check():
    instructions = dict(dockerfile_instructions())
    assert "deploy/entrypoint.sh" in instructions["ENTRYPOINT"]


def test_compose_requires_the_secrets_and_keeps_the_data_on_a_volume():
    compose = yaml.safe_load((PROJECT_ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    service = compose["services"]["careops"]
    env = service["environment"]
    assert env["CAREOPS_ENV"] == "production"
    assert env["CAREOPS_ENCRYPTION_KEY"].startswith("${CAREOPS_ENCRYPTION_KEY:?")
    assert env["CAREOPS_DATABASE_URL"].startswith("postgresql+psycopg://") and "@postgres:" in env["CAREOPS_DATABASE_URL"]
    assert any(v.endswith(":/app/data") and v.split(":")[0] in compose["volumes"] for v in service["volumes"])


# ---- the start-up script ---------------------------------------------------------------------------
def run_entrypoint(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    marker = tmp_path / "server-started"
    return subprocess.run(
        ["sh", str(PROJECT_ROOT / "deploy" / "entrypoint.sh"), "sh", "-c", f"touch {marker}"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
        env=os.environ | {"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "PYTHONPATH": str(PROJECT_ROOT)}
        | env,
    )


def test_a_production_container_without_its_secrets_does_not_start(tmp_path):
    result = run_entrypoint(tmp_path, CAREOPS_ENV="production", CAREOPS_DATA_DIR=str(tmp_path / "data"),
                            CAREOPS_SCENARIOS_DIR=str(tmp_path / "data" / "scenarios"))
    assert result.returncode != 0
    assert "CAREOPS_ENCRYPTION_KEY" in result.stderr and "CAREOPS_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "server-started").exists()
    assert not (tmp_path / "data" / "scenarios").exists()


def test_a_production_container_with_its_secrets_seeds_the_scenarios_and_keeps_edits(tmp_path):
    scenarios = tmp_path / "data" / "scenarios"
    scenarios.mkdir(parents=True)
    (scenarios / "nutrition.yaml").write_text("# a reviewer's saved version\n", encoding="utf-8")
    result = run_entrypoint(
        tmp_path, CAREOPS_ENV="production", CAREOPS_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        CAREOPS_DATABASE_URL=f"sqlite:///{tmp_path / 'data' / 'careops.db'}", CAREOPS_DATA_DIR=str(tmp_path / "data"),
        CAREOPS_SCENARIOS_DIR=str(scenarios),
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "server-started").exists()
    shipped = sorted(p.name for p in (PROJECT_ROOT / "scenarios").glob("*.yaml"))
    assert sorted(p.name for p in scenarios.glob("*.yaml")) == shipped
    assert (scenarios / "nutrition.yaml").read_text(encoding="utf-8") == "# a reviewer's saved version\n"
