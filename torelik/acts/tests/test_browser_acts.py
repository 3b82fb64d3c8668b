"""In a real Chromium, by keyboard: a judge drafts and signs an act; the party sees and verifies it.

The judge's signature comes from the NCALayer-compatible signer over a real WebSocket, holding the
demo judge's key; the time-stamp from the demo TSA over HTTP.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyotp
import pytest

from torelik.acts.models import JudicialAct
from torelik.signatures.ncalayer_server import start_signer_in_thread
from torelik.signatures.testing import use_demo_pki

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "judge-password-1"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _focus_and_press(page: Any, selector: str, key: str = "Enter") -> None:
    """Reach `selector` with the Tab key, as a keyboard user would, then press `key`."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            page.keyboard.press(key)
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_a_judge_signs_an_act_by_keyboard_and_the_party_sees_it(
    live_server: Any,
    demo_pki: Any,
    settings: Any,
    page: Any,
    reference_data: None,
    tsa_server: str,
    case: Any,
    judge_user: Any,
) -> None:
    use_demo_pki(settings, demo_pki)
    settings.PUBLIC_BASE_URL = live_server.url
    port, stop_signer = start_signer_in_thread(demo_pki.signing_key("judge"))
    settings.TORELIK = {**settings.TORELIK, "NCALAYER_URL": f"ws://127.0.0.1:{port}", "TSA_URL": tsa_server}
    base = live_server.url
    try:
        page.goto(f"{base}/auth/login/")
        page.fill("#id_username", judge_user.username)
        page.fill("#id_password", PASSWORD)
        page.fill("#id_totp_code", pyotp.TOTP(SECRET).now())
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: "/auth/login" not in urlsplit(url).path)

        page.goto(f"{base}/acts/")
        _focus_and_press(page, f'a[href="/acts/cases/{case.pk}/"]')
        page.wait_for_url(re.compile(rf"/acts/cases/{case.pk}/$"))
        page.select_option("#id_kind", "decision")
        page.select_option("#id_language", "kk")
        _focus_and_press(page, "#new-act-button")
        page.wait_for_url(re.compile(r"/acts/\d+/$"))
        assert "ШЕШІМ" in page.input_value("#id_title")
        page.fill("#id_body", page.input_value("#id_body") + "\nТалап толық қанағаттандырылсын.")
        _focus_and_press(page, "#save-button")
        page.wait_for_selector("text=Draft saved.")
        _focus_and_press(page, "#sign-button")
        page.wait_for_selector('#act-status[data-status="signed"]')
        act = JudicialAct.objects.get()
        assert act.is_signed and "Талап толық қанағаттандырылсын." in act.body
        assert page.text_content("#act-sha256").strip() == act.pdf_id
    finally:
        stop_signer()

    # The party's case page lists the act at once, with its download and verification links.
    port, stop_signer = start_signer_in_thread(demo_pki.signing_key("citizen"))
    settings.TORELIK = {**settings.TORELIK, "NCALAYER_URL": f"ws://127.0.0.1:{port}"}
    try:
        page.get_by_role("button", name="Log out").click()
        page.goto(f"{base}/auth/login/")
        page.click("#eds-button")
        page.wait_for_url(lambda url: urlsplit(url).path == "/")
        page.goto(f"{base}/cases/{case.number}/")
        row = page.locator(f'#case-acts [data-act-id="{act.pk}"]')
        assert "ШЕШІМ" in row.text_content()
        with page.expect_download() as download:
            row.get_by_role("link", name=re.compile("ШЕШІМ")).click()
        pdf = Path(download.value.path()).read_bytes()
        page.goto(f"{base}/acts/verify/")
        page.set_input_files(
            "#id_file", files=[{"name": "act.pdf", "mimeType": "application/pdf", "buffer": pdf}]
        )
        page.get_by_role("button", name="Verify").click()
        page.wait_for_selector('#verify-result[data-verdict="authentic"]')
        assert case.number in page.text_content("#verdict")
    finally:
        stop_signer()
