"""What every console page shares: the assistant (loaded in the background), the signed-in user,
the permission gate, and the start of a clean session.

Not a page itself (the underscore keeps it out of the navigation)."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime

import streamlit as st

from core.auth.permissions import PUBLIC
from core.auth.users import authorize, record_sign_out
from core.errors import NotPermitted

log = logging.getLogger(__name__)
LOADING = "Loading the assistant…"


class _AssistantLoader:
    """Builds the assistant on a thread of its own (12-16 s on a cold process): no page run waits
    for it, so the first request paints the console at once and the sign-in page never waits for
    models. Pages that need the assistant show a loading state until `done` is set."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.assistant = None
        threading.Thread(target=self._build, name="careops-assistant-loader", daemon=True).start()

    def _build(self) -> None:
        try:
            # Imported here: the models' libraries take seconds to import, and the first paint must not wait.
            from core.dialogue.factory import build_assistant

            self.assistant = build_assistant()
        except Exception:
            log.exception("the assistant could not be built")
        finally:
            self.done.set()
        try:  # a machine with no model at all trains now; the assistant swaps the first champion in
            from core.mlops.training_job import start_first_training

            start_first_training()
        except Exception:
            log.exception("the first training could not be started")


@st.cache_resource(show_spinner=False)
def _loader() -> _AssistantLoader:
    """One loader per console process (st.cache_resource is shared by every session)."""
    return _AssistantLoader()


def start_loading_assistant() -> None:
    """Called on every script run; starts the loader on the first one only."""
    _loader()


def assistant_ready() -> bool:
    return _loader().done.is_set()


def assistant():
    """The shared assistant. A page that needs it before it is ready waits here with a spinner
    (the chat page calls wait_for_assistant first, which shows the page's loading state)."""
    loader = _loader()
    if not loader.done.is_set():
        with st.spinner(LOADING):
            loader.done.wait()
    if loader.assistant is None:
        _loader.clear()  # the next page run builds it again
        st.error("The assistant could not be loaded; the console log says why. Reload the page to try again.",
                 icon=":material/error:")
        st.stop()
    return loader.assistant


def wait_for_assistant(title: str) -> None:
    """Return when the assistant is ready. While it loads, the page already shows its title and a
    loading state; this run waits in place and continues into the page the moment the models are
    ready. Polling with reruns instead was measured to double the load time (every rerun competes
    with the loader for the interpreter). The elapsed seconds are redrawn once a second: each redraw
    is also where a click elsewhere interrupts this run, so the console stays responsive."""
    loader = _loader()
    if loader.done.is_set():
        return
    box = st.empty()
    with box.container():
        st.title(title)
        with st.status(LOADING, state="running"):
            st.caption("The first page after the console starts takes a few seconds; it continues by itself.")
            elapsed = st.empty()
    started = time.monotonic()
    while not loader.done.wait(1.0):
        elapsed.caption(f"{time.monotonic() - started:.0f} s")
    box.empty()


def current_user() -> dict | None:
    return st.session_state.get("user")


def gate(permission: str, page: str) -> dict:
    """Stop the page with "not permitted" unless core.auth allows it: the account's role and
    active flag are read from the database on every run, and a refusal is audited there."""
    user = current_user()
    username = user["username"] if user and user["role"] != PUBLIC else None
    try:
        account = authorize(username, permission, target=page)
    except NotPermitted as exc:
        st.error(exc.message, icon=":material/block:")
        st.stop()
    if user:
        user["role"] = account.role
    return user


def start_clean_session(notice: str | None = None, *, signed_out: str | None = None) -> None:
    """Sign-in, sign-out and idle expiry all start here: nothing of the previous person's session
    (conversation, crisis banner, feedback state, choices) reaches the next one on this browser
    tab. `signed_out` is the reason for the audit log when an account's sign-in ends."""
    ss = st.session_state
    user = ss.get("user")
    if signed_out and user and user["role"] != PUBLIC:
        record_sign_out(user["username"], reason=signed_out)
    if (session_id := ss.get("session_id")) and assistant_ready() and _loader().assistant is not None:
        _loader().assistant.reset(session_id)  # the conversation in the session store (Redis or memory)
    ss.clear()
    if notice:
        ss["notice"] = notice


def public_user() -> dict:
    """The pseudo-user of the public chat: no account, so gate never looks its name up."""
    return {"username": PUBLIC, "role": PUBLIC, "last_active": datetime.now(UTC)}


@st.fragment(run_every=60)
def expire_when_idle(idle_minutes: int) -> None:
    """Reruns the whole page once the session has been idle too long, so app.py ends it even when
    nobody clicks: a screen left open does not keep showing the last person's conversation.
    A fragment run does not count as activity (only a full run updates last_active)."""
    user = current_user()
    if user and (datetime.now(UTC) - user["last_active"]).total_seconds() > idle_minutes * 60:
        st.rerun()


def larger_text(enabled: bool) -> None:
    if enabled:
        st.html("<style>html, body, [class*='st-'] p, [data-testid='stMarkdownContainer'] * "
                "{font-size: 1.2rem !important; line-height: 1.6 !important;}</style>")
