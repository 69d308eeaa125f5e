"""The fine-tuned crisis encoder: what is trained is what is served (ONNX equals PyTorch), a long
message counts as its most worrying window, and the lower-layer states do not depend on batching."""

from __future__ import annotations

import numpy as np
import pytest

from core.nlu.embeddings import DIMENSIONS, get_embedder
from core.nlu.features import extract
from core.safety import encoder as crisis_encoder

CRISIS = ["i want to end my life", "no aguanto mas, quiero morirme", "everyone would be better off without me",
          "ya no quiero vivir", "i have been saving my pills to take them all", "me quiero matar"]
SAFE = ["how do i help mom bathe safely", "what snacks are good for diabetes", "¿cómo ayudo a mi papá a comer?",
        "tips for a caregiver who is tired", "gracias por la ayuda", "what shoes prevent falls"]
LONG = (" ".join(["we had a long week with dad and the appointments kept piling up at the clinic."] * 10)
        + " i just dont see the point of going on anymore and i have a plan.")


@pytest.fixture(scope="module")
def embedder(tmp_path_factory):
    return get_embedder(tmp_path_factory.mktemp("encoder-models"))


@pytest.fixture(scope="module")
def tiny(embedder):
    features = extract(CRISIS + SAFE + [LONG], embedder)
    items = [f.hidden for f in features]
    y = np.array([1] * len(CRISIS) + [0] * len(SAFE) + [1])
    hp = dict(crisis_encoder.HYPERPARAMETERS, epochs=8, batch_size=4)
    model = crisis_encoder._fit(items, y, np.ones(len(y)), hp)
    return items, y, model


def test_long_messages_are_read_as_windows_with_lower_layer_states(embedder):
    short, long = extract(["how do i help mom bathe", LONG], embedder)
    assert len(short.hidden) == 1 and short.hidden[0].shape[1] == DIMENSIONS
    assert len(long.hidden) == len(long.window_texts) > 1


def test_lower_layer_states_do_not_depend_on_padding(embedder):
    alone = embedder.encode_with_hidden(["ya no quiero vivir"])[1][0]
    batched = embedder.encode_with_hidden(["ya no quiero vivir", LONG])[1][0]
    assert alone.shape == batched.shape
    assert np.allclose(alone, batched, atol=1e-4)


def test_training_separates_crisis_from_safe_messages(tiny):
    items, y, model = tiny
    served = crisis_encoder.CrisisEncoder(crisis_encoder._export(model)).probabilities(items)
    assert served[y == 1].min() > served[y == 0].max(), served


def test_onnx_export_gives_the_same_probabilities_as_pytorch(tiny):
    import torch

    items, _, model = tiny
    served = crisis_encoder.CrisisEncoder(crisis_encoder._export(model))
    for reads in items:
        hidden, mask = crisis_encoder._pad(reads)
        with torch.inference_mode():
            logits = model(torch.from_numpy(hidden), torch.from_numpy(mask)).numpy()
        assert served.probabilities([reads])[0] == pytest.approx(float((1 / (1 + np.exp(-logits))).max()), abs=1e-4)


def test_a_long_message_scores_as_its_most_worrying_window(tiny):
    items, _, model = tiny
    served = crisis_encoder.CrisisEncoder(crisis_encoder._export(model))
    windows = items[-1]
    each = served.probabilities([[w] for w in windows])
    assert served.probabilities([windows])[0] == pytest.approx(each.max(), abs=1e-6)
    assert served.probabilities([]).shape == (0,)


def test_both_models_share_one_process_wide_thread_pool(embedder, tiny):
    """The embedding and the crisis encoder run on one ONNX Runtime pool (see onnx_session), and
    the encoder served from that pool scores as the one trained."""
    from core.nlu import embeddings

    items, y, model = tiny
    served = crisis_encoder.CrisisEncoder(crisis_encoder._export(model))
    assert embeddings._global_pool is True
    assert embedder.backend == "onnxruntime"
    assert served._session.get_session_options().use_per_session_threads is False
    scores = served.probabilities(items)
    assert scores[y == 1].min() > scores[y == 0].max()


def test_serving_tokenizer_gives_the_word_pieces_of_transformers(embedder):
    """Serving tokenizes with the model's own tokenizer.json; the pieces, masks and type ids equal
    AutoTokenizer's (cut at MAX_TOKENS, padded to the batch's longest) for every kind of text."""
    from transformers import AutoTokenizer

    from core.nlu.embeddings import MAX_TOKENS, _tokenizer

    reference = AutoTokenizer.from_pretrained(str(embedder.model_dir), local_files_only=True)
    serving = _tokenizer(embedder.model_dir)
    texts = [*CRISIS, *SAFE, LONG, "", "   ", "x" * 3000, "é\u200bx\u0000y", "😀 hola ÀÉÎ ñ Straße", "no\tsé\nqué"]
    for batch in (texts, texts[:3], [LONG]):
        expected = reference(batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="np")
        got = serving.encode_batch(batch)
        assert np.array_equal([e.ids for e in got], expected["input_ids"])
        assert np.array_equal([e.attention_mask for e in got], expected["attention_mask"])
        assert np.array_equal([e.type_ids for e in got], expected["token_type_ids"])
