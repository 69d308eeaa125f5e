"""Saving and loading model files: skops format, content-addressed, published through a manifest.

A model is two things on disk: an immutable content file named by its checksum
(`intent-<sha256[:16]>.skops`) and a small manifest (`intent.json`) that names that file and its full
SHA-256. Publishing writes the content file first, then replaces the manifest in one rename, so a
reader sees the old model and its checksum or the new model and its checksum, never a mix; a crash
in between leaves the previous model served. The previous content file is kept for readers that
opened its manifest a moment before the swap.

`load_model` is the one function every caller uses to get a model. Where a model registry is in use
(CAREOPS_MLFLOW_URI, or the local store under the data directory once a training has registered a
version), it serves the registry's champion (`care-intent@champion`, `care-crisis@champion`),
downloaded and verified by core/store/registry.py; with no registry or no champion yet (a fresh
machine, the container's built-in models) it reads the local manifest. A missing, corrupt or
tampered file raises ModelUnavailable: an unverified model is never served.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import skops.io as sio
from skops.io.exceptions import UntrustedTypesFoundException

from core.config import Settings, get_settings
from core.errors import ModelUnavailable
from core.store.registry import champion, fetch, file_sha256, stream_sha256, tracking_uri
from core.taxonomy import MODEL_KINDS

# The types a model file may hold beyond those skops trusts by default (its scikit-learn estimators,
# numpy and scipy containers): the calibrated intent model's parts. Any other type is refused, in
# the same single read that loads the file (a separate scan for untrusted types read every file
# twice: 3.4 of the 11.5 s start-up, measured).
EXTRA_TRUSTED_TYPES = ("sklearn.calibration._CalibratedClassifier", "sklearn.calibration._SigmoidCalibration")
KEEP_VERSIONS = 2  # content files kept per manifest: the current one and the one before it
LOCAL_VERSION = "local"  # the version name of the manifest under models_dir, when no registry champion serves


def model_path(kind: str, settings: Settings | None = None) -> Path:
    """The manifest of a model kind (`<models_dir>/<kind>.json`)."""
    if kind not in MODEL_KINDS:
        raise ValueError(f"unknown model kind {kind!r}; expected one of {', '.join(MODEL_KINDS)}")
    return (settings or get_settings()).models_dir / f"{kind}.json"


file_checksum = file_sha256  # one definition of a file's SHA-256 (the registry's)


def _readable_by_others(path: Path) -> None:
    """mkstemp creates files 0600; a model is read by whichever service user serves it, so it gets
    the mode an ordinary file would get under the process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o644 & ~umask)


def publish(manifest: Path, write: Callable[[Path], None], suffix: str, **meta: Any) -> str:
    """Write a content file with `write(tmp_path)`, name it by its checksum, then point the manifest
    at it atomically. Returns the SHA-256. Nothing is visible until the manifest is replaced."""
    manifest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=manifest.parent, suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        checksum = file_checksum(tmp)
        content = manifest.with_name(f"{manifest.stem}-{checksum[:16]}{suffix}")
        _readable_by_others(tmp)
        os.replace(tmp, content)
        record = {"file": content.name, "sha256": checksum, "saved_at": datetime.now(UTC).isoformat(), **meta}
        _write_json_atomically(manifest, record)
    finally:
        tmp.unlink(missing_ok=True)
    _prune(manifest, suffix)
    return checksum


def _write_json_atomically(path: Path, record: dict) -> None:
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        _readable_by_others(Path(tmp_name))
        os.replace(tmp_name, path)
    finally:
        Path(tmp_name).unlink(missing_ok=True)


def _prune(manifest: Path, suffix: str) -> None:
    """Remove content files older than the KEEP_VERSIONS newest (never the one the manifest names)."""
    current = json.loads(manifest.read_text())["file"]
    files = sorted(manifest.parent.glob(f"{manifest.stem}-*{suffix}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in [f for f in files if f.name != current][KEEP_VERSIONS - 1:]:
        stale.unlink(missing_ok=True)


def verified_file(manifest: Path, how_to_build: str) -> Path:
    """The content file a manifest names, after its checksum matched; ModelUnavailable otherwise."""
    path, handle = _verified(manifest, how_to_build)
    handle.close()
    return path


def _verified(manifest: Path, how_to_build: str) -> tuple[Path, BinaryIO]:
    """The content file a manifest names, opened, and checked against the checksum through that
    handle (rewound for the caller, who closes it): a model is loaded from exactly the file that was
    verified, even if a later publish prunes it a moment later, since an open file stays readable
    (loading by path after the check lost that race when publishes came fast, measured), and
    without holding the whole file in memory (reading it into bytes first raised the serving
    process's peak by 77 MB, measured). A reader that read a manifest just before newer versions
    were published may find its content file pruned: the manifest is read again (it names a newer
    file), a few times at most."""
    for _ in range(3):
        try:
            return _verified_once(manifest, how_to_build)
        except _Superseded:
            continue
    return _verified_once(manifest, how_to_build, retry=False)


class _Superseded(Exception):
    """The manifest named a content file that a later publish pruned."""


def _verified_once(manifest: Path, how_to_build: str, retry: bool = True) -> tuple[Path, BinaryIO]:
    if not manifest.exists():
        raise ModelUnavailable(f"no model at {manifest}; {how_to_build}")
    try:
        record = json.loads(manifest.read_text())
        content, expected = manifest.parent / Path(record["file"]).name, record["sha256"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelUnavailable(f"model manifest {manifest.name} is unreadable ({exc}); refusing to load it") from exc
    try:
        handle = content.open("rb")
    except FileNotFoundError:
        if retry and json.loads(manifest.read_text()).get("file") != record["file"]:
            raise _Superseded from None
        raise ModelUnavailable(f"model manifest {manifest.name} names {content.name}, which is missing") from None
    if (actual := stream_sha256(handle)) != expected:
        handle.close()
        raise ModelUnavailable(f"model file {content.name} failed its checksum (expected {expected}, got {actual})")
    handle.seek(0)
    return content, handle


def compact_vocabularies(bundle: Any) -> None:
    """Make each fitted vectorizer's vocabulary plain Python ints, in place, and drop `stop_words_`.

    After `max_features` or `min_df`, scikit-learn stores every column index as a numpy integer, and
    skops writes each numpy value as a file of its own inside the zip, looking up the zip's whole
    name list for each: a vocabulary of 75,000 terms made saving the two models quadratic (74 of
    the quick training's 104 s, measured). `stop_words_` (the n-grams left out) is only for
    inspection; scikit-learn's documentation says it can be removed before saving. Transforms are
    unchanged (tests/test_model_files.py)."""
    if isinstance(bundle, dict):
        for value in bundle.values():
            compact_vocabularies(value)
    elif isinstance(bundle, list | tuple):
        for value in bundle:
            compact_vocabularies(value)
    elif isinstance(getattr(bundle, "vocabulary_", None), dict):
        bundle.vocabulary_ = {term: int(column) for term, column in bundle.vocabulary_.items()}
        if hasattr(bundle, "stop_words_"):
            bundle.stop_words_ = None


def save_model(bundle: dict[str, Any], manifest: Path) -> str:
    """Publish a model bundle (see `publish`; its vectorizers compacted first); returns its checksum."""
    compact_vocabularies(bundle)
    return publish(manifest, lambda tmp: sio.dump(bundle, tmp), ".skops", format="skops")


def load_model_file(manifest: Path) -> dict[str, Any]:
    path, handle = _verified(manifest, "run `python -m core train` first")
    try:
        with handle:
            return sio.load(handle, trusted=list(EXTRA_TRUSTED_TYPES))
    except UntrustedTypesFoundException as exc:
        raise ModelUnavailable(f"model file {path.name} holds unexpected types: {exc}") from exc
    except Exception as exc:  # skops raises many kinds on a corrupt file
        raise ModelUnavailable(f"model file {path.name} could not be read: {exc}") from exc


def registry_in_use(settings: Settings) -> bool:
    """A registry server is configured, or the local store exists. A fresh machine has neither, and
    asking would create an empty store (and import MLflow, seconds) for nothing."""
    uri = tracking_uri(settings)
    return not uri.startswith("sqlite:///") or Path(uri.removeprefix("sqlite:///")).exists()


def local_version(kind: str, settings: Settings | None = None) -> str:
    """The version name of the local model files: `local-<first 12 of their SHA-256>`, so a retrain
    that republishes them is a new version; plain `local` when there is no readable manifest."""
    try:
        sha = json.loads(model_path(kind, settings).read_text())["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return LOCAL_VERSION
    return f"{LOCAL_VERSION}-{str(sha)[:12]}"


def is_local(version: str) -> bool:
    return version == LOCAL_VERSION or version.startswith(f"{LOCAL_VERSION}-")


def current_version(kind: str, settings: Settings | None = None) -> str:
    """The version `load_model` serves now: the champion's number, or the local files' version when
    there is no registry or no champion yet. One registry query and one small file read: cheap
    enough to poll. ModelUnavailable when the registry cannot be read."""
    settings = settings or get_settings()
    model_path(kind, settings)  # an unknown kind is refused before the registry is asked
    record = champion(kind, settings) if registry_in_use(settings) else None
    return local_version(kind, settings) if record is None else str(record.version)


def load_model(kind: str, settings: Settings | None = None, *, version: str | None = None) -> dict[str, Any]:
    """The one model-loading function: `version` of `kind` (a registry version number, or a local
    version for the local manifest); by default the one `current_version` names."""
    settings = settings or get_settings()
    version = version or current_version(kind, settings)
    if is_local(version):
        bundle = load_model_file(model_path(kind, settings))
        if version != LOCAL_VERSION and local_version(kind, settings) != version:
            raise ModelUnavailable(f"the local {kind} model files changed while {version} was loading; "
                                   "the next check loads the new ones")
        return bundle
    if not version.isdigit():
        raise ValueError(f"a model version is a registry version number or local (got {version!r})")
    return load_model_file(fetch(kind, int(version), settings))
