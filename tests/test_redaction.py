"""Redaction recall per identifier type on tests/data/redaction_cases.csv (synthetic identifiers planted
in caregiver messages, EN and ES; written by tests/data/make_redaction_cases.py), the exact redaction
of the hand-written tricky cases, care words kept, ages up to 89 kept, and the time per message."""

from __future__ import annotations

import csv
import json
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from core.privacy.redaction import find_phi, redact

CASES = Path(__file__).parent / "data" / "redaction_cases.csv"
TYPES = ("NAME", "PHONE", "EMAIL", "ADDRESS", "DATE", "SSN", "RECORD_NUMBER", "AGE", "URL", "ZIP")
RECALL_FLOOR = 0.98


def load_cases() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def recall_by_type(cases: list[dict[str, str]]) -> tuple[dict[str, float], Counter, list[str]]:
    """Share of planted identifiers fully covered by a finding of their own type, per type."""
    planted, caught, misses = Counter(), Counter(), []
    for case in cases:
        text, findings = case["text"], find_phi(case["text"])
        for kind, value in json.loads(case["identifiers"]):
            where = re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text)
            assert where, f"the fixture is broken: {value!r} is not in {text!r}"
            planted[kind] += 1
            start, end = where.span()
            if any(f.label == kind and f.start <= start and end <= f.end for f in findings):
                caught[kind] += 1
            else:
                misses.append(f"{kind} {value!r} in {text!r} -> {redact(text)!r}")
    return {kind: caught[kind] / planted[kind] for kind in planted}, planted, misses


def test_the_case_set_is_large_bilingual_and_synthetic():
    cases = load_cases()
    generated = [c for c in cases if not c["expected"]]
    assert len(generated) >= 300 and len(cases) - len(generated) >= 40
    assert {c["language"] for c in generated} == {"en", "es"}
    kinds = Counter(kind for c in generated for kind, _ in json.loads(c["identifiers"]))
    assert set(kinds) == set(TYPES) and min(kinds.values()) >= 30, kinds
    for case in generated:
        for kind, value in json.loads(case["identifiers"]):
            if kind == "PHONE":
                assert "555" in value
            if kind == "SSN":
                assert value[0] == "9" or value.startswith("000")
            if kind == "EMAIL":
                assert value.endswith(("@example.com", "@example.org"))


def test_recall_per_identifier_type_is_at_least_98_percent():
    recall, planted, misses = recall_by_type(load_cases())
    print("\nredaction recall per type (planted):")
    for kind in TYPES:
        print(f"  {kind:<14} {recall[kind]:.3f}  ({planted[kind]})")
    low = {kind: round(value, 3) for kind, value in recall.items() if value < RECALL_FLOOR}
    assert not low, f"recall under {RECALL_FLOOR}: {low}\n" + "\n".join(misses[:20])


@pytest.mark.parametrize("case", [c for c in load_cases() if c["expected"]], ids=lambda c: c["text"][:40])
def test_tricky_case_is_redacted_exactly(case):
    assert redact(case["text"]) == case["expected"]


def test_care_words_of_every_generated_message_are_kept():
    for case in load_cases():
        redacted = redact(case["text"])
        for word in json.loads(case["keep"]):
            assert word.lower() in redacted.lower(), f"{word!r} lost in {redacted!r}"


CARE_WORDS = ["my mom", "my dad", "the nurse", "my husband", "mi esposo", "mi mamá", "la enfermera", "metformin",
              "donepezil", "insulin", "insulina", "metformina", "dementia", "demencia", "Alzheimer's", "Parkinson",
              "stroke", "hospice", "respite care", "500 mg", "3:30", "Medicare", "caregiver", "cuidadora"]


def test_care_words_are_kept():
    text = ("As a caregiver I asked the nurse whether my mom and my dad can take metformin 500 mg with donepezil "
            "and insulin at 3:30; my husband has dementia, Alzheimer's and Parkinson after a stroke, hospice "
            "and respite care are covered by Medicare. Mi hija dice que mi esposo y mi mamá usan insulina y metformina; "
            "la enfermera dice que la demencia cansa a la cuidadora.")
    redacted = redact(text)
    assert redacted == text
    for word in CARE_WORDS:
        assert word in redacted


@pytest.mark.parametrize("age", [18, 45, 67, 80, 88, 89])
def test_ages_up_to_89_are_kept(age):
    for text in (f"she is {age}", f"he turned {age} last week", f"my {age}-year-old mom",
                 f"tiene {age} años", f"mi abuelo de {age} años", f"cumplió {age}"):
        assert redact(text) == text


@pytest.mark.parametrize("age", [90, 93, 101])
def test_ages_over_89_are_redacted(age):
    for text in (f"she is {age}", f"he turned {age} last week", f"my {age}-year-old mom",
                 f"tiene {age} años", f"mi abuelo de {age} años", f"cumplió {age}"):
        assert "<AGE>" in redact(text) and str(age) not in redact(text)


# The bar is relative to this machine's speed, measured in the same run: the machine's speed varies
# between days (on 2026-11-29 redaction's p95 was 0.46 ms; on 2026-11-30, with the same code, 1.4 to
# 1.8 ms), and what the test guards is the code's cost. The yardstick is a fixed workload of the
# same kind as redaction (regular-expression searches and a Python pass over the words of a
# 300-character text) that uses nothing of the project. Redaction must cost under YARDSTICK_RATIO
# yardsticks: twice the ratio measured on 2026-11-30 (2.42 to 2.53, three runs), so a regression such as a
# backtracking pattern fails it, and a slow day does not.
YARDSTICK_RATIO = 5.0
_YARDSTICK_WORDS = [f"w{i:04d}x" for i in range(400)]
_YARDSTICK_PATTERNS = [re.compile(r"\b(?:" + "|".join(_YARDSTICK_WORDS[i::12]) + r")\b", re.I) for i in range(12)]
_YARDSTICK_TEXT = ("my neighbour drove me to the clinic on tuesday and the nurse said the wound looks clean "
                   "but to keep it dry and call if the redness spreads past the edge of the dressing ") * 2


def _yardstick_ms() -> float:
    """Best of five runs of the fixed workload, in milliseconds: this machine's speed, now."""
    text, best = _YARDSTICK_TEXT[:300], float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(3):
            for pattern in _YARDSTICK_PATTERNS:
                pattern.search(text)
            sum(1 for word in text.split() if word.istitle() or word.lower() in _YARDSTICK_WORDS[:50])
        best = min(best, time.perf_counter() - started)
    return best * 1000


def test_redacting_a_300_character_message_costs_a_few_yardsticks_at_most():
    messages = [c["text"] for c in load_cases()]
    long = [(m + " ") * (300 // len(m) + 1) for m in messages]
    long = [m[:300] for m in long]
    for message in long[:20]:
        redact(message)
    timings = []
    for message in long:  # each message's best of three: the code's cost, not the scheduler's pauses
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            redact(message)
            runs.append(time.perf_counter() - started)
        timings.append(min(runs))
    timings.sort()
    p95 = timings[int(0.95 * len(timings))] * 1000
    yardstick = _yardstick_ms()
    print(f"\nredact, 300-char message: median {timings[len(timings) // 2] * 1000:.3f} ms, p95 {p95:.3f} ms; "
          f"yardstick {yardstick:.3f} ms (ratio {p95 / yardstick:.2f}, bar {YARDSTICK_RATIO})")
    assert p95 < YARDSTICK_RATIO * yardstick



def test_redaction_is_idempotent_on_every_case_and_on_cases_run_together():
    texts = [c["text"] for c in load_cases()]
    for text in texts + [" ".join(texts[i : i + 3]) for i in range(0, len(texts), 3)]:
        once = redact(text)
        assert redact(once) == once, text
