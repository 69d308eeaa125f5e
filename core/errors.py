"""A small family of typed errors with one shape, so every boundary reports bad input the same way."""

from __future__ import annotations


class CareOpsError(Exception):
    """Base error: `status` is the HTTP-like code, `message` is safe to show to a user."""

    status = 500

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []

    def to_dict(self) -> dict:
        return {"ok": False, "status": self.status, "error": self.message, "details": self.details}


class InvalidInput(CareOpsError):
    status = 422


class NotPermitted(CareOpsError):
    status = 403


class NotFound(CareOpsError):
    status = 404


class ModelUnavailable(CareOpsError):
    status = 503


class Refused(CareOpsError):
    """A well-formed request the current state does not allow (e.g. approving a version that failed
    a gate); the message says why."""

    status = 409
