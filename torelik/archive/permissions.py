"""Who may read the electronic case file and who may remove bytes from it: the role -> permission map.

- A stored document (its page, its evidence bundle) is read by whoever may read a case it is filed
  in: the cases app's rule (parties their cases, court staff their court's, administrators all).
  Anything else — a hash that is not stored at all too — is "not found", so nothing leaks.
- Purging the bytes whose retention period ended is the administrators' or the system's
  (`torelik archive purge`, run by the operator's timer).
- Storing and filing documents, and signing tree heads, happen inside other services' writes
  (registration, a signed act) or on the system's timer; they take no acting user.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torelik.archive.models import LogEntry
from torelik.identity.models import Role
from torelik.identity.permissions import RoleMap, permitted
from torelik.kernel.errors import NotFoundError, PermissionDeniedError


class Action(StrEnum):
    READ_DOCUMENT = "read_document"
    PURGE_EXPIRED = "purge_expired"


PERMISSIONS: dict[Action, frozenset[Role]] = {
    # Every role may read some document; which ones is the object check.
    Action.READ_DOCUMENT: frozenset(Role),
    Action.PURGE_EXPIRED: frozenset({Role.ADMIN}),
}
SYSTEM_ACTIONS = frozenset({Action.PURGE_EXPIRED})

_ROLES = RoleMap(
    permissions=PERMISSIONS,
    system=SYSTEM_ACTIONS,
    refusals={
        Action.PURGE_EXPIRED: (
            "forbidden",
            gettext_lazy("Only an administrator may remove documents whose retention period ended."),
        ),
    },
)


def require(actor: Any, action: Action, *, sha256: str | None = None) -> None:
    """Raises PermissionDeniedError unless `actor` may take `action`; for a document `actor` may
    not read, NotFoundError."""
    if action is Action.READ_DOCUMENT and sha256 is None:
        raise TypeError("archive permission read_document is checked against a document; pass sha256=")
    user = _ROLES.check(actor, action)
    if user is None or action is not Action.READ_DOCUMENT:
        return
    assert sha256 is not None
    if not _in_a_readable_case(user, sha256):
        raise NotFoundError(
            "document_not_found", _("No document with SHA-256 %(sha)s is open to you.") % {"sha": sha256[:64]}
        )


def _in_a_readable_case(user: Any, sha256: str) -> bool:
    # The cases app sits beside the archive and files into it at registration, so it is imported
    # here, when a document is read, not when the archive loads.
    from torelik.cases.models import Case
    from torelik.cases.permissions import readable_cases

    numbers = set(LogEntry.objects.filter(blob_id=sha256).values_list("case_number", flat=True))
    numbers.discard("")
    return bool(numbers) and readable_cases(user, Case.objects.filter(number__in=numbers)).exists()


def can_read_document(user: Any, sha256: str) -> bool:
    try:
        require(user, Action.READ_DOCUMENT, sha256=sha256)
    except (NotFoundError, PermissionDeniedError):
        return False
    return True


def can_purge(user: Any) -> bool:
    return permitted(lambda: require(user, Action.PURGE_EXPIRED))
