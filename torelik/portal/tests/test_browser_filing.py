"""End to end in a real Chromium: a citizen files and pays, a clerk accepts, the citizen sees the case number.

The browser signs through the NCALayer-compatible signer over a real WebSocket; the demo bank
notifies the live server over HTTP; every step goes through the pages a person uses.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyotp
import pytest

from torelik.efiling.models import Submission, SubmissionStatus
from torelik.efiling.testing import make_pdf
from torelik.signatures.ncalayer_server import start_signer_in_thread
from torelik.signatures.testing import use_demo_pki

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLERK_PASSWORD = "clerk-password-1"
CLERK_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def log_in_with_signature(page: Any, base: str) -> None:
    page.goto(f"{base}/auth/login/")
    page.click("#eds-button")
    page.wait_for_url(lambda url: urlsplit(url).path == "/")


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Log out").click()


def test_citizen_files_pays_and_sees_the_case_number(
    live_server: Any,
    demo_pki: Any,
    settings: Any,
    page: Any,
    reference_data: None,
    demo_court: Any,
    clerk: Any,
    tmp_path: Path,
) -> None:
    use_demo_pki(settings, demo_pki)
    port, stop_signer = start_signer_in_thread(demo_pki.signing_key("citizen"))
    settings.TORELIK = {**settings.TORELIK, "NCALAYER_URL": f"ws://127.0.0.1:{port}"}
    settings.PUBLIC_BASE_URL = live_server.url
    clerk.set_password(CLERK_PASSWORD)
    clerk.totp_secret = CLERK_SECRET
    clerk.save()
    attachment = tmp_path / "contract.pdf"
    attachment.write_bytes(make_pdf("Loan contract"))
    base = live_server.url
    try:
        # The citizen logs in with the digital signature and prepares the claim.
        log_in_with_signature(page, base)
        page.goto(f"{base}/submissions/new/")
        page.select_option("#id_type_key", "claim")
        page.select_option("#id_court", "7140")
        page.select_option("#id_category", "civ.loan")
        page.fill("#id_title", "Recovery of a loan")
        page.fill("#id_text", "The defendant did not repay 500 000 tenge lent on 1 March.")
        page.check("#id_is_property")
        page.fill("#id_claim_amount", "500000")
        page.select_option("#id_party-0-role", "defendant")
        page.fill("#id_party-0-name", "Ахметов Болат")
        page.fill("#id_party-0-iin", "791028302728")
        page.get_by_role("button", name="Save draft").click()
        page.wait_for_url(re.compile(r"/submissions/\d+/$"))
        assert "Draft saved" in page.text_content("main")
        # The fee is shown with the rule before anything is signed.
        assert page.text_content("#fee-amount").strip().startswith("5")
        page.set_input_files("#id_file", str(attachment))
        page.get_by_role("button", name="Attach").click()
        assert "contract.pdf" in page.text_content("main")

        # Sign and submit: the signer signs the filing and the PDF; the receipt lists the hashes.
        page.click("#sign-submit")
        page.wait_for_url(re.compile(r"/receipt/$"))
        reference = page.text_content("#receipt-reference").strip()
        assert reference.startswith("JO-")
        submission = Submission.objects.get(reference=reference)
        assert submission.documents.get().blob_id in page.text_content("main")

        # Pay at the demo bank; its signed notice reaches the server and the filing goes to the court.
        page.goto(f"{base}/submissions/{submission.pk}/")
        page.click("#pay-button")
        page.get_by_role("button", name="Confirm payment").click()
        page.wait_for_url(re.compile(rf"/submissions/{submission.pk}/$"))
        page.wait_for_selector('[data-status="submitted"]')
        log_out(page)

        # The clerk logs in with password and one-time code and accepts the claim.
        page.goto(f"{base}/auth/login/")
        page.fill("#id_username", clerk.username)
        page.fill("#id_password", CLERK_PASSWORD)
        page.fill("#id_totp_code", pyotp.TOTP(CLERK_SECRET).now())
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{base}/staff/intake/")
        page.get_by_role("link", name=reference).click()
        page.check("#accept-confirm")
        page.click("#accept-button")
        page.wait_for_url(re.compile(r"/staff/intake/$"))
        assert "registered" in page.text_content("main")
        log_out(page)

        # The citizen sees the case number on the filing's page.
        log_in_with_signature(page, base)
        page.goto(f"{base}/submissions/{submission.pk}/")
        number = page.get_attribute("[data-case-number]", "data-case-number")
    finally:
        stop_signer()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REGISTERED
    assert number == submission.case.number
    assert re.fullmatch(r"7140-\d{2}-00-2/1", number)
