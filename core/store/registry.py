"""The model registry: the one MLflow client of the project.

Where it lives: CAREOPS_MLFLOW_URI (a tracking server) when set, else an embedded SQLite store at
DATA_DIR/mlflow.db with artifacts under DATA_DIR/mlruns (no server; `make run` never needs one).
Nothing reaches the network otherwise: MLflow's telemetry is switched off before it is imported.

A model kind ("intent", "crisis", as in core.nlu.model_files) is the registered model
`care-intent` / `care-crisis`. A version is one MLflow run (params, metrics, tags, and under
`model/` the skops content file and its manifest exactly as model_files wrote them) plus a
registered version whose tags say what it is. Aliases are the only pointers: `champion` (served)
and `challenger` (under review); stages are not used. Nothing is ever deleted: retiring a version
tags it `status=archived`.

Version tags (the vocabulary every reader uses):
  kind, file, sha256                  the content file and its SHA-256 (checked by `fetch`)
  sha256.<artifact>                   SHA-256 of every file logged under model/
  embedding.manifest, embedding.sha256  crisis only: the ONNX embedding export it pairs with
  status                              candidate | champion | superseded | rejected | archived
  gates, gate.<name>[.value|.bar]     passed | failed, set by core.mlops.lifecycle
  card.sha256                         the safety card logged in the run (core.mlops.safety_card)
  approval.<n>.by|.at|.note, approved the signatures (core.mlops.approval)

Public functions (stable: the serving watcher and the Models page are built on them):
  model_name(kind) -> str                         "care-intent" | "care-crisis"
  tracking_uri(settings) -> str
  register_version(kind, manifest, *, params, metrics, tags, embedding, settings) -> VersionRecord
  champion(kind, settings) -> VersionRecord | None   one registry query: cheap enough to poll
  alias_version(kind, alias, settings) -> VersionRecord | None
  set_alias(kind, alias, number, settings) / clear_alias(kind, alias, settings)
  get_version(kind, number, settings) -> VersionRecord   (NotFound)
  list_versions(kind, settings) -> list[VersionRecord]   newest first, with aliases
  set_tags(kind, number, tags, settings) / remove_tags(kind, number, keys, settings)
  archive(kind, number, *, by, settings)                 tag status=archived; never deletes
  fetch(kind, number, settings) -> Path   the verified manifest in the local cache; load it with
                                          core.nlu.model_files.load_model_file
  check_pairing(record, embedding_manifest)   ModelUnavailable when a crisis version was trained on
                                          another embedding export than the one being served
  log_json / log_text(kind, number, name, ...)  an artifact in the version's run (cards, reports)
  read_artifact(kind, number, name, settings) -> Path | None
  run_record(kind, number, settings) -> RunRecord        the run's params, metrics and tags

Every function takes `settings` (default: get_settings()). Errors: NotFound for an unknown version,
InvalidInput for an unknown kind or alias, ModelUnavailable for an unreachable registry or an
artifact that fails its checksum (it is never served).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from core.config import Settings, get_settings
from core.errors import InvalidInput, ModelUnavailable, NotFound

MODEL_NAMES: dict[str, str] = {"intent": "care-intent", "crisis": "care-crisis"}
CHAMPION, CHALLENGER = "champion", "challenger"
ALIASES = (CHAMPION, CHALLENGER)
STATUSES = ("candidate", "champion", "superseded", "rejected", "archived")
EXPERIMENT = "careops-models"
ARTIFACT_DIR = "model"  # where a version's model files sit in its run
# Environment for MLflow, set before it is first imported: no telemetry, no progress bars on stderr.
MLFLOW_ENVIRONMENT = {"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true",
                      "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR": "false"}
_MISSING = ("RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE")  # MLflow's codes for "no such model/alias"

_lock = threading.Lock()
_clients: dict[str, Any] = {}
_experiments: dict[str, str] = {}


@dataclass(frozen=True)
class VersionRecord:
    """One registered version, as the registry holds it now."""

    kind: str
    version: int
    run_id: str
    sha256: str
    file: str
    aliases: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    created_at: datetime | None = None

    @property
    def name(self) -> str:
        return MODEL_NAMES[self.kind]

    @property
    def status(self) -> str:
        return self.tags.get("status", "candidate")

    @property
    def gates_passed(self) -> bool | None:
        """True / False once gates were evaluated on it; None before."""
        return {"passed": True, "failed": False}.get(self.tags.get("gates", ""))


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    params: dict[str, str]
    metrics: dict[str, float]
    tags: dict[str, str]


def model_name(kind: str) -> str:
    if kind not in MODEL_NAMES:
        raise InvalidInput(f"unknown model kind {kind!r}; expected one of {', '.join(MODEL_NAMES)}")
    return MODEL_NAMES[kind]


def tracking_uri(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return settings.mlflow_uri or f"sqlite:///{settings.data_dir / 'mlflow.db'}"


def _is_server(uri: str) -> bool:
    return uri.split(":", 1)[0] in ("http", "https", "databricks")


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return stream_sha256(handle)


def stream_sha256(handle: BinaryIO) -> str:
    """The SHA-256 of what is left to read in an open binary file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def _client(settings: Settings):
    """One MLflow client per URI per process (opening a SQLite store checks its schema: ~1 s once)."""
    uri = tracking_uri(settings)
    with _lock:
        if uri not in _clients:
            for name, value in MLFLOW_ENVIRONMENT.items():
                os.environ.setdefault(name, value)
            if uri.startswith("sqlite:///"):
                Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            from mlflow import MlflowClient

            _clients[uri] = MlflowClient(tracking_uri=uri, registry_uri=uri)
        return _clients[uri]


def _call(settings: Settings, what: str, action):
    """Run one registry call; a registry that cannot be reached is a clear ModelUnavailable."""
    from mlflow.exceptions import MlflowException

    try:
        return action(_client(settings))
    except MlflowException as exc:
        if exc.error_code in _MISSING:
            raise
        raise ModelUnavailable(f"model registry at {_shown(tracking_uri(settings))}: {what} failed ({exc.message})") from exc


def _shown(uri: str) -> str:
    """The URI without a password, for messages."""
    if "@" in uri and "://" in uri:
        scheme, rest = uri.split("://", 1)
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return uri


def _experiment_id(settings: Settings) -> str:
    uri = tracking_uri(settings)
    if uri in _experiments:
        return _experiments[uri]
    client = _client(settings)
    found = client.get_experiment_by_name(EXPERIMENT)
    if found is not None:
        _experiments[uri] = found.experiment_id
        return found.experiment_id
    location = None if _is_server(uri) else (settings.data_dir / "mlruns").resolve().as_uri()
    try:
        _experiments[uri] = client.create_experiment(EXPERIMENT, artifact_location=location)
    except Exception:  # created meanwhile by another process
        _experiments[uri] = client.get_experiment_by_name(EXPERIMENT).experiment_id
    return _experiments[uri]


def _record(kind: str, mv, aliases: tuple[str, ...] | None = None) -> VersionRecord:
    tags = dict(mv.tags or {})
    created = datetime.fromtimestamp(mv.creation_timestamp / 1000, UTC) if mv.creation_timestamp else None
    return VersionRecord(kind, int(mv.version), mv.run_id or "", tags.get("sha256", ""), tags.get("file", ""),
                         tuple(mv.aliases or ()) if aliases is None else aliases, tags, created)


def _read_manifest(manifest: Path) -> tuple[Path, str]:
    try:
        record = json.loads(manifest.read_text(encoding="utf-8"))
        return manifest.parent / Path(record["file"]).name, str(record["sha256"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelUnavailable(f"model manifest {manifest} is unreadable ({exc}); nothing registered") from exc


def register_version(kind: str, manifest: Path, *, params: Mapping[str, Any] | None = None,
                     metrics: Mapping[str, float | None] | None = None, tags: Mapping[str, str] | None = None,
                     embedding: Path | None = None, settings: Settings | None = None) -> VersionRecord:
    """Log one run (params, metrics, tags, the content file and its manifest) and register it as a
    new version with status `candidate`. Aliases are not touched. A content file that does not
    match its manifest's checksum is refused: an unverified model never enters the registry.
    `embedding` is the manifest of the ONNX embedding export a crisis model pairs with."""
    settings = settings or get_settings()
    name = model_name(kind)
    content, expected = _read_manifest(manifest)
    if not content.exists() or file_sha256(content) != expected:
        raise ModelUnavailable(f"{content.name} is missing or does not match its manifest {manifest.name}; nothing registered")
    version_tags = {"kind": kind, "file": content.name, "sha256": expected, "status": "candidate",
                    f"sha256.{content.name}": expected, f"sha256.{manifest.name}": file_sha256(manifest)}
    if embedding is not None:
        version_tags |= {"embedding.manifest": embedding.name, "embedding.sha256": _read_manifest(embedding)[1]}
    version_tags |= {k: str(v) for k, v in (tags or {}).items()}

    def register(client) -> VersionRecord:
        run_tags = {k: v for k, v in version_tags.items() if k != "status"}  # status changes: version tag only
        run = client.create_run(_experiment_id(settings), run_name=f"{kind}-{expected[:12]}",
                                tags={**run_tags, "mlflow.note.content": f"{name} trained model"})
        run_id = run.info.run_id
        try:
            for key, value in (params or {}).items():
                client.log_param(run_id, key, str(value)[:6000])
            for key, value in (metrics or {}).items():
                if value is not None:
                    client.log_metric(run_id, key, float(value))
            client.log_artifact(run_id, str(content), ARTIFACT_DIR)
            client.log_artifact(run_id, str(manifest), ARTIFACT_DIR)
            try:
                client.get_registered_model(name)
            except Exception:
                _create_registered_model(client, name)
            mv = client.create_model_version(name, f"{run.info.artifact_uri}/{ARTIFACT_DIR}", run_id=run_id,
                                             tags=version_tags)
        except Exception:
            client.set_terminated(run_id, "FAILED")
            raise
        client.set_terminated(run_id, "FINISHED")
        return _record(kind, mv, ())

    return _call(settings, f"registering {name}", register)


def _create_registered_model(client, name: str) -> None:
    try:
        client.create_registered_model(name, description=f"CareOps {name}: see core/store/registry.py")
    except Exception:  # another process created it meanwhile
        client.get_registered_model(name)


def alias_version(kind: str, alias: str, settings: Settings | None = None) -> VersionRecord | None:
    """The version an alias points at, or None (no such model or alias yet): one registry query."""
    from mlflow.exceptions import MlflowException

    settings = settings or get_settings()
    name = model_name(kind)
    try:
        mv = _call(settings, f"reading {name}@{alias}", lambda c: c.get_model_version_by_alias(name, alias))
    except MlflowException:
        return None
    return _record(kind, mv)


def champion(kind: str, settings: Settings | None = None) -> VersionRecord | None:
    """The served version of a kind, or None when there is none yet."""
    return alias_version(kind, CHAMPION, settings)


def set_alias(kind: str, alias: str, number: int, settings: Settings | None = None) -> None:
    if alias not in ALIASES:
        raise InvalidInput(f"unknown alias {alias!r}; expected one of {', '.join(ALIASES)}")
    settings = settings or get_settings()
    get_version(kind, number, settings)
    _call(settings, f"pointing {alias}", lambda c: c.set_registered_model_alias(model_name(kind), alias, str(number)))


def clear_alias(kind: str, alias: str, settings: Settings | None = None) -> None:
    from mlflow.exceptions import MlflowException

    settings = settings or get_settings()
    with contextlib.suppress(MlflowException):  # nothing to clear
        _call(settings, f"clearing {alias}", lambda c: c.delete_registered_model_alias(model_name(kind), alias))


def get_version(kind: str, number: int | str, settings: Settings | None = None) -> VersionRecord:
    from mlflow.exceptions import MlflowException

    settings = settings or get_settings()
    name = model_name(kind)
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise InvalidInput(f"a version is a number (got {number!r})") from None
    try:
        mv = _call(settings, f"reading {name} version {number}", lambda c: c.get_model_version(name, str(number)))
    except MlflowException:
        raise NotFound(f"{name} has no version {number}") from None
    aliases = _aliases(kind, settings)
    return _record(kind, mv, tuple(a for a, v in aliases.items() if v == number))


def _aliases(kind: str, settings: Settings) -> dict[str, int]:
    from mlflow.exceptions import MlflowException

    name = model_name(kind)
    try:
        model = _call(settings, f"reading {name}", lambda c: c.get_registered_model(name))
    except MlflowException:
        return {}
    return {alias: int(v) for alias, v in (model.aliases or {}).items()}


def list_versions(kind: str, settings: Settings | None = None) -> list[VersionRecord]:
    """Every version of a kind, newest first, with its aliases (two registry queries)."""
    settings = settings or get_settings()
    name = model_name(kind)
    found = _call(settings, f"listing {name}", lambda c: c.search_model_versions(f"name='{name}'"))
    aliases = _aliases(kind, settings)
    records = [_record(kind, mv, tuple(a for a, v in aliases.items() if v == int(mv.version))) for mv in found]
    return sorted(records, key=lambda r: r.version, reverse=True)


def set_tags(kind: str, number: int, tags: Mapping[str, Any], settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    name = model_name(kind)
    get_version(kind, number, settings)

    def tag(client) -> None:
        for key, value in tags.items():
            client.set_model_version_tag(name, str(number), key, str(value)[:5000])

    _call(settings, f"tagging {name} version {number}", tag)


def remove_tags(kind: str, number: int, keys: list[str], settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    name = model_name(kind)
    present = get_version(kind, number, settings).tags

    def untag(client) -> None:
        for key in keys:
            if key in present:
                client.delete_model_version_tag(name, str(number), key)

    _call(settings, f"untagging {name} version {number}", untag)


def archive(kind: str, number: int, *, by: str, settings: Settings | None = None) -> None:
    """Retire a version: tagged archived (who, when), never deleted. Its challenger alias goes."""
    settings = settings or get_settings()
    record = get_version(kind, number, settings)
    if CHALLENGER in record.aliases:
        clear_alias(kind, CHALLENGER, settings)
    set_tags(kind, number, {"status": "archived", "archived.by": by,
                            "archived.at": datetime.now(UTC).isoformat(timespec="seconds")}, settings)


def _cache(settings: Settings, kind: str, number: int) -> Path:
    return settings.data_dir / "registry-cache" / kind / str(number)


def _verify(folder: Path, record: VersionRecord) -> str | None:
    """None when every artifact in `folder` matches the registry's checksums, else what is wrong."""
    manifest = folder / f"{record.kind}.json"
    if not record.sha256 or not record.file:
        return "the registry holds no checksum for it"
    if not manifest.exists():
        return f"{manifest.name} is missing"
    content, named = _read_manifest(manifest)
    if content.name != record.file or named != record.sha256:
        return f"its manifest names {content.name} ({named}), the registry {record.file} ({record.sha256})"
    for key, expected in record.tags.items():
        if key.startswith("sha256."):
            path = folder / key.removeprefix("sha256.")
            actual = file_sha256(path) if path.exists() else "missing"
            if actual != expected:
                return f"{path.name} failed its checksum (registry {expected}, file {actual})"
    return None


def fetch(kind: str, number: int, settings: Settings | None = None) -> Path:
    """The version's manifest in the local cache (DATA_DIR/registry-cache/<kind>/<version>/), its
    files downloaded once and verified against the registry's checksums on every call. Load it with
    core.nlu.model_files.load_model_file. A mismatch raises ModelUnavailable and the copy is removed."""
    settings = settings or get_settings()
    record = get_version(kind, number, settings)
    target = _cache(settings, kind, record.version)
    if target.exists() and _verify(target, record) is None:
        return target / f"{kind}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{record.version}-"))
    try:
        _call(settings, f"downloading {record.name} version {record.version}",
              lambda c: c.download_artifacts(record.run_id, ARTIFACT_DIR, str(staging)))
        problem = _verify(staging / ARTIFACT_DIR, record)
        if problem is not None:
            raise ModelUnavailable(f"{record.name} version {record.version} is not served: {problem}")
        shutil.rmtree(target, ignore_errors=True)
        try:
            os.replace(staging / ARTIFACT_DIR, target)
        except OSError:  # another process put a copy there meanwhile
            if _verify(target, record) is not None:
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target / f"{kind}.json"


def check_pairing(record: VersionRecord, embedding_manifest: Path) -> None:
    """A crisis version reads the hidden states of one embedding export (the manifest name stamps the
    weights and the export's outputs); served with another, its scores would be meaningless."""
    paired = record.tags.get("embedding.manifest")
    if paired and paired != embedding_manifest.name:
        raise ModelUnavailable(f"{record.name} version {record.version} was trained with the embedding export "
                               f"{paired}, not {embedding_manifest.name}; it is not served")


def log_json(kind: str, number: int, name: str, data: Any, settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    record = get_version(kind, number, settings)
    _call(settings, f"logging {name}", lambda c: c.log_dict(record.run_id, data, name))


def log_text(kind: str, number: int, name: str, text: str, settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    record = get_version(kind, number, settings)
    _call(settings, f"logging {name}", lambda c: c.log_text(record.run_id, text, name))


def read_artifact(kind: str, number: int, name: str, settings: Settings | None = None) -> Path | None:
    """A file of the version's run (e.g. safety_card.html), downloaded to the cache; None if absent."""
    from mlflow.exceptions import MlflowException

    settings = settings or get_settings()
    record = get_version(kind, number, settings)
    target = _cache(settings, kind, record.version).with_name(f"{record.version}-artifacts")
    target.mkdir(parents=True, exist_ok=True)
    try:
        return Path(_call(settings, f"reading {name}", lambda c: c.download_artifacts(record.run_id, name, str(target))))
    except (MlflowException, OSError):
        return None


def run_record(kind: str, number: int, settings: Settings | None = None) -> RunRecord:
    settings = settings or get_settings()
    record = get_version(kind, number, settings)
    run = _call(settings, f"reading run {record.run_id}", lambda c: c.get_run(record.run_id))
    return RunRecord(record.run_id, dict(run.data.params), dict(run.data.metrics), dict(run.data.tags))
