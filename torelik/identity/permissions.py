"""Who may do what, by role: the machinery every app's `permissions.py` is built on.

Each app that has roles keeps its own rules in its `permissions.py`: one role -> permission map
(`RoleMap`) plus the object checks ("the chair of the case's court"), and its services call them
with the acting user before they write anything. Here live the parts they share: `SYSTEM`, the
actor of the platform's own work; `RoleMap`, the role half of every rule; and the generic
`require_*` helpers and view decorators, which send anonymous visitors to the login page and answer
others with 403.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Concatenate, Final, Generic, ParamSpec, TypeAlias, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from torelik.identity.models import FILER_ROLES, STAFF_ROLES, Role, User
from torelik.kernel.errors import PermissionDeniedError

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)
A = TypeVar("A", bound=str)


def _is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_logged_in(user: Any) -> bool:
    """An active, logged-in account (not an anonymous visitor, not `None`, not `SYSTEM`)."""
    return isinstance(user, User) and _is_authenticated(user)


# ---------------------------------------------------------------- the system as an actor


class System:
    """The platform acting by itself: the automatic draw at registration, the backlog job, the
    demo loader, management commands and tests that set the scene.

    It is a separate type, not `None`, so that "nobody said who acts" can never pass for "the
    system acts": a service that people call is typed `actor: User` and refuses `None`, and each
    app lists in its `SYSTEM_ACTIONS` the few actions the system may take. Nothing a request
    carries becomes `SYSTEM`; only code names it.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Final = System()
# Who takes an action: a person's account or the platform itself.
Actor: TypeAlias = User | System


def acting_user(actor: Actor) -> User | None:
    """The account to record as the author of a write (`created_by`, a case event's actor):
    the user, or None for the system (the columns were always nullable for it)."""
    return None if isinstance(actor, System) else actor


def _system_refused() -> PermissionDeniedError:
    return PermissionDeniedError(
        "system_not_allowed", _("This needs a person's decision: the system may not do it by itself.")
    )


@dataclass(frozen=True)
class RoleMap(Generic[A]):
    """One app's role -> permission map, in the manner of DAWSON's authorizationClientService:
    for every action the roles that may take it at all, and the actions the system may take.

    `check` is the role half of every rule; the app's `require` adds the object checks (whose
    court, whose case, whose filing). `refusals` gives an action its own (code, message) when a
    role may not take it; otherwise the refusal is the generic "Your role does not allow this.".
    """

    permissions: Mapping[A, frozenset[Role]]
    system: frozenset[A] = frozenset()
    refusals: Mapping[A, tuple[str, str | Promise]] = field(default_factory=dict)

    def allows(self, role: str, action: A) -> bool:
        return role in self.permissions[action]

    def check(self, actor: Any, action: A) -> User | None:
        """Raises PermissionDeniedError unless `actor` may take `action` by role; returns the user
        for the object checks to follow, or None when the system acts (and may)."""
        if isinstance(actor, System):
            if action in self.system:
                return None
            raise _system_refused()
        if not is_logged_in(actor):
            raise PermissionDeniedError("forbidden", _("Log in first."))
        if not self.allows(actor.role, action):
            code, message = self.refusals.get(action, ("forbidden", _("Your role does not allow this.")))
            raise PermissionDeniedError(code, message)
        return actor


def permitted(check: Callable[[], object]) -> bool:
    """Whether `check` (an app's `require(...)` bound in a lambda) passes: the `can_*` helpers
    that templates and views use to decide which buttons to show."""
    try:
        check()
    except PermissionDeniedError:
        return False
    return True


# ---------------------------------------------------------------- generic helpers


def require_role(user: Any, *roles: str) -> None:
    """Raises PermissionDeniedError unless `user` is logged in with one of `roles`."""
    if not _is_authenticated(user):
        raise PermissionDeniedError("forbidden", _("Log in first."))
    if user.role not in roles:
        raise PermissionDeniedError("forbidden", _("Your role does not allow this."))


def require_filer(user: Any) -> None:
    """Citizens, organisations' representatives, lawyers, prosecutors and PSC operators."""
    require_role(user, *FILER_ROLES)


def require_court_staff(user: Any) -> None:
    """Clerks, judges, court chairs, administrators and auditors (who may only read)."""
    require_role(user, *STAFF_ROLES)


# Court staff who act on cases and filings; the auditor only reads.
ACTING_STAFF_ROLES = STAFF_ROLES - {Role.AUDITOR}


def require_acting_staff(user: Any) -> None:
    """Clerks, judges, court chairs and administrators: court staff other than auditors."""
    require_role(user, *ACTING_STAFF_ROLES)


def _role_required(
    check: Callable[[Any], object], *, own_words: bool = False
) -> Callable[
    [Callable[Concatenate[HttpRequest, P], R]], Callable[Concatenate[HttpRequest, P], HttpResponseBase]
]:
    def decorator(
        view: Callable[Concatenate[HttpRequest, P], R],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            if not _is_authenticated(request.user):
                return redirect_to_login(request.get_full_path())
            try:
                check(request.user)
            except PermissionDeniedError as exc:
                if own_words:
                    raise  # kernel's DomainErrorPagesMiddleware shows its message on the 403 page
                raise PermissionDenied(str(exc.message)) from exc
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def permission_required(
    check: Callable[[Any], object],
) -> Callable[
    [Callable[Concatenate[HttpRequest, P], R]], Callable[Concatenate[HttpRequest, P], HttpResponseBase]
]:
    """View decorator for an app's own rule: `check(user)` raises PermissionDeniedError, shown as
    a 403 page in the rule's own words; anonymous visitors go to the login page first. E.g. the
    acts app's `require_role` for the judge's pages."""
    return _role_required(check, own_words=True)


def staff_required(
    view: Callable[Concatenate[HttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """View decorator: court staff only."""
    return _role_required(require_court_staff)(view)


def filer_required(
    view: Callable[Concatenate[HttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """View decorator: filers only."""
    return _role_required(require_filer)(view)


def role_required(
    *roles: str,
) -> Callable[
    [Callable[Concatenate[HttpRequest, P], R]], Callable[Concatenate[HttpRequest, P], HttpResponseBase]
]:
    """View decorator for any set of roles: `@role_required(Role.JUDGE, Role.CHAIR)`."""
    return _role_required(lambda user: require_role(user, *roles))
