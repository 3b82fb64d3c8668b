"""Demo mode (TORELIK_DEMO=1) is the only mode with demo users, the demo bank and default secrets."""

from __future__ import annotations

import importlib
import runpy
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import Resolver404, clear_url_caches, resolve
from django.utils import translation

import torelik.urls
from torelik.identity.models import User
from torelik.kernel.deployment import check_deployment

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "settings.py"


def test_outside_demo_mode_the_server_refuses_the_default_secret(settings: Any) -> None:
    settings.TORELIK_DEMO = False
    settings.SECRET_KEY = settings.DEFAULT_SECRET_KEY
    with pytest.raises(ImproperlyConfigured, match="TORELIK_SECRET_KEY"):
        check_deployment()
    # A WSGI server loads the middleware when it starts: it fails to boot.
    with pytest.raises(ImproperlyConfigured, match="TORELIK_SECRET_KEY"):
        WSGIHandler()


def test_outside_demo_mode_a_set_secret_starts(settings: Any) -> None:
    settings.TORELIK_DEMO = False
    settings.SECRET_KEY = "x9" * 25
    check_deployment()
    WSGIHandler()


def test_in_demo_mode_the_default_secret_is_allowed(settings: Any) -> None:
    settings.TORELIK_DEMO = True
    settings.SECRET_KEY = settings.DEFAULT_SECRET_KEY
    check_deployment()


def test_production_settings_have_secure_cookies_and_hsts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TORELIK_DEMO", raising=False)
    production = runpy.run_path(str(SETTINGS_FILE))
    assert production["TORELIK_DEMO"] is False
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    monkeypatch.setenv("TORELIK_DEMO", "1")
    demo = runpy.run_path(str(SETTINGS_FILE))
    assert demo["TORELIK_DEMO"] is True
    assert "SESSION_COOKIE_SECURE" not in demo


@pytest.mark.django_db
def test_run_outside_demo_mode_on_an_empty_database_stops_and_loads_nothing(settings: Any) -> None:
    settings.TORELIK_DEMO = False
    settings.SECRET_KEY = "x9" * 25
    with translation.override("en"), pytest.raises(CommandError, match="TORELIK_DEMO=1"):
        call_command("run", "--no-signer")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_run_outside_demo_mode_with_the_default_secret_is_refused(settings: Any) -> None:
    settings.TORELIK_DEMO = False
    settings.SECRET_KEY = settings.DEFAULT_SECRET_KEY
    with pytest.raises(ImproperlyConfigured, match="TORELIK_SECRET_KEY"):
        call_command("run", "--no-signer")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_load_demo_outside_demo_mode_is_refused(settings: Any) -> None:
    settings.TORELIK_DEMO = False
    with pytest.raises(CommandError, match="TORELIK_DEMO=1"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_demo_bank_is_not_mounted_outside_demo_mode(settings: Any) -> None:
    settings.ROOT_URLCONF = "torelik.urls"
    try:
        settings.TORELIK_DEMO = False
        importlib.reload(torelik.urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve("/demo-bank/pay/PAY-1/")
        settings.TORELIK_DEMO = True
        importlib.reload(torelik.urls)
        clear_url_caches()
        assert resolve("/demo-bank/pay/PAY-1/").url_name == "pay"
    finally:
        settings.TORELIK_DEMO = True
        importlib.reload(torelik.urls)
        clear_url_caches()


@pytest.mark.django_db
def test_demo_bank_callback_is_refused_outside_demo_mode(settings: Any) -> None:
    settings.TORELIK_DEMO = False
    settings.SECRET_KEY = "x9" * 25
    from torelik.efiling.payments import SIGNATURE_HEADER, demo_bank_sign

    body = b'{"payment_reference":"PAY-1","status":"confirmed","amount_tiyn":1,"bank_transaction_id":"x"}'
    response = Client().post(
        "/api/v1/payments/demo-bank/callback",
        data=body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: demo_bank_sign(body), "Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "payment_provider_unknown"
    assert "demo_bank" in response.json()["message"]
    # The page is refused too, even by a URLconf loaded while demo mode was on.
    assert Client().get("/demo-bank/pay/PAY-1/").status_code == 404
