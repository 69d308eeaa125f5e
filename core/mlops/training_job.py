"""A training started from the console: `python -m core train` as a subprocess, its output lines read
as progress.

Training runs in its own process, never in the console's: it takes both cores for ten minutes and
must not stall every page, and a console restart must not kill it half-written (the registry and
the model files only ever see a finished version). The training command says which stage it is in
(core/mlops/training.py `say`); each stage's share of the usual training time turns those lines
into a progress fraction. The fine-tuning of the crisis encoder is most of the time and says
nothing while it runs, so the bar waits there: an honest bar, not a smooth one.

One training at a time per console process; the start and the end are audited.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from core import audit
from core.config import PROJECT_ROOT, Settings, get_settings
from core.errors import InvalidInput
from core.nlu.model_files import MODEL_KINDS, model_path, registry_in_use
from core.store.registry import champion
from core.taxonomy import TRAINABLE_ALONE

KEEP_LINES = 200
FIRST_RUN_ACTOR = "system (first run)"


@dataclass(frozen=True)
class Stage:
    pattern: re.Pattern[str]
    fraction: float  # share of the whole training done when this stage starts
    label: str


# In the order training goes through them; the fractions are shares of a measured 9-13 minute run
# (registration and assessment: core/mlops/lifecycle.py register_trained). The bar never moves back.
STAGES: tuple[Stage, ...] = (
    Stage(re.compile(r"^data valid:"), 0.02, "Data validated; embedding the training rows"),
    Stage(re.compile(r"^quick models written to"), 0.04, "Quick first models written (they answer now); the full training follows"),
    Stage(re.compile(r"-fold cross-validation of the intent model"), 0.06, "Intent model: cross-validation and fit"),
    Stage(re.compile(r"^crisis screen:"), 0.15, "Crisis screen: linear model and fine-tuning the crisis encoder"),
    Stage(re.compile(r"^distress head on"), 0.80, "Distress head and its threshold"),
    Stage(re.compile(r"^confirming head"), 0.84, "Confirming head (real text) and its threshold"),
    Stage(re.compile(r"^models written to"), 0.88, "Model files written"),
    Stage(re.compile(r"^registered care-"), 0.90, "Registering the new versions"),
    Stage(re.compile(r"^assessing:"), 0.92, "Assessing the new versions: evaluation sets, red team, latency"),
    Stage(re.compile(r"^care-\w+ version \d+: (?:every gate passed|\d+ gate\(s\) failed)"), 0.99, "Gates checked"),
)


@dataclass(frozen=True)
class TrainingProgress:
    fraction: float
    stage: str
    running: bool
    returncode: int | None
    elapsed_seconds: float
    lines: tuple[str, ...]
    started_by: str

    @property
    def succeeded(self) -> bool:
        return self.returncode == 0


def parse_progress(line: str) -> Stage | None:
    """The stage a line of the training command's output starts, if any."""
    text = line.strip()
    return next((stage for stage in STAGES if stage.pattern.search(text)), None)


def training_command(dataset: str | None = None, only: str | None = None) -> list[str]:
    """`python -m core train`, on the committed data and, given one, a dataset version's rows; with
    `only="intent"`, the intent model alone (the crisis screen stays as it is)."""
    return [sys.executable, "-m", "core", "train", *(["--dataset", dataset] if dataset else []),
            *(["--only", only] if only else [])]


def first_run_command() -> list[str]:
    """The quick first models (they answer within minutes), then the full training."""
    return [*training_command(), "--first-run"]


def settings_environment(settings: Settings) -> dict[str, str]:
    """The subprocess sees the settings this process uses, whatever its own environment says."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "PYTHONUNBUFFERED": "1"}
    paths = {"DATA_DIR": settings.data_dir, "MODELS_DIR": settings.models_dir, "REPORTS_DIR": settings.reports_dir,
             "SCENARIOS_DIR": settings.scenarios_dir}
    env.update({f"CAREOPS_{name}": str(value) for name, value in paths.items()})
    for name in ("database_url", "mlflow_uri"):
        if value := getattr(settings, name):
            env[f"CAREOPS_{name.upper()}"] = value
    return env


class TrainingJob:
    """One training subprocess and what it has said so far."""

    def __init__(self, command: Sequence[str], settings: Settings, actor: str) -> None:
        self.command = list(command)
        self.settings = settings
        self.actor = actor
        self.lines: deque[str] = deque(maxlen=KEEP_LINES)
        self.stage: Stage | None = None
        self.started = time.monotonic()
        self.finished: float | None = None
        self.process = subprocess.Popen(
            self.command, cwd=PROJECT_ROOT, env=settings_environment(settings), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True, bufsize=1, encoding="utf-8",
            errors="replace",
        )
        self._reader = threading.Thread(target=self._read, name="careops-training-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            stage = parse_progress(line)
            if stage is not None and (self.stage is None or stage.fraction >= self.stage.fraction):
                self.stage = stage
        code = self.process.wait()
        self.finished = time.monotonic()
        audit.record("models.train.finish", actor=self.actor, target="care-intent,care-crisis",
                     details={"returncode": code, "seconds": round(self.finished - self.started)},
                     settings=self.settings)

    def progress(self) -> TrainingProgress:
        code = self.process.poll() if self.finished is not None else None
        done = code == 0
        end = self.finished or time.monotonic()
        return TrainingProgress(
            fraction=1.0 if done else (self.stage.fraction if self.stage else 0.0),
            stage="Finished" if done else ("Failed" if code is not None else
                                           (self.stage.label if self.stage else "Starting")),
            running=self.finished is None, returncode=code, elapsed_seconds=round(end - self.started, 1),
            lines=tuple(self.lines), started_by=self.actor,
        )

    def wait(self, timeout: float | None = None) -> TrainingProgress:
        self._reader.join(timeout)
        return self.progress()

    def cancel(self, actor: str) -> None:
        """Stop this job's own process (never anything else)."""
        if self.finished is None:
            self.process.terminate()
            audit.record("models.train.cancel", actor=actor, target="care-intent,care-crisis", settings=self.settings)


_current: TrainingJob | None = None
_lock = threading.Lock()


def start_training(*, actor: str, settings: Settings | None = None, dataset: str | None = None,
                   only: str | None = None, command: Sequence[str] | None = None) -> TrainingJob:
    """Start `python -m core train` (with a dataset version's rows, given one; the intent model alone
    with `only="intent"`; or `command`) unless a training is already running here. An unknown
    dataset version or model is refused before anything starts."""
    global _current
    settings = settings or get_settings()
    if only is not None and only not in TRAINABLE_ALONE:
        raise InvalidInput(f"unknown model to retrain alone: {only!r} (only {', '.join(TRAINABLE_ALONE)} can be retrained alone)")
    if dataset:
        from core.mlops.dataset_versions import get_version

        get_version(dataset, settings)  # NotFound names the version and how to list them
    with _lock:
        if _current is not None and _current.finished is None:
            raise InvalidInput(f"a training is already running (started by {_current.actor}, "
                               f"{_current.progress().elapsed_seconds:.0f} s ago)")
        kinds = (only,) if only else MODEL_KINDS
        details = {"dataset": dataset} if dataset else {}
        audit.record("models.train.start", actor=actor, target=",".join(f"care-{k}" for k in kinds),
                     details=details | ({"only": only} if only else {}) or None, settings=settings)
        _current = TrainingJob(command or training_command(dataset, only), settings, actor)
        return _current


def current_training() -> TrainingJob | None:
    """The last training started in this process (running or finished), if any."""
    return _current


def start_first_training(settings: Settings | None = None, *, command: Sequence[str] | None = None) -> TrainingJob | None:
    """Where a model kind has neither local model files nor a registry champion (a fresh machine, or
    one of the two files gone) and no training runs: start training, so that the console opens at
    once instead of after it (the detectors answer crises meanwhile, topics say "not available
    yet"), the Models page shows its progress, and the assistant swaps the new models in when they
    come, without a restart. None otherwise."""
    settings = settings or get_settings()
    missing = [kind for kind in MODEL_KINDS if not model_path(kind, settings).exists()]
    if missing and registry_in_use(settings):
        missing = [kind for kind in missing if champion(kind, settings) is None]
    job = current_training()
    if not missing or (job is not None and job.finished is None):
        return None
    return start_training(actor=FIRST_RUN_ACTOR, settings=settings, command=command or first_run_command())
