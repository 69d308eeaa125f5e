"""Simulated traffic (core/mlops/simulate.py): consented, redacted and encrypted rows spread over
the days asked for, answered by the real assistant (here without trained models: the detectors
answer), with a shift only in its last days, and bad requests that change nothing."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, time, timedelta

import pytest
from conftest import copy_project_data

from core.config import PROJECT_ROOT
from core.errors import InvalidInput
from core.mlops.simulate import Traffic, read_new_topic, simulate
from core.privacy.consent import CONSENT_VERSION
from core.privacy.crypto import decrypt
from core.store import interactions

MIDNIGHT = datetime.combine(datetime.now(UTC).date(), time(), UTC)


def project_copy(target):
    settings = copy_project_data(target)
    shutil.copytree(PROJECT_ROOT / "data" / "simulate", settings.data_dir / "simulate")
    return settings


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    settings = project_copy(tmp_path_factory.mktemp("simulated"))
    result = simulate(days=4, per_day=30, shift="new-topic", shift_days=2, seed=3, settings=settings, now=MIDNIGHT)
    return settings, result


def test_simulate_writes_the_asked_number_of_consented_encrypted_rows_across_the_days(simulated):
    settings, result = simulated
    rows = interactions.list_turns(settings=settings)
    assert result.turns == len(rows) == 4 * 30
    assert {r.at.date() for r in rows} == {MIDNIGHT.date() - timedelta(days=d) for d in (1, 2, 3, 4)}
    assert all(r.at < MIDNIGHT for r in rows)
    assert {r.consent_version for r in rows} == {CONSENT_VERSION}
    assert all(r.text_encrypted.startswith("gAAAA") and decrypt(r.text_encrypted, settings) for r in rows)
    conversations = {r.conversation for r in rows}
    assert len(conversations) == result.conversations
    assert all(interactions.consent_of(c, settings).allowed for c in conversations)
    assert sum(c.turns for c in interactions.usage_counts(settings)) == len(rows)


def test_simulated_turns_carry_the_assistants_real_predictions(simulated):
    settings, _ = simulated
    rows = interactions.list_turns(settings=settings)
    assert {r.language for r in rows} == {"en", "es"}
    assert {r.risk for r in rows} >= {"crisis", "none"}  # the explicit detectors answer without models
    assert all(r.risk != "crisis" or r.kind == "crisis" for r in rows)


def test_new_topic_appears_only_in_the_shifted_days(simulated):
    settings, _ = simulated
    questions = {text for text, _ in read_new_topic(settings)}
    cutoff = MIDNIGHT - timedelta(days=2)
    rows = interactions.list_turns(settings=settings)
    before = [r for r in rows if r.at < cutoff]
    after = [r for r in rows if r.at >= cutoff]
    is_new = [decrypt(r.text_encrypted, settings) in questions for r in after]
    assert not any(decrypt(r.text_encrypted, settings) in questions for r in before)
    assert 0.15 < sum(is_new) / len(is_new) < 0.6


def test_traffic_never_draws_from_the_golden_set(tmp_path):
    import random

    from core.mlops.dataset import load_golden

    settings = project_copy(tmp_path)
    traffic = Traffic(settings, random.Random(0))
    golden = {row.text for row in load_golden(settings)}
    assert traffic.all and not golden & {text for text, _ in traffic.all}
    assert len(traffic.hearing_aids) >= 120 and {lang for _, lang in traffic.hearing_aids} == {"en", "es"}


@pytest.mark.parametrize("days, per_day, shift", [(0, 10, None), (3, 0, None), (3, 10, "holiday")])
def test_a_bad_request_is_refused_and_writes_nothing(tmp_path, days, per_day, shift):
    settings = project_copy(tmp_path)
    with pytest.raises(InvalidInput):
        simulate(days=days, per_day=per_day, shift=shift, settings=settings)
    assert interactions.list_turns(settings=settings) == []
