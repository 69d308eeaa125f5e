"""The gates file says which model every bar gates and holds the bars of issue 17; a failed gate
names metric, value and bar; the safety card is escaped, self-contained HTML with the dangerous
changes first; a comparison with a champion measures per-class recall drops."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput
from core.mlops import comparison, safety_card
from core.mlops.gates import check_model, failed_gates, gate_tags, load_bars
from core.taxonomy import CRISIS_TYPES


def test_every_shipped_bar_names_its_model_and_a_unique_name():
    bars = load_bars()
    assert all(b.model in ("crisis", "intent") and b.name for b in bars)
    names = {b.name for b in bars}
    assert {f"crisis_recall_{t}" for t in CRISIS_TYPES} | {"crisis_recall_en", "crisis_recall_es", "intent_accuracy",
                                                           "intent_macro_f1", "intent_recall_drop", "crisis_recall_drop",
                                                           "false_crisis_hard_negatives", "redteam_crisis_caught",
                                                           "redteam_no_false_crisis",
                                                           "latency_p95_crisis", "latency_p95_intent"} <= names


def test_a_gates_file_with_a_name_used_twice_or_an_unknown_model_is_refused(tmp_path):
    twice = tmp_path / "twice.yaml"
    twice.write_text("bars:\n  - {name: a, set: golden, metric: accuracy, min: 0.9}\n"
                     "  - {name: a, set: golden, metric: macro_f1, min: 0.9}\n")
    with pytest.raises(InvalidInput, match="bar names used twice: a"):
        load_bars(twice)
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("bars:\n  - {model: sentiment, set: golden, metric: accuracy, min: 0.9}\n")
    with pytest.raises(InvalidInput, match="not a valid gates file"):
        load_bars(unknown)


def test_a_version_is_held_to_every_bar_of_its_model_and_an_unmeasured_set_fails():
    routed = {f"category={source}": {"accuracy": 0.9} for source in ("icliniq", "ehealthforum", "questiondoctors")}
    results = check_model("intent", {"golden": {"accuracy": 0.97, "macro_f1": 0.90},
                                     "real_validation": {"by_group": routed}}, load_bars(),
                          waived={"comparison": "no champion to compare with"})
    by_name = {r.bar.key: r for r in results}
    routing = {"routing_icliniq", "routing_ehealthforum", "routing_questiondoctors"}
    assert set(by_name) == {"intent_accuracy", "intent_macro_f1", "intent_recall_drop", "latency_p95_intent"} | routing
    assert all(by_name[name].passed for name in routing)  # long health stories routed right on real text
    assert by_name["intent_accuracy"].passed and not by_name["intent_macro_f1"].passed
    assert by_name["intent_recall_drop"].passed and by_name["intent_recall_drop"].shown.startswith("n/a (no champion")
    assert not by_name["latency_p95_intent"].passed  # not measured is not passed
    tags = gate_tags(results)
    assert tags["gates"] == "failed" and tags["gate.intent_macro_f1"] == "failed"
    assert failed_gates(tags) == ["intent_macro_f1: golden: macro_f1 = 0.9000 (bar >= 0.93)",
                                  "latency_p95_intent: latency: p95_ms = not measured (bar <= 30.0)"]


def test_recall_drops_against_the_champion_per_intent_and_crisis_type():
    champion = {"golden": {"per_class": {"adl": {"recall": 0.95}, "diabetes": {"recall": 0.90}},
                           "by_group": {"crisis_type=suicide": {"crisis_recall": 1.0}}}}
    candidate = {"golden": {"per_class": {"adl": {"recall": 0.96}, "diabetes": {"recall": 0.85}},
                            "by_group": {"crisis_type=suicide": {"crisis_recall": 0.98}}}}
    drops = comparison.recall_drops(candidate, champion)
    assert drops["intent_max_recall_drop"] == 0.05 and drops["intent_recall_drops"]["adl"] == -0.01
    assert drops["crisis_max_recall_drop"] == 0.02


def _decision(risk: str, intent: str = "adl") -> dict:
    return {"text": f"message said {risk}", "truth": "", "risk": risk, "crisis_type": None, "intent": intent}


def test_changed_decisions_put_crisis_lost_and_gained_first():
    before = {"golden": {"a": _decision("crisis"), "b": _decision("none"), "c": _decision("none"),
                         "d": _decision("none", "adl")}}
    after = {"golden": {"a": _decision("none"), "b": _decision("crisis"), "c": _decision("distress"),
                        "d": _decision("none", "nutrition")}}
    changed = comparison.changed_decisions(after, before)
    assert list(changed)[:2] == ["crisis_lost", "crisis_gained"]
    assert [len(changed[k]) for k in ("crisis_lost", "crisis_gained", "risk_changed", "intent_changed")] == [1, 1, 1, 1]
    assert changed["crisis_lost"][0]["before"] == "crisis" and changed["crisis_lost"][0]["after"] == "none"
    assert comparison.changed_decisions(after, None)["baseline"] is None


def _card(text: str) -> dict:
    report = {"n": 1, "crisis_recall": 1.0, "crisis_false_positive_rate": 0.0, "by_group": {},
              "risk": {"matrix": {"none": {"none": 1, "distress": 0, "crisis": 0}}}}
    redteam = {"n": 1, "crisis_recall": 0.0, "crisis_false_positive_rate": 0.0, "missed": ["rt-9"], "false_alarms": [],
               "items": [{"id": "rt-9", "category": "coded", "language": "en", "expected": "crisis", "said_risk": "none",
                          "said_crisis_type": None, "crisis": False, "passed": False, "text": text}]}
    reports = {"golden": report, "public_holdout": report, "real_validation": report, "redteam": redteam}
    changes = comparison.changed_decisions({"golden": {"k": {**_decision("none"), "text": text}}},
                                           {"golden": {"k": _decision("crisis")}})
    gates = check_model("crisis", {"redteam": redteam}, [b for b in load_bars() if b.set == "redteam"])
    rows = [{"text": text, "intent": "crisis", "risk": "crisis"}]
    return safety_card.build_card({"name": "care-crisis", "version": "3"}, reports, gates,
                                  (rows, [{"crisis": False}]), changes)


def test_the_safety_card_html_is_escaped_and_self_contained():
    card = _card('<script>alert("x")</script> & <img src=x onerror=1>')
    page = safety_card.render_html(card)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=1&gt;" in page
    assert "http" not in page and "<link" not in page  # no external assets
    assert "Safety card: care-crisis version 3" in page and "rt-9" in page
    assert page.index("crisis lost") < page.index("crisis gained") < page.index("risk changed")
    assert card["crisis_recall"]["by_length"]["short (< 15 words)"] == {"n": 1, "crisis_recall": 0.0}
    assert card["gates"] == [{"name": "redteam_crisis_caught", "metric": "redteam: crisis_recall", "value": "0.0000",
                              "bar": ">= 1.0", "passed": False},
                             {"name": "redteam_no_false_crisis", "metric": "redteam: crisis_false_positive_rate",
                              "value": "0.0000", "bar": "<= 0.0", "passed": True}]
    assert safety_card.card_sha256(card) == safety_card.card_sha256(_card(card["redteam"]["items"][0]["text"]))


def test_the_gates_file_comes_from_the_settings_and_must_guard_every_assessed_model(tmp_path):
    from core.config import Settings
    from core.mlops.assessment import assess_versions
    from core.mlops.gates import GATES_FILE, bars_file

    assert bars_file(Settings(data_dir=tmp_path)) == GATES_FILE
    only_crisis = tmp_path / "gates.yaml"
    only_crisis.write_text("bars:\n  - {name: crisis_recall, model: crisis, set: golden, metric: crisis_recall, min: 0.99}\n")
    settings = Settings(data_dir=tmp_path, gates_file=only_crisis)
    assert bars_file(settings) == only_crisis
    with pytest.raises(InvalidInput, match="no bar for the intent model"):
        assess_versions(settings, {"intent": None})  # the version is never read: the file is refused first
