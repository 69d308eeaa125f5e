"""Serving the champion: load a model version, check it with the smoke prediction, and swap it into a
running Assistant without a restart.

A reviewer's approval re-points the registry's `champion` alias; every console and API process then
notices on its own. The check must cost a reply nothing: on the request thread it is one clock read
(`ChampionWatcher.poke`), and at most once every CAREOPS_CHAMPION_CHECK_SECONDS a background thread
asks the registry for the champions' versions. A new version is loaded on that thread, run through
the smoke lines (core/dialogue/smoke.py) with the other served models beside it, and only then
swapped in, by replacing one reference, so a turn in flight finishes with the model it started with.
A version that does not load or fails the smoke prediction is never served: the last good model
keeps answering, the version is not tried again, and `Assistant.health` says why (the Models page
shows it). Like MLServer's reload: the new model loads before the old one goes. A new intent model
comes with the scenarios as they are now, so that a new topic it learned (core/content/topics.py)
has its answers.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from core.config import Settings
from core.content.scenarios import load_scenarios
from core.dialogue.smoke import smoke_failures
from core.errors import CareOpsError
from core.nlu.embeddings import export_manifest
from core.nlu.intent import IntentModel
from core.nlu.model_files import MODEL_KINDS, current_version, is_local, load_model
from core.safety.screen import CrisisScreen
from core.safety.semantic import SemanticCrisisClassifier
from core.store import registry

if TYPE_CHECKING:
    from core.dialogue.assistant import Assistant

log = logging.getLogger(__name__)

SWAP_SWITCH_INTERVAL = 0.0005  # seconds; Python's default is 0.005
# What each model kind's bundle becomes when served.
MODEL_CLASSES: dict[str, Callable[[dict], Any]] = {"intent": IntentModel, "crisis": SemanticCrisisClassifier}


@dataclass(frozen=True)
class ComponentHealth:
    """One model's state: `ok`, `degraded` (serving, but not as intended, e.g. a newer champion was
    refused) or `failed` (not serving). `version` is the served version (a registry version number,
    or `local-<sha256 prefix>` for the model files of a machine without a registry champion; "" when
    nothing is served)."""

    name: str
    state: str
    detail: str = ""
    version: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "ok"


@dataclass(frozen=True)
class SwapOutcome:
    """What one check did for one model kind: swapped a version in, or refused it (and why)."""

    kind: str
    version: str
    swapped: bool
    reason: str = ""


def describe_version(version: str) -> str:
    if is_local(version):
        return f"the local model files ({version.removeprefix('local-')})" if "-" in version else "the local model files"
    return f"version {version}"


def describe_error(exc: Exception) -> str:
    return exc.message if isinstance(exc, CareOpsError) else f"{type(exc).__name__}: {exc}"


def load_checked(kind: str, version: str, settings: Settings, served: dict[str, Any]) -> tuple[Any, str]:
    """(model, "") when `version` of `kind` loads and passes the smoke prediction beside the `served`
    models ({"embedding", "intent", "crisis"}: the combination that would answer after the swap);
    (None, reason) otherwise."""
    try:
        _check_pairing(kind, version, settings, served["embedding"])
        model = MODEL_CLASSES[kind](load_model(kind, settings, version=version))
    except Exception as exc:  # a corrupt, tampered or incompatible artifact: any failure means not served
        return None, f"{describe_version(version)} did not load: {describe_error(exc)}"
    candidates = {**served, kind: model}
    failures = smoke_failures(candidates["embedding"], candidates["intent"], candidates["crisis"],
                              scenarios_dir=settings.scenarios_dir)
    if failures:
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        return None, f"{describe_version(version)} failed the smoke prediction: {failures[0]}{more}"
    return model, ""


def _check_pairing(kind: str, version: str, settings: Settings, embedder: Any) -> None:
    """A crisis version reads the served embedding's hidden states: it must have been trained on the
    same export (recorded when it was registered)."""
    if kind != "crisis" or is_local(version) or embedder is None:
        return
    record = registry.get_version(kind, int(version), settings)
    registry.check_pairing(record, export_manifest(embedder.model_dir, settings.models_dir))


@contextmanager
def _responsive_turns() -> Iterator[None]:
    """While a model loads on the watcher's thread (seconds of Python-level skops reconstruction),
    the interpreter hands the GIL back to waiting threads ten times as often, so the turns answered
    meanwhile wait less for it (measured in benchmarks/bench_hot_swap.py: p99 of the turns during a
    swap 235 -> 110 ms). Restored afterwards: the shorter interval costs a little throughput."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, SWAP_SWITCH_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


def served_models(assistant: Assistant) -> dict[str, Any]:
    return {"embedding": assistant.embedder, "intent": assistant.intent_model, "crisis": assistant.screen.semantic}


class ChampionWatcher:
    """Keeps a running Assistant on the registry's champions (see the module docstring)."""

    def __init__(self, assistant: Assistant, settings: Settings, *, interval_seconds: float) -> None:
        self.assistant = assistant
        self.settings = settings
        self.interval = float(interval_seconds)
        self.refused: dict[tuple[str, str], str] = {}  # (kind, version) -> why it is not served
        self.checks = 0  # completed checks, and versions swapped in, since start (the Models page shows them)
        self.swaps = 0
        self.last_checked: datetime | None = None
        self._due = time.monotonic() + self.interval
        self._start_lock = threading.Lock()
        self._check_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # ---- on the request thread ----------------------------------------------------------------
    def poke(self) -> None:
        """Called at the start of every reply: a clock read, and once the interval has passed, the
        start of one background check (never two at once)."""
        now = time.monotonic()
        if now < self._due:
            return
        with self._start_lock:
            if now < self._due or (self._thread is not None and self._thread.is_alive()):
                return
            self._due = now + self.interval
            try:
                self._thread = threading.Thread(target=self._check_in_background, name="careops-champion-watcher",
                                                daemon=True)
                self._thread.start()
            except RuntimeError:  # no thread to be had now: the reply goes on, the next interval tries again
                log.exception("the champion check could not start")

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a background check in progress (tests, benchmarks and shutdown use it)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    # ---- the check ----------------------------------------------------------------------------
    def check(self) -> list[SwapOutcome]:
        """Compare each model kind's champion with what is served; load, smoke-test and swap in what
        changed. One check at a time; returns what was swapped or refused."""
        with self._check_lock:
            outcomes = [o for kind in MODEL_KINDS if (o := self._check_kind(kind)) is not None]
            self.checks += 1
            self.swaps += sum(o.swapped for o in outcomes)
            self.last_checked = datetime.now(UTC)
        return outcomes

    def _check_in_background(self) -> None:
        try:
            self.check()
        except Exception:  # the watcher must never take the assistant down; the next poke tries again
            log.exception("the champion check failed")

    def _check_kind(self, kind: str) -> SwapOutcome | None:
        health = self.assistant.health.get(kind) or ComponentHealth(kind, "failed", "not loaded")
        try:
            version = current_version(kind, self.settings)
        except Exception as exc:
            reason = f"the registry could not be read: {describe_error(exc)}"
            self._set_health(kind, health, reason)
            return SwapOutcome(kind, "", False, reason)
        if version == health.version:
            if not health.ok:  # what is served is the champion again (the registry is back, or a rollback)
                self._set_health(kind, health, "")
            return None
        if (kind, version) in self.refused:
            return None
        with _responsive_turns():
            model, reason = load_checked(kind, version, self.settings, served_models(self.assistant))
        if model is None:
            self.refused[(kind, version)] = reason
            log.error("champion %s %s is not served: %s", kind, version, reason)
            self._set_health(kind, health, reason)
            return SwapOutcome(kind, version, False, reason)
        self._swap(kind, model)
        self._put_health(ComponentHealth(kind, "ok", f"{describe_version(version)} swapped in", version))
        log.info("now serving %s %s", kind, describe_version(version))
        return SwapOutcome(kind, version, True)

    def _swap(self, kind: str, model: Any) -> None:
        """One reference replaced: a turn reads the screen and the intent model once each."""
        if kind == "crisis":
            self.assistant.screen = CrisisScreen(model)
        else:
            self._use_current_scenarios()
            self.assistant.intent_model = model

    def _use_current_scenarios(self) -> None:
        """A scenario folder that does not load keeps the scenarios already served."""
        try:
            self.assistant.use_scenarios(load_scenarios(self.settings.scenarios_dir))
        except CareOpsError as exc:
            log.error("the scenarios were not reloaded with the new intent model: %s", describe_error(exc))

    def _set_health(self, kind: str, served: ComponentHealth, problem: str) -> None:
        """The served model's health with `problem` as its alert (or without one)."""
        if not problem:
            self._put_health(ComponentHealth(kind, "ok", "", served.version))
        elif served.version:
            self._put_health(ComponentHealth(
                kind, "degraded", f"serving {describe_version(served.version)}; {problem}", served.version))
        else:
            self._put_health(ComponentHealth(kind, "failed", problem))

    def _put_health(self, health: ComponentHealth) -> None:
        self.assistant.health = {**self.assistant.health, health.name: health}  # replaced, never edited in place


def watch_champions(assistant: Assistant, settings: Settings) -> ChampionWatcher | None:
    """Attach a watcher to the assistant (None when CAREOPS_CHAMPION_CHECK_SECONDS is 0)."""
    if settings.champion_check_seconds <= 0:
        return None
    watcher = ChampionWatcher(assistant, settings, interval_seconds=settings.champion_check_seconds)
    assistant.watcher = watcher
    return watcher
