"""The console's sessions through Streamlit's AppTest: no conversation reaches anyone else (sign-in,
sign-out and idle expiry start a clean session, the public pseudo-user expires too), an account's
role and active flag apply at the next click, sign-in failures say nothing about which names
exist, and a cold console paints at once with a loading state instead of waiting for the models."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import test_console
from streamlit.testing.v1 import AppTest
from test_console import PASSWORD, app, as_role, labelled, texts

from core import audit
from core.auth.users import MAX_FAILED_ATTEMPTS, SIGN_IN_FAILED, UNKNOWN_USER, create_user, update_user
from core.config import PROJECT_ROOT, get_settings
from core.dialogue import factory
from pages import _ui

pytestmark = pytest.mark.slow
console = test_console.console  # the fixture: trained models, a private database and scenario folder
CRISIS = "everyone would be better off without me"
CONVERSATION_KEYS = ("session_id", "turns", "crisis_resources", "suggestions")


@pytest.fixture(autouse=True)
def reruns_like_the_server(monkeypatch):
    """Every run starts with app.py, as on the server. AppTest starts each run in Streamlit's
    pages-folder mode (there is a pages/ folder), where a rerun on a page of pages/ runs that file
    alone and skips app.py's checks; the server leaves that mode for good at the first
    st.navigation call, which this reproduces for AppTest's fresh PagesManager of every run."""
    from streamlit.runtime.pages_manager import PagesManager

    init = PagesManager.__init__

    def init_after_navigation(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init_after_navigation)


@pytest.fixture
def public_chat(console, monkeypatch):
    monkeypatch.setenv("CAREOPS_PUBLIC_CHAT", "1")
    get_settings.cache_clear()
    return get_settings()


def converse(at: AppTest) -> str:
    """One crisis turn, so the session holds a conversation, a crisis banner and a stored session."""
    at.chat_input[0].set_value(CRISIS).run()
    assert "help is available now" in texts(at)
    session_id = at.session_state["session_id"]
    assert _ui.assistant().store.load(session_id) is not None
    return session_id


def assert_clean(at: AppTest, old_session_id: str) -> None:
    """Nothing of the previous conversation: not on screen, not in the session, not in the store."""
    assert not at.chat_message
    assert "help is available now" not in texts(at)
    state = at.session_state
    assert "session_id" not in state or state["session_id"] != old_session_id
    assert all(key not in state or not state[key] for key in CONVERSATION_KEYS[1:])
    assert not [key for key in state if key.startswith(("saved_", "rating_"))]
    assert _ui.assistant().store.load(old_session_id) is None


def go_idle(at: AppTest, minutes: int = 120) -> None:
    at.session_state["user"] = {**at.session_state["user"], "last_active": datetime.now(UTC) - timedelta(minutes=minutes)}


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    labelled(at.text_input, "Username").input(username)
    labelled(at.text_input, "Password").input(password)
    return at.button[0].click().run()


# --- no conversation reaches anyone else ----------------------------------------------------------

def test_idle_expiry_starts_a_clean_session_and_is_audited(console):
    at = app(as_role("caregiver"))
    old = converse(at)
    go_idle(at)
    at.run()
    assert "signed out after a period of inactivity" in texts(at)
    assert at.title[0].value == "Sign in to CareOps"
    assert_clean(at, old)
    event = audit.recent(1, action="signout")[0]
    assert (event.actor, event.details) == ("test-caregiver", '{"reason": "idle"}')


def test_public_visitor_conversation_expires_before_the_next_visitor(public_chat):
    at = app()
    old = converse(at)
    go_idle(at, public_chat.console_idle_minutes + 1)
    at.run()
    assert "closed after a period of inactivity" in texts(at)
    assert at.chat_input, "the next visitor gets a fresh public chat"
    assert_clean(at, old)


def test_public_visitor_within_idle_minutes_keeps_the_conversation(public_chat):
    at = app()
    old = converse(at)
    go_idle(at, public_chat.console_idle_minutes - 1)
    at.run()
    assert at.session_state["session_id"] == old and len(at.chat_message) == 2


def test_sign_out_starts_a_clean_session_and_is_audited(public_chat):
    at = app(as_role("caregiver"))
    old = converse(at)
    next(b for b in at.sidebar.button if b.label == "Sign out").click().run()
    assert "You are signed out" in texts(at) and at.title[0].value == "Sign in to CareOps"
    assert at.session_state["user"]["role"] == "public"
    at.switch_page("pages/chat.py").run()  # with the public chat on, the tab's chat is a new visitor's
    assert at.chat_input
    assert_clean(at, old)
    event = audit.recent(1, action="signout")[0]
    assert (event.actor, event.details) == ("test-caregiver", '{"reason": "user"}')


def test_signing_in_on_a_public_tab_leaves_the_visitor_conversation_behind(public_chat):
    create_user("carol", PASSWORD, "caregiver", actor="test")
    at = app()
    old = converse(at)
    at.switch_page("pages/sign_in.py").run()
    sign_in(at, "carol", PASSWORD)
    assert at.session_state["user"]["username"] == "carol"
    assert at.chat_input
    assert_clean(at, old)


# --- role and active flag from the database -------------------------------------------------------

def test_a_deactivated_account_is_signed_out_at_the_next_click(console):
    at = app(as_role("reviewer"), "pages/scenarios.py")
    assert "Not permitted" not in texts(at)
    update_user("test-reviewer", actor="test-admin", active=False)
    at.run()
    assert "no longer active" in texts(at)
    assert "user" not in at.session_state
    assert at.title[0].value == "Sign in to CareOps"
    event = audit.recent(1, action="signout")[0]
    assert (event.actor, event.details) == ("test-reviewer", '{"reason": "account_inactive"}')


def test_a_demoted_account_loses_pages_at_the_next_click(console):
    at = app(as_role("reviewer"), "pages/scenarios.py")
    update_user("test-reviewer", actor="test-admin", role="caregiver")
    at.run()  # the next click: the role comes from the database, for the sidebar and the page's gate
    assert "Not permitted" in texts(at)
    event = audit.recent(1, action="page.forbidden")[0]
    assert (event.actor, event.target) == ("test-reviewer", "scenarios")
    assert {link.label for link in at.sidebar.get("page_link")} == {"Chat"}


# --- sign-in failures -------------------------------------------------------------------------------

def test_sign_in_failures_read_the_same_for_unknown_and_locked_names(console):
    create_user("dana", PASSWORD, "caregiver", actor="test")
    at = app()
    shown = set()
    for name in ["dana"] * (MAX_FAILED_ATTEMPTS + 1) + ["no-such-person"] * (MAX_FAILED_ATTEMPTS + 1):
        sign_in(at, name, "wrong password here")
        shown.add(at.error[0].value)
    assert shown == {SIGN_IN_FAILED}


def test_a_password_typed_as_the_user_name_is_not_audited(console):
    at = app()
    sign_in(at, "Secret-Passw0rd-typed-here", "")
    assert SIGN_IN_FAILED in texts(at)
    assert audit.recent(1, action="signin.failed")[0].actor == UNKNOWN_USER
    assert not [e for e in audit.recent(50) if "secret-passw0rd" in f"{e.actor}{e.target}{e.details}".lower()]


# --- first paint ------------------------------------------------------------------------------------

@pytest.fixture
def slow_models(console, monkeypatch):
    """A cold console whose models take as long as the test wants: the next build notes the
    thread it runs on, then waits for `release` before it builds the real assistant."""
    release, started, builders = threading.Event(), threading.Event(), []
    build = factory.build_assistant

    def build_when_released(*args, **kwargs):
        builders.append(threading.current_thread().name)
        started.set()
        release.wait(120)
        return build(*args, **kwargs)

    monkeypatch.setattr(factory, "build_assistant", build_when_released)
    _ui._loader.clear()
    yield release, started, builders
    release.set()
    assert _ui._loader().done.wait(300)


def test_the_first_run_starts_the_models_in_the_background_and_sign_in_does_not_wait(slow_models):
    _, started, builders = slow_models
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=30).run()
    assert at.title[0].value == "Sign in to CareOps"
    assert not _ui.assistant_ready(), "the page was drawn while the models were still loading"
    assert started.wait(10) and builders == ["careops-assistant-loader"], "started by the first run, on its own thread"


def test_a_chat_opened_while_the_models_load_continues_by_itself(slow_models):
    release, _, builders = slow_models
    create_user("carol", PASSWORD, "caregiver", actor="test")
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.session_state["user"] = {"username": "carol", "role": "caregiver", "last_active": datetime.now(UTC)}
    threading.Timer(2, release.set).start()  # the models become ready while the chat page waits
    at.run()
    assert at.chat_input, "the page continued into the chat without another click"
    assert [t.value for t in at.title] == ["CareOps assistant"] and not at.status, "the loading state is gone"
    assert builders == ["careops-assistant-loader"]
