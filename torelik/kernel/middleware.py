"""Refuses text input carrying NUL characters before it reaches a view.

No court text legitimately contains U+0000, and PostgreSQL cannot store it: left alone it
would surface as a server error deep in a query.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or any(
        "\x00" in k or "\x00" in v for k, vs in request.GET.lists() for v in [k, *vs]
    ):
        return True
    content_type = request.content_type or ""
    if content_type.startswith("application/json"):
        body = request.body
        return b"\\u0000" in body or b"\x00" in body
    if request.method == "POST" and content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return any("\x00" in k or "\x00" in v for k, vs in request.POST.lists() for v in [k, *vs])
    return False


class RejectNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            bad = _has_nul(request)
        except MultiPartParserError:
            return _refuse(request, "request_malformed", _("The request body could not be read."))
        if bad:
            return _refuse(
                request, "nul_character", _("The request contains a NUL character, which no field may hold.")
            )
        return self.get_response(request)


def _refuse(request: HttpRequest, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": message, "field": None}, status=400)
    return HttpResponseBadRequest(message)


class DeploymentGuardMiddleware:
    """Refuses to start a server (any WSGI worker loads middleware first) with the demo's secrets."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from torelik.kernel.deployment import check_deployment

        check_deployment()
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)


class DomainErrorPagesMiddleware:
    """Shows a page's NotFoundError / PermissionDeniedError as a translated 404 / 403 page.

    Selectors raise these for another user's filing or case; without this they became a 500.
    The API renders its own JSON errors and is left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.core.exceptions import ObjectDoesNotExist
        from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
        from django.shortcuts import render

        from torelik.kernel.errors import NotFoundError, PermissionDeniedError

        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFoundError | ObjectDoesNotExist):
            status, title = 404, _("Not found")
        elif isinstance(exception, PermissionDeniedError | DjangoPermissionDenied):
            status, title = 403, _("Access denied")
        else:
            return None
        if isinstance(exception, NotFoundError | PermissionDeniedError):
            message = str(exception.message)
        elif status == 404:
            message = _("There is no such page, or it is not open to you.")
        else:
            message = _("You may not open this page.")
        return render(
            request,
            "kernel/error.html",
            {"title": title, "message": message, "status": status},
            status=status,
        )
