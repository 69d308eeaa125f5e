"""The risk screen: explicit detectors first, then the semantic classifier; runs before and
independently of the intent model, and answers with the detectors alone when no model loads.

Every message gets a risk level: `crisis` (with its type and an urgency, `now` or `concern`),
`distress` (sadness, exhaustion, grief, fear, anger without danger to anyone: the distress head of
the semantic model, a crisis detector's weak finding that does not make a crisis, or a classifier
alarm that the confirming head does not confirm), or `none`. The confirming head never overrules a
detector finding strong enough to be a crisis on its own."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np

from core.nlu.normalize import match_form
from core.safety.decision import DETECTOR_ALONE, DETECTOR_SUPPORT, crisis_rule
from core.safety.detectors import Finding, run_detectors
from core.safety.semantic import SemanticCrisisClassifier
from core.safety.urgency import urgency_of

INTENT_CRISIS_MIN = 0.9  # the intent model's own crisis class counts only when it is this sure


# Used only when no distress head is loaded: plain words of distress, so that the check-in question
# is still asked when the models are missing.
_DISTRESS_WORDS = re.compile(
    r"\b(?:exhausted|overwhelmed|burn(?:ed|t)? out|cant cope|can ?not cope|so tired|hopeless|lonely|depressed|anxious|"
    r"panic|grieving|heartbroken|crying|i cant do this anymore|falling apart|agotad[oa]|abrumad[oa]|no puedo mas|"
    r"desesperad[oa]|sol[oa] y triste|deprimid[oa]|ansiedad|angustiad[oa]|llorando|no aguanto mas|estoy harta?o?)\b"
)


@dataclass
class ScreenResult:
    crisis: bool
    crisis_type: str | None
    score: float
    findings: list[Finding] = field(default_factory=list)
    risk: str = "none"  # none | distress | crisis
    urgency: str | None = None  # now | concern, for a crisis
    distress: float = 0.0  # the distress head's probability (0 when it was not consulted)
    # How close the decision came to going the other way: the smallest distance between a
    # classifier's probability and the threshold it was held to (crisis, confirming, distress).
    # None when no classifier decided: no model, or a detector certain enough to decide alone.
    margin: float | None = None
    # Whether the confirming head confirms a crisis in this message (its score at or above its
    # threshold); None when no confirming head was consulted. `decide` holds the intent model's own
    # crisis class to it as the screen holds the classifier's alarm.
    confirmed: bool | None = None

    def explain(self) -> list[str]:
        return [f.explanation for f in self.findings]


class CrisisScreen:
    def __init__(self, semantic: SemanticCrisisClassifier | None) -> None:
        self.semantic = semantic

    def screen(self, text: str, embedding: np.ndarray | None = None, window_texts: list[str] | None = None,
               window_embeddings: np.ndarray | None = None, hidden: list[np.ndarray] | None = None) -> ScreenResult:
        findings = run_detectors(text)
        strongest = max(findings, key=lambda f: f.score, default=None)
        detector_score = strongest.score if strongest else 0.0
        semantic_p, semantic_type, distress, confirm = 0.0, None, None, None
        if self.semantic is not None and embedding is not None:
            scored = self.semantic.score(text, embedding, window_texts, window_embeddings, hidden)
            semantic_p, semantic_type, distress = scored.probability, scored.crisis_type, scored.distress
            confirm = scored.confirm
            threshold = self.semantic.threshold
            if semantic_p >= threshold / 2:
                parts = f"linear {scored.linear:.2f}" + (f", encoder {scored.encoder:.2f}" if scored.encoder is not None else "")
                findings.append(
                    Finding(semantic_type or "suicide", "semantic", "embedding_classifier", round(semantic_p, 3),
                            f"semantic classifier p={semantic_p:.2f} ({parts}; threshold {threshold:.2f})")
                )
        else:
            threshold = 1.1  # no classifier: detectors decide alone
        crisis = bool(crisis_rule(detector_score, semantic_p, threshold))
        score = max(detector_score, semantic_p)
        confirmed = None if confirm is None else bool(confirm >= self.semantic.confirm_threshold)
        unconfirmed = crisis and detector_score < DETECTOR_ALONE and confirmed is False
        if unconfirmed:  # the classifier's alarm, not confirmed on real text: answered as distress
            crisis = False
            findings.append(Finding("distress", "semantic", "confirming_head", round(confirm, 3),
                                    f"crisis not confirmed: confirming head p={confirm:.2f} "
                                    f"(threshold {self.semantic.confirm_threshold:.2f}); answered as distress"))
        margin = None
        if self.semantic is not None and embedding is not None and detector_score < DETECTOR_ALONE:
            margins = [abs(semantic_p - threshold)]
            if confirm is not None and semantic_p >= threshold:
                margins.append(abs(confirm - self.semantic.confirm_threshold))
            if distress is not None and not crisis:
                margins.append(abs(distress - self.semantic.distress_threshold))
            margin = round(min(margins), 4)
        if crisis:
            crisis_type = strongest.crisis_type if detector_score >= DETECTOR_SUPPORT else semantic_type
            return ScreenResult(True, crisis_type, score, findings, "crisis", urgency_of(text, crisis_type),
                                distress or 0.0, margin, confirmed)
        distressed = detector_score >= DETECTOR_SUPPORT or unconfirmed
        if distress is not None:
            distressed = distressed or distress >= self.semantic.distress_threshold
            if distress >= self.semantic.distress_threshold:
                findings.append(Finding("distress", "semantic", "distress_head", round(distress, 3),
                                        f"distress head p={distress:.2f} (threshold {self.semantic.distress_threshold:.2f})"))
        else:
            distressed = distressed or bool(_DISTRESS_WORDS.search(match_form(text)))
        return ScreenResult(False, None, score, findings, "distress" if distressed else "none", None, distress or 0.0,
                            margin, confirmed)


def decide(result: ScreenResult, ranking: list[tuple[str, float]]) -> tuple[str, float, ScreenResult]:
    """Combine the screen with the intent model as a real reply does: the screen's crisis always
    wins; the model's own crisis class adds a crisis only when it is confident and the confirming
    head does not disagree (the intent model learned crisis from the same authored rows as the
    classifier, and errs the same way on real text: "tell me a scary story" was a crisis at 0.94).
    Unconfirmed, it is answered as distress: the warm reply and the direct check-in question.
    Returns (intent, confidence, screen result)."""
    top, confidence = ranking[0] if ranking else ("out_of_scope", 0.0)
    if result.crisis:
        return "crisis", max(result.score, confidence if top == "crisis" else 0.0), result
    if top == "crisis":
        if confidence >= INTENT_CRISIS_MIN:
            if result.confirmed is not False:
                finding = Finding("suicide", "intent_model", "crisis_class", round(confidence, 3),
                                  f"intent model crisis class p={confidence:.2f}")
                return "crisis", confidence, ScreenResult(True, "suicide", confidence, [*result.findings, finding],
                                                          "crisis", "concern", result.distress, confirmed=result.confirmed)
            finding = Finding("distress", "intent_model", "crisis_class", round(confidence, 3),
                              f"intent model crisis class p={confidence:.2f}, not confirmed by the confirming "
                              "head; answered as distress")
            result = replace(result, risk="distress", findings=[*result.findings, finding])
        top, confidence = ranking[1] if len(ranking) > 1 else ("out_of_scope", 0.0)
    return top, confidence, result
