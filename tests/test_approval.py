"""Approval (core/mlops/approval.py) against a real MLflow store and a real SQLite database in
tmp_path: only gated versions, only reviewers and admins, a required note, the two-person rule,
rollback to approved versions only, retirement without deletion, and the one automatic approval."""

from __future__ import annotations

import pytest
from model_versions import tiny_version
from sqlmodel import select

from core import audit
from core.auth.users import create_user
from core.config import get_settings
from core.errors import InvalidInput, NotPermitted, Refused
from core.mlops import approval
from core.store import registry
from core.store.engine import read_scope
from core.store.tables import ModelApproval

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def settings():
    settings = get_settings()
    for name, role in (("rita", "reviewer"), ("rosa", "reviewer"), ("adam", "admin"), ("cara", "caregiver"),
                       ("anna", "analyst")):
        create_user(name, PASSWORD, role, actor="test", settings=settings)
    return settings


def test_a_version_that_failed_a_gate_cannot_be_approved_and_the_refusal_names_the_gate(settings):
    failed = tiny_version(settings, "intent", passes=False)
    with pytest.raises(Refused, match="did not pass every gate") as refused:
        approval.approve(settings, "rita", "intent", failed.version, "looked at the card")
    assert refused.value.details == ["intent_accuracy: golden: accuracy = 0.5000 (bar >= 0.9)"]
    assert registry.champion("intent", settings) is None
    with read_scope(settings) as session:
        assert session.exec(select(ModelApproval)).all() == []


def test_a_version_never_assessed_cannot_be_approved(settings):
    from core.nlu.model_files import model_path, save_model

    save_model({"raw": True}, model_path("crisis", settings))
    raw = registry.register_version("crisis", model_path("crisis", settings), settings=settings)
    with pytest.raises(Refused) as refused:
        approval.approve(settings, "rita", "crisis", raw.version, "ok")
    assert refused.value.details == ["gates: not evaluated on this version"]


@pytest.mark.parametrize("user", ["cara", "anna", "nobody"])
def test_caregivers_analysts_and_unknown_users_cannot_approve(settings, user):
    version = tiny_version(settings, "crisis")
    with pytest.raises(NotPermitted):
        approval.approve(settings, user, "crisis", version.version, "looks fine to me")
    assert registry.champion("crisis", settings) is None
    assert audit.recent(1, action="page.forbidden", settings=settings)[0].actor == user


def test_a_note_is_required_and_bounded(settings):
    version = tiny_version(settings, "intent")
    with pytest.raises(InvalidInput, match="a note is required"):
        approval.approve(settings, "rita", "intent", version.version, "   ")
    with pytest.raises(InvalidInput, match="at most 1000"):
        approval.reject(settings, "rita", "intent", version.version, "x" * 1001)
    assert registry.get_version("intent", version.version, settings).status == "candidate"


def test_approval_makes_champion_signs_the_card_and_supersedes_the_previous_one(settings):
    first, second = tiny_version(settings, "crisis"), tiny_version(settings, "crisis")
    registry.set_alias("crisis", "challenger", second.version, settings)
    outcome = approval.approve(settings, "rita", "crisis", first.version, "recall by type checked")
    assert outcome.promoted and outcome.previous_champion is None
    outcome = approval.approve(settings, "adam", "crisis", second.version, "red team all caught")
    assert outcome.promoted and outcome.previous_champion == first.version
    champion = registry.champion("crisis", settings)
    assert champion.version == second.version and champion.status == "champion"
    assert champion.tags["approval.1.by"] == "adam" and champion.tags["approval.1.note"] == "red team all caught"
    assert champion.tags["approval.1.card"] == "c" * 64 and champion.tags["approval.1.at"]
    assert registry.alias_version("crisis", "challenger", settings) is None
    assert registry.get_version("crisis", first.version, settings).status == "superseded"
    signed = approval.decisions(settings, "crisis", second.version)
    assert [(d.reviewer, d.decision, d.note, d.card_sha256) for d in signed] == [
        ("adam", "approved", "red team all caught", "c" * 64)]
    events = [(e.action, e.actor) for e in audit.recent(10, settings=settings) if e.action.startswith("model.")]
    assert events[:2] == [("model.promoted", "adam"), ("model.approved", "adam")]
    assert audit.verify_chain(settings) is None


def test_two_person_rule_needs_two_different_reviewers(settings):
    two = settings.model_copy(update={"approvals_required": 2})
    version = tiny_version(two, "intent")
    first = approval.approve(two, "rita", "intent", version.version, "metrics fine")
    assert (first.approvals, first.required, first.promoted) == (1, 2, False)
    assert registry.champion("intent", two) is None
    with pytest.raises(Refused, match="another reviewer must approve"):
        approval.approve(two, "rita", "intent", version.version, "approving again")
    second = approval.approve(two, "rosa", "intent", version.version, "card read, agree")
    assert second.promoted and registry.champion("intent", two).version == version.version
    tags = registry.get_version("intent", version.version, two).tags
    assert (tags["approval.1.by"], tags["approval.2.by"]) == ("rita", "rosa")


def test_a_rejected_version_cannot_be_approved_and_the_champion_cannot_be_rejected(settings):
    champion, candidate = tiny_version(settings, "intent"), tiny_version(settings, "intent")
    approval.approve(settings, "rita", "intent", champion.version, "fine")
    with pytest.raises(Refused, match="roll back"):
        approval.reject(settings, "rosa", "intent", champion.version, "changed my mind")
    approval.reject(settings, "rosa", "intent", candidate.version, "macro-F1 too close to the bar")
    assert registry.get_version("intent", candidate.version, settings).status == "rejected"
    with pytest.raises(Refused, match="rejected"):
        approval.approve(settings, "adam", "intent", candidate.version, "overrule")
    assert registry.champion("intent", settings).version == champion.version


def test_rollback_returns_to_an_earlier_approved_version_only(settings):
    first, second, never = (tiny_version(settings, "crisis") for _ in range(3))
    approval.approve(settings, "rita", "crisis", first.version, "first")
    approval.approve(settings, "rita", "crisis", second.version, "second")
    with pytest.raises(Refused, match="never approved"):
        approval.rollback(settings, "rosa", "crisis", never.version)
    with pytest.raises(NotPermitted):
        approval.rollback(settings, "anna", "crisis", first.version)
    assert approval.rollback(settings, "rosa", "crisis", first.version, "second one flags dose questions") == second.version
    assert registry.champion("crisis", settings).version == first.version
    assert registry.get_version("crisis", second.version, settings).status == "superseded"
    assert audit.recent(1, action="model.rolled_back", settings=settings)[0].actor == "rosa"
    with pytest.raises(Refused, match="already the champion"):
        approval.rollback(settings, "rosa", "crisis", first.version)


def test_retire_archives_without_deleting_and_never_the_champion(settings):
    champion, old = tiny_version(settings, "intent"), tiny_version(settings, "intent")
    approval.approve(settings, "rita", "intent", champion.version, "fine")
    with pytest.raises(Refused, match="is the champion"):
        approval.retire(settings, "adam", "intent", champion.version)
    with pytest.raises(NotPermitted):
        approval.retire(settings, "cara", "intent", old.version)
    approval.retire(settings, "adam", "intent", old.version, "superseded long ago")
    archived = registry.get_version("intent", old.version, settings)
    assert archived.status == "archived" and archived.tags["archived.by"] == "adam"
    assert {r.version for r in registry.list_versions("intent", settings)} == {champion.version, old.version}
    assert audit.recent(1, action="model.retired", settings=settings)[0].target.endswith(f"version {old.version}")
    with pytest.raises(Refused, match="archived"):
        approval.approve(settings, "rita", "intent", old.version, "bring it back")


def test_bootstrap_only_when_there_is_no_champion_and_every_gate_passed(settings):
    failing, passing, later = tiny_version(settings, "crisis", passes=False), tiny_version(settings, "crisis"), \
        tiny_version(settings, "crisis")
    with pytest.raises(Refused, match="did not pass every gate"):
        approval.bootstrap_champion(settings, "crisis", failing.version)
    outcome = approval.bootstrap_champion(settings, "crisis", passing.version)
    assert outcome.promoted and registry.champion("crisis", settings).version == passing.version
    tags = registry.champion("crisis", settings).tags
    assert tags["approval.1.by"] == approval.BOOTSTRAP_REVIEWER and tags["approved"] == "true"
    assert audit.recent(1, action="model.bootstrapped", settings=settings)[0].actor == "system"
    with pytest.raises(Refused, match="has a champion"):
        approval.bootstrap_champion(settings, "crisis", later.version)
    assert approval.approved_versions(settings, "crisis") == {passing.version}


def test_after_training_the_first_version_to_pass_every_gate_becomes_champion_by_itself(settings):
    from core.mlops.lifecycle import bootstrap_if_first

    said: list[str] = []
    failing = {"intent": tiny_version(settings, "intent", passes=False), "crisis": tiny_version(settings, "crisis")}
    assert bootstrap_if_first(settings, failing, said.append) == {"intent": False, "crisis": True}
    assert registry.champion("intent", settings) is None and registry.champion("crisis", settings).version == 1
    assert any("failed a gate: no champion yet" in line for line in said)
    passing = {"intent": tiny_version(settings, "intent"), "crisis": tiny_version(settings, "crisis")}
    assert bootstrap_if_first(settings, passing, said.append) == {"intent": True, "crisis": False}
    assert registry.champion("crisis", settings).version == 1  # a champion is only ever replaced by a reviewer
    assert registry.champion("intent", settings).tags["approval.1.by"] == approval.BOOTSTRAP_REVIEWER
