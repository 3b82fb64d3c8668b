from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from torelik.kernel.errors import DomainError


def install_error_handlers(api: NinjaAPI) -> None:
    """Every error leaves the API as {"code", "message", "field"}; the message is translated."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        status = 429 if exc.code == "too_many_attempts" else exc.status_code
        return api.create_response(request, exc.as_dict(), status=status)

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, {"code": "not_authenticated", "message": _("Log in first."), "field": None}, status=401
        )

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        first = exc.errors[0] if exc.errors else {}
        loc = [str(p) for p in first.get("loc", []) if p not in ("body", "query", "path", "form", "payload")]
        return api.create_response(
            request,
            {
                "code": "invalid_request",
                "message": _("The request is malformed: %(problem)s") % {"problem": first.get("msg", "")},
                "field": ".".join(loc) or None,
                "errors": [
                    {"loc": [str(p) for p in e.get("loc", [])], "msg": str(e.get("msg", ""))}
                    for e in exc.errors
                ],
            },
            status=422,
        )
