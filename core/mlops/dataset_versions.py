"""Dataset versions: labelled turns from the interaction log, cut on demand into an immutable,
content-hashed version with its parent, the labels it added and who gave them.

A version holds every row of its parent (less the conversations erased since) and the final labels
given since (a relabelled turn takes its new label). Its rows are redacted text and labels, so the
file is encrypted at rest (DATA_DIR/datasets/<version>.jsonl.enc); the row in `DatasetVersion`
says what it holds. File and row are written together or not at all. Before a version is accepted
it passes the training data checks (core/mlops/validation.py) with the committed data: no leak into
the golden set or the real-text validation split, no duplicates, and the per-class minimums.

A reviewer's new topic (`new:<id>`, or `<id>` once it has a scenario) stays in every version, and
its rows train as `<id>` once scenarios/<id>.yaml exists and the version's rows of it meet the
per-class minimums of core/mlops/validation.py; until then the notes of a cut and of training say
how far it is.

`python -m core data versions | diff A B | export V` read them; `train --dataset V` trains on one and
records it in the MLflow run."""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlmodel import col, select

from core import audit
from core.config import Settings, get_settings
from core.content.topics import NEW_PREFIX, known_intents, topic_intents
from core.errors import InvalidInput, NotFound
from core.mlops.dataset import Example, load_golden, load_public, load_real
from core.mlops.intent_data import intent_rows
from core.mlops.labeling import NEW_TOPIC, all_labels, final_labels
from core.mlops.validation import MIN_PER_CLASS, MIN_SPANISH_PER_CLASS, leaks, near_duplicate_pairs
from core.privacy.crypto import decrypt, decrypt_all, encrypt
from core.store.engine import read_scope, session_scope
from core.store.tables import DatasetVersion, Erasure, Interaction
from core.taxonomy import CRISIS_TYPES, INTENTS, LANGUAGES, RISK_LEVELS


@dataclass(frozen=True)
class LabeledTurn:
    """One final label of one logged turn (core/mlops/labeling.final_labels gives these)."""

    turn_id: str
    conversation: str
    text: str  # redacted
    language: str
    intent: str
    risk: str
    crisis_type: str = ""
    label_ids: tuple[int, ...] = ()
    labelers: tuple[str, ...] = ()


@dataclass
class CutResult:
    version: DatasetVersion
    added: int
    relabelled: int
    dropped_erased: int
    notes: list[str] = field(default_factory=list)


def _problems(row: LabeledTurn, intents: tuple[str, ...]) -> list[str]:
    where = f"turn {row.turn_id}"
    out = []
    if row.language not in LANGUAGES:
        out.append(f"{where}: language {row.language!r} is not one of {', '.join(LANGUAGES)}")
    if row.risk not in RISK_LEVELS:
        out.append(f"{where}: risk {row.risk!r} is not one of {', '.join(RISK_LEVELS)}")
    if (row.risk == "crisis") != bool(row.crisis_type):
        out.append(f"{where}: a crisis label needs its crisis type, and only a crisis label has one")
    if row.crisis_type and row.crisis_type not in CRISIS_TYPES:
        out.append(f"{where}: crisis type {row.crisis_type!r} is unknown")
    if row.intent not in intents and not NEW_TOPIC.match(row.intent):
        out.append(f"{where}: intent {row.intent!r} is neither a known intent nor new:<snake_case name>")
    if not row.text.strip():
        out.append(f"{where}: empty text")
    return out


def labeled_turns(*, reader: str, settings: Settings | None = None) -> list[LabeledTurn]:
    """Every final label (core/mlops/labeling.final_labels) with its turn's redacted text, language,
    conversation, label ids and labelers. Decrypting the text is a staff read: audited."""
    settings = settings or get_settings()
    chosen = final_labels(settings).labels
    labels = all_labels(settings)
    with read_scope(settings) as session:
        ids = [f.interaction_id for f in chosen]
        rows = {r.id: r for r in session.exec(select(Interaction).where(col(Interaction.id).in_(ids)))} if ids else {}
    present = [f for f in chosen if f.interaction_id in rows]
    audit.record("log.read", actor=reader, target="dataset.cut", details={"rows": len(present)}, settings=settings)
    texts = decrypt_all([rows[f.interaction_id].text_encrypted for f in present], settings)
    return [LabeledTurn(f.turn_id, rows[f.interaction_id].conversation, text, rows[f.interaction_id].language,
                        f.intent, f.risk, f.crisis_type or "",
                        tuple(sorted(lb.id for lb in labels.get(f.turn_id, []) if not lb.skipped)),
                        tuple(sorted(set(f.reviewers))))
            for f, text in zip(present, texts, strict=True)]


def new_topic_of(intent: str) -> str | None:
    """The new topic a label names (`new:<id>`, or `<id>` when it is no built-in intent), else None."""
    name = intent.removeprefix(NEW_PREFIX)
    return name if intent.startswith(NEW_PREFIX) or name not in INTENTS else None


def as_example(row: LabeledTurn, version: str) -> Example:
    """A crisis row trains as crisis; a new topic's row as its id (`new:<id>` -> `<id>`)."""
    intent = "crisis" if row.risk == "crisis" else new_topic_of(row.intent) or row.intent
    return Example(row.text, intent, row.language, row.crisis_type, f"dataset:{version}", f"dataset:{version}:{row.turn_id}",
                   risk=row.risk)


def check_rows(rows: list[LabeledTurn], settings: Settings) -> list[str]:
    """The existing data checks, on a version's rows: label validity, leakage into the golden set and
    the held-out and real validation splits, duplicates among the rows."""
    intents = known_intents(settings.scenarios_dir)
    problems = [p for row in rows for p in _problems(row, intents)]
    examples = [as_example(r, "new") for r in rows]
    held_out = load_golden(settings) + load_public(settings, "holdout") + load_real(settings, "validation")
    problems += [f"{t.origin}: leaks into held-out data ({h.origin})" for t, h in leaks(examples, held_out)]
    problems += [f"{b.origin}: {why} of {a.origin}" for a, b, why in near_duplicate_pairs(examples)]
    return problems


def new_topic_counts(rows: list[LabeledTurn]) -> dict[str, Counter]:
    """Per new topic, its rows that would train as the topic (risk none) by language."""
    counts: dict[str, Counter] = {}
    for row in rows:
        if (topic := new_topic_of(row.intent)) is not None:
            counts.setdefault(topic, Counter())
            if row.risk == "none":
                counts[topic][row.language] += 1
    return counts


def topics_with_scenario(rows: list[LabeledTurn], settings: Settings) -> set[str]:
    """The new topics of `rows` whose rows join training: their scenario exists. Whether the topic
    then trains or waits is training's one per-class rule (core/mlops/intent_data.py)."""
    topics = set(topic_intents(settings.scenarios_dir))
    return {t for t in new_topic_counts(rows) if t in topics}


def _joining_examples(rows: list[LabeledTurn], version: str, joining: set[str]) -> list[Example]:
    """The rows `train --dataset` adds to the intent model and crisis screen's data: topic and crisis
    rows, but none of a new topic that has no scenario yet (not in `joining`), whatever its risk."""
    waiting = {t for r in rows if (t := new_topic_of(r.intent)) is not None} - joining
    return [as_example(r, version) for r in rows if r.risk != "distress" and new_topic_of(r.intent) not in waiting]


def _new_topic_notes(rows: list[LabeledTurn], settings: Settings) -> list[str]:
    """How far each new topic of a version is from training, or that it trains: what training would
    do with the committed data and this version's rows (intent_rows holds back the topics that wait)."""
    counts = new_topic_counts(rows)
    joining = topics_with_scenario(rows, settings)
    waiting = intent_rows(settings, _joining_examples(rows, "new", joining)).waiting if joining else {}
    notes = []
    for topic, c in sorted(counts.items()):
        have = f"new:{topic}: {c.total()} rows ({c['es']} Spanish)"
        if topic not in joining:
            notes.append(f"{have}; not trained yet: it needs its scenario (scenarios/{topic}.yaml: New topic on the "
                         f"Scenarios page), then at least {MIN_PER_CLASS} rows ({MIN_SPANISH_PER_CLASS} Spanish) "
                         "in its class, with a Spanish share near the other classes'")
        elif topic in waiting:
            notes.append(f"{have}; not trained yet: " + "; ".join(waiting[topic]["problems"]))
        else:
            notes.append(f"{have}; trains as {topic}")
    return notes


def _digest(rows: list[LabeledTurn]) -> str:
    canonical = json.dumps([asdict(r) for r in sorted(rows, key=lambda r: r.turn_id)], sort_keys=True,
                           ensure_ascii=False, separators=(",", ":"))
    return "ds-" + hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _path(settings: Settings, version: str) -> Path:
    return settings.data_dir / "datasets" / f"{version}.jsonl.enc"


def latest(settings: Settings | None = None) -> DatasetVersion | None:
    with read_scope(settings) as session:
        return session.exec(select(DatasetVersion).order_by(col(DatasetVersion.id).desc()).limit(1)).first()


def list_versions(settings: Settings | None = None) -> list[DatasetVersion]:
    with read_scope(settings) as session:
        return list(session.exec(select(DatasetVersion).order_by(col(DatasetVersion.id))))


def get_version(version: str, settings: Settings | None = None) -> DatasetVersion:
    with read_scope(settings) as session:
        row = session.exec(select(DatasetVersion).where(DatasetVersion.version == version)).first()
    if row is None:
        raise NotFound(f"no dataset version {version!r} (python -m core data versions lists them)")
    return row


def read_rows(version: str, settings: Settings | None = None) -> list[LabeledTurn]:
    """A version's rows, decrypted; the caller audits a staff read (export does)."""
    settings = settings or get_settings()
    row = get_version(version, settings)
    path = settings.data_dir / row.path
    if not path.is_file():
        raise NotFound(f"dataset version {version}: its file {row.path} is missing")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise InvalidInput(f"dataset version {version}: its file was changed since it was cut (checksum differs)")
    records = [json.loads(line) for line in decrypt(data.decode(), settings).splitlines() if line]
    return [LabeledTurn(**{**r, "label_ids": tuple(r["label_ids"]), "labelers": tuple(r["labelers"])}) for r in records]


def _erased(settings: Settings) -> set[str]:
    with read_scope(settings) as session:
        return set(session.exec(select(Erasure.conversation)))


def cut_version(labeled: list[LabeledTurn], *, actor: str, settings: Settings | None = None) -> CutResult:
    """The newest version's rows, less erased conversations, with `labeled` added (a turn labelled
    again replaces its row). Refuses bad labels, leaks, duplicates and a version identical to its
    parent, listing every problem, and stores nothing then."""
    settings = settings or get_settings()
    parent = latest(settings)
    erased = _erased(settings)
    base = {r.turn_id: r for r in (read_rows(parent.version, settings) if parent else [])}
    kept = {t: r for t, r in base.items() if r.conversation not in erased}
    fresh = [r for r in labeled if r.conversation not in erased]
    relabelled = sum(1 for r in fresh if r.turn_id in kept and kept[r.turn_id] != r)
    added = sum(1 for r in fresh if r.turn_id not in kept)
    rows = sorted({**kept, **{r.turn_id: r for r in fresh}}.values(), key=lambda r: r.turn_id)
    if not rows:
        raise InvalidInput("nothing to version: no labelled turn yet (label some in the Labeling page)")
    problems = check_rows(rows, settings)
    if problems:
        raise InvalidInput(f"the dataset version was not cut: {len(problems)} problem(s)", details=problems[:25])
    version = _digest(rows)
    if parent is not None and version == parent.version:
        raise InvalidInput(f"nothing new since {parent.version}: no label was added or changed")
    payload = encrypt("\n".join(json.dumps(asdict(r), ensure_ascii=False) for r in rows), settings).encode()
    path = _path(settings, version)
    added_ids = sorted({i for r in fresh for i in r.label_ids})
    record = DatasetVersion(
        version=version, parent=parent.version if parent else None, created_by=actor, rows=len(rows),
        label_ids=json.dumps(added_ids), labelers=json.dumps(sorted({n for r in fresh for n in r.labelers})),
        counts=json.dumps({"intent": dict(Counter(r.intent for r in rows)), "risk": dict(Counter(r.risk for r in rows)),
                           "language": dict(Counter(r.language for r in rows))}, sort_keys=True),
        dropped_erased=len(base) - len(kept), path=str(path.relative_to(settings.data_dir)),
        sha256=hashlib.sha256(payload).hexdigest())
    _write_with_row(path, payload, record, actor, settings)
    return CutResult(record, added, relabelled, len(base) - len(kept), _new_topic_notes(rows, settings))


def _write_with_row(path: Path, payload: bytes, record: DatasetVersion, actor: str, settings: Settings) -> None:
    """The file goes in place inside the row's transaction; if the transaction fails, it is removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    placed = False
    try:
        with session_scope(settings, lock="datasets") as session:
            session.add(record)
            audit.record("dataset.cut", actor=actor, target=record.version, session=session,
                         details={"parent": record.parent, "rows": record.rows, "labels": len(json.loads(record.label_ids))})
            session.flush()
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, path)
            placed = True
    except Exception:
        partial.unlink(missing_ok=True)
        if placed:
            path.unlink(missing_ok=True)
        raise


def diff_versions(a: str, b: str, settings: Settings | None = None) -> dict:
    """Rows added, removed and relabelled from `a` to `b` (by turn), and the label counts of each."""
    rows_a = {r.turn_id: r for r in read_rows(a, settings)}
    rows_b = {r.turn_id: r for r in read_rows(b, settings)}
    changed = [t for t in rows_a.keys() & rows_b.keys()
               if (rows_a[t].intent, rows_a[t].risk, rows_a[t].crisis_type) != (rows_b[t].intent, rows_b[t].risk, rows_b[t].crisis_type)]
    return {
        "a": a, "b": b, "added": sorted(rows_b.keys() - rows_a.keys()), "removed": sorted(rows_a.keys() - rows_b.keys()),
        "relabelled": [{"turn_id": t, "from": f"{rows_a[t].intent}/{rows_a[t].risk}", "to": f"{rows_b[t].intent}/{rows_b[t].risk}"}
                       for t in sorted(changed)],
        "intent_counts": {"a": dict(Counter(r.intent for r in rows_a.values())), "b": dict(Counter(r.intent for r in rows_b.values()))},
    }


def export_version(version: str, out: Path, *, reader: str, settings: Settings | None = None) -> int:
    """A version as CSV (redacted text and labels) for a staff member; audited. Never overwrites."""
    import csv

    settings = settings or get_settings()
    if out.exists():
        raise InvalidInput(f"{out} exists; choose a new file name (an export never overwrites)")
    rows = read_rows(version, settings)
    audit.record("dataset.export", actor=reader, target=version, details={"rows": len(rows)}, settings=settings)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["turn_id", "text", "language", "intent", "risk", "crisis_type", "labelers"])
        for r in rows:
            writer.writerow([r.turn_id, r.text, r.language, r.intent, r.risk, r.crisis_type, ";".join(r.labelers)])
    return len(rows)


def training_examples(version: str, settings: Settings | None = None) -> tuple[list[Example], list[Example]]:
    """(rows for the intent model and crisis screen, distress rows for the risk heads): what
    `train --dataset V` adds to the committed data. A new topic's rows join once it has its scenario
    (then training holds the topic back until its class can be trained: intent_data.py); until the
    scenario exists none of them joins, whatever its risk."""
    settings = settings or get_settings()
    rows = read_rows(version, settings)
    train = _joining_examples(rows, version, topics_with_scenario(rows, settings))
    risk = [as_example(r, version) for r in rows if r.risk == "distress"]
    return train, risk


def version_notes(version: str, settings: Settings | None = None) -> list[str]:
    """What a stored version's new topics still need, or that they train (as the cut said, but with
    the scenarios and committed data as they are now)."""
    settings = settings or get_settings()
    return _new_topic_notes(read_rows(version, settings), settings)
