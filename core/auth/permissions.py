"""Roles and what each may do: the one place that answers "may this role do that?". The check
that applies it to a signed-in account, re-read from the database, is core.auth.users.authorize."""

from __future__ import annotations

ROLES = ("caregiver", "reviewer", "analyst", "admin")

PERMISSIONS: dict[str, frozenset[str]] = {
    "chat": frozenset({"caregiver", "reviewer", "admin"}),
    "scenarios.edit": frozenset({"reviewer", "admin"}),
    "labeling": frozenset({"reviewer", "admin"}),
    "models.approve": frozenset({"reviewer", "admin"}),
    "models.view": frozenset({"reviewer", "analyst", "admin"}),
    "feedback.read": frozenset({"reviewer", "analyst", "admin"}),
    "drift.view": frozenset({"analyst", "admin"}),
    "users.manage": frozenset({"admin"}),
    "log.erase": frozenset({"admin"}),
    "audit.view": frozenset({"admin"}),
}
PUBLIC = "public"  # the pseudo-role of someone using the public chat without an account


def allowed(role: str | None, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    if role == PUBLIC:
        return permission == "chat"
    return role in PERMISSIONS[permission]


# Console pages, grouped by job, and the permission each needs. The sidebar lists only the pages a
# role may open; every page also checks its permission itself, so a URL never gets around it.
PAGES: tuple[tuple[str, str, str, str, str], ...] = (
    # (section, file, title, icon, permission)
    ("Care", "pages/chat.py", "Chat", ":material/chat:", "chat"),
    ("Content", "pages/scenarios.py", "Scenarios", ":material/edit_note:", "scenarios.edit"),
    ("Models", "pages/models.py", "Models", ":material/model_training:", "models.view"),
    ("Data", "pages/labeling.py", "Labeling", ":material/label:", "labeling"),
    ("Data", "pages/feedback.py", "Feedback", ":material/reviews:", "feedback.read"),
    ("Data", "pages/drift.py", "Drift", ":material/query_stats:", "drift.view"),
    ("Admin", "pages/users.py", "Users", ":material/group:", "users.manage"),
    ("Admin", "pages/audit_log.py", "Audit log", ":material/policy:", "audit.view"),
    ("Admin", "pages/erasure.py", "Erasure", ":material/delete_forever:", "log.erase"),
)


def pages_for(role: str | None) -> list[tuple[str, str, str, str, str]]:
    return [page for page in PAGES if role is not None and allowed(role, page[4])]
