"""The clerk's review page: documents open, Enter cannot accept, fee relief is decided here."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from torelik.cases.models import Case
from torelik.efiling import services
from torelik.efiling.models import FeeRelief, SubmissionStatus
from torelik.efiling.tests.test_filing import claim_input, signed_submit
from torelik.kernel.models import AccessAudit

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(demo_court, citizen, sign, pdf_bytes):
    sub = services.create_draft(
        filer=citizen, data=claim_input(category_code="civ.alimony", fee_exemption="alimony")
    )
    services.add_document(
        submission=sub, filer=citizen, filename="Свидетельство о рождении.pdf", data=pdf_bytes, title="Свид."
    )
    return signed_submit(sub, citizen, sign)


@pytest.fixture
def staff(clerk) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(clerk)
    return client


def _forms(html: str) -> list[str]:
    return re.findall(r"<form\b.*?</form>", html, flags=re.S)


def test_the_clerk_opens_an_attached_pdf_and_the_read_is_audited(submitted, staff, pdf_bytes):
    doc = submitted.documents.get()
    page = staff.get(f"/staff/intake/{submitted.pk}/").content.decode()
    url = f"/staff/intake/{submitted.pk}/documents/{doc.pk}/"
    assert f'href="{url}"' in page
    response = staff.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response) == pdf_bytes
    # A Cyrillic file name, encoded per RFC 6266 rather than raw in the header.
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert AccessAudit.objects.filter(action="submission.document.read", object_id=str(submitted.pk)).exists()


def test_a_document_of_another_filing_is_not_found(submitted, staff, demo_court, citizen, pdf_bytes):
    other = services.create_draft(filer=citizen, data=claim_input())
    doc = services.add_document(submission=other, filer=citizen, filename="x.pdf", data=pdf_bytes)
    response = staff.get(f"/staff/intake/{submitted.pk}/documents/{doc.pk}/")
    assert response.status_code == 404
    assert "No such document in this filing." in response.content.decode()


def test_enter_in_the_deadline_field_cannot_accept(submitted, staff):
    page = staff.get(f"/staff/intake/{submitted.pk}/").content.decode()
    deadline_form = next(f for f in _forms(page) if 'name="fix_by"' in f)
    assert 'value="accept"' not in deadline_form
    assert "accept-button" not in deadline_form
    accept_form = next(f for f in _forms(page) if 'id="accept-form"' in f)
    assert re.search(
        r'<input type="checkbox" id="accept-confirm" name="confirm" value="yes" required>', accept_form
    )


def test_accept_without_the_confirmation_registers_nothing(submitted, staff):
    response = staff.post(f"/staff/intake/{submitted.pk}/decide/", {"action": "accept"}, follow=True)
    assert response.status_code == 200
    assert "Tick the confirmation to accept the filing" in response.content.decode()
    assert Case.objects.count() == 0
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.SUBMITTED
    response = staff.post(
        f"/staff/intake/{submitted.pk}/decide/", {"action": "accept", "confirm": "yes"}, follow=True
    )
    assert Case.objects.count() == 1


def test_the_clerk_refuses_a_deferral_on_the_page(demo_court, citizen, sign, staff, clerk):
    sub = services.create_draft(
        filer=citizen, data=claim_input(fee_deferral_requested=True, fee_deferral_reason="Нет средств")
    )
    sub = signed_submit(sub, citizen, sign)
    page = staff.get(f"/staff/intake/{sub.pk}/").content.decode()
    assert 'value="relief_deny"' in page
    assert "accept-button" not in page
    response = staff.post(
        f"/staff/intake/{sub.pk}/decide/", {"action": "accept", "confirm": "yes"}, follow=True
    )
    assert "First decide on the request" in response.content.decode()
    staff.post(f"/staff/intake/{sub.pk}/decide/", {"action": "relief_deny", "reasons": "Доход есть."})
    sub.refresh_from_db()
    assert (sub.status, sub.fee_relief) == (SubmissionStatus.AWAITING_PAYMENT, FeeRelief.DENIED)
    assert sub.status_changes.last().actor == clerk
