"""The registry of explicit crisis detectors: one per crisis type and language."""

from core.safety.detectors.abuse_neglect import ABUSE_NEGLECT_EN, ABUSE_NEGLECT_ES
from core.safety.detectors.base import CrisisDetector, Finding, Pattern, screen_text
from core.safety.detectors.harm_to_others import HARM_TO_OTHERS_EN, HARM_TO_OTHERS_ES
from core.safety.detectors.medical_emergency import MEDICAL_EMERGENCY_EN, MEDICAL_EMERGENCY_ES
from core.safety.detectors.overdose_risk import OVERDOSE_RISK_EN, OVERDOSE_RISK_ES
from core.safety.detectors.self_harm import SELF_HARM_EN, SELF_HARM_ES
from core.safety.detectors.suicide import SUICIDE_EN, SUICIDE_ES

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

CRISIS_TYPES: tuple[str, ...] = tuple(dict.fromkeys(d.crisis_type for d in DETECTORS))


def run_detectors(text: str) -> list[Finding]:
    """Run every detector, both languages: people mix languages and misdetected language must not
    switch safety off."""
    folded = screen_text(text)
    return [finding for detector in DETECTORS for finding in detector.analyze(folded)]


__all__ = ["CRISIS_TYPES", "DETECTORS", "CrisisDetector", "Finding", "Pattern", "run_detectors", "screen_text"]
