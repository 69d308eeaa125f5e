"""Users: list, add, change role, deactivate, reset a password. Every change is audited by core.auth."""

import pandas as pd
import streamlit as st

from core.auth.permissions import ROLES
from core.auth.users import MIN_PASSWORD_LENGTH, create_user, list_users, update_user
from core.errors import CareOpsError
from pages._ui import gate

admin = gate("users.manage", "users")
st.title("Users")
users = list_users()
st.dataframe(pd.DataFrame([u.__dict__ for u in users]), hide_index=True, use_container_width=True)

with st.form("add_user", clear_on_submit=True):
    st.subheader("Add a user")
    name = st.text_input("Username")
    role = st.selectbox("Role", ROLES)
    password = st.text_input(f"Initial password (at least {MIN_PASSWORD_LENGTH} characters)", type="password")
    if st.form_submit_button("Add user"):
        try:
            create_user(name, password, role, actor=admin["username"])
            st.session_state["users_notice"] = f"Added {name.strip().lower()} as {role}."
            st.rerun()
        except CareOpsError as exc:
            st.error(exc.message)

if users:
    with st.form("change_user"):
        st.subheader("Change a user")
        target = st.selectbox("User", [u.username for u in users])
        new_role = st.selectbox("New role", ["(keep)", *ROLES])
        state = st.radio("Account", ["(keep)", "active", "inactive"], horizontal=True)
        new_password = st.text_input("New password (leave empty to keep)", type="password")
        if st.form_submit_button("Apply"):
            try:
                update_user(target, actor=admin["username"], role=None if new_role == "(keep)" else new_role,
                            active=None if state == "(keep)" else state == "active", password=new_password or None)
                st.session_state["users_notice"] = f"Updated {target}."
                st.rerun()
            except CareOpsError as exc:
                st.error(exc.message)
if notice := st.session_state.pop("users_notice", None):
    st.success(notice)
