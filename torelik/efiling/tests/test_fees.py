"""State fee quotes against the rules the 0002_fee_rules migration loads (Tax Code 2026)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from torelik.efiling.fees import MAX_CLAIM_TIYN, quote_state_fee
from torelik.efiling.models import FeeRule
from torelik.kernel.errors import DomainError
from torelik.kernel.money import Money

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 2)
UNCONFIRMED = (
    "This rate is not yet confirmed against the text of the Tax Code; the court may correct the amount."
)
NO_FEE = "No state fee is charged for this filing."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def tenge(value: str) -> Money:
    return Money.from_tenge(value)


def quote(
    submission_type="claim",
    category_code="civ.loan",
    filer_kind="individual",
    is_property=True,
    claim_amount=None,
    on_date=ON,
    exemption="",
):
    return quote_state_fee(
        submission_type=submission_type,
        category_code=category_code,
        filer_kind=filer_kind,
        is_property=is_property,
        claim_amount=claim_amount,
        on_date=on_date,
        exemption=exemption,
    )


def lines(q) -> list[str]:
    return [plain(line) for line in q.explanation]


def error(**kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        quote(**kwargs)
    return info.value


# ---------------------------------------------------------------- percent of the claim


def test_property_claim_of_an_individual():
    q = quote(claim_amount=tenge("5 000 000"))
    assert q.amount == tenge("50 000")
    assert lines(q) == [
        "1 % of the claim 5 000 000,00 ₸ = 50 000,00 ₸",
        "Cap: 10 000 MCI × 4 325,00 ₸ = 43 250 000,00 ₸; the fee is below the cap.",
        "State fee: 50 000,00 ₸",
    ]
    assert q.basis == "percent_of_claim"
    assert q.is_confirmed
    assert q.legal_reference == "Tax Code of the RK (2026), art. 665"


def test_property_claim_of_a_legal_entity():
    q = quote(filer_kind="legal_entity", claim_amount=tenge("1 234 567,89"))
    assert q.amount == tenge("37 037,04")  # 3 % = 37 037,0367 -> half up to the tiyn
    assert lines(q)[0] == "3 % of the claim 1 234 567,89 ₸ = 37 037,04 ₸"


def test_the_cap_applies_to_an_individual():
    q = quote(claim_amount=tenge("5 000 000 000"))
    assert q.amount == tenge("43 250 000")
    assert lines(q) == [
        "1 % of the claim 5 000 000 000,00 ₸ = 50 000 000,00 ₸",
        "Cap: 10 000 MCI × 4 325,00 ₸ = 43 250 000,00 ₸; the cap applies.",
        "State fee: 43 250 000,00 ₸",
    ]


def test_the_cap_applies_to_a_legal_entity():
    q = quote(filer_kind="legal_entity", claim_amount=tenge("3 000 000 000"))
    assert q.amount == tenge("86 500 000")
    assert lines(q)[1] == "Cap: 20 000 MCI × 4 325,00 ₸ = 86 500 000,00 ₸; the cap applies."


def test_the_cap_follows_the_mci_of_the_year():
    FeeRule.objects.filter(submission_type="claim").update(valid_from=date(2025, 1, 1))
    q = quote(claim_amount=tenge("5 000 000 000"), on_date=date(2025, 6, 1))
    assert q.amount == tenge("39 320 000")  # 10 000 × 3 932


# ---------------------------------------------------------------- multiples of the MCI


def test_divorce():
    q = quote(category_code="civ.divorce", is_property=False)
    assert q.amount == tenge("1 297,50")
    assert lines(q) == ["0,3 MCI × 4 325,00 ₸ (MCI for 2026) = 1 297,50 ₸", "State fee: 1 297,50 ₸"]
    assert q.is_confirmed


def test_non_property_claims_are_unconfirmed():
    q = quote(category_code="civ.paternity", is_property=False)
    assert q.amount == tenge("2 162,50")
    assert not q.is_confirmed
    assert lines(q) == [
        "0,5 MCI × 4 325,00 ₸ (MCI for 2026) = 2 162,50 ₸",
        "State fee: 2 162,50 ₸",
        UNCONFIRMED,
    ]
    assert quote(filer_kind="legal_entity", is_property=False).amount == tenge("21 625")


@pytest.mark.parametrize(("filer_kind", "fee"), [("individual", "1 297,50"), ("legal_entity", "21 625,00")])
def test_administrative_claim(filer_kind, fee):
    q = quote(
        submission_type="administrative_claim",
        category_code="adm.state_body",
        filer_kind=filer_kind,
        is_property=False,
    )
    assert q.amount == tenge(fee)
    assert q.is_confirmed
    assert lines(q)[-1] == f"State fee: {fee} ₸"


def test_special_proceedings():
    q = quote(
        submission_type="special_proceedings",
        category_code="civ.special",
        filer_kind="legal_entity",
        is_property=False,
    )
    assert q.amount == tenge("2 162,50")
    assert lines(q)[-1] == UNCONFIRMED


# ---------------------------------------------------------------- shares of a base fee


def test_court_order_is_half_the_property_fee():
    q = quote(submission_type="court_order", category_code="civ.court_order", claim_amount=tenge("1 000 000"))
    assert q.amount == tenge("5 000")
    assert lines(q) == [
        "1 % of the claim 1 000 000,00 ₸ = 10 000,00 ₸",
        "Cap: 10 000 MCI × 4 325,00 ₸ = 43 250 000,00 ₸; the fee is below the cap.",
        "50 % of the base fee 10 000,00 ₸ = 5 000,00 ₸",
        "State fee: 5 000,00 ₸",
        UNCONFIRMED,
    ]
    assert q.share_percent == 50


def test_appeal_halves_the_capped_fee():
    q = quote(submission_type="appeal", claim_amount=tenge("5 000 000 000"))
    assert q.amount == tenge("21 625 000")
    assert lines(q)[1:3] == [
        "Cap: 10 000 MCI × 4 325,00 ₸ = 43 250 000,00 ₸; the cap applies.",
        "50 % of the base fee 43 250 000,00 ₸ = 21 625 000,00 ₸",
    ]
    assert not q.is_confirmed


def test_appeal_in_an_administrative_case_uses_its_category_row():
    q = quote(submission_type="appeal", category_code="adm.tax", filer_kind="legal_entity", is_property=False)
    assert q.amount == tenge("10 812,50")  # 5 MCI × 50 %


def test_cassation_of_a_divorce():
    q = quote(submission_type="cassation", category_code="civ.divorce", is_property=False)
    assert q.amount == tenge("648,75")  # 0,3 MCI × 50 % = 648,75


# ---------------------------------------------------------------- no fee, exemptions


@pytest.mark.parametrize(
    "submission_type",
    [
        "private_prosecution",
        "simplified_cancellation",
        "fee_refund",
        "hearing_postponement",
        "security_cancellation",
        "petition",
        "convict_meeting",
    ],
)
@pytest.mark.parametrize("filer_kind", ["individual", "legal_entity"])
def test_filings_without_a_fee(submission_type, filer_kind):
    q = quote(submission_type=submission_type, category_code="", filer_kind=filer_kind, is_property=False)
    assert q.amount == Money.ZERO
    assert q.basis == "none"
    assert lines(q) == [NO_FEE, UNCONFIRMED]


def test_an_exemption_gives_no_fee():
    q = quote(category_code="civ.alimony", claim_amount=tenge("1 000 000"), exemption="alimony")
    assert q.amount == Money.ZERO
    assert q.exemption == "alimony"
    assert lines(q) == ["Exempt: Alimony claim — no fee."]
    assert q.rule_id is None


def test_an_unknown_exemption_is_refused():
    err = error(claim_amount=tenge("1000"), exemption="friendship")
    assert (err.code, err.field) == ("fee_exemption_invalid", "fee_exemption")
    assert str(err.message) == "There is no fee exemption “friendship”."


# ---------------------------------------------------------------- choosing the rule


def test_no_rule_before_the_new_tax_code():
    err = error(claim_amount=tenge("1000"), on_date=date(2025, 12, 31))
    assert err.code == "fee_rule_missing"
    assert str(err.message) == (
        "No state fee rule is set for “Statement of claim (claim)” (property claim, Individual) "
        "on 2025-12-31; the court office must add one."
    )


def test_no_rule_for_an_unknown_type():
    err = error(submission_type="amicus_brief", is_property=False)
    assert err.code == "fee_rule_missing"
    assert "“amicus_brief”" in str(err.message)


def test_no_mci_for_the_year():
    err = error(category_code="civ.divorce", is_property=False, on_date=date(2031, 1, 10))
    assert err.code == "mci_missing"


def test_a_category_row_beats_the_general_row_and_the_newest_amendment_wins():
    base = {
        "submission_type": "claim",
        "person_kind": "individual",
        "claim_kind": "property",
        "basis": "percent_of_claim",
        "legal_reference": "test amendment",
    }
    special = FeeRule.objects.create(
        **base,
        category_code="civ.loan",
        rate=Decimal("2"),
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 6, 30),
    )
    newer = FeeRule.objects.create(**base, rate=Decimal("1.5"), valid_from=date(2026, 7, 1))
    claim = tenge("100 000")
    assert quote(claim_amount=claim).rule_id == special.pk
    assert quote(claim_amount=claim).amount == tenge("2 000")
    assert quote(claim_amount=claim, category_code="civ.housing").amount == tenge("1 000")
    # valid_to is the last day the row applies.
    assert quote(claim_amount=claim, on_date=date(2026, 6, 30)).rule_id == special.pk
    after = quote(claim_amount=claim, on_date=date(2026, 7, 1))
    assert (after.rule_id, after.amount) == (newer.pk, tenge("1 500"))


# ---------------------------------------------------------------- bad input


def test_a_property_claim_needs_an_amount():
    err = error(claim_amount=None)
    assert (err.code, err.field) == ("claim_amount_required", "claim_amount")
    assert str(err.message) == "Enter the claim amount: the state fee of a property claim is a percent of it."


@pytest.mark.parametrize("tiyn", [0, -100, MAX_CLAIM_TIYN + 1])
def test_bad_claim_amounts(tiyn):
    err = error(claim_amount=Money(tiyn))
    assert (err.code, err.field) == ("claim_amount_invalid", "claim_amount")
    assert plain(str(err.message)).startswith(
        "The claim amount must be more than zero and at most 10 000 000 000 000,00 ₸;"
    )


def test_the_largest_claim_is_accepted():
    assert quote(claim_amount=Money(MAX_CLAIM_TIYN)).amount == tenge("43 250 000")


def test_unknown_filer_kind():
    err = error(filer_kind="robot", claim_amount=tenge("1000"))
    assert err.code == "filer_kind_invalid"


def test_the_quote_is_stored_as_json():
    q = quote(submission_type="court_order", category_code="civ.court_order", claim_amount=tenge("1 000 000"))
    data = json.loads(json.dumps(q.as_dict()))
    assert data == {
        "amount_tiyn": 500_000,
        "rule_id": q.rule_id,
        "basis": "percent_of_claim",
        "rate": "1",
        "share_percent": "50",
        "cap_mci": "10000",
        "mci_tiyn": 432_500,
        "explanation": q.explanation,
        "legal_reference": "Tax Code of the RK (2026), art. 665",
        "is_confirmed": False,
        "exemption": "",
        "on_date": "2026-03-02",
    }


# ---------------------------------------------------------------- properties


claims = st.integers(min_value=1, max_value=MAX_CLAIM_TIYN)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    a=claims,
    b=claims,
    filer_kind=st.sampled_from(["individual", "legal_entity"]),
    submission_type=st.sampled_from(["claim", "court_order", "appeal", "cassation"]),
)
def test_fee_is_monotone_and_capped(a, b, filer_kind, submission_type):
    low, high = sorted((a, b))
    q_low = quote(submission_type=submission_type, filer_kind=filer_kind, claim_amount=Money(low))
    q_high = quote(submission_type=submission_type, filer_kind=filer_kind, claim_amount=Money(high))
    cap_mci = 10_000 if filer_kind == "individual" else 20_000
    cap = Money(432_500) * cap_mci
    assert Money.ZERO <= q_low.amount <= q_high.amount <= cap
