"""Model files: published through a manifest with a checksum that is verified on load; a reader sees
the old model or the new one, never a mix; a corrupt or tampered model is never served."""

from __future__ import annotations

import json
import stat
import threading

import pytest
from sklearn.linear_model import LogisticRegression

from core.errors import ModelUnavailable
from core.nlu import model_files
from core.nlu.model_files import load_model_file, save_model, verified_file


def _bundle(threshold: float = 0.5):
    return {"model": LogisticRegression().fit([[0.0], [1.0]], [0, 1]), "threshold": threshold}


def _content(manifest):
    return manifest.parent / json.loads(manifest.read_text())["file"]


def test_saved_model_loads_back(tmp_path):
    manifest = tmp_path / "m.json"
    save_model(_bundle(), manifest)
    assert load_model_file(manifest)["threshold"] == 0.5


def test_tampered_model_fails_its_checksum(tmp_path):
    manifest = tmp_path / "m.json"
    save_model(_bundle(), manifest)
    with _content(manifest).open("ab") as handle:
        handle.write(b"x")
    with pytest.raises(ModelUnavailable, match="checksum"):
        load_model_file(manifest)


def test_model_named_by_a_broken_manifest_is_refused(tmp_path):
    manifest = tmp_path / "m.json"
    save_model(_bundle(), manifest)
    manifest.write_text("{not json")
    with pytest.raises(ModelUnavailable, match="unreadable"):
        load_model_file(manifest)


def test_missing_model_says_how_to_build_one(tmp_path):
    with pytest.raises(ModelUnavailable, match="python -m core train"):
        load_model_file(tmp_path / "none.json")


def test_a_crash_before_the_manifest_is_replaced_leaves_the_old_model_served(tmp_path, monkeypatch):
    manifest = tmp_path / "m.json"
    save_model(_bundle(0.1), manifest)

    def crash(path, record):
        raise OSError("disk full")

    monkeypatch.setattr(model_files, "_write_json_atomically", crash)
    with pytest.raises(OSError):
        save_model(_bundle(0.9), manifest)
    assert load_model_file(manifest)["threshold"] == 0.1
    assert not list(tmp_path.glob("*.tmp")), "no temporary file is left behind"


def test_readers_never_see_a_half_published_model(tmp_path):
    """One thread publishes new versions while others load: every load succeeds with one of them."""
    manifest = tmp_path / "m.json"
    save_model(_bundle(0.0), manifest)
    failures: list[Exception] = []
    seen: set[float] = set()
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                seen.add(load_model_file(manifest)["threshold"])
            except Exception as exc:  # a checksum race would show up here
                failures.append(exc)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    version = 0
    while version < 14 or (len(seen) < 2 and version < 400):  # until the readers have met a swap
        version += 1
        save_model(_bundle(version / 1000), manifest)
    done.set()
    for reader in readers:
        reader.join()
    assert not failures, failures[:3]
    assert len(seen) > 1
    assert len(list(tmp_path.glob("m-*.skops"))) == model_files.KEEP_VERSIONS


def test_model_files_are_readable_by_the_serving_user(tmp_path):
    manifest = tmp_path / "m.json"
    save_model(_bundle(), manifest)
    for path in (manifest, _content(manifest)):
        assert path.stat().st_mode & stat.S_IRGRP and path.stat().st_mode & stat.S_IROTH, path
        assert not path.stat().st_mode & stat.S_IWOTH


def test_model_with_unexpected_types_is_refused(tmp_path):
    import skops.io as sio

    manifest = tmp_path / "m.json"
    model_files.publish(manifest, lambda tmp: sio.dump({"thing": ModelUnavailable("x")}, tmp), ".skops")
    with pytest.raises(ModelUnavailable, match=r"unexpected types.*core\.errors\.ModelUnavailable"):
        load_model_file(manifest)


@pytest.mark.slow
def test_trained_models_hold_only_trusted_types(trained):
    """Every type in the shipped model files is trusted by skops or listed in EXTRA_TRUSTED_TYPES,
    and every listed type is needed."""
    import skops.io as sio

    from core.nlu.model_files import EXTRA_TRUSTED_TYPES, MODEL_KINDS, model_path

    found = {t for kind in MODEL_KINDS for t in sio.get_untrusted_types(file=_content(model_path(kind, trained)))}
    assert found == set(EXTRA_TRUSTED_TYPES)


@pytest.mark.slow
def test_the_embedding_export_is_checksummed_and_a_tampered_one_is_exported_again(trained, tmp_path):
    import shutil

    from core.nlu.embeddings import Embedder, export_manifest

    cache = tmp_path / "models"
    shutil.copytree(trained.models_dir, cache)
    first = Embedder(cache)
    manifest = export_manifest(first.model_dir, cache)
    onnx = verified_file(manifest, "")
    assert first.backend == "onnxruntime" and first.fallback_reason is None
    with onnx.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\0" * 64)
    again = Embedder(cache)
    assert again.backend == "onnxruntime", "a tampered export is exported again, not served"
    assert verified_file(manifest, "")


def test_a_failed_onnx_load_is_visible(tmp_path, caplog):
    """The slower PyTorch path may serve, but never silently."""
    from core.nlu.embeddings import Embedder

    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the export directory should be")
    with caplog.at_level("WARNING"):
        embedder = Embedder(blocked)
    assert embedder.backend == "pytorch"
    assert embedder.fallback_reason and "ONNX" in embedder.fallback_reason
    assert "embedding with PyTorch" in caplog.text


def test_a_saved_vectorizer_transforms_as_before_and_saves_in_linear_time(tmp_path):
    """Vocabularies are saved as plain ints (numpy ints made skops quadratic in the vocabulary)."""
    import time

    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    rng = np.random.default_rng(7)
    words = ["".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), 6)) for _ in range(4000)]
    texts = [" ".join(rng.choice(words, 12)) for _ in range(3000)]
    fitted = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=2, max_features=20_000).fit(texts)
    assert isinstance(next(iter(fitted.vocabulary_.values())), np.integer)  # what scikit-learn does
    expected = fitted.transform(texts[:50]).toarray()
    started = time.perf_counter()
    save_model({"char": fitted}, tmp_path / "crisis.json")
    seconds = time.perf_counter() - started
    loaded = load_model_file(tmp_path / "crisis.json")["char"]
    assert np.array_equal(loaded.transform(texts[:50]).toarray(), expected)
    assert all(type(column) is int for column in loaded.vocabulary_.values())
    assert seconds < 10, f"saving a 20,000-term vocabulary took {seconds:.1f} s"
