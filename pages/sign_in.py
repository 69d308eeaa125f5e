"""Sign in. Failed attempts are rate-limited and audited by core.auth; this page never waits for
the assistant's models (they load in the background)."""

from datetime import UTC, datetime

import streamlit as st

from core.auth.permissions import pages_for
from core.auth.users import authenticate, count_users
from core.errors import NotPermitted
from pages._ui import start_clean_session

st.title("Sign in to CareOps")
if count_users() == 0:
    st.warning("No accounts exist yet. Create the first admin from a terminal:\n\n"
               "`.venv/bin/python -m core users add YOUR_NAME --role admin`")

with st.form("sign_in"):
    username = st.text_input("Username", autocomplete="username")
    password = st.text_input("Password", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("Sign in", type="primary")

if submitted:
    try:
        user = authenticate(username, password)
    except NotPermitted as exc:
        st.error(exc.message)
    else:
        # Nothing of this tab's earlier session (a public visitor's conversation, say) carries over.
        start_clean_session()
        st.session_state["user"] = {"username": user.username, "role": user.role, "last_active": datetime.now(UTC)}
        home = pages_for(user.role)
        if home:
            st.switch_page(home[0][1])
        st.rerun()
