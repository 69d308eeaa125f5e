"""A new topic beyond the scenario files: the assistant switches only to topics its loaded scenarios
answer, and the smoke lines may name a new topic only where its scenario exists."""

from __future__ import annotations

import shutil

import pytest

from core.config import PROJECT_ROOT, Settings
from core.content.scenarios import load_scenarios
from core.content.versions import create_topic
from core.dialogue.assistant import Assistant
from core.dialogue.sessions import MemorySessionStore
from core.dialogue.smoke import SMOKE_FILE, load_smoke_lines
from core.errors import InvalidInput
from core.safety.screen import CrisisScreen


@pytest.fixture
def settings(tmp_path) -> Settings:
    shutil.copytree(PROJECT_ROOT / "scenarios", tmp_path / "scenarios")
    settings = Settings(data_dir=tmp_path / "data", scenarios_dir=tmp_path / "scenarios", reports_dir=tmp_path)
    create_topic("hearing_aids", "Hearing aids", "Audífonos", author="tester", settings=settings)
    return settings


def test_the_assistant_answers_a_new_topic_only_with_its_scenario_loaded(settings):
    without = load_scenarios(PROJECT_ROOT / "scenarios")
    assistant = Assistant(without, MemorySessionStore(), embedder=None, intent_model=None, screen=CrisisScreen(None))
    assert assistant.answers_topic("diabetes") and not assistant.answers_topic("hearing_aids")
    assistant.use_scenarios(load_scenarios(settings.scenarios_dir))
    assert assistant.answers_topic("hearing_aids")
    assert not any(assistant.answers_topic(i) for i in ("greeting", "out_of_scope", "crisis"))


def test_a_smoke_line_may_name_a_new_topic_only_where_its_scenario_exists(settings, tmp_path):
    smoke = tmp_path / "smoke.yaml"
    smoke.write_text(SMOKE_FILE.read_text(encoding="utf-8")
                     + '  - {text: "my mom\'s hearing aids keep whistling", language: en, intent: hearing_aids}\n',
                     encoding="utf-8")
    with pytest.raises(InvalidInput, match="unknown intent 'hearing_aids'"):
        load_smoke_lines(smoke)
    assert load_smoke_lines(smoke, settings.scenarios_dir).safe[-1].intent == "hearing_aids"
    assert load_smoke_lines(SMOKE_FILE).safe  # the shipped lines name built-in intents only
