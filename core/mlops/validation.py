"""Data validation before every training: schema, known labels, duplicates, templated
near-duplicates, leakage into the golden and held-out sets, and per-class minimums.

The known intents are the caller's (core/content/topics.known_intents of the scenarios directory):
the built-in ones, and each new topic that has a scenario. A new topic trains only once its class
meets the per-class minimums; until then its rows are held back (hold_back_new_topics), so that
adding a topic's scenario never stops the training of the others.

A violation stops training with a message that names the rows (file:line)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from core.mlops.dataset import DataValidationError, Example
from core.nlu.normalize import MAX_CHARS, tokens
from core.taxonomy import CRISIS_TYPES, INTENTS, LANGUAGES

MIN_PER_CLASS = 100
MIN_SPANISH_PER_CLASS = 25
NEAR_DUPLICATE_MIN_TOKENS = 5
SPANISH_SHARE_TOLERANCE = 0.15  # each class's Spanish share within this of the overall share
MAX_LISTED = 25


def text_key(text: str) -> tuple[str, ...]:
    return tuple(tokens(text))


def _masked(key: tuple[str, ...]) -> Iterable[tuple]:
    if len(key) >= NEAR_DUPLICATE_MIN_TOKENS:
        for i in range(len(key)):
            yield (len(key), i, key[:i], key[i + 1 :])


def near_duplicate_pairs(rows: list[Example]) -> list[tuple[Example, Example, str]]:
    """Pairs that are equal, or equal but for one word in the same position (a filled-in slot)."""
    pairs = []
    by_key: dict[tuple, Example] = {}
    by_mask: dict[tuple, Example] = {}
    for row in rows:
        key = text_key(row.text)
        if key in by_key:
            pairs.append((by_key[key], row, "duplicate"))
            continue
        by_key[key] = row
        for mask in _masked(key):
            other = by_mask.get(mask)
            if other is not None and text_key(other.text) != key:
                pairs.append((other, row, "differs in one word"))
                break
            by_mask.setdefault(mask, row)
    return pairs


def leaks(train: list[Example], held_out: list[Example]) -> list[tuple[Example, Example]]:
    held_keys = {text_key(r.text): r for r in held_out}
    held_masks = {m: r for r in held_out for m in _masked(text_key(r.text))}
    found = []
    for row in train:
        key = text_key(row.text)
        hit = held_keys.get(key) or next((held_masks[m] for m in _masked(key) if m in held_masks), None)
        if hit is not None:
            found.append((row, hit))
    return found


def drop_colliding(candidates: list[Example], keep: list[Example]) -> list[Example]:
    """Public rows are curated, not authored: any that repeats or nearly repeats another row
    (including held-out rows) is dropped rather than failing the build."""
    keys = {text_key(r.text) for r in keep}
    masks = {m for r in keep for m in _masked(text_key(r.text))}
    accepted: list[Example] = []
    for row in candidates:
        key = text_key(row.text)
        row_masks = list(_masked(key))
        if key in keys or any(m in masks for m in row_masks):
            continue
        accepted.append(row)
        keys.add(key)
        masks.update(row_masks)
    return accepted


def schema_problems(rows: list[Example], intents: Sequence[str], *, golden: bool = False) -> list[str]:
    known = set(intents)
    problems = []
    for row in rows:
        if not row.text:
            problems.append(f"{row.origin}: empty text")
        elif len(row.text) > MAX_CHARS:
            problems.append(f"{row.origin}: text has {len(row.text)} characters (limit {MAX_CHARS})")
        if row.intent not in known:
            problems.append(f"{row.origin}: unknown intent {row.intent!r} (a new topic needs its scenario first)")
        if row.language not in LANGUAGES:
            problems.append(f"{row.origin}: language must be en or es, not {row.language!r}")
        if row.intent == "crisis" and row.crisis_type not in CRISIS_TYPES:
            problems.append(f"{row.origin}: crisis row needs crisis_type in {', '.join(CRISIS_TYPES)}")
        if row.intent != "crisis" and row.crisis_type:
            problems.append(f"{row.origin}: crisis_type set on a non-crisis row")
    return problems


def class_counts(rows: list[Example]) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        counts[row.intent][row.language] += 1
    return {intent: {"total": sum(c.values()), "en": c["en"], "es": c["es"]} for intent, c in sorted(counts.items())}


def spanish_share(counts: dict[str, dict[str, int]]) -> float:
    return sum(c["es"] for c in counts.values()) / max(1, sum(c["total"] for c in counts.values()))


def class_problems(intent: str, c: dict[str, int], overall_share: float) -> list[str]:
    """Why one class cannot be trained: too few rows, too few Spanish rows, or a Spanish share far
    from the overall one (a class must not teach "Spanish means this topic"). One rule for
    validate_training and for the new topics that wait (hold_back_new_topics)."""
    problems = []
    if c["total"] < MIN_PER_CLASS:
        problems.append(f"intent {intent}: {c['total']} examples, needs at least {MIN_PER_CLASS}")
    if c["es"] < MIN_SPANISH_PER_CLASS:
        problems.append(f"intent {intent}: {c['es']} Spanish examples, needs at least {MIN_SPANISH_PER_CLASS}")
    share = c["es"] / max(1, c["total"])
    if c["total"] and abs(share - overall_share) > SPANISH_SHARE_TOLERANCE:
        problems.append(f"intent {intent}: Spanish share {share:.0%} is far from the overall {overall_share:.0%}")
    return problems


def hold_back_new_topics(rows: list[Example], intents: Sequence[str]) -> tuple[list[Example], list[Example], dict]:
    """(rows to train on, rows held back, {topic: its counts and "problems"}): the rows of each new topic in `intents`
    whose class cannot be trained yet (class_problems: the minimums and the Spanish share) wait, its
    scenario's examples with them. Built-in intents and unknown ones are never held back
    (validate_training names an unknown intent)."""
    new = set(intents) - set(INTENTS)
    overall = spanish_share(class_counts([r for r in rows if r.intent not in new]))
    counts = class_counts([r for r in rows if r.intent in new])
    waiting = {intent: {**c, "problems": problems} for intent, c in counts.items()
               if (problems := class_problems(intent, c, overall))}
    return ([r for r in rows if r.intent not in waiting], [r for r in rows if r.intent in waiting], waiting)


def validate_training(train: list[Example], golden: list[Example], holdout: list[Example],
                      intents: Sequence[str]) -> dict:
    """Raise DataValidationError listing every problem; return per-class counts when all is well.
    Every built-in intent, and every new topic in `intents` that has rows, meets the minimums."""
    problems = schema_problems(train, intents) + schema_problems(golden, intents, golden=True)
    problems += [f"{b.origin}: {why} of {a.origin}" for a, b, why in near_duplicate_pairs(train)]
    problems += [f"{b.origin}: golden {why} of {a.origin}" for a, b, why in near_duplicate_pairs(golden)]
    problems += [f"{t.origin}: leaks into held-out data ({h.origin})" for t, h in leaks(train, golden + holdout)]
    counts = class_counts(train)
    total_es = spanish_share(counts)
    for intent in (i for i in intents if i in INTENTS or i in counts):
        problems += class_problems(intent, counts.get(intent, {"total": 0, "en": 0, "es": 0}), total_es)
    if problems:
        listed = problems[:MAX_LISTED]
        more = f" (and {len(problems) - MAX_LISTED} more)" if len(problems) > MAX_LISTED else ""
        raise DataValidationError(f"data validation failed: {len(problems)} problem(s){more}", details=listed)
    return {"classes": counts, "spanish_share": round(total_es, 3), "rows": len(train)}
