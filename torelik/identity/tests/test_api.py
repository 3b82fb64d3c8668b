"""The authentication API: session login with CSRF, and the shape of its errors."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from torelik.identity.models import Role, User
from torelik.identity.tests.conftest import STAFF_PASSWORD, signed
from torelik.signatures.demo_identities import demo_identity
from torelik.signatures.testca import DemoPki

API = "/api/v1"


@pytest.fixture
def api_client(db: None) -> Client:
    # A browser-like client: CSRF is enforced, as it is for real callers.
    return Client(enforce_csrf_checks=True)


def post(client: Client, path: str, body: dict[str, Any] | None = None, **headers: str) -> Any:
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    return client.post(
        f"{API}{path}",
        data=json.dumps(body or {}),
        content_type="application/json",
        headers={"X-CSRFToken": token, **headers},
    )


def challenge(client: Client) -> str:
    response = client.post(f"{API}/auth/challenge")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    return str(response.json()["nonce"])


def assert_error(response: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert {"code", "message", "field"} <= set(body)
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    if field is not None:
        assert body["field"] == field
    return dict(body)


def test_eds_login_session_me_and_logout(api_client: Client, pki: DemoPki) -> None:
    nonce = challenge(api_client)
    response = post(
        api_client, "/auth/login/eds", {"nonce": nonce, "cms": signed(pki, "entity", nonce.encode())}
    )
    assert response.status_code == 200, response.content
    ident = demo_identity("entity")
    assert response.json() == {
        "user": {
            "username": f"iin:{ident.iin}:bin:{ident.bin}",
            "role": Role.ENTITY.value,
            "iin": ident.iin,
            "bin": ident.bin,
            "display_name": ident.full_name,  # surname first, the official order
        }
    }
    me = api_client.get(f"{API}/auth/me")
    assert me.status_code == 200
    assert me.json()["iin"] == ident.iin

    # Django rotated the CSRF token at login; post() sends the new one from the cookie.
    assert post(api_client, "/auth/logout").status_code == 204
    assert_error(api_client.get(f"{API}/auth/me"), 401, "not_authenticated")


def test_login_without_the_csrf_token_is_refused(api_client: Client, pki: DemoPki) -> None:
    nonce = challenge(api_client)
    response = api_client.post(
        f"{API}/auth/login/eds",
        data=json.dumps({"nonce": nonce, "cms": signed(pki, "citizen", nonce.encode())}),
        content_type="application/json",
    )
    assert_error(response, 403, "csrf_failed")
    assert not User.objects.exists()


def test_staff_login(api_client: Client, clerk: User, totp: pyotp.TOTP) -> None:
    challenge(api_client)  # any call that sets the CSRF cookie will do
    response = post(
        api_client,
        "/auth/login/staff",
        {"username": "clerk1", "password": STAFF_PASSWORD, "totp_code": totp.now()},
    )
    assert response.status_code == 200
    assert response.json()["user"]["role"] == Role.CLERK.value
    assert api_client.get(f"{API}/auth/me").json()["username"] == "clerk1"


def test_staff_login_refusals(api_client: Client, clerk: User, totp: pyotp.TOTP, settings: Any) -> None:
    challenge(api_client)
    body = {"username": "clerk1", "password": "wrong", "totp_code": totp.now()}
    assert_error(post(api_client, "/auth/login/staff", body), 401, "credentials_invalid")
    User.objects.filter(pk=clerk.pk).update(locked_until=timezone.now() + timedelta(minutes=5))
    body["password"] = STAFF_PASSWORD
    error = assert_error(post(api_client, "/auth/login/staff", body), 429, "account_locked")
    assert timezone.localtime(timezone.now() + timedelta(minutes=5)).strftime("%H:") in error["message"]


def test_eds_refusals(api_client: Client, pki: DemoPki) -> None:
    nonce = challenge(api_client)
    assert_error(
        post(api_client, "/auth/login/eds", {"nonce": "0" * 64, "cms": "x"}),
        400,
        "challenge_unknown",
        "nonce",
    )
    assert_error(post(api_client, "/auth/login/eds", {"nonce": nonce, "cms": "@@"}), 400, "cms_malformed")
    assert_error(
        post(api_client, "/auth/login/eds", {"nonce": nonce, "cms": "@@"}), 400, "challenge_used", "nonce"
    )
    nonce = challenge(api_client)
    cms = signed(pki, "citizen_revoked", nonce.encode())
    assert_error(
        post(api_client, "/auth/login/eds", {"nonce": nonce, "cms": cms}), 401, "certificate_revoked"
    )
    assert not User.objects.exists()


def test_ip_limit_answers_429(api_client: Client, settings: Any) -> None:
    settings.TORELIK = {**settings.TORELIK, "LOGIN_IP_MAX_FAILURES": 1}
    nonce = challenge(api_client)
    post(api_client, "/auth/login/eds", {"nonce": nonce, "cms": "@@"})
    assert_error(
        post(api_client, "/auth/login/eds", {"nonce": challenge(api_client), "cms": "@@"}),
        429,
        "too_many_attempts",
    )


def test_missing_fields_are_a_validation_error(api_client: Client) -> None:
    challenge(api_client)
    assert_error(post(api_client, "/auth/login/staff", {"username": "clerk1"}), 422, "invalid_request")


def test_messages_follow_the_language(api_client: Client, db: None) -> None:
    challenge(api_client)
    for language in ("kk", "ru", "en"):
        response = post(
            api_client, "/auth/login/eds", {"nonce": "0" * 64, "cms": "x"}, **{"Accept-Language": language}
        )
        assert_error(response, 400, "challenge_unknown")
        assert response["Content-Language"] == language


def test_openapi_documents_the_endpoints(client: Client, db: None) -> None:
    schema = client.get(f"{API}/openapi.json").json()
    for path in ("/auth/challenge", "/auth/login/eds", "/auth/login/staff", "/auth/logout", "/auth/me"):
        assert f"{API}{path}" in schema["paths"], path
    responses = schema["paths"][f"{API}/auth/login/eds"]["post"]["responses"]
    assert {"200", "400", "401", "403", "429"} <= set(responses)
