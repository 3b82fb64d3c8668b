"""Probing another user's filing, receipt, document or case gets a translated 404, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from torelik.efiling import intake, services
from torelik.efiling.tests.test_filing import claim_input, signed_submit
from torelik.identity.models import Role
from torelik.identity.services import create_filer_user, create_staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(demo_court, citizen, sign, pdf_bytes):
    sub = services.create_draft(
        filer=citizen, data=claim_input(category_code="civ.alimony", fee_exemption="alimony")
    )
    doc = services.add_document(submission=sub, filer=citizen, filename="a.pdf", data=pdf_bytes)
    return signed_submit(sub, citizen, sign), doc


@pytest.fixture
def stranger(db) -> Client:
    user = create_filer_user(iin="880130412346", bin="", role=Role.CITIZEN, full_name="Чужой Человек")
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, url: str, language: str):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize("suffix", ["", "status/", "receipt/", "receipt.pdf", "signing-payload/"])
def test_another_users_filing_is_not_found(filed, stranger, suffix):
    sub, _doc = filed
    english = _get(stranger, f"/submissions/{sub.pk}/{suffix}", "en")
    assert english.status_code == 404
    assert "No such filing of yours." in english.content.decode()
    russian = _get(stranger, f"/submissions/{sub.pk}/{suffix}", "ru")
    assert russian.status_code == 404
    assert "No such filing of yours." not in russian.content.decode()
    assert 'role="alert"' in russian.content.decode()


def test_another_users_document_and_a_missing_document_are_not_found(filed, stranger, citizen):
    sub, doc = filed
    assert _get(stranger, f"/submissions/{sub.pk}/documents/{doc.pk}/", "en").status_code == 404
    owner = Client()
    owner.force_login(citizen)
    missing = _get(owner, f"/submissions/{sub.pk}/documents/{doc.pk + 1000}/", "en")
    assert missing.status_code == 404
    assert "No such document in this filing." in missing.content.decode()
    own = _get(owner, f"/submissions/{sub.pk}/documents/{doc.pk}/", "en")
    assert own.status_code == 200


def test_another_users_case_is_not_found(filed, stranger, clerk):
    sub, _doc = filed
    case = intake.accept_submission(submission=sub, clerk=clerk)
    response = _get(stranger, f"/cases/{case.number}/", "en")
    assert response.status_code == 404
    assert f"No case {case.number} is open to you." in response.content.decode()


def test_a_clerk_of_another_court_cannot_open_or_decide_the_filing(filed, demo_court):
    from torelik.cases.models import Case
    from torelik.courts.models import Court, CourtLevel

    other = Court.objects.create(
        code="7150", level=CourtLevel.DISTRICT, name_kk="Басқа", name_ru="Другой", name_en="Other"
    )
    user = create_staff_user(
        username="other-clerk", password="clerk-password-2", role=Role.CLERK, court=other, full_name="O"
    )
    client = Client()
    client.force_login(user)
    sub, doc = filed
    for url in (f"/staff/intake/{sub.pk}/", f"/staff/intake/{sub.pk}/documents/{doc.pk}/"):
        response = _get(client, url, "en")
        assert response.status_code == 404
        assert "No such filing in your court." in response.content.decode()
    response = client.post(
        f"/staff/intake/{sub.pk}/decide/", {"action": "accept", "confirm": "yes"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 404
    assert Case.objects.count() == 0
