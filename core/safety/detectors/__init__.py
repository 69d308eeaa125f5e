"""The registry of explicit crisis detectors: one per crisis type and language."""

from core.safety.detectors.abuse_neglect import ABUSE_NEGLECT_EN, ABUSE_NEGLECT_ES
from core.safety.detectors.base import CrisisDetector, Finding, Pattern, screen_text
from core.safety.detectors.harm_to_others import HARM_TO_OTHERS_EN, HARM_TO_OTHERS_ES
from core.safety.detectors.medical_emergency import MEDICAL_EMERGENCY_EN, MEDICAL_EMERGENCY_ES
from core.safety.detectors.overdose_risk import OVERDOSE_RISK_EN, OVERDOSE_RISK_ES
from core.safety.detectors.self_harm import SELF_HARM_EN, SELF_HARM_ES
from core.safety.detectors.suicide import SUICIDE_EN, SUICIDE_ES
from core.taxonomy import CRISIS_TYPES

DETECTORS: tuple[CrisisDetector, ...] = (
    SUICIDE_EN,
    SUICIDE_ES,
    SELF_HARM_EN,
    SELF_HARM_ES,
    HARM_TO_OTHERS_EN,
    HARM_TO_OTHERS_ES,
    ABUSE_NEGLECT_EN,
    ABUSE_NEGLECT_ES,
    MEDICAL_EMERGENCY_EN,
    MEDICAL_EMERGENCY_ES,
    OVERDOSE_RISK_EN,
    OVERDOSE_RISK_ES,
)

# Each literal some pattern requires is looked for once per message rather than once per pattern
# (213 patterns share 758 literals), and only when the message holds its first three characters.
_LITERALS: tuple[str, ...] = tuple(sorted(frozenset().union(*(d.literals for d in DETECTORS))))
_SHORT_LITERALS: tuple[str, ...] = tuple(literal for literal in _LITERALS if len(literal) < 3)


def _by_trigram(literals: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = {}
    for literal in literals:
        if len(literal) >= 3:
            groups.setdefault(literal[:3], []).append(literal)
    return {trigram: tuple(group) for trigram, group in groups.items()}


_BY_TRIGRAM = _by_trigram(_LITERALS)
_TRIGRAMS = frozenset(_BY_TRIGRAM)


def present_literals(folded: str) -> set[str]:
    """Which required literals occur in the folded text (exactly `{l for l in _LITERALS if l in
    folded}`, about 2-4x faster: a literal can only occur where its first trigram does)."""
    present = {literal for literal in _SHORT_LITERALS if literal in folded}
    for trigram in _TRIGRAMS.intersection([folded[i : i + 3] for i in range(len(folded) - 2)]):
        present.update([literal for literal in _BY_TRIGRAM[trigram] if literal in folded])
    return present


def run_detectors(text: str) -> list[Finding]:
    """Run every detector, both languages: people mix languages and misdetected language must not
    switch safety off."""
    folded = screen_text(text)
    present = present_literals(folded)
    return [finding for detector in DETECTORS for finding in detector.analyze(folded, present)]


def strongest_score(text: str) -> float:
    """The strongest finding's score (0 when nothing matched): what the screen's rule reads of the
    detectors, for training and threshold choice."""
    return max((finding.score for finding in run_detectors(text)), default=0.0)


__all__ = ["CRISIS_TYPES", "DETECTORS", "CrisisDetector", "Finding", "Pattern", "run_detectors", "screen_text",
           "strongest_score"]
