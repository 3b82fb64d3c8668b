"""Citizens and organisations file only in their own name; lawyers file for their clients."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from torelik.efiling import services
from torelik.efiling.models import Submission
from torelik.efiling.tests.test_filing import claim_input

pytestmark = pytest.mark.django_db

STRANGER = {"role": "plaintiff", "person_kind": "individual", "name": "Бекова Дана", "iin": "061211600012"}
DEFENDANT = {"role": "defendant", "person_kind": "individual", "name": "Ахметов Болат", "iin": "791028302728"}


def _draft(parties: list[dict]) -> dict:
    return {
        "type": "claim",
        "court": "7140",
        "category": "civ.loan",
        "title": "О взыскании долга",
        "text": "Ответчик не вернул долг.",
        "parties": parties,
        "is_property": True,
        "claim_amount": "100000000",
    }


def _post(user, body: dict):
    client = Client()
    client.force_login(user)
    return client.post(
        "/api/v1/submissions",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_citizen_cannot_file_in_someone_elses_name(demo_court, citizen):
    response = _post(citizen, _draft([STRANGER, DEFENDANT]))
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == ("filer_not_own_party", "parties")
    assert "only in your own name" in body["message"]
    assert Submission.objects.count() == 0


def test_an_organisation_naming_an_individual_plaintiff_for_the_lower_rate_is_refused(
    demo_court, entity_user
):
    director = {"role": "plaintiff", "person_kind": "individual", "name": "Директор", "iin": entity_user.iin}
    response = _post(entity_user, _draft([director, DEFENDANT]))
    assert response.status_code == 400
    assert response.json()["code"] == "filer_not_own_party"
    assert Submission.objects.count() == 0


def test_an_organisation_pays_the_legal_entity_rate(demo_court, entity_user):
    sub = services.create_draft(filer=entity_user, data=claim_input())
    assert sub.filer_kind == "legal_entity"
    # 3 % of 500 000 tenge.
    assert services.quote_fee_for(submission=sub).amount.tiyn == 15_000_00


def test_a_citizen_naming_themselves_may_add_nobody_else_as_plaintiff(demo_court, citizen):
    me = {"role": "plaintiff", "person_kind": "individual", "name": "Я", "iin": citizen.iin}
    org = {"role": "plaintiff", "person_kind": "legal_entity", "name": "ТОО", "bin": "990140004654"}
    response = _post(citizen, _draft([me, org, DEFENDANT]))
    assert response.status_code == 400
    assert response.json()["code"] == "filer_kind_mixed"
    assert _post(citizen, _draft([me, DEFENDANT])).status_code == 201


def test_a_lawyer_files_for_a_client(demo_court):
    from torelik.identity.models import Role
    from torelik.identity.services import create_filer_user
    from torelik.signatures.demo_identities import demo_identity

    ident = demo_identity("lawyer")
    lawyer = create_filer_user(iin=ident.iin, bin=ident.bin, role=Role.LAWYER, full_name=ident.full_name)
    response = _post(lawyer, _draft([STRANGER, DEFENDANT]))
    assert response.status_code == 201
