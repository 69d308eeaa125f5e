"""Scenario files: every shipped file is valid; a bad one is refused with file, line and field, and
an invalid scenario is never written."""

from __future__ import annotations

import shutil

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from core.config import PROJECT_ROOT
from core.content.scenarios import (
    ScenarioError,
    dump_scenario,
    load_scenario,
    load_scenarios,
    parse_scenario,
    write_scenario,
)
from core.content.topics import known_intents, topic_intents
from core.taxonomy import INTENTS, SPEAKER_ROLES, TOPIC_INTENTS

SCENARIOS = PROJECT_ROOT / "scenarios"


def test_every_intent_but_crisis_has_a_valid_scenario():
    scenarios = load_scenarios(SCENARIOS)
    assert set(scenarios) == set(INTENTS) - {"crisis"}
    for scenario in scenarios.values():
        for role in SPEAKER_ROLES:
            assert scenario.response(role, "en") and scenario.response(role, "es")


def test_topic_scenarios_cite_public_sources():
    scenarios = load_scenarios(SCENARIOS)
    for intent in ("diabetes", "dementia_senior_care", "home_safety", "medication_side_effects"):
        hosts = {s.url.host for s in scenarios[intent].sources}
        assert hosts & {"medlineplus.gov", "www.nia.nih.gov", "www.cdc.gov", "www.niddk.nih.gov", "eldercare.acl.gov"}


def _text(intent: str = "diabetes") -> str:
    return (SCENARIOS / f"{intent}.yaml").read_text(encoding="utf-8")


def test_missing_field_is_named_with_file_and_line():
    data = yaml.safe_load(_text())
    del data["responses"]["senior"]["es"]
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "diabetes.yaml")
    detail = caught.value.details[0]
    assert detail.startswith("diabetes.yaml:")
    assert "responses.senior.es" in detail


@pytest.mark.parametrize(("intent", "problem"), [
    ("crisis", "reserved for the crisis screen"),
    ("suicide", "reserved for the crisis screen"),  # a crisis type is never a topic either
    ("new:hearing_aids", "without 'new:'"),
    ("Hearing-Aids", "not a topic id"),
    ("ab", "not a topic id"),
])
def test_crisis_a_crisis_type_a_new_prefix_or_a_bad_id_is_refused(intent, problem):
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(_text().replace("intent: diabetes", f"intent: '{intent}'"), "diabetes.yaml")
    assert any(d.startswith("diabetes.yaml:") and "intent:" in d and problem in d for d in caught.value.details)


def test_a_new_topic_scenario_is_valid_and_is_a_topic_intent(tmp_path):
    shutil.copytree(SCENARIOS, tmp_path / "scenarios")
    text = _text().replace("intent: diabetes", "intent: hearing_aids")
    write_scenario(text, tmp_path / "scenarios")
    assert "hearing_aids" in load_scenarios(tmp_path / "scenarios")
    topics, known = topic_intents(tmp_path / "scenarios"), known_intents(tmp_path / "scenarios")
    assert topics == (*TOPIC_INTENTS, "hearing_aids")
    assert known[: len(topics)] == topics and known[len(topics):] == INTENTS[len(TOPIC_INTENTS):]
    assert topic_intents(SCENARIOS) == TOPIC_INTENTS and known_intents(SCENARIOS) == INTENTS


def test_a_scenario_file_named_otherwise_than_its_intent_is_refused(tmp_path):
    path = tmp_path / "hearing_aids.yaml"
    path.write_text(_text().replace("intent: diabetes", "intent: hearing_loss"), encoding="utf-8")
    with pytest.raises(ScenarioError, match="does not match the file name"):
        load_scenario(path)


def test_bad_source_url_is_refused():
    data = yaml.safe_load(_text())
    data["sources"][0]["url"] = "not a url"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(yaml.safe_dump(data, allow_unicode=True), "diabetes.yaml")
    assert any("sources.0.url" in d for d in caught.value.details)


def test_broken_yaml_names_the_line():
    with pytest.raises(ScenarioError) as caught:
        parse_scenario("version: 1\nintent: [unclosed\n", "broken.yaml")
    assert "broken.yaml:" in caught.value.message


def test_invalid_scenario_is_never_written(tmp_path):
    shutil.copy(SCENARIOS / "diabetes.yaml", tmp_path / "diabetes.yaml")
    before = (tmp_path / "diabetes.yaml").read_bytes()
    with pytest.raises(ScenarioError):
        write_scenario(_text().replace("version: 1", "version: zero"), tmp_path)
    assert (tmp_path / "diabetes.yaml").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["diabetes.yaml"]


def test_valid_scenario_is_written(tmp_path):
    text = _text().replace("version: 1", "version: 2")
    scenario = write_scenario(text, tmp_path)
    assert scenario.version == 2
    assert (tmp_path / "diabetes.yaml").read_text(encoding="utf-8") == text


@settings(max_examples=30, deadline=None)
@given(title=st.text(min_size=1, max_size=80).filter(lambda t: t.strip()))
def test_yaml_round_trip_keeps_the_scenario(title):
    scenario = parse_scenario(_text(), "diabetes.yaml")
    changed = scenario.model_copy(update={"title": scenario.title.model_copy(update={"en": title.strip()})})
    assert parse_scenario(dump_scenario(changed), "x.yaml") == changed


def test_editor_form_round_trip_keeps_every_scenario():
    from core.content.forms import from_form, to_form

    for scenario in load_scenarios(SCENARIOS).values():
        assert parse_scenario(from_form(to_form(scenario)), f"{scenario.intent}.yaml") == scenario


def test_form_drops_empty_source_rows_and_blank_lines():
    from core.content.forms import from_form, to_form

    form = to_form(parse_scenario(_text(), "diabetes.yaml"))
    form["sources"].append({"name": "", "url": ""})
    form["examples"]["en"] += "\n\n   \n"
    scenario = parse_scenario(from_form(form), "diabetes.yaml")
    assert scenario == parse_scenario(_text(), "diabetes.yaml")


@pytest.mark.parametrize("title", ["0\x850", "a\u2028b", "a\u2029b", "a\rb", "a\r\nb\x85c"])
def test_yaml_round_trip_keeps_every_line_break_character(title):
    """YAML reads \\x85, \\u2028, \\u2029 and \\r as line breaks: written plainly they came back changed."""
    scenario = parse_scenario(_text(), "diabetes.yaml")
    changed = scenario.model_copy(update={"title": scenario.title.model_copy(update={"en": title})})
    assert parse_scenario(dump_scenario(changed), "x.yaml") == changed
