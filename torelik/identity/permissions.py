"""Who may do what, by role. Services and API routers call the `require_*` helpers; views use the
decorators, which send anonymous visitors to the login page and answer others with 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from torelik.identity.models import FILER_ROLES, STAFF_ROLES, Role
from torelik.kernel.errors import PermissionDeniedError

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


def _is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


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
    check: Callable[[Any], None],
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
                raise PermissionDenied(str(exc.message)) from exc
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


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
