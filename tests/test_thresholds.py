"""The heads' thresholds as read on the real validation split (core/mlops/thresholds.py): the rules
themselves, on score tables small enough to check by hand. The trained models' thresholds are
checked in test_graded_risk_models.py."""

from __future__ import annotations

import numpy as np
import pytest

from core.mlops.dataset import Example
from core.mlops.thresholds import CONFIRM_MARGIN, ValidationScores, choose_confirm_threshold, choose_distress_threshold
from core.safety.screen import ScreenResult, decide

CLASSIFIER_THRESHOLD = 0.5
BOUNDS = (0.03, 0.20)


def _rows(risks: list[str]) -> list[Example]:
    return [Example(f"row {i}", "crisis" if risk == "crisis" else "out_of_scope", "en",
                    "suicide" if risk == "crisis" else "", "test", f"validation.csv:{i + 2}", "validation", risk)
            for i, risk in enumerate(risks)]


def _scores(probability, confirm, detector=None, distress=None) -> ValidationScores:
    n = len(probability)
    return ValidationScores(np.asarray(probability, float),
                            np.asarray(distress if distress is not None else [0.0] * n, float),
                            np.asarray(confirm, float), np.asarray(detector if detector is not None else [0.0] * n, float))


def _confirm(risks, probability, confirm, detector=None):
    bundle = {"threshold": CLASSIFIER_THRESHOLD}
    report = choose_confirm_threshold(bundle, _rows(risks), _scores(probability, confirm, detector), BOUNDS)
    assert bundle["confirm_threshold"] == report["threshold"]
    return report


def test_with_no_real_crisis_resting_on_the_classifier_the_threshold_is_the_upper_bound():
    report = _confirm(["none", "distress", "crisis"], [0.9, 0.7, 0.2], [0.1, 0.05, 0.01])
    assert report["threshold"] == BOUNDS[1]
    assert report["crises_resting_on_the_classifier"] == 0
    assert report["other_alarms"] == 2 and report["other_alarms_turned_away"] == 2


def test_the_threshold_stops_a_margin_below_the_lowest_real_crisis_the_classifier_found():
    report = _confirm(["crisis", "crisis", "distress", "none"], [0.8, 0.9, 0.7, 0.6], [0.1234, 0.6, 0.05, 0.15])
    assert report["threshold"] == pytest.approx(0.111)  # 0.9 x 0.1234, floored: the crisis at 0.1234 is kept
    assert report["crises_turned_away"] == 0
    assert report["other_alarms_turned_away"] == 1  # the distress row; the none row (0.15) stays an alarm


def test_a_crisis_the_lower_bound_already_turns_away_does_not_pull_the_threshold_down():
    report = _confirm(["crisis", "crisis", "none"], [0.8, 0.9, 0.7], [0.01, 0.15, 0.1])
    assert report["threshold"] == pytest.approx(0.135)  # a margin below the crisis at 0.15
    assert report["crises_turned_away"] == 1  # the one at 0.01, turned away at any threshold in bounds


def test_a_crisis_the_detectors_decide_alone_does_not_constrain_the_head():
    report = _confirm(["crisis", "none"], [0.8, 0.9], [0.04, 0.1], detector=[0.9, 0.0])
    assert report["threshold"] == BOUNDS[1]
    assert report["crises_resting_on_the_classifier"] == 0


def test_a_weak_detector_finding_with_the_classifier_at_half_its_threshold_is_at_stake():
    # crisis_rule: a supporting finding (>= 0.3) and the classifier at half its threshold
    report = _confirm(["crisis"], [0.3], [0.08], detector=[0.4])
    assert report["crises_resting_on_the_classifier"] == 1
    assert report["threshold"] == pytest.approx(0.072)


def test_without_a_real_crisis_to_read_the_head_stays_at_its_lower_bound():
    assert _confirm(["none", "distress"], [0.9, 0.8], [0.1, 0.05])["threshold"] == BOUNDS[0]
    assert _confirm([], [], [])["threshold"] == BOUNDS[0]


def test_the_threshold_never_leaves_its_bounds():
    assert _confirm(["crisis"], [0.9], [0.9])["threshold"] == BOUNDS[1]
    assert _confirm(["crisis"], [0.9], [0.031])["threshold"] == BOUNDS[0]  # the margin never takes it below


def test_a_crisis_just_below_the_lowest_one_read_is_still_confirmed():
    # The split held a crisis at 0.15; one at 0.14 in the next message is kept, an alarm at 0.13 is not.
    report = _confirm(["crisis", "none", "none"], [0.8, 0.8, 0.8], [0.15, 0.14, 0.13])
    assert report["threshold"] == pytest.approx(np.floor(0.15 * CONFIRM_MARGIN * 1000) / 1000) == pytest.approx(0.135)
    assert report["other_alarms"] == 2 and report["other_alarms_turned_away"] == 1


def test_the_distress_threshold_separates_distress_from_none_by_f2():
    rows = _rows(["none", "none", "distress", "distress", "crisis"])
    bundle: dict = {}
    report = choose_distress_threshold(bundle, rows, _scores([0.0] * 5, [0.0] * 5, distress=[0.1, 0.35, 0.6, 0.8, 0.9]))
    assert 0.35 < bundle["distress_threshold"] <= 0.6
    assert report["distress_recall"] == 1.0 and report["false_distress_on_none"] == 0.0


def test_without_validation_rows_the_distress_threshold_is_a_plain_half():
    bundle: dict = {}
    assert choose_distress_threshold(bundle, [], _scores([], []))["threshold"] == 0.5


def _screened(confirmed):
    return ScreenResult(False, None, 0.4, [], "none", None, 0.1, 0.05, confirmed)


@pytest.mark.parametrize("confirmed", [True, None])
def test_the_intent_models_confident_crisis_class_is_a_crisis_unless_the_confirming_head_disagrees(confirmed):
    intent, confidence, result = decide(_screened(confirmed), [("crisis", 0.95), ("respite_care", 0.03)])
    assert (intent, result.crisis, result.risk, result.urgency) == ("crisis", True, "crisis", "concern")
    assert confidence == 0.95 and result.findings[-1].source == "intent_model"


def test_an_unconfirmed_intent_crisis_is_answered_as_distress_with_the_next_topic():
    intent, confidence, result = decide(_screened(False), [("crisis", 0.95), ("respite_care", 0.03)])
    assert (intent, confidence, result.crisis, result.risk) == ("respite_care", 0.03, False, "distress")
    assert "not confirmed" in result.findings[-1].explanation


def test_a_timid_intent_crisis_class_changes_nothing():
    intent, _, result = decide(_screened(False), [("crisis", 0.6), ("greeting", 0.3)])
    assert (intent, result.risk, result.findings) == ("greeting", "none", [])
