"""The labeling tool on a real SQLite file, with logged turns written directly (redacted, encrypted):
the queue's order and filters, validation, who may label, double labeling and Cohen's kappa,
adjudication and final labels, audited reads, erasure, and the keyboard page through AppTest."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as settings_for_hypothesis
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from core import audit
from core.auth.users import create_user
from core.config import PROJECT_ROOT, Settings, get_settings
from core.content.scenarios import load_scenario
from core.errors import InvalidInput, NotPermitted, Refused
from core.mlops import agreement, labeling
from core.nlu.intent import CLARIFY_BELOW
from core.privacy.consent import pseudonym
from core.privacy.crypto import encrypt
from core.privacy.redaction import redact
from core.privacy.retention import erase_conversation, run_retention
from core.store import interactions
from core.store.engine import read_scope
from core.store.tables import AuditEvent, Interaction, Label
from core.taxonomy import CRISIS_TYPES, INTENTS, RISK_LEVELS, TOPIC_INTENTS

PASSWORD = "a-long-test-password-1"
SURE = CLARIFY_BELOW + 0.5
STAFF = {"alice": "reviewer", "bob": "reviewer", "carol": "reviewer", "root": "admin",
         "cara": "caregiver", "ana": "analyst"}


@pytest.fixture(scope="module")
def staff_data(tmp_path_factory) -> Path:
    """A data folder with the staff accounts in it, made once: hashing six passwords takes seconds."""
    data = tmp_path_factory.mktemp("staff") / "data"
    for name, role in STAFF.items():
        create_user(name, PASSWORD, role, actor="test", settings=Settings(data_dir=data))
    return data


@pytest.fixture
def settings(staff_data, tmp_path, monkeypatch):
    shutil.copytree(staff_data, tmp_path / "data")
    monkeypatch.setenv("CAREOPS_DATA_DIR", str(tmp_path / "data"))  # what the page's get_settings() reads
    get_settings.cache_clear()
    return Settings(data_dir=tmp_path / "data", scenarios_dir=PROJECT_ROOT / "scenarios")


@lru_cache(maxsize=1)
def seen_text() -> str:
    """A scenario's own example: every word of it is in the training vocabulary."""
    return load_scenario(PROJECT_ROOT / "scenarios" / "diabetes.yaml").examples.en[0]


def log_turn(settings: Settings, turn_id: str, text: str | None = None, *, intent: str = "diabetes",
             confidence: float = SURE, risk: str = "none", crisis_type: str | None = None, language: str = "en",
             feedback: int | None = None, conversation: str | None = None, days_ago: float = 0,
             risk_margin: float | None = None) -> str:
    row = Interaction(
        at=datetime.now(UTC) - timedelta(days=days_ago), conversation=conversation or pseudonym(turn_id),
        turn_id=turn_id, text_encrypted=encrypt(redact(text or seen_text()), settings), words=5,
        language=language, intent=intent, confidence=confidence, risk=risk, crisis_type=crisis_type,
        kind="answer", latency_ms=10.0, feedback=feedback, consent_version="v1", risk_margin=risk_margin)
    interactions.write_turns([row], Counter(), settings)
    return turn_id


def turn_ids_with_share(settings: Settings, doubled: bool, count: int) -> list[str]:
    """Turn ids the hash puts in (or out of) the double-labeled share."""
    ids = (f"t-{i}" for i in range(10_000))
    return [t for t in ids if labeling.double_labeled(t, settings.double_label_share) == doubled][:count]


def audit_reads(settings: Settings, target: str) -> list[AuditEvent]:
    return [e for e in audit.recent(500, action="log.read", settings=settings) if e.target == target]


# ---- the queue ------------------------------------------------------------------------------------
def test_queue_puts_crisis_then_distress_then_other_reasons_then_the_rest(settings):
    log_turn(settings, "plain")
    log_turn(settings, "unsure", confidence=CLARIFY_BELOW - 0.2)
    log_turn(settings, "unhelpful", feedback=-1)
    log_turn(settings, "new-words", seen_text() + " zorblax quintuplet")
    log_turn(settings, "distress", intent="caregiver_wellbeing", risk="distress")
    log_turn(settings, "crisis", intent="crisis", risk="crisis", crisis_type="suicide")
    order = [item.turn_id for item in labeling.queue("alice", settings=settings)]
    assert order[:2] == ["crisis", "distress"]
    assert set(order[2:5]) == {"unsure", "unhelpful", "new-words"}
    assert order[5] == "plain"


def test_queue_items_say_why_they_are_there(settings):
    log_turn(settings, "disagree", intent="diabetes", risk="distress", confidence=CLARIFY_BELOW - 0.1,
             risk_margin=labeling.NEAR_THRESHOLD / 2)
    log_turn(settings, "clear-screen", risk_margin=labeling.NEAR_THRESHOLD * 3)
    log_turn(settings, "odd-type", intent="crisis", risk="crisis", crisis_type=None)
    log_turn(settings, "new-words", seen_text() + " zorblax", feedback=-1)
    log_turn(settings, "plain")
    items = {item.turn_id: item for item in labeling.queue("alice", settings=settings)}
    assert items["disagree"].reasons[0] == "distress flagged"
    assert any("screen and intent disagree" in r for r in items["disagree"].reasons)
    assert any(r.startswith("near the threshold") for r in items["disagree"].reasons)
    assert any(r.startswith("low confidence") for r in items["disagree"].reasons)
    assert items["clear-screen"].reasons == ()  # far from every threshold, sure of its intent
    assert any("crisis type does not fit" in r for r in items["odd-type"].reasons)
    assert "negative feedback" in items["new-words"].reasons
    assert any(r.endswith(": zorblax") for r in items["new-words"].reasons)
    assert items["plain"].reasons == ()
    assert items["plain"].shortlist[0] == "diabetes" and len(items["plain"].shortlist) == labeling.SHORTLIST


def test_queue_filters_by_intent_risk_and_language(settings):
    log_turn(settings, "en-diabetes")
    log_turn(settings, "es-diabetes", "mi mamá tiene el azúcar alta", language="es")
    log_turn(settings, "en-distress", intent="caregiver_wellbeing", risk="distress")

    def ids(filters):
        return {i.turn_id for i in labeling.queue("alice", filters=filters, settings=settings)}

    assert ids({"language": "es"}) == {"es-diabetes"}
    assert ids({"intent": "diabetes"}) == {"en-diabetes", "es-diabetes"}
    assert ids({"risk": ["distress", "crisis"]}) == {"en-distress"}
    assert ids({"intent": "diabetes", "language": "en"}) == {"en-diabetes"}
    with pytest.raises(InvalidInput, match="unknown labeling filter"):
        ids({"topic": "diabetes"})
    with pytest.raises(InvalidInput, match="unknown risk"):
        ids({"risk": "panic"})


def test_a_labeled_item_leaves_the_queue_and_a_skipped_one_only_the_skippers(settings):
    [single, other] = turn_ids_with_share(settings, False, 2)
    log_turn(settings, single)
    log_turn(settings, other)
    labeling.label("alice", single, "diabetes", "none", settings=settings)
    labeling.skip("bob", other, settings=settings)
    assert [i.turn_id for i in labeling.queue("bob", settings=settings)] == []
    assert [i.turn_id for i in labeling.queue("carol", settings=settings)] == [other]


def test_the_scan_limit_counts_open_turns_so_old_unlabeled_turns_are_not_hidden(settings, monkeypatch):
    monkeypatch.setattr(labeling, "QUEUE_SCAN", 2)
    old_1, old_2, new_1, new_2 = turn_ids_with_share(settings, False, 4)
    for turn in (old_1, old_2, new_1, new_2):
        log_turn(settings, turn)
    for turn in (new_1, new_2):
        labeling.label("alice", turn, "diabetes", "none", settings=settings)
    assert {i.turn_id for i in labeling.queue("bob", settings=settings)} == {old_1, old_2}


# ---- labeling -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("intent", "risk", "crisis_type", "message"), [
    ("hearing_aids", "none", None, "new topic written new:<snake_case_name>"),
    ("new:Hearing Aids", "none", None, "unknown intent"),
    ("new:greeting", "none", None, "is not new"),
    ("new:suicide", "none", None, "reserved for the crisis screen"),
    ("new:ab", "none", None, "not a topic id"),
    ("diabetes", "panic", None, "unknown risk"),
    ("crisis", "crisis", None, "a crisis needs its type"),
    ("crisis", "crisis", "sadness", "a crisis needs its type"),
    ("caregiver_wellbeing", "distress", "suicide", "only with risk crisis"),
    ("crisis", "none", None, "the intent crisis needs risk crisis"),
])
def test_an_invalid_label_is_refused_and_stores_nothing(settings, intent, risk, crisis_type, message):
    log_turn(settings, "t1")
    with pytest.raises(InvalidInput, match=message):
        labeling.label("alice", "t1", intent, risk, crisis_type, settings=settings)
    with read_scope(settings) as session:
        assert session.exec(select(Label)).all() == []


def test_a_new_topic_and_a_crisis_with_its_type_are_stored_with_an_encrypted_redacted_comment(settings):
    log_turn(settings, "t1")
    log_turn(settings, "t2")
    saved = labeling.label("alice", "t1", "new:hearing_aids", "none", comment="call Rosa Delgado at (555) 201-3344",
                           settings=settings)
    labeling.label("alice", "t2", "crisis", "crisis", "suicide", settings=settings)
    assert saved.kind == "first" and saved.intent == "new:hearing_aids"
    assert "Rosa" not in saved.comment_encrypted and "555" not in saved.comment_encrypted
    from core.privacy.crypto import decrypt

    assert "Rosa" not in decrypt(saved.comment_encrypted, settings)


def with_new_topic(settings: Settings, tmp_path: Path) -> Settings:
    """The settings with a scenarios folder of their own that has a new topic, hearing_aids."""
    from core.content.versions import create_topic

    shutil.copytree(PROJECT_ROOT / "scenarios", tmp_path / "scenarios")
    topical = settings.model_copy(update={"scenarios_dir": tmp_path / "scenarios"})
    create_topic("hearing_aids", "Hearing aids", "Audífonos", author="alice", settings=topical)
    return topical


def test_a_new_topic_label_becomes_the_topic_once_its_scenario_exists(settings, tmp_path):
    for turn in ("t1", "t2", "t3"):
        log_turn(settings, turn)
    assert labeling.label("alice", "t1", "new:hearing_aids", "none", settings=settings).intent == "new:hearing_aids"
    topical = with_new_topic(settings, tmp_path)
    assert labeling.label("alice", "t2", "new:hearing_aids", "none", settings=topical).intent == "hearing_aids"
    assert labeling.label("alice", "t3", "new:diabetes", "none", settings=topical).intent == "diabetes"
    with pytest.raises(InvalidInput, match="unknown intent 'hearing_aids'"):
        labeling.validate("hearing_aids", "none", None, "", settings=settings)  # no scenario there


def test_a_new_topic_with_a_scenario_is_in_the_shortlist_and_the_filters(settings, tmp_path):
    with pytest.raises(InvalidInput, match="unknown intent 'hearing_aids'"):
        labeling.queue("alice", filters={"intent": "hearing_aids"}, settings=settings)
    topical = with_new_topic(settings, tmp_path)
    log_turn(topical, "predicted", "her hearing aids whistle all the time", intent="hearing_aids")
    log_turn(topical, "missed", "questions about hearing aids", intent="out_of_scope", confidence=0.2)
    log_turn(topical, "other", intent="diabetes")
    items = {i.turn_id: i for i in labeling.queue("alice", filters={"intent": "hearing_aids"}, settings=topical)}
    assert set(items) == {"predicted"} and items["predicted"].shortlist[0] == "hearing_aids"
    [missed] = labeling.queue("alice", filters={"intent": "out_of_scope"}, settings=topical)
    assert "hearing_aids" in missed.shortlist[:3]  # the vocabulary knows the new topic's scenario examples


@settings_for_hypothesis(max_examples=200, deadline=None)
@given(intent=st.one_of(st.text(max_size=60), st.sampled_from(INTENTS), st.from_regex(r"new:[a-z][a-z0-9_ A-Z]{0,50}", fullmatch=True),
                        st.sampled_from(INTENTS).map(lambda i: f"new:{i}")), risk=st.sampled_from([*RISK_LEVELS, "", "panic"]),
       crisis_type=st.one_of(st.none(), st.sampled_from([*CRISIS_TYPES, "", "sadness"])))
def test_validation_accepts_only_known_intents_new_topics_and_consistent_risk(intent, risk, crisis_type):
    new = labeling.NEW_TOPIC.match(intent)
    stored = new.group(1) if new and new.group(1) in TOPIC_INTENTS else intent  # new:<topic> labels the topic
    fits = ((stored in INTENTS or (new is not None and new.group(1) not in (*INTENTS, *CRISIS_TYPES)))
            and risk in RISK_LEVELS and (crisis_type in CRISIS_TYPES if risk == "crisis" else not crisis_type)
            and (stored != "crisis" or risk == "crisis"))
    if fits:
        assert labeling.validate(intent, risk, crisis_type, "") == stored
    else:
        with pytest.raises(InvalidInput):
            labeling.validate(intent, risk, crisis_type, "")


@pytest.mark.parametrize("who", ["cara", "ana", "nobody"])
def test_a_caregiver_an_analyst_or_an_unknown_account_cannot_label(settings, who):
    log_turn(settings, "t1")
    with pytest.raises(NotPermitted):
        labeling.label(who, "t1", "diabetes", "none", settings=settings)
    with pytest.raises(NotPermitted):
        labeling.queue(who, settings=settings)
    with read_scope(settings) as session:
        assert session.exec(select(Label)).all() == []


def test_a_reviewer_labels_an_item_once(settings):
    [turn] = turn_ids_with_share(settings, True, 1)
    log_turn(settings, turn)
    labeling.label("alice", turn, "diabetes", "none", settings=settings)
    with pytest.raises(Refused):
        labeling.label("alice", turn, "nutrition", "none", settings=settings)


# ---- double labeling, kappa, adjudication ---------------------------------------------------------
def test_the_double_labeled_share_follows_the_setting_and_the_turn_id(monkeypatch):
    ids = [f"turn-{i}" for i in range(4000)]
    share = sum(labeling.double_labeled(t, 0.10) for t in ids) / len(ids)
    assert 0.08 < share < 0.12
    assert [labeling.double_labeled(t, 0.10) for t in ids] == [labeling.double_labeled(t, 0.10) for t in ids]
    assert not any(labeling.double_labeled(t, 0.0) for t in ids)
    monkeypatch.setenv("CAREOPS_DOUBLE_LABEL_SHARE", "0.25")
    assert Settings().double_label_share == 0.25
    monkeypatch.setenv("CAREOPS_DOUBLE_LABEL_SHARE", "1.5")
    with pytest.raises(ValueError):
        Settings()


def test_a_double_labeled_item_goes_to_a_second_reviewer_who_does_not_see_the_first_label(settings):
    [doubled] = turn_ids_with_share(settings, True, 1)
    [single] = turn_ids_with_share(settings, False, 1)
    log_turn(settings, doubled)
    log_turn(settings, single)
    for turn in (doubled, single):
        labeling.label("alice", turn, "nutrition", "none", comment="alice's note", settings=settings)
    [item] = labeling.queue("bob", settings=settings)
    assert item.turn_id == doubled and item.kind == "second"
    shown = repr(item)
    assert "alice" not in shown and "nutrition" not in shown  # neither who labeled it nor how
    assert labeling.label("bob", item, "diabetes", "none", settings=settings).kind == "second"
    assert labeling.queue("carol", settings=settings) == []  # two labels are all it needs


def double_label(settings, pairs: list[tuple[tuple[str, str], tuple[str, str]]]) -> list[str]:
    """Label doubled turns: alice gives the first (intent, risk), bob the second."""
    turns = turn_ids_with_share(settings, True, len(pairs))
    for turn, (first, second) in zip(turns, pairs):
        log_turn(settings, turn)
        for reviewer, (intent, risk) in (("alice", first), ("bob", second)):
            crisis_type = "suicide" if risk == "crisis" else None
            labeling.label(reviewer, turn, intent, risk, crisis_type, settings=settings)
    return turns


def test_kappa_per_intent_and_for_risk_matches_a_hand_computed_value(settings):
    pairs = [(("diabetes", "none"), ("diabetes", "none")),
             (("diabetes", "none"), ("nutrition", "distress")),
             (("nutrition", "distress"), ("nutrition", "distress")),
             (("nutrition", "none"), ("nutrition", "none")),
             (("diabetes", "distress"), ("diabetes", "none")),
             (("crisis", "crisis"), ("crisis", "crisis"))]
    double_label(settings, pairs)
    result = agreement.agreement("carol", settings=settings)
    assert result.items == 6 and result.disagreements == 2
    # diabetes one-vs-rest: alice [1,1,0,0,1,0], bob [1,0,0,0,1,0]: po = 5/6,
    # pe = 3/6 * 2/6 + 3/6 * 4/6 = 1/2, kappa = (5/6 - 1/2) / (1 - 1/2) = 2/3
    by_name = {k.name: k for k in result.intents}
    assert by_name["diabetes"].kappa == pytest.approx(2 / 3, abs=1e-4)
    assert by_name["diabetes"].items == 6 and by_name["diabetes"].positives == 5
    # risk: alice [n,n,d,n,d,c], bob [n,d,d,n,n,c]: po = 4/6, pe = (3*3 + 2*2 + 1*1)/36 = 14/36,
    # kappa = (24/36 - 14/36) / (22/36) = 10/22
    assert result.risk.kappa == pytest.approx(10 / 22, abs=1e-4)
    assert result.risk.kappa == pytest.approx(cohen_kappa_score(list("nndndc"), list("nddnnc")), abs=1e-4)
    assert by_name["crisis"].kappa == pytest.approx(1.0)


def test_disagreements_are_adjudicated_by_a_third_reviewer_or_an_admin(settings):
    agreed, disputed, second_dispute = double_label(settings, [
        (("diabetes", "none"), ("diabetes", "none")),
        (("diabetes", "none"), ("nutrition", "none")),
        (("adl", "none"), ("home_safety", "distress"))])
    listed = agreement.disagreements("carol", settings=settings)
    assert [d.turn_id for d in listed] == [disputed, second_dispute]
    assert listed[0].first.intent == "diabetes" and listed[0].second.intent == "nutrition"
    with pytest.raises(Refused, match="neither label"):
        agreement.adjudicate("alice", disputed, "nutrition", "none", settings=settings)
    with pytest.raises(Refused, match="disagree"):
        agreement.adjudicate("carol", agreed, "diabetes", "none", settings=settings)
    agreement.adjudicate("carol", listed[0], "nutrition", "none", settings=settings)
    with pytest.raises(Refused, match="already"):
        agreement.adjudicate("root", disputed, "diabetes", "none", settings=settings)
    assert [d.turn_id for d in agreement.disagreements("carol", settings=settings)] == [second_dispute]

    [single] = turn_ids_with_share(settings, False, 1)
    log_turn(settings, single)
    labeling.label("bob", single, "new:hearing_aids", "none", settings=settings)
    final = labeling.final_labels(settings)
    assert final.in_disagreement == 1
    assert {(f.turn_id, f.intent, f.source) for f in final.labels} == {
        (agreed, "diabetes", "agreed"), (disputed, "nutrition", "adjudicated"), (single, "new:hearing_aids", "single")}

    agreement.adjudicate("root", second_dispute, "home_safety", "distress", settings=settings)  # an admin may
    assert labeling.final_labels(settings).in_disagreement == 0


def test_every_read_of_logged_text_is_audited_without_the_text(settings):
    log_turn(settings, "t1", "my mom keeps forgetting her insulin")
    labeling.queue("alice", filters={"risk": "none"}, settings=settings)
    [event] = audit_reads(settings, "labeling.queue")
    assert event.actor == "alice" and '"rows": 1' in event.details
    assert "insulin" not in event.details
    agreement.disagreements("carol", settings=settings)
    assert audit_reads(settings, "labeling.adjudication")[0].actor == "carol"
    labeling.queue("alice", filters={"risk": "crisis"}, settings=settings)  # nothing open: nothing read
    assert len(audit_reads(settings, "labeling.queue")) == 1


def test_erasure_and_retention_remove_the_labels_of_their_turns(settings):
    conversation = pseudonym("session-1")
    log_turn(settings, "kept")
    log_turn(settings, "erased", conversation=conversation)
    log_turn(settings, "old", days_ago=settings.retention_days + 1)
    for turn in ("kept", "erased", "old"):
        labeling.label("alice", turn, "diabetes", "none", settings=settings)
    erase_conversation(conversation, by="root", settings=settings)
    assert run_retention(settings=settings)["labels"] == 1
    with read_scope(settings) as session:
        assert [row.turn_id for row in session.exec(select(Label))] == ["kept"]
    assert [f.turn_id for f in labeling.final_labels(settings).labels] == ["kept"]


# ---- the page, keyboard first ---------------------------------------------------------------------
def page(settings: Settings, username: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "labeling.py"), default_timeout=60)
    at.session_state["user"] = {"username": username, "role": STAFF[username], "last_active": datetime.now(UTC)}
    return at


def button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


def test_the_page_labels_with_the_keyboard_shortcuts(settings):
    log_turn(settings, "t1", intent="diabetes", risk="distress")
    at = page(settings, "alice").run()
    assert not at.exception, at.exception
    shortcuts = {b.key: b.proto.shortcut.lower() for b in at.button if b.proto.shortcut}  # Streamlit lowercases them
    assert [shortcuts[f"intent_{n}"] for n in range(1, 10)] == [str(n) for n in range(1, 10)]
    assert (shortcuts["risk_none"], shortcuts["risk_distress"], shortcuts["risk_crisis"]) == ("n", "d", "x")
    assert (shortcuts["skip"], shortcuts["confirm"]) == ("s", "enter")
    assert "diabetes" in button(at, "intent_1").label  # the model's prediction is key 1
    button(at, "intent_1").click().run()
    button(at, "risk_distress").click().run()
    button(at, "confirm").click().run()
    assert not at.exception, at.exception
    with read_scope(settings) as session:
        [saved] = session.exec(select(Label)).all()
    assert (saved.reviewer, saved.intent, saved.risk, saved.skipped) == ("alice", "diabetes", "distress", False)


def test_the_page_skips_and_respects_the_drift_filter(settings):
    log_turn(settings, "en-1")
    log_turn(settings, "es-1", "mi mamá tiene el azúcar alta", language="es")
    at = page(settings, "alice")
    at.session_state["labeling_filter"] = {"language": "es"}
    at.run()
    assert "language: es" in "\n".join(str(c.value) for c in at.caption)
    button(at, "skip").click().run()
    assert not at.exception, at.exception
    with read_scope(settings) as session:
        [skipped] = session.exec(select(Label)).all()
    assert skipped.turn_id == "es-1" and skipped.skipped


def test_the_page_shows_kappa_and_records_an_adjudication(settings):
    [disputed] = double_label(settings, [(("diabetes", "none"), ("nutrition", "none"))])
    at = page(settings, "carol").run()
    assert not at.exception, at.exception
    assert "1 waiting for adjudication" in "\n".join(str(c.value) for c in at.caption)
    next(t for t in at.toggle if t.key == "show_disagreements").set_value(True).run()
    next(s for s in at.selectbox if s.key == f"adj_intent_{disputed}").set_value("nutrition")
    button(at, f"adj_{disputed}").click().run()
    assert not at.exception, at.exception
    [final] = labeling.final_labels(settings).labels
    assert (final.turn_id, final.intent, final.source) == (disputed, "nutrition", "adjudicated")


def test_the_page_takes_a_new_topic_typed_by_the_reviewer(settings):
    log_turn(settings, "t1", "does medicare pay for hearing aids")
    at = page(settings, "alice").run()
    next(t for t in at.text_input if t.key == "new_topic_t1").input("hearing_aids").run()
    button(at, "risk_none").click().run()
    button(at, "confirm").click().run()
    assert not at.exception, at.exception
    with read_scope(settings) as session:
        assert [r.intent for r in session.exec(select(Label))] == ["new:hearing_aids"]


def test_the_page_labels_a_crisis_with_its_type_and_refuses_a_label_without_an_intent(settings):
    log_turn(settings, "t1", intent="crisis", risk="crisis", crisis_type="self_harm")
    at = page(settings, "alice").run()
    button(at, "risk_crisis").click().run()
    button(at, "confirm").click().run()
    assert "unknown intent" in "\n".join(e.value for e in at.error)  # no intent chosen yet: nothing stored
    with read_scope(settings) as session:
        assert session.exec(select(Label)).all() == []
    button(at, "intent_1").click().run()
    assert next(s for s in at.selectbox if s.key == "crisis_type_t1").value == "self_harm"
    button(at, "confirm").click().run()
    with read_scope(settings) as session:
        [saved] = session.exec(select(Label)).all()
    assert (saved.intent, saved.risk, saved.crisis_type) == ("crisis", "crisis", "self_harm")


def test_the_page_refuses_an_analyst(settings):
    at = page(settings, "ana").run()
    assert "Not permitted" in "\n".join(e.value for e in at.error)


# ---- into a dataset version -----------------------------------------------------------------------
def test_final_labels_become_a_dataset_version_with_their_label_ids_and_labelers(settings):
    from core.mlops import dataset_versions

    single = turn_ids_with_share(settings, False, 2)
    log_turn(settings, single[0], "my mother Rosa Delgado has a hearing aid that whistles all day", intent="out_of_scope")
    log_turn(settings, single[1], "what snacks keep blood sugar steady overnight for my dad", intent="diabetes")
    first = labeling.label("alice", single[0], "new:hearing_aids", "none", settings=settings)
    second = labeling.label("bob", single[1], "diabetes", "none", settings=settings)
    rows = dataset_versions.labeled_turns(reader="alice", settings=settings)
    assert {(r.turn_id, r.intent, r.label_ids, r.labelers) for r in rows} == {
        (single[0], "new:hearing_aids", (first.id,), ("alice",)), (single[1], "diabetes", (second.id,), ("bob",))}
    assert all("Rosa" not in r.text for r in rows), "the dataset takes the redacted text"
    assert audit_reads(settings, "dataset.cut")[0].actor == "alice"
    cut = dataset_versions.cut_version(rows, actor="alice", settings=settings)
    assert cut.version.rows == 2 and cut.added == 2
    assert cut.notes and "new:hearing_aids: 1 rows" in cut.notes[0]
