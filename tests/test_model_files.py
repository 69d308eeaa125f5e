"""Model files: a checksum is verified on load; a corrupt or tampered model is never served."""

from __future__ import annotations

import pytest
from sklearn.linear_model import LogisticRegression

from core.errors import ModelUnavailable
from core.nlu.model_files import load_model_file, save_model


def _bundle():
    return {"model": LogisticRegression().fit([[0.0], [1.0]], [0, 1]), "threshold": 0.5}


def test_saved_model_loads_back(tmp_path):
    path = tmp_path / "m.skops"
    save_model(_bundle(), path)
    assert load_model_file(path)["threshold"] == 0.5


def test_tampered_model_fails_its_checksum(tmp_path):
    path = tmp_path / "m.skops"
    save_model(_bundle(), path)
    with path.open("ab") as handle:
        handle.write(b"x")
    with pytest.raises(ModelUnavailable, match="checksum"):
        load_model_file(path)


def test_model_without_checksum_is_refused(tmp_path):
    path = tmp_path / "m.skops"
    save_model(_bundle(), path)
    path.with_suffix(".skops.sha256.json").unlink()
    with pytest.raises(ModelUnavailable, match="no checksum"):
        load_model_file(path)


def test_missing_model_says_how_to_build_one(tmp_path):
    with pytest.raises(ModelUnavailable, match="python -m core train"):
        load_model_file(tmp_path / "none.skops")


def test_model_with_unexpected_types_is_refused(tmp_path):
    import json

    import skops.io as sio

    path = tmp_path / "m.skops"
    sio.dump({"thing": ModelUnavailable("x")}, path)
    from core.nlu.model_files import _checksum

    path.with_suffix(".skops.sha256.json").write_text(json.dumps({"sha256": _checksum(path)}))
    with pytest.raises(ModelUnavailable, match=r"unexpected types.*core\.errors\.ModelUnavailable"):
        load_model_file(path)


def test_trained_models_hold_only_trusted_types(trained):
    """Every type in the shipped model files is trusted by skops or listed in EXTRA_TRUSTED_TYPES,
    and every listed type is needed."""
    import skops.io as sio

    from core.nlu.model_files import EXTRA_TRUSTED_TYPES, MODEL_KINDS, model_path

    found = {t for kind in MODEL_KINDS for t in sio.get_untrusted_types(file=model_path(kind, trained))}
    assert found == set(EXTRA_TRUSTED_TYPES)
