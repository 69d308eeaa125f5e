"""The console through Streamlit's AppTest: every page for every role, sign-in, the chat round trip,
crisis banner, feedback, export, and the scenario editor (save, refuse, roll back)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from core import audit
from core.auth.permissions import PAGES, pages_for
from core.auth.users import create_user, list_users
from core.config import PROJECT_ROOT, get_settings
from core.content.versions import history
from core.dialogue.transcript import to_markdown
from core.store.feedback import list_feedback

pytestmark = pytest.mark.slow
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def console(trained, tmp_path, monkeypatch):
    """Settings pointing at the trained copy, with a private database and scenario folder per test."""
    import shutil

    shutil.copytree(trained.scenarios_dir, tmp_path / "scenarios")
    monkeypatch.setenv("CAREOPS_DATA_DIR", str(trained.data_dir))
    monkeypatch.setenv("CAREOPS_SCENARIOS_DIR", str(tmp_path / "scenarios"))
    monkeypatch.setenv("CAREOPS_DATABASE_URL", f"sqlite:///{tmp_path / 'console.db'}")
    get_settings.cache_clear()
    return get_settings()


def app(user: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    if user:
        if user["username"] not in {u.username for u in list_users()}:  # roles are read from the database
            create_user(user["username"], PASSWORD, user["role"], actor="test")
        at.session_state["user"] = {"last_active": datetime.now(UTC), **user}
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def as_role(role: str) -> dict:
    return {"username": f"test-{role}", "role": role}


def labelled(widgets, label: str):
    return next(w for w in widgets if w.label == label)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [s.value for s in at.success] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


def test_anonymous_sees_only_sign_in_with_first_admin_hint(console):
    at = app()
    assert at.title[0].value == "Sign in to CareOps"
    assert "python -m core users add" in texts(at)
    assert not at.chat_input


def test_sign_in_then_chat_is_the_home_page(console):
    create_user("carol", PASSWORD, "caregiver", actor="test")
    at = app()
    labelled(at.text_input, "Username").input("carol")
    labelled(at.text_input, "Password").input(PASSWORD)
    at.button[0].click().run()
    user = at.session_state["user"]
    assert user["role"] == "caregiver"
    assert audit.recent(1, action="signin.ok")[0].actor == "carol"
    assert app(user).chat_input, "the chat page is the signed-in caregiver's home page"


def test_failed_sign_in_is_refused_and_audited(console):
    create_user("dave", PASSWORD, "caregiver", actor="test")
    at = app()
    labelled(at.text_input, "Username").input("dave")
    labelled(at.text_input, "Password").input("wrong password here")
    at.button[0].click().run()
    assert "Wrong username or password" in texts(at)
    assert audit.recent(5, action="signin.failed")[0].actor == "dave"


@pytest.mark.parametrize("role", ["caregiver", "reviewer", "analyst", "admin"])
def test_each_role_sees_only_its_pages(console, role):
    at = app(as_role(role))
    shown = {link.label for link in at.sidebar.get("page_link")}
    assert shown == {title for _, _, title, _, _ in pages_for(role)}


@pytest.mark.parametrize(("role", "page"), [
    (role, file) for role in ("caregiver", "reviewer", "analyst", "admin") for _, file, _, _, perm in PAGES
])
def test_every_page_opens_or_refuses_for_every_role(console, role, page):
    at = app(as_role(role), page)
    permitted = any(file == page for _, file, _, _, _ in pages_for(role))
    refused = "Not permitted" in texts(at)
    assert refused != permitted
    if refused:
        event = audit.recent(1, action="page.forbidden")[0]
        assert event.actor == f"test-{role}" and event.target in page


def test_public_chat_without_an_account(console, monkeypatch):
    monkeypatch.setenv("CAREOPS_PUBLIC_CHAT", "1")
    get_settings.cache_clear()
    at = app()
    assert at.chat_input
    assert "Not permitted" in texts(app(None, "pages/scenarios.py"))


def test_session_expires_after_inactivity(console):
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.session_state["user"] = {**as_role("admin"), "last_active": datetime.now(UTC) - timedelta(hours=2)}
    at.run()
    assert "signed out after a period of inactivity" in texts(at)
    assert "user" not in at.session_state


def test_chat_round_trip_with_disclaimer_sources_and_timestamps(console):
    at = app(as_role("caregiver"))
    at.chat_input[0].set_value("my mom has alzheimers and keeps asking the same question all day").run()
    shown = texts(at)
    assert "not medical advice" in shown
    assert "Sources:" in shown and "https://" in shown
    assert len(at.chat_message) == 2
    assert at.session_state["turns"][-1].intent == "dementia_senior_care"


def test_crisis_banner_appears_and_stays_for_the_session(console):
    at = app(as_role("caregiver"))
    at.chat_input[0].set_value("everyone would be better off without me").run()
    assert "help is available now" in texts(at) and "tel:988" in texts(at)
    at.chat_input[0].set_value("how do i get respite care").run()
    assert "help is available now" in texts(at)


def test_feedback_is_stored_against_the_turn_with_the_comment_encrypted(console):
    at = app(as_role("caregiver"))
    at.chat_input[0].set_value("how do i keep dad from falling in the shower").run()
    turn = at.session_state["turns"][-1]
    at.feedback[0].set_value(1).run()
    labelled(at.text_input, "Comment about this answer (optional)").input("very clear, call me at 555-123-4567").run()
    at.button(key=f"send_{turn.turn_id}").click().run()
    assert "Thank you for your feedback" in texts(at)
    stored = [f for f in list_feedback() if f.turn_id == turn.turn_id]
    assert stored and stored[0].rating == 1
    assert "very clear" not in stored[0].comment_encrypted and "555" not in stored[0].comment_encrypted


def test_chat_asks_consent_once_keeps_consented_turns_redacted_and_erases_on_request(console):
    from core.dialogue.interaction_log import read_turns
    from core.privacy.consent import pseudonym, question
    from core.store.interactions import list_turns
    from pages import _ui

    at = app(as_role("caregiver"))
    assert question("en", 90) in texts(at)
    at.button(key="consent_True").click().run()
    assert at.session_state["consent"] is True
    assert question("en", 90) not in texts(at), "asked once per conversation"
    at.chat_input[0].set_value("how do i help my mom Rosa Delgado bathe safely").run()
    session_id = at.session_state["session_id"]
    assert _ui.assistant().log.flush()
    kept = read_turns(reader="test-reviewer", conversation=pseudonym(session_id))
    assert len(kept) == 1 and "Rosa" not in kept[0]["text"] and "bathe" in kept[0]["text"]
    labelled(at.button, "Delete this conversation").click().run()
    assert list_turns(conversation=pseudonym(session_id)) == []
    assert at.session_state["session_id"] != session_id and not at.chat_message
    assert question("en", 90) in texts(at), "a new conversation is asked again"


def test_chat_without_consent_keeps_no_turn(console):
    from core.privacy.consent import pseudonym
    from core.store.interactions import list_turns
    from pages import _ui

    at = app(as_role("caregiver"))
    labelled(at.selectbox, "Language / Idioma").set_value("es").run()
    at.button(key="consent_False").click().run()
    at.chat_input[0].set_value("¿cómo ayudo a mi papá a bañarse?").run()
    assert _ui.assistant().log.flush()
    assert list_turns(conversation=pseudonym(at.session_state["session_id"])) == []


def test_export_has_timestamps_and_disclaimers(console):
    at = app(as_role("caregiver"))
    at.chat_input[0].set_value("tips for managing arthritis pain day to day").run()
    labels = {b.label for b in at.get("download_button")}
    assert {"Download (Markdown)", "Download (JSON)"} <= labels
    exported = to_markdown(at.session_state["turns"])
    assert "tips for managing arthritis pain" in exported and "not medical advice" in exported
    assert datetime.now().strftime("%Y-%m-%d") in exported


def test_start_over_clears_the_conversation(console):
    at = app(as_role("caregiver"))
    at.chat_input[0].set_value("hello").run()
    at.button(key=next(b.key for b in at.button if b.label == "Start over")).click().run()
    assert at.session_state["turns"] == []


def _raw(at: AppTest):
    return next(t for t in at.text_area if t.label == "Scenario YAML")


def test_scenario_save_creates_a_version_and_updates_the_file(console):
    at = app(as_role("reviewer"), "pages/scenarios.py")
    labelled(at.selectbox, "Scenario to edit").set_value("nutrition").run()
    path = console.scenarios_dir / "nutrition.yaml"
    edited = path.read_text(encoding="utf-8").replace("examples:\n  en:\n", "examples:\n  en:\n    - my dad barely eats since the move\n", 1)
    _raw(at).input(edited)
    at.text_input(key="nutrition_reason_raw").input("add a common way people ask")
    at.button(key="save_raw_nutrition").click().run()
    assert "Saved nutrition as version" in texts(at)
    assert "my dad barely eats since the move" in path.read_text(encoding="utf-8")
    assert history("nutrition")[0].author == "test-reviewer"
    assert "Retrain needed" in texts(app(as_role("reviewer"), "pages/scenarios.py"))


def test_invalid_scenario_is_refused_with_the_field_and_nothing_is_written(console):
    at = app(as_role("reviewer"), "pages/scenarios.py")
    labelled(at.selectbox, "Scenario to edit").set_value("nutrition").run()
    path = console.scenarios_dir / "nutrition.yaml"
    before = path.read_bytes()
    _raw(at).input(before.decode().replace("title:", "titel:", 1))
    at.text_input(key="nutrition_reason_raw").input("typo test")
    at.button(key="save_raw_nutrition").click().run()
    assert "Not saved" in texts(at) and "title" in texts(at)
    assert path.read_bytes() == before
    assert history("nutrition") == []


def test_rollback_restores_an_earlier_version(console):
    at = app(as_role("reviewer"), "pages/scenarios.py")
    labelled(at.selectbox, "Scenario to edit").set_value("goodbye").run()
    path = console.scenarios_dir / "goodbye.yaml"
    original = path.read_text(encoding="utf-8")
    _raw(at).input(original.replace("en: Goodbye", "en: Saying goodbye", 1) if "en: Goodbye" in original
                   else original.replace("examples:\n  en:\n", "examples:\n  en:\n    - ok im off now\n", 1))
    at.text_input(key="goodbye_reason_raw").input("wording")
    at.button(key="save_raw_goodbye").click().run()
    first = min(v.version for v in history("goodbye"))
    at = app(as_role("reviewer"), "pages/scenarios.py")
    labelled(at.selectbox, "Scenario to edit").set_value("goodbye").run()
    at.selectbox(key="hist_goodbye").set_value(first).run()
    at.button(key="rollback_goodbye").click().run()
    assert "Rolled back" in texts(at)
    restored = path.read_text(encoding="utf-8")
    assert restored.split("\n", 1)[1] == original.split("\n", 1)[1]  # same content, a newer version number


def test_try_it_shows_the_scenario_and_confidence(console):
    at = app(as_role("reviewer"), "pages/scenarios.py")
    labelled(at.selectbox, "Scenario to edit").set_value("home_safety").run()
    at.text_input(key="try_home_safety").input("where should grab bars go in the bathroom").run()
    assert "Reaches **home_safety**" in texts(at)


def test_admin_adds_a_user_and_reads_the_audit_log(console):
    at = app(as_role("admin"), "pages/users.py")
    labelled(at.text_input, "Username").input("newreviewer")
    labelled(at.text_input, "Initial password (at least 12 characters)").input(PASSWORD)
    labelled(at.selectbox, "Role").set_value("reviewer")
    at.button[0].click().run()
    assert "Added newreviewer as reviewer" in texts(at)
    log = app(as_role("admin"), "pages/audit_log.py")
    assert any("user.created" in str(v) for v in log.dataframe[0].value["action"])


def test_an_admin_erases_a_conversation_by_the_reference_the_chat_showed(console):
    from core.privacy.consent import pseudonym
    from core.store.interactions import list_turns
    from pages import _ui

    chat = app(as_role("caregiver"))
    chat.button(key="consent_True").click().run()
    chat.chat_input[0].set_value("how do i help my dad with his hearing aids").run()
    reference = pseudonym(chat.session_state["session_id"])
    assert f"Conversation reference: `{reference}`" in texts(chat)
    assert _ui.assistant().log.flush() and len(list_turns(conversation=reference)) == 1

    page = app(as_role("admin"), "pages/erasure.py")
    labelled(page.text_input, "Conversation reference").input(reference)
    page.button[0].click().run()  # not confirmed: refused, nothing deleted
    assert "Nothing was deleted" in texts(page) or "nothing was deleted" in texts(page)
    assert len(list_turns(conversation=reference)) == 1
    labelled(page.text_input, "Conversation reference").input("c-not-a-reference")
    labelled(page.checkbox, "The request comes from the person the conversation belongs to").check()
    page.button[0].click().run()
    assert "is not a conversation pseudonym" in texts(page) and len(list_turns(conversation=reference)) == 1
    labelled(page.text_input, "Conversation reference").input(reference)
    labelled(page.checkbox, "The request comes from the person the conversation belongs to").check()
    page.button[0].click().run()
    assert f"Erased {reference}: 1 logged turn(s) deleted" in texts(page)
    assert list_turns(conversation=reference) == []
    assert reference in set(page.dataframe[0].value["conversation"])
    events = [e for e in audit.recent(20) if e.action == "log.erase"]
    assert events and events[0].actor == "test-admin" and events[0].target == reference


def test_the_erasure_page_is_for_admins_only(console):
    for role in ("caregiver", "reviewer", "analyst"):
        at = app(as_role(role), "pages/erasure.py")
        assert "Erase a conversation" not in [t.value for t in at.title] and at.error, role
        assert not [b for b in at.button if b.label == "Erase the conversation"]
