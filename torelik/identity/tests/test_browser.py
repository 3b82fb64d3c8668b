"""The login page in a real Chromium, signing through the NCALayer-compatible signer."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connections

from torelik.identity.models import Role, User
from torelik.signatures.demo_identities import demo_identity
from torelik.signatures.ncalayer_server import start_signer_in_thread
from torelik.signatures.testca import DemoPki
from torelik.signatures.testing import use_demo_pki

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # Playwright's sync API keeps an event loop running in this thread; the test's own database
    # calls are still synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Chromium is not installed")
    # Inside sync_playwright() the code runs in another context, where Django opens other
    # database connections: close them on the way in and out, or they outlive the test database.
    connections.close_all()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser.new_page()
        finally:
            connections.close_all()
            browser.close()


def use_signer(settings: Any, port: int) -> None:
    settings.TORELIK = {**settings.TORELIK, "NCALAYER_URL": f"ws://127.0.0.1:{port}"}


def test_citizen_logs_in_by_keyboard(
    live_server: Any, demo_pki: DemoPki, settings: Any, browser_page: Any
) -> None:
    use_demo_pki(settings, demo_pki)
    port, stop = start_signer_in_thread(demo_pki.signing_key("citizen"))
    use_signer(settings, port)
    try:
        page = browser_page
        page.goto(f"{live_server.url}/auth/login/?next=/mine/")
        page.focus("#eds-button")
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: urlsplit(url).path == "/mine/", timeout=20_000)
    finally:
        stop()
    user = User.objects.get(username=f"iin:{demo_identity('citizen').iin}")
    assert user.role == Role.CITIZEN


def test_refusal_is_shown_on_the_page(
    live_server: Any, demo_pki: DemoPki, settings: Any, browser_page: Any
) -> None:
    use_demo_pki(settings, demo_pki)
    port, stop = start_signer_in_thread(demo_pki.signing_key("foreign"))
    use_signer(settings, port)
    try:
        page = browser_page
        page.goto(f"{live_server.url}/auth/login/")
        page.click("#eds-button")
        page.wait_for_url(lambda url: urlsplit(url).path == "/auth/login/eds/", timeout=20_000)
    finally:
        stop()
    assert "Foreign CA" in page.text_content("#eds-status")
    # Focus moves to the message so a screen reader reads it.
    assert page.evaluate("document.activeElement.id") == "eds-status"
    assert not User.objects.exists()


def test_ncalayer_not_running(live_server: Any, db: None, settings: Any, browser_page: Any) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    use_signer(settings, port)
    page = browser_page
    page.goto(f"{live_server.url}/auth/login/", wait_until="load")
    page.click("#eds-button")
    page.wait_for_function("document.getElementById('eds-status').className === 'error'", timeout=20_000)
    assert "NCALayer" in page.text_content("#eds-status")
    assert page.is_enabled("#eds-button")


def test_cancelled_in_ncalayer(live_server: Any, demo_pki: DemoPki, settings: Any, browser_page: Any) -> None:
    use_demo_pki(settings, demo_pki)
    port, stop = start_signer_in_thread(demo_pki.signing_key("citizen"), decline=True)
    use_signer(settings, port)
    try:
        page = browser_page
        page.goto(f"{live_server.url}/auth/login/")
        page.click("#eds-button")
        page.wait_for_function("document.getElementById('eds-status').className === 'error'", timeout=20_000)
    finally:
        stop()
    assert "cancelled" in page.text_content("#eds-status")
