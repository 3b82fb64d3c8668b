"""One rule for "the filer's own party", from the draft to the registered case."""

from __future__ import annotations

import pytest

from torelik.cases.models import PersonKind
from torelik.cases.parties import PartyDetails, is_own_party
from torelik.cases.selectors import cases_visible_to
from torelik.efiling import intake, services
from torelik.efiling.payments import demo_bank_sign
from torelik.efiling.tests.test_filing import _notice, claim_input, signed_submit

pytestmark = pytest.mark.django_db


def _accepted(filer, key, sign, clerk):
    sub = signed_submit(services.create_draft(filer=filer, data=claim_input()), filer, sign, key=key)
    payment, _url = services.start_payment(submission=sub, filer=filer)
    body = _notice(payment)
    services.handle_payment_callback(provider_name="demo_bank", body=body, signature=demo_bank_sign(body))
    sub.refresh_from_db()
    return intake.accept_submission(submission=sub, clerk=clerk)


def test_an_organisations_own_party_is_linked_to_its_account(demo_court, entity_user, clerk, sign):
    case = _accepted(entity_user, "entity", sign, clerk)
    plaintiff = case.parties.get(role="plaintiff")
    assert (plaintiff.person_kind, plaintiff.bin, plaintiff.iin) == (
        PersonKind.LEGAL_ENTITY,
        entity_user.bin,
        "",
    )
    assert plaintiff.user == entity_user
    assert case.parties.get(role="defendant").user is None
    assert list(cases_visible_to(user=entity_user)) == [case]


def test_a_citizens_own_party_is_linked_and_the_other_side_is_not(demo_court, citizen, clerk, sign):
    case = _accepted(citizen, "citizen", sign, clerk)
    assert case.parties.get(role="plaintiff").user == citizen
    assert case.parties.get(role="defendant").user is None


def test_the_rule(citizen, entity_user):
    org = PartyDetails.of_account(entity_user, role="plaintiff")
    person = PartyDetails.of_account(citizen, role="plaintiff")
    assert (org.person_kind, org.bin, org.iin) == (PersonKind.LEGAL_ENTITY, entity_user.bin, "")
    assert org.belongs_to(entity_user) and person.belongs_to(citizen)
    assert not org.belongs_to(citizen) and not person.belongs_to(entity_user)
    # The director's own IIN as an individual is not the organisation's party.
    director = PartyDetails(
        role="plaintiff", person_kind=PersonKind.INDIVIDUAL, name="Д", iin=entity_user.iin
    )
    assert not director.belongs_to(entity_user)
    # A party named by address only is nobody's.
    assert not is_own_party(person_kind=PersonKind.INDIVIDUAL, iin="", bin="", account=citizen.__class__())
