"""Domain errors that carry a stable code and a translated, human message."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the court was broken by the input; nothing was written.

    `code` is stable for machines (API clients, tests); `message` is translated for people;
    `field` names the input at fault when there is one.
    """

    status_code = 400

    def __init__(self, code: str, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": str(self.message), "field": self.field}


class PermissionDeniedError(DomainError):
    status_code = 403


class NotFoundError(DomainError):
    status_code = 404


class ConflictError(DomainError):
    status_code = 409
