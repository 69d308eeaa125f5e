"""Dataset versions of labelled log turns on a real SQLite file and real encrypted files: content
hashes, parents, erasure, the data checks, diff, export, and what training takes from a version."""

from __future__ import annotations

import csv
import json

import pytest

from core.errors import InvalidInput, NotFound
from core.mlops import dataset_versions as dv
from core.mlops.dataset import load_golden
from core.privacy.consent import pseudonym
from core.privacy.retention import erase_conversation
from core.store.engine import read_scope
from core.store.tables import AuditEvent, DatasetVersion
from tests.conftest import copy_project_data, run_cli

# Written for these tests; redacted as the log stores text. Nothing here is anyone's message.
A = dv.LabeledTurn("t-a", pseudonym("s1"), "how often should <NAME> get her hearing checked at the clinic",
                   "en", "new:hearing_aids", "none", "", (1,), ("rev1",))
B = dv.LabeledTurn("t-b", pseudonym("s1"), "my dad keeps skipping lunch since the move, any ideas for small meals",
                   "en", "nutrition", "none", "", (2,), ("rev1",))
C = dv.LabeledTurn("t-c", pseudonym("s2"), "estoy agotada de cuidar a mi madre sola todos los días y nadie me ayuda",
                   "es", "caregiver_wellbeing", "distress", "", (3, 4), ("rev1", "rev2"))
D = dv.LabeledTurn("t-d", pseudonym("s3"), "he says he has pills saved up and tonight is the night he takes them all",
                   "en", "crisis", "crisis", "suicide", (5,), ("rev2",))


@pytest.fixture
def settings(tmp_path):
    return copy_project_data(tmp_path)


def test_a_cut_is_content_hashed_encrypted_and_recorded_together(settings):
    result = dv.cut_version([A, B, C], actor="rev1", settings=settings)
    version = result.version
    assert version.version.startswith("ds-") and version.parent is None and version.rows == 3 and result.added == 3
    stored = (settings.data_dir / version.path).read_bytes()
    assert b"hearing" not in stored and b"agotada" not in stored, "the file is encrypted"
    assert json.loads(version.label_ids) == [1, 2, 3, 4] and json.loads(version.labelers) == ["rev1", "rev2"]
    assert dv.read_rows(version.version, settings) == sorted([A, B, C], key=lambda r: r.turn_id)
    assert any("new:hearing_aids: 1 rows" in note for note in result.notes)
    with pytest.raises(InvalidInput, match="nothing new"):
        dv.cut_version([C, A, B], actor="rev1", settings=settings)  # same content, any order: same hash


def test_a_version_builds_on_its_parent_and_a_relabel_replaces(settings):
    first = dv.cut_version([A, B], actor="rev1", settings=settings).version
    relabelled = dv.LabeledTurn(**{**B.__dict__, "intent": "dementia_senior_care", "label_ids": (9,)})
    second = dv.cut_version([relabelled, D], actor="rev2", settings=settings)
    assert second.version.parent == first.version and second.version.rows == 3
    assert (second.added, second.relabelled) == (1, 1)
    diff = dv.diff_versions(first.version, second.version.version, settings)
    assert diff["added"] == ["t-d"] and diff["removed"] == []
    assert diff["relabelled"] == [{"turn_id": "t-b", "from": "nutrition/none", "to": "dementia_senior_care/none"}]


def test_an_erased_conversation_leaves_every_later_version(settings):
    first = dv.cut_version([A, B, C], actor="rev1", settings=settings).version
    erase_conversation(pseudonym("s1"), by="person", settings=settings)
    second = dv.cut_version([D], actor="rev1", settings=settings)
    assert second.dropped_erased == 2
    assert {r.turn_id for r in dv.read_rows(second.version.version, settings)} == {"t-c", "t-d"}
    assert first.rows == 3  # an earlier version is immutable; training takes the version it is given


@pytest.mark.parametrize(("row", "problem"), [
    (dv.LabeledTurn("t-x", "c-1", "some text here about care", "en", "crisis", "crisis", ""), "needs its crisis type"),
    (dv.LabeledTurn("t-x", "c-1", "some text here about care", "en", "nutrition", "none", "suicide"), "only a crisis label"),
    (dv.LabeledTurn("t-x", "c-1", "some text here about care", "en", "hearing aids", "none"), "new:<snake_case name>"),
    (dv.LabeledTurn("t-x", "c-1", "some text here about care", "fr", "nutrition", "none"), "language 'fr'"),
    (dv.LabeledTurn("t-x", "c-1", "some text here about care", "en", "nutrition", "worried"), "risk 'worried'"),
])
def test_a_bad_label_is_refused_and_nothing_is_stored(settings, row, problem):
    with pytest.raises(InvalidInput) as raised:
        dv.cut_version([A, row], actor="rev1", settings=settings)
    assert any(problem in d for d in raised.value.details)
    stored = settings.data_dir / "datasets"
    assert dv.list_versions(settings) == [] and not (stored.exists() and any(stored.iterdir()))


def test_a_row_that_leaks_into_the_golden_set_is_refused(settings):
    golden = load_golden(settings)[0]
    leak = dv.LabeledTurn("t-leak", "c-9", golden.text, golden.language, golden.intent if golden.intent != "crisis" else
                          "crisis", "crisis" if golden.intent == "crisis" else "none", golden.crisis_type)
    with pytest.raises(InvalidInput) as raised:
        dv.cut_version([A, leak], actor="rev1", settings=settings)
    assert any("leaks into held-out data" in d for d in raised.value.details)
    assert dv.list_versions(settings) == []


def test_a_changed_file_is_refused_on_read(settings):
    version = dv.cut_version([A, B], actor="rev1", settings=settings).version
    path = settings.data_dir / version.path
    path.write_bytes(path.read_bytes()[:-4] + b"AAAA")
    with pytest.raises(InvalidInput, match="checksum differs"):
        dv.read_rows(version.version, settings)
    with pytest.raises(NotFound):
        dv.read_rows("ds-0000", settings)


def test_export_is_audited_and_never_overwrites(settings, tmp_path):
    version = dv.cut_version([A, C], actor="rev1", settings=settings).version
    out = tmp_path / "export.csv"
    assert dv.export_version(version.version, out, reader="rev2", settings=settings) == 2
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["turn_id"] for r in rows] == ["t-a", "t-c"] and rows[1]["labelers"] == "rev1;rev2"
    with pytest.raises(InvalidInput, match="never overwrites"):
        dv.export_version(version.version, out, reader="rev2", settings=settings)
    with read_scope(settings) as session:
        actions = [(e.action, e.actor) for e in session.query(AuditEvent).all()]
    assert ("dataset.cut", "rev1") in actions and ("dataset.export", "rev2") in actions


def test_training_takes_topics_and_crises_and_gives_distress_to_the_risk_heads(settings):
    version = dv.cut_version([A, B, C, D], actor="rev1", settings=settings).version.version
    train, risk = dv.training_examples(version, settings)
    notes = dv.version_notes(version, settings)
    assert sorted((e.intent, e.crisis_type) for e in train) == [("crisis", "suicide"), ("nutrition", "")]
    assert [(e.intent, e.risk_level) for e in risk] == [("caregiver_wellbeing", "distress")]
    assert all(e.source == f"dataset:{version}" for e in train + risk)
    assert notes and "new:hearing_aids" in notes[0], "a new topic waits for its scenario"


def test_data_commands(settings):
    from core.auth.users import create_user

    create_user("rev1", "a long reviewer passphrase", "reviewer", actor="test", settings=settings)
    first = dv.cut_version([A, B], actor="rev1", settings=settings).version.version
    second = dv.cut_version([C], actor="rev1", settings=settings).version.version
    listed = run_cli(settings, "data", "versions")
    assert listed.returncode == 0 and first in listed.stdout and second in listed.stdout
    diff = run_cli(settings, "data", "diff", first, second)
    assert diff.returncode == 0 and json.loads(diff.stdout)["added"] == ["t-c"]
    out = settings.data_dir.parent / "out.csv"
    refused = run_cli(settings, "data", "export", second, "--out", str(out), "--user", "nobody")
    assert refused.returncode == 1 and not out.exists()
    done = run_cli(settings, "data", "export", second, "--out", str(out), "--user", "rev1")
    assert done.returncode == 0 and "wrote 3 rows" in done.stdout
    bad = run_cli(settings, "data", "diff", first)
    assert bad.returncode == 2 and "takes 2 version name(s)" in bad.stderr
    with read_scope(settings) as session:
        assert session.query(DatasetVersion).count() == 2


def hearing_aid_turns(english: int, spanish: int, start: int = 0, intent: str = "new:hearing_aids") -> list:
    """Distinct labelled turns about hearing aids, four words or fewer (never near-duplicates)."""
    verbs = ["cleaning", "fitting", "buying", "charging", "repairing", "adjusting", "wearing", "losing", "testing", "choosing"]
    kinds = ["new", "old", "digital", "cheap", "rechargeable", "tiny", "loud", "broken", "spare", "donated"]
    verbos = ["limpiar", "ajustar", "comprar", "cargar", "reparar", "usar"]
    tipos = ["nuevos", "viejos", "digitales", "baratos", "pequeños", "prestados"]
    texts = [(f"{v} {k} hearing aids", "en") for v in verbs for k in kinds][start:start + english]
    texts += [(f"{v} audífonos {t}", "es") for v in verbos for t in tipos][:spanish]
    return [dv.LabeledTurn(f"t-{text}", pseudonym(text), text, language, intent, "none", "", (1000 + 100 * start + i,), ("rev1",))
            for i, (text, language) in enumerate(texts)]


def more_english_hearing_aid_turns() -> list:
    """100 further English turns (a second pattern, so none is a near-duplicate of the first)."""
    people = ["grandpa", "grandma", "dad", "mom", "uncle", "aunt", "husband", "wife", "neighbour", "brother"]
    kinds = ["new", "old", "digital", "cheap", "rechargeable", "tiny", "loud", "broken", "spare", "donated"]
    texts = [f"{who} {kind} hearing aids" for who in people for kind in kinds]  # four words: never near-duplicates
    return [dv.LabeledTurn(f"t-{text}", pseudonym(text), text, "en", "new:hearing_aids", "none", "", (5000 + i,), ("rev1",))
            for i, text in enumerate(texts)]


def test_a_version_says_a_new_topic_trains_exactly_when_training_would_train_it(settings):
    """One per-class rule (validation.class_problems) for the version's notes and for training: the
    class is the version's rows and the scenario's examples; 100 rows, 25 Spanish, and a Spanish
    share within 15 points of the other classes'."""
    from core.content.versions import create_topic
    from core.mlops.training import assemble

    first = dv.cut_version(hearing_aid_turns(74, 25), actor="rev1", settings=settings)  # 99 rows, 25 Spanish
    [note] = first.notes
    assert note.startswith("new:hearing_aids: 99 rows (25 Spanish)") and "its scenario" in note and "100 rows" in note
    train, _ = dv.training_examples(first.version.version, settings)
    assert train == [], "no scenario yet: none of the topic's rows joins"

    create_topic("hearing_aids", "Hearing aids", "Audífonos", author="rev1", settings=settings)  # 3 + 2 examples
    train, _ = dv.training_examples(first.version.version, settings)
    [note] = dv.version_notes(first.version.version, settings)
    assert note == "new:hearing_aids: 99 rows (25 Spanish); trains as hearing_aids", "99 rows + 5 examples: a class"
    assert len(train) == 99 and {e.intent for e in train} == {"hearing_aids"}
    assert assemble(settings, first.version.version).report["classes"]["hearing_aids"] == {"total": 104, "en": 77, "es": 27}

    # 100 more English questions: enough rows, but a class that is nearly all English waits, and says why
    lopsided = dv.cut_version(more_english_hearing_aid_turns(), actor="rev1", settings=settings)
    [note] = lopsided.notes
    assert note.startswith("new:hearing_aids: 199 rows (25 Spanish); not trained yet: intent hearing_aids: Spanish share 13%")
    data = assemble(settings, lopsided.version.version)
    assert "hearing_aids" not in data.report["classes"]
    assert data.report["new_topics_waiting"]["hearing_aids"]["problems"] == [note.split("not trained yet: ")[1]]
    assert {r.intent for r in data.held_back} == {"hearing_aids"} and len(data.held_back) == 204
