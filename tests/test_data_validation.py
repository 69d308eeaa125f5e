"""Data validation before training: the shipped data passes; each kind of violation stops training
with a message that names the rows."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from conftest import copy_project_data

from core.content.versions import create_topic
from core.mlops.dataset import Example
from core.mlops.training import assemble, language_weights
from core.mlops.validation import DataValidationError, near_duplicate_pairs


@pytest.fixture
def data(tmp_path):
    return copy_project_data(tmp_path)


def _append(path, rows):
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def test_shipped_data_is_valid_and_meets_the_minimums(data):
    report = assemble(data).report
    for intent, counts in report["classes"].items():
        assert counts["total"] >= 100, intent
        assert counts["es"] >= 25, intent


def test_duplicate_row_is_named(data):
    path = data.data_dir / "training" / "topics_a.csv"
    first = next(csv.DictReader(path.open(encoding="utf-8")))
    _append(path, [[first["text"].upper(), first["intent"], first["language"], "", "careops-authored"]])
    with pytest.raises(DataValidationError) as caught:
        assemble(data)
    assert any("topics_a.csv" in d and "duplicate" in d for d in caught.value.details)


def test_templated_near_duplicate_fails_the_build(data):
    path = data.data_dir / "training" / "topics_b.csv"
    _append(path, [
        ["how do i help my mother with her knee exercises", "post_surgery", "en", "", "careops-authored"],
        ["how do i help my father with her knee exercises", "post_surgery", "en", "", "careops-authored"],
    ])
    with pytest.raises(DataValidationError) as caught:
        assemble(data)
    assert any("differs in one word" in d for d in caught.value.details)


def test_golden_row_in_training_is_leakage(data):
    golden = next(csv.DictReader((data.data_dir / "golden" / "topics.csv").open(encoding="utf-8")))
    _append(data.data_dir / "training" / "topics_c.csv", [[golden["text"], golden["intent"], golden["language"], "", "x"]])
    with pytest.raises(DataValidationError) as caught:
        assemble(data)
    assert any("leaks into held-out data" in d and "golden/topics.csv" in d for d in caught.value.details)


def test_unknown_label_and_missing_crisis_type_are_named(data):
    _append(data.data_dir / "training" / "topics_a.csv", [
        ["a perfectly ordinary sentence about tea leaves", "astrology", "en", "", "x"],
        ["another sentence that is marked as a crisis here", "crisis", "en", "", "x"],
    ])
    with pytest.raises(DataValidationError) as caught:
        assemble(data)
    details = "\n".join(caught.value.details)
    assert "unknown intent 'astrology'" in details
    assert "crisis row needs crisis_type" in details


def test_class_below_minimum_stops_training(data):
    path = data.data_dir / "training" / "topics_c.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(r for r in rows if r["intent"] != "goodbye")
    with pytest.raises(DataValidationError) as caught:
        assemble(data)
    assert any(d.startswith("intent goodbye:") for d in caught.value.details)


def hearing_aid_rows(english: int = 75, spanish: int = 30) -> list[list[str]]:
    """Distinct rows about hearing aids, four words or fewer (so never near-duplicates of each other)."""
    verbs = ["cleaning", "fitting", "buying", "charging", "repairing", "adjusting", "wearing", "losing", "testing", "choosing"]
    kinds = ["new", "old", "digital", "cheap", "rechargeable", "tiny", "loud", "broken", "spare", "donated"]
    verbos = ["limpiar", "ajustar", "comprar", "cargar", "reparar", "usar"]
    tipos = ["nuevos", "viejos", "digitales", "baratos", "pequeños", "prestados"]
    en = [[f"{v} {k} hearing aids", "hearing_aids", "en", "", "test"] for v in verbs for k in kinds][:english]
    es = [[f"{v} audífonos {t}", "hearing_aids", "es", "", "test"] for v in verbos for t in tipos][:spanish]
    return en + es


def test_a_new_topic_trains_once_it_has_a_scenario_and_meets_the_minimums(data):
    create_topic("hearing_aids", "Hearing aids", "Audífonos", author="test", settings=data)
    waiting = assemble(data)  # the scenario's own examples only: the topic waits, the rest trains
    assert "hearing_aids" not in waiting.report["classes"]
    assert waiting.report["new_topics_waiting"] == {"hearing_aids": {"total": 5, "en": 3, "es": 2, "problems": [
        "intent hearing_aids: 5 examples, needs at least 100", "intent hearing_aids: 2 Spanish examples, needs at least 25"]}}
    assert {r.intent for r in waiting.held_back} == {"hearing_aids"}
    _append(data.data_dir / "training" / "hearing_aids.csv", [["text", "intent", "language", "crisis_type", "source"],
                                                              *hearing_aid_rows()])
    trained = assemble(data)
    assert trained.report["classes"]["hearing_aids"] == {"total": 110, "en": 78, "es": 32}
    assert trained.report["new_topics_waiting"] == {} and not trained.held_back


def test_rows_of_a_topic_without_a_scenario_are_an_unknown_intent(data):
    _append(data.data_dir / "training" / "hearing_aids.csv", [["text", "intent", "language", "crisis_type", "source"],
                                                              *hearing_aid_rows()])
    with pytest.raises(DataValidationError) as caught:
        assemble(data)
    assert any("unknown intent 'hearing_aids'" in d and "hearing_aids.csv" in d for d in caught.value.details)


def test_missing_column_names_the_file(data):
    (data.data_dir / "training" / "extra.csv").write_text("text,label\nhello,greeting\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"extra\.csv: missing column"):
        assemble(data)


def test_near_duplicates_only_for_slot_swaps():
    def ex(t):
        return Example(t, "adl", "en", "", "x", t)

    assert near_duplicate_pairs([ex("hi there"), ex("hey there")]) == []  # short lines may differ in one word
    pairs = near_duplicate_pairs([ex("my mom has trouble with her stairs"), ex("my dad has trouble with her stairs")])
    assert len(pairs) == 1


def test_language_weights_equalise_spanish_share():
    labels = ["crisis"] * 4 + ["adl"] * 4
    langs = ["es", "es", "en", "en", "es", "en", "en", "en"]
    weights = language_weights(labels, langs, target=0.5)
    for label in ("crisis", "adl"):
        idx = [i for i, lab in enumerate(labels) if lab == label]
        es = sum(weights[i] for i in idx if langs[i] == "es")
        assert es / sum(weights[i] for i in idx) == pytest.approx(0.5)



def test_the_intent_model_learns_from_the_real_train_split_with_the_health_forums_out_of_scope_down_weighted(data):
    """Real everyday text as out_of_scope and health-forum posts under their topics join the labelled
    rows, then the authored distress posts under their topics (not the short emotional lines nor the
    long crisis posts); the health forums' out-of-scope questions weigh HEALTH_FORUM_OUT_OF_SCOPE_WEIGHT
    of another out-of-scope row; rows without an intent stay out; no validation row is trained on."""
    from core.mlops.training import HEALTH_FORUM_OUT_OF_SCOPE_WEIGHT, HEALTH_FORUMS, intent_training

    training = assemble(data)
    rows, weights = intent_training(training)
    labelled = len(training.train)
    assert rows[:labelled] == training.train and len(rows) == len(weights)
    real = rows[labelled:labelled + len([r for r in training.real_train if r.intent])]
    assert real == [r for r in training.real_train if r.intent] and {r.split for r in real} == {"train"}
    assert {r.source for r in real} >= {"goemotions", "xed_es", "questiondoctors"}
    real_weights = weights[labelled:labelled + len(real)]
    authored = rows[labelled + len(real):len(rows) - len(training.intent_only)]
    assert {r.origin.split(":")[0] for r in authored} == {"risk/distress.csv"}
    own = rows[len(rows) - len(training.intent_only):]
    assert own == training.intent_only and {r.origin.split("/")[0] for r in own} == {"intent"} and len(own) > 300
    assert not {r.text for r in own} & {r.text for r in training.train}  # never the screen's rows
    assert len(authored) == sum(r.origin.startswith("risk/distress.csv:") for r in training.risk) > 500
    assert {r.risk_level for r in authored} == {"distress"} and "caregiver_wellbeing" in {r.intent for r in authored}
    validation = {r.text for r in training.real_validation}
    assert not validation & {r.text for r in rows}

    def weight(source_in_forums: bool, language: str) -> float:
        picked = [w for r, w in zip(real, real_weights, strict=True) if r.intent == "out_of_scope"
                  and r.language == language and (r.source in HEALTH_FORUMS) == source_in_forums]
        assert len(set(np.round(picked, 9))) == 1, "one weight per class, language and kind"
        return picked[0]

    assert weight(True, "en") == pytest.approx(HEALTH_FORUM_OUT_OF_SCOPE_WEIGHT * weight(False, "en"))
    topic = [w for r, w in zip(real, real_weights, strict=True) if r.source in HEALTH_FORUMS
             and r.intent == "maternal_health" and r.language == "en"]
    assert topic and min(topic) > weight(True, "en")  # a forum post on a care topic counts in full
    assert weights.mean() == pytest.approx(1.0)


def test_a_new_topic_far_from_the_spanish_share_waits_and_says_why():
    """The hold-back and validate_training apply one per-class rule (class_problems): a new topic
    with its minimums but almost all English rows waits instead of stopping every training."""
    from core.mlops.dataset import Example
    from core.mlops.validation import class_problems, hold_back_new_topics

    def rows(intent, en, es):
        return [Example(f"{intent} {lang} {i}", intent, lang, "", "test", f"t:{intent}{lang}{i}")
                for lang, n in (("en", en), ("es", es)) for i in range(n)]

    built_in = rows("diabetes", 140, 60)
    lopsided = rows("hearing_aids", 300, 25)
    train, held, waiting = hold_back_new_topics(built_in + lopsided, ("diabetes", "hearing_aids"))
    assert train == built_in and held == lopsided
    assert waiting == {"hearing_aids": {"total": 325, "en": 300, "es": 25, "problems": [
        "intent hearing_aids: Spanish share 8% is far from the overall 30%"]}}
    assert class_problems("hearing_aids", waiting["hearing_aids"], 0.3) == waiting["hearing_aids"]["problems"]
    balanced = rows("hearing_aids", 90, 35)
    train, held, waiting = hold_back_new_topics(built_in + balanced, ("diabetes", "hearing_aids"))
    assert train == built_in + balanced and not held and not waiting


def test_an_intent_only_row_without_a_known_topic_stops_training_and_names_the_row(data):
    """data/intent/ rows join the intent model alone; one with an unknown intent (or "crisis", which
    is the screen's to learn) is bad input: training stops and says which row."""
    _append(data.data_dir / "intent" / "topics_side_effects_forum.csv",
            [["is it normal to feel sleepy on this new allergy pill", "hearing_aids", "en", "", "test"]])
    with pytest.raises(DataValidationError) as caught:
        assemble(data)
    assert "data/intent" in str(caught.value)
    assert any("intent/topics_side_effects_forum.csv" in d and "hearing_aids" in d for d in caught.value.details)
