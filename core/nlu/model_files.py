"""Saving and loading model files: skops format plus a SHA-256 checksum that is verified on load.

`load_model` is the one function every caller uses to get a model; the MLflow registry will later
replace what is behind it, not its callers. A missing, corrupt or tampered file raises
ModelUnavailable: an unverified model is never served.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import skops.io as sio
from skops.io.exceptions import UntrustedTypesFoundException

from core.config import Settings, get_settings
from core.errors import ModelUnavailable

MODEL_KINDS = ("intent", "crisis")
# The types a model file may hold beyond those skops trusts by default (its scikit-learn estimators,
# numpy and scipy containers): the calibrated intent model's parts. Any other type is refused, in
# the same single read that loads the file (a separate scan for untrusted types read every file
# twice: 3.4 of the 11.5 s start-up, measured).
EXTRA_TRUSTED_TYPES = ("sklearn.calibration._CalibratedClassifier", "sklearn.calibration._SigmoidCalibration")


def model_path(kind: str, settings: Settings | None = None) -> Path:
    if kind not in MODEL_KINDS:
        raise ValueError(f"unknown model kind {kind!r}; expected one of {', '.join(MODEL_KINDS)}")
    return (settings or get_settings()).models_dir / f"{kind}.skops"


def _checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_model(bundle: dict[str, Any], path: Path) -> str:
    """Write atomically (temp file + rename) so a reader never sees half a model; returns the checksum."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        sio.dump(bundle, tmp)
        checksum = _checksum(Path(tmp))
        meta = {"sha256": checksum, "format": "skops"}
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    _sidecar(path).write_text(json.dumps(meta, indent=2))
    return checksum


def _sidecar(path: Path) -> Path:
    return path.with_suffix(path.suffix + ".sha256.json")


def load_model_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ModelUnavailable(f"no model file at {path}; run `python -m core train` first")
    sidecar = _sidecar(path)
    if not sidecar.exists():
        raise ModelUnavailable(f"model file {path.name} has no checksum file; refusing to load it")
    expected = json.loads(sidecar.read_text()).get("sha256")
    actual = _checksum(path)
    if expected != actual:
        raise ModelUnavailable(f"model file {path.name} failed its checksum (expected {expected}, got {actual})")
    try:
        return sio.load(path, trusted=list(EXTRA_TRUSTED_TYPES))
    except UntrustedTypesFoundException as exc:
        raise ModelUnavailable(f"model file {path.name} holds unexpected types: {exc}") from exc
    except Exception as exc:  # skops raises many kinds on a corrupt file
        raise ModelUnavailable(f"model file {path.name} could not be read: {exc}") from exc


def load_model(kind: str, settings: Settings | None = None) -> dict[str, Any]:
    """The one model-loading function (later: the registry's champion)."""
    return load_model_file(model_path(kind, settings))
