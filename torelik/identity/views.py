"""Login and logout pages. The rules live in services; these views only translate HTTP."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import NoReverseMatch
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from torelik.identity import services
from torelik.identity.backends import session_backend
from torelik.identity.forms import EdsLoginForm, StaffLoginForm
from torelik.identity.models import User
from torelik.kernel.errors import DomainError

DEFAULT_NCALAYER_URL = "wss://127.0.0.1:13579"


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: a forwarded-for header is whatever the client wants it to be. Behind a
    # reverse proxy, the proxy must set REMOTE_ADDR (e.g. gunicorn's --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None


def safe_next_url(request: HttpRequest) -> str:
    """The `next` the user came with if it stays on this site, else the default landing page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    try:
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    except NoReverseMatch:
        return "/"


def ncalayer_messages() -> dict[str, str]:
    """Translations for the messages of js/ncalayer.js (it reads them from #ncalayer-messages)."""
    return {
        "unsupported": _("This browser cannot talk to NCALayer."),
        "notRunning": _("NCALayer is not running or cannot be reached. Start NCALayer and try again."),
        "closed": _("NCALayer closed the connection before answering. Try again."),
        "cancelled": _("Signing was cancelled."),
        "failed": _("NCALayer could not sign: %s"),
        "badReply": _("NCALayer sent an answer this page does not understand."),
        "readFailed": _("The file could not be read: %s"),
    }


def _render_login(
    request: HttpRequest,
    *,
    staff_form: StaffLoginForm | None = None,
    eds_error: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "staff_form": staff_form or StaffLoginForm(),
        "eds_form": EdsLoginForm(),
        "eds_error": eds_error,
        "next": safe_next_url(request) if (request.POST.get("next") or request.GET.get("next")) else "",
        "ncalayer_url": settings.TORELIK.get("NCALAYER_URL", DEFAULT_NCALAYER_URL),
        "ncalayer_messages": ncalayer_messages(),
    }
    return render(request, "identity/login.html", context, status=status)


def _log_in(request: HttpRequest, user: User, method: str) -> HttpResponseRedirect:
    auth_login(request, user, backend=session_backend())
    request.session["auth_method"] = method
    return redirect(safe_next_url(request))


@never_cache
@require_GET
def login_page(request: HttpRequest) -> HttpResponse:
    return _render_login(request)


@never_cache
@require_POST
def challenge(request: HttpRequest) -> JsonResponse:
    issued = services.issue_login_challenge()
    return JsonResponse({"nonce": issued.nonce, "expires_at": issued.expires_at.isoformat()})


@never_cache
@require_POST
def login_eds(request: HttpRequest) -> HttpResponse:
    try:
        user = services.login_with_signature(
            nonce=request.POST.get("nonce", ""), cms=request.POST.get("cms", ""), ip=client_ip(request)
        )
    except DomainError as exc:
        return _render_login(request, eds_error=str(exc.message), status=services.error_status(exc))
    return _log_in(request, user, "eds")


@never_cache
@sensitive_post_parameters("password", "totp_code")
@require_POST
def login_staff(request: HttpRequest) -> HttpResponse:
    form = StaffLoginForm(request.POST)
    if not form.is_valid():
        return _render_login(request, staff_form=form, status=400)
    try:
        user = services.login_with_password(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            totp_code=form.cleaned_data["totp_code"],
            ip=client_ip(request),
        )
    except DomainError as exc:
        # The error is about the whole set of credentials, not one field, unless a field is named.
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        return _render_login(request, staff_form=form, status=services.error_status(exc))
    return _log_in(request, user, "password")


@require_POST
def logout(request: HttpRequest) -> HttpResponseRedirect:
    auth_logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("identity:login")
