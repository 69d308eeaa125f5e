"""The screen's decision rule, in one place: used when serving and when choosing the threshold."""

from __future__ import annotations

DETECTOR_ALONE = 0.6  # a finding this strong is a crisis on its own
DETECTOR_SUPPORT = 0.3  # a weaker finding counts when the classifier leans the same way (half its threshold)


def crisis_rule(detector_score, probability, threshold):
    """Works on floats and on numpy arrays alike."""
    return (detector_score >= DETECTOR_ALONE) | (probability >= threshold) | (
        (detector_score >= DETECTOR_SUPPORT) & (probability >= threshold / 2))
