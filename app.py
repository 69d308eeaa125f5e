"""CareOps console: sign-in, then the pages your role allows (`make run`)."""

from datetime import UTC, datetime

import streamlit as st

from core.auth.permissions import PAGES, PUBLIC, pages_for
from core.auth.users import check_session
from core.config import get_settings
from pages._ui import (
    current_user,
    expire_when_idle,
    larger_text,
    public_user,
    start_clean_session,
    start_loading_assistant,
)

st.set_page_config(page_title="CareOps", page_icon=":material/health_and_safety:", layout="centered")
settings = get_settings()
start_loading_assistant()  # in the background: this run, and the sign-in page, never wait for the models


# What the next page says when a session ends, by (reason, public pseudo-user?).
ENDED = {
    ("idle", False): "You were signed out after a period of inactivity. Please sign in again.",
    ("idle", True): "The previous conversation was closed after a period of inactivity, to keep it private.",
    ("account_inactive", False): "Your account is no longer active. Ask an administrator if this is unexpected.",
}


def checked_user() -> tuple[dict | None, bool]:
    """The session's user after core.auth's check of this run, and whether a session ended in it
    (then everything of it is gone: start_clean_session)."""
    user = current_user()
    ended = False
    if user:
        public = user["role"] == PUBLIC
        check = check_session(None if public else user["username"], user["last_active"])
        if check.ended:
            start_clean_session(ENDED.get((check.ended, public)), signed_out=check.ended)
            user, ended = None, True
        else:
            user["role"], user["last_active"] = check.account.role, datetime.now(UTC)
    if user is None and settings.public_chat:
        user = st.session_state["user"] = public_user()
    return user, ended


user, ended = checked_user()

# Every page is registered (so a URL reaches the page's own "not permitted" check, which is
# audited); the sidebar lists only the pages this role may open; the first of them is the default.
allowed_pages = pages_for(user["role"]) if user else []
home = allowed_pages[0][1] if allowed_pages else None
sign_in = st.Page("pages/sign_in.py", title="Sign in", icon=":material/login:", default=home is None)
pages = {file: st.Page(file, title=title, icon=icon, default=file == home) for _, file, title, icon, _ in PAGES}
navigation = st.navigation([sign_in, *pages.values()], position="hidden")
if ended:  # not the page of the session that ended: the sign-in page, or the public chat
    st.switch_page(pages[home] if user else sign_in)

with st.sidebar:
    st.markdown("### CareOps")
    if user:
        section = None
        for group, file, title, icon, _ in allowed_pages:
            if group != section:
                st.caption(group)
                section = group
            st.page_link(pages[file], label=title, icon=icon)
        st.divider()
    if user and user["role"] != PUBLIC:
        st.write(f"Signed in as **{user['username']}** ({user['role']})")
        if st.button("Sign out", icon=":material/logout:"):
            start_clean_session("You are signed out.", signed_out="user")
            st.switch_page(sign_in)
    else:
        st.page_link(sign_in, label="Staff sign in", icon=":material/login:")
    larger_text(st.toggle("Larger text", key="larger_text", help="Makes the text on every page bigger"))
    if user:
        expire_when_idle(settings.console_idle_minutes)

if notice := st.session_state.pop("notice", None):
    st.info(notice, icon=":material/info:")
navigation.run()
