"""What every console page shares: the cached assistant, the signed-in user, and the permission gate.

Not a page itself (the underscore keeps it out of the navigation)."""

from __future__ import annotations

import streamlit as st

from core import audit
from core.auth.permissions import PUBLIC, allowed
from core.dialogue.factory import build_assistant


@st.cache_resource(show_spinner="Loading the assistant…")
def assistant():
    return build_assistant()


def current_user() -> dict | None:
    return st.session_state.get("user")


def current_role() -> str | None:
    user = current_user()
    return user["role"] if user else None


def gate(permission: str, page: str) -> dict:
    """Stop the page with "not permitted" (audited) unless the signed-in role may use it."""
    user = current_user()
    if user is None or not allowed(user["role"], permission):
        actor = user["username"] if user else "anonymous"
        audit.record("page.forbidden", actor=actor, target=page, details={"role": user["role"] if user else None})
        st.error("Not permitted. Your account does not have access to this page.", icon=":material/block:")
        st.stop()
    return user


def is_public(user: dict | None) -> bool:
    return bool(user) and user["role"] == PUBLIC


def larger_text(enabled: bool) -> None:
    if enabled:
        st.html("<style>html, body, [class*='st-'] p, [data-testid='stMarkdownContainer'] * "
                "{font-size: 1.2rem !important; line-height: 1.6 !important;}</style>")
