"""Parties named by IIN/BIN see their case; API reads of filings and case lists are audited."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from torelik.efiling import intake, services
from torelik.efiling.tests.test_filing import claim_input, signed_submit
from torelik.identity.models import Role
from torelik.identity.services import create_filer_user
from torelik.kernel.models import AccessAudit

pytestmark = pytest.mark.django_db

DEFENDANT_IIN = "791028302728"


@pytest.fixture
def case(demo_court, citizen, clerk, sign):
    sub = services.create_draft(
        filer=citizen, data=claim_input(category_code="civ.alimony", fee_exemption="alimony")
    )
    return intake.accept_submission(submission=signed_submit(sub, citizen, sign), clerk=clerk)


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_defendant_logging_in_with_their_iin_sees_the_case(case):
    defendant = create_filer_user(iin=DEFENDANT_IIN, bin="", role=Role.CITIZEN, full_name="Ахметов Болат")
    client = _client(defendant)
    assert client.get(f"/cases/{case.number}/").status_code == 200
    listed = client.get("/api/v1/cases").json()
    assert [c["number"] for c in listed] == [case.number]
    audit = AccessAudit.objects.get(action="case.list", user=defendant)
    assert audit.detail == {"numbers": [case.number]}


def test_an_organisation_account_does_not_see_its_directors_personal_cases(case):
    # Same IIN as the defendant, but an organisation's account: it is the organisation.
    org = create_filer_user(iin=DEFENDANT_IIN, bin="990140004654", role=Role.ENTITY, full_name="Директор")
    response = _client(org).get(f"/cases/{case.number}/")
    assert response.status_code == 404


def test_a_party_named_without_a_number_matches_nobody_else(demo_court, citizen, clerk, sign):
    no_number = {"role": "defendant", "person_kind": "individual", "name": "Неизвестный", "address": "Астана"}
    from torelik.cases.parties import PartyDetails

    sub = services.create_draft(
        filer=citizen,
        data=claim_input(
            category_code="civ.alimony", fee_exemption="alimony", parties=[PartyDetails(**no_number)]
        ),
    )
    case = intake.accept_submission(submission=signed_submit(sub, citizen, sign), clerk=clerk)
    from torelik.cases.selectors import cases_visible_to

    stranger = create_filer_user(iin="880130412346", bin="", role=Role.CITIZEN, full_name="Чужой")
    assert case not in cases_visible_to(user=stranger)


def test_reading_an_incoming_filing_through_the_api_is_audited(case, clerk):
    submission_id = case.submission_id
    response = _client(clerk).get(f"/api/v1/intake/submissions/{submission_id}")
    assert response.status_code == 200
    assert AccessAudit.objects.filter(
        action="submission.read", object_id=str(submission_id), user=clerk
    ).exists()


def test_fee_relief_through_the_api(demo_court, citizen, clerk, sign):
    sub = services.create_draft(
        filer=citizen, data=claim_input(fee_deferral_requested=True, fee_deferral_reason="Нет средств")
    )
    sub = signed_submit(sub, citizen, sign)
    client = _client(clerk)
    refused = client.post(
        f"/api/v1/intake/submissions/{sub.pk}/accept", data=json.dumps({}), content_type="application/json"
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "fee_relief_pending"
    response = client.post(
        f"/api/v1/intake/submissions/{sub.pk}/fee-relief",
        data=json.dumps({"grant": False, "reasons": "Доход подтверждён"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["fee_relief"]) == ("awaiting_payment", "denied")
