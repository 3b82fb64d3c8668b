"""Logging in through the API.

The API uses Django sessions (django-ninja's SessionAuth): log in here, then send the session
cookie and, on every unsafe request, the CSRF token in the X-CSRFToken header.

1. POST /auth/challenge answers {nonce, expires_at} and sets the `csrftoken` cookie.
2. Sign the ASCII bytes of `nonce` as an attached CMS (NCALayer: base64 of the nonce with
   decode and encapsulate true) and POST /auth/login/eds {nonce, cms: base64 CMS} with the header
   X-CSRFToken: <csrftoken cookie>. Court staff POST /auth/login/staff {username, password,
   totp_code} instead.
3. The answer sets the `sessionid` cookie and a new `csrftoken` cookie (Django rotates it at
   login); use both from then on. GET /auth/me says who is logged in; POST /auth/logout ends it.

Refusals are {"code", "message", "field"}: 400 for a bad request (unknown or expired challenge,
unreadable CMS), 401 for credentials or a signature that do not prove who you are, 403 when the
account may not log in this way, 429 when too many attempts failed (see the message for when the
account unlocks).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import django_auth
from ninja.utils import check_csrf

from torelik.identity import selectors, services
from torelik.identity.backends import session_backend
from torelik.identity.models import User
from torelik.identity.views import client_ip
from torelik.kernel.errors import DomainError

router = Router(tags=["Authentication"])


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class ChallengeOut(Schema):
    nonce: str
    expires_at: datetime


class EdsLoginIn(Schema):
    nonce: str
    cms: str  # base64 CMS SignedData with the nonce inside (attached)


class StaffLoginIn(Schema):
    username: str
    password: str
    totp_code: str


class UserOut(Schema):
    username: str
    role: str
    iin: str
    bin: str
    display_name: str


class LoginOut(Schema):
    user: UserOut


LOGIN_RESPONSES: dict[int, Any] = {200: LoginOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut}


def _csrf_refusal(request: HttpRequest) -> Status[dict[str, Any]] | None:
    # Login endpoints carry no authentication, so django-ninja would not check CSRF on them. They
    # check it themselves: otherwise another site could log a visitor in as someone else.
    if check_csrf(request) is None:
        return None
    return Status(
        403,
        {
            "code": "csrf_failed",
            "message": _(
                "The CSRF token is missing or wrong. Send the csrftoken cookie's value in X-CSRFToken."
            ),
            "field": None,
        },
    )


def _refusal(exc: DomainError) -> Status[dict[str, Any]]:
    return Status(services.error_status(exc), exc.as_dict())


def _logged_in(request: HttpRequest, user: User, method: str) -> Status[dict[str, Any]]:
    auth_login(request, user, backend=session_backend())
    request.session["auth_method"] = method
    return Status(200, {"user": selectors.user_summary(user)})


@router.post("/auth/challenge", response={200: ChallengeOut}, summary="Get a login challenge to sign")
def challenge(request: HttpRequest) -> dict[str, Any]:
    """A one-time nonce, good for one login attempt within two minutes (LOGIN_CHALLENGE_TTL_SECONDS).
    Also sets the `csrftoken` cookie."""
    get_token(request)  # sets the csrftoken cookie the login call must echo
    issued = services.issue_login_challenge()
    return {"nonce": issued.nonce, "expires_at": issued.expires_at}


@router.post("/auth/login/eds", response=LOGIN_RESPONSES, summary="Log in with a signed challenge")
def login_eds(request: HttpRequest, payload: EdsLoginIn) -> Status[dict[str, Any]]:
    """`cms`: base64 CMS SignedData, attached, over the ASCII bytes of `nonce`. The first attempt
    that presents a valid challenge uses it up, whatever its outcome. A first login creates the
    account (an organisation's representative when the certificate carries a BIN). Court staff are
    refused: they use /auth/login/staff. Needs the X-CSRFToken header."""
    refused = _csrf_refusal(request)
    if refused is not None:
        return refused
    try:
        user = services.login_with_signature(nonce=payload.nonce, cms=payload.cms, ip=client_ip(request))
    except DomainError as exc:
        return _refusal(exc)
    return _logged_in(request, user, "eds")


@router.post("/auth/login/staff", response=LOGIN_RESPONSES, summary="Court staff: password and one-time code")
def login_staff(request: HttpRequest, payload: StaffLoginIn) -> Status[dict[str, Any]]:
    """Court staff: username, password and the current code of their authenticator app (each code
    is accepted once). Needs the X-CSRFToken header."""
    refused = _csrf_refusal(request)
    if refused is not None:
        return refused
    try:
        user = services.login_with_password(
            username=payload.username,
            password=payload.password,
            totp_code=payload.totp_code,
            ip=client_ip(request),
        )
    except DomainError as exc:
        return _refusal(exc)
    return _logged_in(request, user, "password")


@router.post("/auth/logout", response={204: None, 403: ErrorOut}, summary="End the session")
def logout(request: HttpRequest) -> Status[Any]:
    """Ends the session, if there is one. Needs the X-CSRFToken header."""
    refused = _csrf_refusal(request)
    if refused is not None:
        return refused
    auth_logout(request)
    return Status(204, None)


@router.get("/auth/me", response={200: UserOut}, auth=django_auth, summary="Who is logged in")
def me(request: HttpRequest) -> dict[str, str]:
    """The logged-in user; 401 without a session."""
    user = request.user
    assert isinstance(user, User)
    return selectors.user_summary(user)
