"""CareOps console: sign-in, then the pages your role allows (`make run`)."""

from datetime import UTC, datetime, timedelta

import streamlit as st

from core.auth.permissions import PAGES, PUBLIC, pages_for
from core.config import get_settings
from pages._ui import current_user, larger_text

st.set_page_config(page_title="CareOps", page_icon=":material/health_and_safety:", layout="centered")
settings = get_settings()

user = current_user()
now = datetime.now(UTC)
if user and user["role"] != PUBLIC and now - user["last_active"] > timedelta(minutes=settings.console_idle_minutes):
    st.session_state.pop("user")
    st.session_state["notice"] = "You were signed out after a period of inactivity. Please sign in again."
    user = None
if user:
    user["last_active"] = now
elif settings.public_chat:
    user = st.session_state["user"] = {"username": "public", "role": PUBLIC, "last_active": now}

# Every page is registered (so a URL reaches the page's own "not permitted" check, which is
# audited); the sidebar lists only the pages this role may open; the first of them is the default.
allowed_pages = pages_for(user["role"]) if user else []
home = allowed_pages[0][1] if allowed_pages else None
sign_in = st.Page("pages/sign_in.py", title="Sign in", icon=":material/login:", default=home is None)
pages = {file: st.Page(file, title=title, icon=icon, default=file == home) for _, file, title, icon, _ in PAGES}
navigation = st.navigation([sign_in, *pages.values()], position="hidden")

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
            st.session_state.clear()
            st.rerun()
    else:
        st.page_link(sign_in, label="Staff sign in", icon=":material/login:")
    larger_text(st.toggle("Larger text", key="larger_text", help="Makes the text on every page bigger"))

navigation.run()
