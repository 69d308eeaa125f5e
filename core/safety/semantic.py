"""The semantic crisis classifier: a linear model over the sentence embedding (with word and
character n-grams beside it), averaged with a fine-tuned crisis encoder (core/safety/encoder.py).

It catches what explicit patterns cannot: the indirect, long, rambling ways people say they are in
danger. It is its own model, trained and versioned apart from the intent model. The embedding
carries meaning across wording; the n-grams carry the exact words people use in both languages
(the embedding model is English-first); the fine-tuned encoder separates indirect crisis lines from
sad-but-safe ones that sit close together in the frozen embedding. Long messages are also read as
overlapping windows, and the most worrying window counts.

The probability is the mean of the two models' probabilities. Averaging two models that err
differently lowers false alarms more than it lowers recall (measured out of fold; see README).

Two heads read the same n-gram and embedding blocks (one pass serves all): the distress head
(distress or crisis against none) and the confirming head. The crisis classifier learned on authored
text, whose crisis examples are long, first-person and sad and whose negatives are mostly short
questions; on real text it also flags sad, angry or violent-worded ordinary messages. The confirming
head learns crisis against everything else on the authored rows AND real text (everyday comments,
distress posts, health stories, real crises); a crisis found by the classifier alone that it does not
confirm is answered as distress (warm reply, the direct check-in question, 988 for emotional
distress) instead of as a crisis. Its threshold is read on the real validation split, within bounds
read out of fold on the rows it was trained on (core/mlops/thresholds.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from core.nlu.vectorize import BlockLinear, softmax_or_sigmoid, tfidf_rows, tfidf_transform
from core.safety import encoder as crisis_encoder
from core.safety.decision import crisis_rule

NONE = "none"
# Every hyperparameter is pinned: the same data gives the same model.
HYPERPARAMETERS = {
    "C": 4.0,
    "type_C": 4.0,
    "distress_C": 2.0,
    "confirm_C": 4.0,
    # The confirming head's threshold is read on the real validation split (core/mlops/thresholds.py)
    # within these bounds, read out of fold: it keeps at least the first share of the crisis rows it
    # was trained on, and may go as high as keeping the second. At 0.90 the upper bound (0.169) held
    # the threshold below what the validation split allows and cost golden and real distress rows
    # crisis replies; 0.80 leaves the validation rule to decide (README, "Graded risk: the
    # confirming threshold").
    "confirm_keep": 0.98,
    "confirm_min_keep": 0.80,
    "max_iter": 3000,
    "word_ngrams": (1, 2),
    "char_ngrams": (2, 5),
    "char_min_df": 2,
    "char_max_features": 80000,
    # The threshold maximises the out-of-fold F-beta of the whole screen (explicit detectors + this
    # classifier), with recall weighted beta^2 = 4 times precision: a missed crisis costs far more
    # than a false alarm, but false alarms on ordinary questions are not free either.
    "beta": 2.0,
    "threshold_bounds": (0.45, 0.85),
    "random_state": 13,
}


@dataclass(frozen=True)
class SemanticScore:
    probability: float
    crisis_type: str | None
    linear: float = 0.0  # the linear model's probability
    encoder: float | None = None  # the fine-tuned encoder's; None when it was not consulted
    distress: float | None = None  # the distress head's probability; None when the bundle has none
    confirm: float | None = None  # the confirming head's (worst read); None when the bundle has none


def _vectorizers(hp: dict) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    word = TfidfVectorizer(ngram_range=tuple(hp["word_ngrams"]), strip_accents="unicode", sublinear_tf=True,
                           token_pattern=r"(?u)\b\w+\b")
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(hp["char_ngrams"]), strip_accents="unicode",
                           sublinear_tf=True, min_df=hp["char_min_df"], max_features=hp["char_max_features"])
    return word, char


def _features(word, char, texts: list[str], embeddings: np.ndarray):
    return sparse.hstack([tfidf_transform(word, texts), tfidf_transform(char, texts), sparse.csr_matrix(embeddings)],
                         format="csr")


def _fit_binary(texts, embeddings, is_crisis, weights, hp):
    word, char = _vectorizers(hp)
    word.fit(texts)
    char.fit(texts)
    model = LogisticRegression(C=hp["C"], max_iter=hp["max_iter"], class_weight="balanced",
                               random_state=hp["random_state"])
    model.fit(_features(word, char, texts, embeddings), is_crisis, sample_weight=weights)
    return word, char, model


def read_blocks(word, char, text: str, embedding: np.ndarray, window_texts: list[str] | None = None,
                window_embeddings: np.ndarray | None = None) -> list:
    """A message's reads (the whole text, then each window of a long one) as the blocks every head
    of the screen reads: word n-grams, character n-grams, embeddings. One row per read."""
    texts = [text, *(window_texts or [])]
    rows = embedding.reshape(1, -1)
    if window_texts and window_embeddings is not None and len(window_embeddings):
        rows = np.vstack([rows, window_embeddings])
    return [tfidf_rows(word, texts), tfidf_rows(char, texts), rows]


def _fit_types(word, char, texts: list[str], embeddings: np.ndarray, y: np.ndarray, hp: dict) -> LogisticRegression:
    """Which crisis it is, learned on the crisis rows only."""
    rows = np.flatnonzero(y != NONE)
    model = LogisticRegression(C=hp["type_C"], max_iter=hp["max_iter"], class_weight="balanced",
                               random_state=hp["random_state"])
    return model.fit(_features(word, char, [texts[i] for i in rows], embeddings[rows]), y[rows])


class SemanticCrisisClassifier:
    def __init__(self, bundle: dict) -> None:
        self.word, self.char = bundle["word"], bundle["char"]
        self.model: LogisticRegression = bundle["model"]
        self.type_model: LogisticRegression = bundle["type_model"]
        self.threshold: float = float(bundle["threshold"])
        sizes = [len(self.word.vocabulary_), len(self.char.vocabulary_)]
        sizes.append(self.model.coef_.shape[1] - sum(sizes))
        self._binary = BlockLinear(self.model.coef_, self.model.intercept_, sizes)
        self._types = BlockLinear(self.type_model.coef_, self.type_model.intercept_, sizes)
        onnx = bundle.get("encoder_onnx")
        self.encoder = crisis_encoder.CrisisEncoder(onnx) if onnx else None
        # The distress head reads the same blocks (one n-gram pass serves both): distress or worse
        # against none, its threshold chosen on real validation text at training.
        distress = bundle.get("distress_model")
        self._distress = BlockLinear(distress.coef_, distress.intercept_, sizes) if distress is not None else None
        self.distress_threshold: float = float(bundle.get("distress_threshold", 1.1))
        confirm = bundle.get("confirm_model")
        self._confirm = BlockLinear(confirm.coef_, confirm.intercept_, sizes) if confirm is not None else None
        self.confirm_threshold: float = float(bundle.get("confirm_threshold", 0.0))

    def _blocks(self, texts: list[str], embeddings: np.ndarray) -> list:
        return [tfidf_rows(self.word, texts), tfidf_rows(self.char, texts), embeddings]

    def probabilities(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        return softmax_or_sigmoid(self._binary.decision(self._blocks(texts, embeddings)))[:, 1]

    def score(self, text: str, embedding: np.ndarray, window_texts: list[str] | None = None,
              window_embeddings: np.ndarray | None = None, hidden: list[np.ndarray] | None = None) -> SemanticScore:
        """`hidden`: the message's lower-layer states (MessageFeatures.hidden) for the fine-tuned
        encoder; without them (or without an encoder in the bundle) the linear model decides alone."""
        blocks = read_blocks(self.word, self.char, text, embedding, window_texts, window_embeddings)
        probs = softmax_or_sigmoid(self._binary.decision(blocks))[:, 1]
        worst = int(np.argmax(probs))
        type_scores = self._types.decision([block[worst : worst + 1] for block in blocks])[0]
        crisis_type = str(self.type_model.classes_[int(np.argmax(type_scores))])
        linear = float(probs[worst])
        distress = None
        if self._distress is not None:
            distress = float(softmax_or_sigmoid(self._distress.decision([block[:1] for block in blocks]))[0, 1])
        confirm = None
        if self._confirm is not None:
            confirm = float(softmax_or_sigmoid(self._confirm.decision(blocks))[:, 1].max())
        if self.encoder is None or not hidden:
            return SemanticScore(linear, crisis_type, linear, distress=distress, confirm=confirm)
        encoded = float(self.encoder.probabilities([hidden])[0])
        return SemanticScore(combine(linear, encoded), crisis_type, linear, encoded, distress, confirm)


def combine(linear, encoded):
    """The screen's semantic probability: the mean of the two models (floats or arrays)."""
    return (linear + encoded) / 2


def fit_distress(bundle: dict, features: list, is_distress: np.ndarray, weights: np.ndarray) -> None:
    """Add the distress head to a fitted bundle: distress or crisis (1) against none (0), over the
    bundle's own n-gram vocabularies and the embedding."""
    hp = bundle["hyperparameters"]
    texts = [f.text for f in features]
    embeddings = np.vstack([f.embedding for f in features])
    model = LogisticRegression(C=hp["distress_C"], max_iter=hp["max_iter"], class_weight="balanced",
                               random_state=hp["random_state"])
    model.fit(_features(bundle["word"], bundle["char"], texts, embeddings), is_distress, sample_weight=weights)
    bundle["distress_model"] = model


def fit_confirm(bundle: dict, features: list, is_crisis: np.ndarray, weights: np.ndarray) -> dict:
    """Add the confirming head to a fitted bundle: crisis (1) against everything else (0), over the
    bundle's own n-gram vocabularies and the embedding; its threshold from out-of-fold scores (a
    message's score is its most worrying read, as at serving). Returns what was measured."""
    hp = bundle["hyperparameters"]
    texts = [f.text for f in features]
    matrix = _features(bundle["word"], bundle["char"], texts, np.vstack([f.embedding for f in features]))

    def fit(rows: np.ndarray) -> LogisticRegression:
        model = LogisticRegression(C=hp["confirm_C"], max_iter=hp["max_iter"], class_weight="balanced",
                                   random_state=hp["random_state"])
        return model.fit(matrix[rows], is_crisis[rows], sample_weight=weights[rows])

    sizes = [len(bundle["word"].vocabulary_), len(bundle["char"].vocabulary_)]
    oof = np.zeros(len(features))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=hp["random_state"])
    for fit_idx, test_idx in folds.split(texts, is_crisis):
        model = fit(fit_idx)
        head = BlockLinear(model.coef_, model.intercept_, [*sizes, model.coef_.shape[1] - sum(sizes)])
        for i in test_idx:
            f = features[i]
            blocks = read_blocks(bundle["word"], bundle["char"], f.text, f.embedding, f.window_texts, f.window_embeddings)
            oof[i] = softmax_or_sigmoid(head.decision(blocks))[:, 1].max()
    positives = np.sort(oof[is_crisis == 1])

    def keeping(share: float) -> float:
        return float(np.floor(positives[int((1 - share) * len(positives))] * 1000) / 1000)

    threshold, highest = keeping(hp["confirm_keep"]), keeping(hp.get("confirm_min_keep", hp["confirm_keep"]))
    bundle["confirm_model"] = fit(np.arange(len(features)))
    bundle["confirm_threshold"] = threshold  # until the validation split moves it within the bounds
    return {"threshold": threshold, "bounds": [threshold, max(threshold, highest)], "rows": len(features),
            "crisis_rows": int(is_crisis.sum()),
            "oof_crisis_kept_at_lower_bound": round(float((oof[is_crisis == 1] >= threshold).mean()), 4),
            "oof_other_not_confirmed_at_lower_bound": round(float((oof[is_crisis == 0] < threshold).mean()), 4)}


def fit_semantic(features: list, labels: list[str], weights: np.ndarray, detector_scores: np.ndarray,
                 hp: dict | None = None) -> tuple[dict, dict]:
    """Fit on all data; the threshold comes from out-of-fold scores read as at serving time (whole
    text and windows; both models averaged), combined with the detectors. `features` are
    MessageFeatures. Returns (bundle, report)."""
    hp = dict(hp or HYPERPARAMETERS)
    texts = [f.text for f in features]
    embeddings = np.vstack([f.embedding for f in features])
    y = np.asarray(labels)
    is_crisis = (y != NONE).astype(int)
    oof = np.zeros(len(y))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=hp["random_state"])
    for fit_idx, test_idx in folds.split(texts, is_crisis):
        word, char, model = _fit_binary([texts[i] for i in fit_idx], embeddings[fit_idx], is_crisis[fit_idx],
                                        weights[fit_idx], hp)
        classifier = SemanticCrisisClassifier({"word": word, "char": char, "model": model, "type_model": model,
                                               "threshold": 0.5})
        for i in test_idx:
            f = features[i]
            oof[i] = classifier.score(f.text, f.embedding, f.window_texts, f.window_embeddings).probability
    linear_oof = oof
    items = [f.hidden for f in features]
    encoder_oof = crisis_encoder.out_of_fold(items, is_crisis, weights)
    oof = combine(linear_oof, encoder_oof)
    threshold = _choose_threshold(oof, is_crisis.astype(bool), detector_scores, hp)
    word, char, model = _fit_binary(texts, embeddings, is_crisis, weights, hp)
    type_model = _fit_types(word, char, texts, embeddings, y, hp)
    def rates(flagged: np.ndarray) -> dict:
        return {"recall": round(float(flagged[is_crisis == 1].mean()), 4),
                "false_positive_rate": round(float(flagged[is_crisis == 0].mean()), 4)}

    alone = rates(oof >= threshold)
    screen = rates(crisis_rule(detector_scores, oof, threshold))
    report = {
        "threshold": threshold,
        "oof_recall": alone["recall"],
        "oof_false_positive_rate": alone["false_positive_rate"],
        "oof_screen_recall": screen["recall"],
        "oof_screen_false_positive_rate": screen["false_positive_rate"],
        "oof_linear_alone_at_threshold": rates(linear_oof >= threshold),
        "oof_encoder_alone_at_threshold": rates(encoder_oof >= threshold),
        "positives": int(is_crisis.sum()),
        "negatives": int((is_crisis == 0).sum()),
    }
    bundle = {"word": word, "char": char, "model": model, "type_model": type_model, "threshold": threshold,
              "hyperparameters": hp, "encoder_onnx": crisis_encoder.fit_encoder(items, is_crisis, weights),
              "encoder_hyperparameters": dict(crisis_encoder.HYPERPARAMETERS)}
    return bundle, report


def fit_quick_semantic(texts: list[str], labels: list[str], weights: np.ndarray, detector_scores: np.ndarray,
                       dimensions: int, hp: dict | None = None) -> tuple[dict, dict]:
    """The first-run screen: the linear model over word and character n-grams only (its embedding
    columns are zeros, so their weights are zero and the bundle serves like any other), no
    fine-tuned encoder and no heads; the threshold from 3-fold out-of-fold scores of whole texts. A
    stopgap that trains in seconds, served until the full training replaces it."""
    hp = dict(hp or HYPERPARAMETERS)
    y = np.asarray(labels)
    is_crisis = (y != NONE).astype(int)
    zeros = np.zeros((len(texts), dimensions), dtype=np.float32)
    oof = np.zeros(len(texts))
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=hp["random_state"])
    for fit_idx, test_idx in folds.split(texts, is_crisis):
        word, char, model = _fit_binary([texts[i] for i in fit_idx], zeros[fit_idx], is_crisis[fit_idx],
                                        weights[fit_idx], hp)
        oof[test_idx] = model.predict_proba(_features(word, char, [texts[i] for i in test_idx], zeros[test_idx]))[:, 1]
    threshold = _choose_threshold(oof, is_crisis.astype(bool), detector_scores, hp)
    word, char, model = _fit_binary(texts, zeros, is_crisis, weights, hp)
    type_model = _fit_types(word, char, texts, zeros, y, hp)
    flagged = crisis_rule(detector_scores, oof, threshold)
    report = {"threshold": threshold, "quick": True,
              "oof_screen_recall": round(float(flagged[is_crisis == 1].mean()), 4),
              "oof_screen_false_positive_rate": round(float(flagged[is_crisis == 0].mean()), 4)}
    bundle = {"word": word, "char": char, "model": model, "type_model": type_model, "threshold": threshold,
              "hyperparameters": hp, "encoder_onnx": None, "quick": True}
    return bundle, report


def _choose_threshold(p: np.ndarray, is_crisis: np.ndarray, detector_scores: np.ndarray, hp: dict) -> float:
    low, high = hp["threshold_bounds"]
    beta2 = hp["beta"] ** 2
    best, best_score = low, -1.0
    for threshold in np.round(np.arange(low, high + 1e-9, 0.01), 2):
        flagged = crisis_rule(detector_scores, p, threshold)
        tp = float((flagged & is_crisis).sum())
        precision = tp / max(1.0, float(flagged.sum()))
        recall = tp / max(1.0, float(is_crisis.sum()))
        score = (1 + beta2) * precision * recall / max(1e-9, beta2 * precision + recall)
        if score > best_score:
            best, best_score = float(threshold), score
    return best
