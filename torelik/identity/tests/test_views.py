"""The login pages, logout, the view decorators and the admin."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from torelik.identity import services
from torelik.identity.models import LoginChallenge, Role, User
from torelik.identity.permissions import require_court_staff, require_filer, require_role
from torelik.identity.tests.conftest import STAFF_PASSWORD
from torelik.kernel.errors import PermissionDeniedError
from torelik.signatures.demo_identities import demo_identity


def test_url_names() -> None:
    assert reverse("identity:login") == "/auth/login/"
    assert reverse("identity:challenge") == "/auth/challenge/"
    assert reverse("identity:login_eds") == "/auth/login/eds/"
    assert reverse("identity:login_staff") == "/auth/login/staff/"
    assert reverse("identity:logout") == "/auth/logout/"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_login_page_renders_in_every_language(client: Client, db: None, language: str) -> None:
    response = client.get("/auth/login/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for name in ("username", "password", "totp_code"):
        # Every visible input has a label that points at it.
        assert f'name="{name}"' in html
        assert f'<label for="id_{name}">' in html
    assert 'id="eds-button"' in html
    assert 'aria-live="polite"' in html
    assert '<meta name="ncalayer-url" content="wss://127.0.0.1:13579">' in html
    assert "/static/js/ncalayer.js" in html
    assert "/static/identity/login.js" in html
    assert reverse("identity:challenge") in html


def test_login_page_in_english_uses_the_source_strings(client: Client, db: None) -> None:
    html = client.get("/auth/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in with digital signature (NCALayer)" in html
    assert "Court staff" in html
    assert "One-time code" in html


def test_ncalayer_url_comes_from_settings(client: Client, db: None, settings: Any) -> None:
    settings.TORELIK = {**settings.TORELIK, "NCALAYER_URL": "ws://127.0.0.1:13579"}
    html = client.get("/auth/login/").content.decode()
    assert '<meta name="ncalayer-url" content="ws://127.0.0.1:13579">' in html


def test_login_js_is_served(client: Client, db: None) -> None:
    from django.contrib.staticfiles import finders

    path = finders.find("identity/login.js")
    assert path is not None
    source = Path(path).read_text(encoding="utf-8")
    assert "NCALayer.sign" in source and "attached: true" in source


def test_challenge_endpoint(client: Client, db: None) -> None:
    response = client.post("/auth/challenge/")
    assert response.status_code == 200
    data = response.json()
    assert re.fullmatch(r"[0-9a-f]{64}", data["nonce"])
    assert LoginChallenge.objects.get(nonce=data["nonce"]).expires_at.isoformat() == data["expires_at"]
    assert client.get("/auth/challenge/").status_code == 405


def test_csrf_is_required(db: None) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/auth/challenge/").status_code == 403
    assert strict.post("/auth/login/eds/", {"nonce": "x", "cms": "y"}).status_code == 403
    assert strict.post("/auth/login/staff/", {"username": "x"}).status_code == 403


def test_eds_login_by_form(client: Client, sign_challenge: Any) -> None:
    nonce, cms = sign_challenge("citizen")
    response = client.post("/auth/login/eds/", {"nonce": nonce, "cms": cms, "next": "/mine/"})
    assert response.status_code == 302
    assert response["Location"] == "/mine/"
    assert client.session["auth_method"] == "eds"
    user = User.objects.get(iin=demo_identity("citizen").iin)
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_unsafe_next_goes_to_the_default_page(client: Client, sign_challenge: Any, next_url: str) -> None:
    nonce, cms = sign_challenge("citizen")
    response = client.post("/auth/login/eds/", {"nonce": nonce, "cms": cms, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_eds_refusal_is_shown_in_the_live_region(client: Client, sign_challenge: Any) -> None:
    nonce, cms = sign_challenge("foreign")
    response = client.post("/auth/login/eds/", {"nonce": nonce, "cms": cms, "next": "/mine/"})
    assert response.status_code == 401
    html = response.content.decode()
    status = re.search(r'<p id="eds-status"[^>]*>(.*?)</p>', html, re.S)
    assert status is not None and "Foreign CA" in status.group(1)
    assert 'name="next" value="/mine/"' in html
    assert "_auth_user_id" not in client.session


def test_eds_refusal_with_nothing_posted(client: Client, db: None) -> None:
    response = client.post("/auth/login/eds/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This login request is not known" in response.content.decode()


def test_staff_login_by_form(client: Client, clerk: User, totp: pyotp.TOTP) -> None:
    response = client.post(
        "/auth/login/staff/", {"username": "clerk1", "password": STAFF_PASSWORD, "totp_code": totp.now()}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert client.session["auth_method"] == "password"
    assert client.get("/staff/staff-only/").status_code == 200


def test_staff_refusal_is_shown_with_the_form(client: Client, clerk: User) -> None:
    response = client.post(
        "/auth/login/staff/",
        {"username": "clerk1", "password": "wrong", "totp_code": "123456"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 401
    html = response.content.decode()
    assert "The username, password or one-time code is wrong." in html
    assert 'role="alert"' in html
    assert 'value="clerk1"' in html
    assert "wrong" not in re.findall(r'name="password"[^>]*>', html)[0]


def test_staff_form_needs_every_field(client: Client, db: None) -> None:
    response = client.post("/auth/login/staff/", {"username": "clerk1"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_locked_account_page_names_the_time(client: Client, clerk: User, totp: pyotp.TOTP) -> None:
    until = timezone.now() + timedelta(minutes=10)
    User.objects.filter(pk=clerk.pk).update(locked_until=until)
    response = client.post(
        "/auth/login/staff/", {"username": "clerk1", "password": STAFF_PASSWORD, "totp_code": totp.now()}
    )
    assert response.status_code == 429
    assert timezone.localtime(until).strftime("%H:%M") in response.content.decode()


def test_logout(client: Client, clerk: User) -> None:
    client.force_login(clerk)
    assert client.get("/auth/logout/").status_code == 405
    response = client.post("/auth/logout/")
    assert response.status_code == 302
    assert response["Location"] == reverse("identity:login")
    assert "_auth_user_id" not in client.session


def test_logged_in_page_shows_the_logout_button(client: Client, clerk: User) -> None:
    client.force_login(clerk)
    html = client.get("/auth/login/").content.decode()
    assert 'action="/auth/logout/"' in html


# --- permissions ----------------------------------------------------------------------------


def test_view_decorators(client: Client, clerk: User) -> None:
    response = client.get("/staff/staff-only/")
    assert response.status_code == 302
    assert response["Location"].startswith("/auth/login/?next=")
    filer = services.create_filer_user(iin="850314312344", role=Role.CITIZEN, full_name="СЕРИКОВ АЙДАР")
    client.force_login(filer)
    assert client.get("/staff/staff-only/").status_code == 403
    assert client.get("/filers-only/").status_code == 200
    client.force_login(clerk)
    assert client.get("/filers-only/").status_code == 403
    assert client.get("/staff/staff-only/").status_code == 200


def test_require_helpers(clerk: User) -> None:
    from django.contrib.auth.models import AnonymousUser

    require_court_staff(clerk)
    require_role(clerk, Role.CLERK, Role.JUDGE)
    for call in (
        lambda: require_filer(clerk),
        lambda: require_role(clerk, Role.JUDGE),
        lambda: require_court_staff(AnonymousUser()),
        lambda: require_filer(None),
    ):
        with pytest.raises(PermissionDeniedError) as info:
            call()
        assert info.value.code == "forbidden"
        assert info.value.status_code == 403
        assert str(info.value.message)


# --- admin ----------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    admin = services.create_staff_user(
        username="root", password=STAFF_PASSWORD, role=Role.ADMIN, court=None, full_name="Administrator"
    )
    client.force_login(admin)
    return client


def test_admin_login_form_sends_to_our_login(client: Client, db: None) -> None:
    response = client.get("/admin/login/?next=/admin/identity/user/")
    assert response.status_code == 302
    assert response["Location"].startswith("/auth/login/?next=")


def test_admin_lists_users_and_unlocks(admin_client: Client, clerk: User) -> None:
    User.objects.filter(pk=clerk.pk).update(locked_until=timezone.now() + timedelta(hours=1), failed_logins=2)
    assert admin_client.get("/admin/identity/user/?locked=yes").status_code == 200
    assert admin_client.get(f"/admin/identity/user/{clerk.pk}/change/").status_code == 200
    response = admin_client.post(
        "/admin/identity/user/", {"action": "unlock", "_selected_action": [str(clerk.pk)]}, follow=True
    )
    assert response.status_code == 200
    clerk.refresh_from_db()
    assert (clerk.locked_until, clerk.failed_logins) == (None, 0)


def test_admin_can_edit_a_filer_with_a_colon_username(admin_client: Client, db: None) -> None:
    filer = services.create_filer_user(iin="850314312344", role=Role.CITIZEN, full_name="СЕРИКОВ АЙДАР")
    page = admin_client.get(f"/admin/identity/user/{filer.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        k: v for k, v in form.initial.items() if v is not None and k not in ("groups", "user_permissions")
    }
    data.update(
        {
            "username": filer.username,
            "phone": "+77011234567",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "role": Role.CITIZEN,
            "is_active": "on",
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = admin_client.post(f"/admin/identity/user/{filer.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    filer.refresh_from_db()
    assert filer.phone == "+77011234567"


def test_login_attempts_are_read_only_in_admin(admin_client: Client, clerk: User) -> None:
    services_refusal(clerk)
    assert admin_client.get("/admin/identity/loginattempt/").status_code == 200
    assert admin_client.get("/admin/identity/loginattempt/add/").status_code == 403


def services_refusal(clerk: User) -> None:
    from torelik.kernel.errors import DomainError

    with pytest.raises(DomainError):
        services.login_with_password(username=clerk.username, password="x", totp_code="1", ip="192.0.2.1")


def test_admin_adds_a_staff_user_and_sets_up_codes(admin_client: Client, db: None) -> None:
    assert admin_client.get("/admin/identity/user/add/").status_code == 200
    response = admin_client.post(
        "/admin/identity/user/add/",
        {
            "username": "clerk9",
            "role": Role.CLERK,
            "password1": STAFF_PASSWORD,
            "password2": STAFF_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="clerk9")
    assert user.check_password(STAFF_PASSWORD) and not user.totp_secret
    response = admin_client.post(
        "/admin/identity/user/", {"action": "enrol_totp", "_selected_action": [str(user.pk)]}, follow=True
    )
    user.refresh_from_db()
    assert user.totp_secret
    assert f"secret={user.totp_secret}" in response.content.decode()


def test_the_project_urlconf_serves_the_login_page_and_api(client: Client, db: None, settings: Any) -> None:
    settings.ROOT_URLCONF = "torelik.urls"
    assert client.get("/auth/login/").status_code == 200
    assert client.post("/api/v1/auth/challenge").status_code == 200
