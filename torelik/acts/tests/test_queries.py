"""The judge's pages and the list of a case's acts cost a fixed number of queries, however many
cases, parties and acts they show. Counted with a few rows and with many; equal counts mean no
query per row (no N+1)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from torelik.acts import services
from torelik.acts.testing import sign_as_ncalayer
from torelik.cases.models import Case, PartyRole, PersonKind
from torelik.cases.parties import PartyDetails
from torelik.cases.services import register_case
from torelik.courts.models import CaseCategory
from torelik.identity.permissions import SYSTEM
from torelik.kernel.testing import count_queries

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _case(court, citizen, *, parties: int = 2) -> Case:
    """A case of the citizen against `parties - 1` defendants."""
    return register_case(
        court=court,
        category=CaseCategory.objects.get(code="civ.alimony"),
        registered_at=timezone.now(),
        actor=SYSTEM,
        parties=[
            PartyDetails(
                role=PartyRole.PLAINTIFF,
                person_kind=PersonKind.INDIVIDUAL,
                name="СЕРИКОВ АЙДАР НУРЛАНОВИЧ",
                iin=citizen.iin,
            ),
            *(
                PartyDetails(
                    role=PartyRole.DEFENDANT, person_kind=PersonKind.INDIVIDUAL, name=f"Ответчик {n}"
                )
                for n in range(parties - 1)
            ),
        ],
        documents=[],
        filer=citizen,
        filer_role=PartyRole.PLAINTIFF,
    )


def _drafts(case, judge_user, count: int) -> list:
    return [
        services.create_draft(case=case, user=judge_user, kind="ruling", language="ru") for _ in range(count)
    ]


def test_the_judges_list_of_cases(demo_court, citizen, judge_user):
    client = _client(judge_user)
    for _ in range(2):
        _case(demo_court, citizen)
    client.get("/acts/")
    few, _page = count_queries(client, "/acts/")
    for _ in range(10):
        _case(demo_court, citizen)
    many, page = count_queries(client, "/acts/")
    assert page.content.decode().count('href="/acts/cases/') == 12
    assert many == few


def test_the_judges_case_card(demo_court, citizen, judge_user):
    """12 parties and 12 acts cost what 2 do."""
    client = _client(judge_user)
    small, large = _case(demo_court, citizen, parties=2), _case(demo_court, citizen, parties=12)
    _drafts(small, judge_user, 2)
    _drafts(large, judge_user, 12)
    client.get(f"/acts/cases/{small.pk}/")
    few, _page = count_queries(client, f"/acts/cases/{small.pk}/")
    many, page = count_queries(client, f"/acts/cases/{large.pk}/")
    assert "Ответчик 10" in page.content.decode()
    assert many == few


def test_the_list_of_a_cases_acts(demo_court, citizen, judge_user, tsa, trusted_pki):
    """GET /cases/{id}/acts: the judge sees drafts and signed acts, the party signed ones."""
    key = trusted_pki.signing_key("judge")
    small, large = _case(demo_court, citizen), _case(demo_court, citizen)
    sign_as_ncalayer(act=_drafts(small, judge_user, 1)[0], user=judge_user, key=key)
    _drafts(small, judge_user, 1)
    for act in _drafts(large, judge_user, 2):
        sign_as_ncalayer(act=act, user=judge_user, key=key)
    _drafts(large, judge_user, 10)
    for user, shown in ((judge_user, (2, 12)), (citizen, (1, 2))):
        client = _client(user)
        client.get(f"/api/v1/cases/{small.pk}/acts")
        few, response = count_queries(client, f"/api/v1/cases/{small.pk}/acts")
        many, response_large = count_queries(client, f"/api/v1/cases/{large.pk}/acts")
        assert (len(response.json()), len(response_large.json())) == shown
        assert many == few, user


def test_the_parties_case_page_with_its_acts(demo_court, citizen, judge_user, tsa, trusted_pki):
    """The case card of the parties (portal), whose signed acts come from the acts app's tag."""
    key = trusted_pki.signing_key("judge")
    small, large = _case(demo_court, citizen, parties=2), _case(demo_court, citizen, parties=12)
    sign_as_ncalayer(act=_drafts(small, judge_user, 1)[0], user=judge_user, key=key)
    for act in _drafts(large, judge_user, 3):
        sign_as_ncalayer(act=act, user=judge_user, key=key)
    client = _client(citizen)
    client.get(f"/cases/{small.number}/")
    few, _page = count_queries(client, f"/cases/{small.number}/")
    many, page = count_queries(client, f"/cases/{large.number}/")
    assert page.content.decode().count("data-act-id=") == 3
    assert many == few
