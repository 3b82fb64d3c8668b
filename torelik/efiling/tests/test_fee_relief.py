"""State fee evasion: property categories need the amount, exemptions only where the law gives
them, and a requested exemption or deferral waits for the clerk's decision."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from torelik.cases.models import Case
from torelik.efiling import intake, services
from torelik.efiling.fees import quote_state_fee
from torelik.efiling.models import FeeRelief, Submission, SubmissionStatus
from torelik.efiling.tests.test_filing import claim_input, signed_submit
from torelik.kernel.errors import DomainError
from torelik.kernel.money import Money

pytestmark = pytest.mark.django_db

DRAFT = {
    "type": "claim",
    "court": "7140",
    "category": "civ.loan",
    "title": "О взыскании долга",
    "text": "Ответчик не вернул долг.",
    "parties": [
        {"role": "defendant", "person_kind": "individual", "name": "Ахметов Болат", "iin": "791028302728"}
    ],
    "is_property": True,
    "claim_amount": "100000000",
}


def _post(client: Client, body: dict, language: str = "en"):
    return client.post(
        "/api/v1/submissions",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )


@pytest.fixture
def api(citizen) -> Client:
    client = Client()
    client.force_login(citizen)
    return client


def test_a_loan_claim_declared_non_property_is_refused(demo_court, api):
    response = _post(api, {**DRAFT, "is_property": False, "claim_amount": None})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "claim_amount_required_for_category"
    assert body["field"] == "claim_amount"
    assert "property dispute" in body["message"]
    russian = _post(api, {**DRAFT, "is_property": False, "claim_amount": None}, language="ru").json()
    assert russian["message"] != body["message"]
    assert "имуществен" in russian["message"]
    assert Submission.objects.count() == 0


def test_an_alimony_exemption_on_a_loan_claim_is_refused(demo_court, api):
    response = _post(api, {**DRAFT, "fee_exemption": "alimony"})
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == ("fee_exemption_not_for_category", "fee_exemption")
    assert "does not apply" in body["message"]
    assert Submission.objects.count() == 0


def test_the_quote_refuses_an_exemption_the_category_does_not_have(demo_court):
    from datetime import date

    with pytest.raises(DomainError) as err:
        quote_state_fee(
            submission_type="claim",
            category_code="civ.loan",
            filer_kind="individual",
            is_property=True,
            claim_amount=Money.from_tenge("100000000"),
            on_date=date(2026, 3, 2),
            exemption="alimony",
        )
    assert err.value.code == "fee_exemption_not_for_category"


def test_a_deferral_waits_for_the_clerk_and_a_refusal_asks_for_payment(demo_court, citizen, clerk, sign):
    sub = services.create_draft(
        filer=citizen,
        data=claim_input(fee_deferral_requested=True, fee_deferral_reason="Нет средств до зарплаты"),
    )
    sub = signed_submit(sub, citizen, sign)
    assert sub.status == SubmissionStatus.SUBMITTED
    assert sub.fee_relief == FeeRelief.PENDING
    assert sub.fee_tiyn == 500_000 * 100 // 100  # 1 % of 500 000 tenge, in tiyn
    with pytest.raises(DomainError) as err:
        intake.accept_submission(submission=sub, clerk=clerk)
    assert err.value.code == "fee_relief_pending"
    assert Case.objects.count() == 0
    with pytest.raises(DomainError) as err:
        intake.decide_fee_relief(submission=sub, clerk=clerk, grant=False, reasons=" ")
    assert err.value.code == "reasons_required"
    sub.refresh_from_db()
    assert sub.fee_relief == FeeRelief.PENDING
    intake.decide_fee_relief(submission=sub, clerk=clerk, grant=False, reasons="Доход подтверждён.")
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.AWAITING_PAYMENT
    assert sub.fee_relief == FeeRelief.DENIED
    last = sub.status_changes.last()
    assert last.actor == clerk
    assert last.status == SubmissionStatus.AWAITING_PAYMENT
    assert "Доход подтверждён." in last.note
    # Payment is now due; the clerk cannot accept an unpaid filing.
    with pytest.raises(DomainError) as err:
        intake.accept_submission(submission=sub, clerk=clerk)
    assert err.value.code == "not_reviewable"


def test_a_disability_exemption_granted_by_the_clerk_lets_the_filing_through(
    demo_court, citizen, clerk, sign
):
    sub = services.create_draft(filer=citizen, data=claim_input(fee_exemption="disability"))
    quote = services.quote_fee_for(submission=sub)
    assert quote.relief_pending and quote.amount.tiyn > 0
    sub = signed_submit(sub, citizen, sign)
    assert (sub.status, sub.fee_relief) == (SubmissionStatus.SUBMITTED, FeeRelief.PENDING)
    intake.decide_fee_relief(submission=sub, clerk=clerk, grant=True)
    sub.refresh_from_db()
    assert (sub.fee_relief, sub.fee_tiyn) == (FeeRelief.GRANTED, 0)
    assert sub.status_changes.last().actor == clerk
    case = intake.accept_submission(submission=sub, clerk=clerk)
    assert case.number.startswith("7140-")


def test_an_alimony_exemption_on_an_alimony_claim_applies_at_once(demo_court, citizen, sign):
    sub = services.create_draft(
        filer=citizen, data=claim_input(category_code="civ.alimony", fee_exemption="alimony")
    )
    sub = signed_submit(sub, citizen, sign)
    assert (sub.status, sub.fee_tiyn, sub.fee_relief) == (SubmissionStatus.SUBMITTED, 0, FeeRelief.NONE)
