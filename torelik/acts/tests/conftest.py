"""Fixtures of the acts tests: a judge of the demo court, a registered case, the local TSA."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from torelik.identity.permissions import SYSTEM
from torelik.signatures.testca import DemoPki
from torelik.signatures.tsa import start_tsa_in_thread


@pytest.fixture(scope="session")
def tsa_server(demo_pki: DemoPki) -> Iterator[str]:
    """The demo RFC 3161 TSA over HTTP on 127.0.0.1, once per worker."""
    url, stop = start_tsa_in_thread(demo_pki)
    yield url
    stop()


@pytest.fixture
def tsa(tsa_server: str, trusted_pki: DemoPki, settings: Any) -> str:
    settings.TORELIK = {**settings.TORELIK, "TSA_URL": tsa_server}
    return tsa_server


def make_judge(*, court: Any, key: str = "judge", username: str = "judge") -> Any:
    """A judge of `court` whose IIN is that of the demo identity `key`, with a staff account."""
    from torelik.courts.models import Judge
    from torelik.identity.models import Role
    from torelik.identity.services import create_staff_user
    from torelik.signatures.demo_identities import demo_identity

    ident = demo_identity(key)
    user = create_staff_user(
        username=username,
        password="judge-password-1",
        role=Role.JUDGE,
        court=court,
        full_name=ident.full_name,
        iin=ident.iin,
        totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    )
    Judge.objects.create(
        court=court, user=user, iin=ident.iin, full_name=ident.full_name, appointed_on=dt.date(2015, 6, 1)
    )
    return user


@pytest.fixture
def judge_user(demo_court: Any) -> Any:
    return make_judge(court=demo_court)


@pytest.fixture
def case(demo_court: Any, citizen: Any, entity_user: Any) -> Any:
    """A civil case in the demo court: the citizen sues the entity (Kazakh letters in the names)."""
    from torelik.cases.models import PartyRole, PersonKind
    from torelik.cases.parties import PartyDetails
    from torelik.courts.models import CaseCategory
    from torelik.efiling.registration import register_and_distribute

    category = CaseCategory.objects.get(code="civ.alimony")
    return register_and_distribute(
        court=demo_court,
        category=category,
        registered_at=timezone.now(),
        actor=SYSTEM,
        parties=[
            PartyDetails(
                role=PartyRole.PLAINTIFF,
                person_kind=PersonKind.INDIVIDUAL,
                name="СЕРИКОВ АЙДАР НУРЛАНОВИЧ",
                iin=citizen.iin,
            ),
            PartyDetails(
                role=PartyRole.DEFENDANT,
                person_kind=PersonKind.LEGAL_ENTITY,
                name="«Әдемі Құрылыс Өңірі» ЖШС",
                bin="120540123453",
            ),
        ],
        documents=[],
        claim_amount_tiyn=150_000_00,
        filer=citizen,
        filer_role=PartyRole.PLAINTIFF,
    )


@pytest.fixture(autouse=True)
def _reference_rows(db: None) -> None:
    """The classifier and the e-file's document types, as the data migrations load them.

    Idempotent; it keeps the tests independent of whether those migrations ran (flushes of
    transactional tests, `--no-migrations`).
    """
    from torelik.archive.document_types import seed_document_types
    from torelik.archive.models import DocumentType
    from torelik.courts.classifier import seed_classifier
    from torelik.courts.models import CaseCategory, Specialisation

    seed_classifier(CaseCategory, Specialisation)
    seed_document_types(DocumentType)
