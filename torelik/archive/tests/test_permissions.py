"""Who may read the e-file and who may remove bytes from it, checked where it is decided."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from torelik.archive import permissions, services
from torelik.archive.models import Blob, LogEntry, Tombstone
from torelik.archive.permissions import PERMISSIONS, SYSTEM_ACTIONS, Action
from torelik.cases.models import Case, PartyRole, PersonKind
from torelik.cases.parties import PartyDetails
from torelik.cases.services import register_case
from torelik.courts.models import CaseCategory, Court
from torelik.identity.models import Role, User
from torelik.identity.permissions import SYSTEM
from torelik.identity.services import create_staff_user
from torelik.kernel.errors import NotFoundError, PermissionDeniedError

pytestmark = pytest.mark.django_db
SIX_YEARS = timedelta(days=6 * 366)


def staff(username: str, role: str, court: Court | None) -> User:
    return create_staff_user(
        username=username, password=f"{username}-password-1", role=role, court=court, full_name="STAFF"
    )


@pytest.fixture
def administrator(db: None) -> User:
    return staff("administrator", Role.ADMIN, None)


@pytest.fixture
def case(demo_court: Court, citizen: User) -> Case:
    """A case of the demo court whose plaintiff is the citizen's account."""
    return register_case(
        court=demo_court,
        category=CaseCategory.objects.get(code="civ.alimony"),
        registered_at=timezone.now(),
        actor=SYSTEM,
        parties=[
            PartyDetails(
                role=PartyRole.PLAINTIFF,
                person_kind=PersonKind.INDIVIDUAL,
                name="СЕРИКОВ АЙДАР",
                iin=citizen.iin,
            )
        ],
        documents=[],
        filer=citizen,
        filer_role=PartyRole.PLAINTIFF,
    )


def test_the_map_names_every_action() -> None:
    assert set(PERMISSIONS) == set(Action)
    assert {Action.PURGE_EXPIRED} == SYSTEM_ACTIONS
    assert PERMISSIONS[Action.PURGE_EXPIRED] == {Role.ADMIN}


# ---------------------------------------------------------------- purge


def purged_state() -> tuple[int, int]:
    return Tombstone.objects.count(), Blob.objects.filter(purged_at__isnull=False).count()


def test_only_an_administrator_or_the_system_purges(
    file_bytes: Callable[..., LogEntry], clerk: User, administrator: User
) -> None:
    file_bytes(b"audio one", document_type="hearing.audio")  # kept for 5 years
    later = timezone.now() + SIX_YEARS
    for actor, code, message in (
        (clerk, "forbidden", "Only an administrator may remove documents whose retention period ended."),
        (None, "forbidden", "Log in first."),
    ):
        with pytest.raises(PermissionDeniedError) as err:
            services.purge_expired(actor=actor, now=later)  # type: ignore[arg-type]
        assert err.value.code == code
        with translation.override("en"):
            assert str(err.value.message) == message
        assert purged_state() == (0, 0)
    assert len(services.purge_expired(actor=administrator, now=later)) == 1
    file_bytes(b"audio two", document_type="hearing.audio")
    assert len(services.purge_expired(actor=SYSTEM, now=later)) == 1
    assert purged_state() == (2, 2)


def test_the_purge_refusal_is_translated(clerk: User) -> None:
    for language, message in (
        ("ru", "Удалять документы, срок хранения которых истёк, может только администратор."),
        ("kk", "Сақтау мерзімі аяқталған құжаттарды тек әкімші жоя алады."),
    ):
        with translation.override(language):
            with pytest.raises(PermissionDeniedError) as err:
                services.purge_expired(actor=clerk)
            assert str(err.value.message) == message


# ---------------------------------------------------------------- reading a document


def test_a_document_is_read_by_whoever_reads_its_case(
    case: Case,
    file_bytes: Callable[..., LogEntry],
    citizen: User,
    entity_user: User,
    clerk: User,
    administrator: User,
    demo_court: Court,
) -> None:
    sha = file_bytes(b"%PDF-1.7 claim", document_type="claim", case_number=case.number).blob_id
    other_clerk = staff("clerk7100", Role.CLERK, demo_court.appeal_court)
    for reader in (citizen, clerk, administrator):
        permissions.require(reader, Action.READ_DOCUMENT, sha256=sha)
        assert permissions.can_read_document(reader, sha)
    for stranger in (entity_user, other_clerk):
        with pytest.raises(NotFoundError) as err:
            permissions.require(stranger, Action.READ_DOCUMENT, sha256=sha)
        assert err.value.code == "document_not_found"  # not "forbidden": nothing says it exists
        assert not permissions.can_read_document(stranger, sha)
    with pytest.raises(PermissionDeniedError):
        permissions.require(None, Action.READ_DOCUMENT, sha256=sha)
    with pytest.raises(NotFoundError):  # not stored at all: the same answer
        permissions.require(citizen, Action.READ_DOCUMENT, sha256="0" * 64)
    with pytest.raises(TypeError):
        permissions.require(citizen, Action.READ_DOCUMENT)


def test_the_api_and_the_page_refuse_a_stranger_in_their_language(
    case: Case, file_bytes: Callable[..., LogEntry], citizen: User, entity_user: User
) -> None:
    """The archive has no write a person reaches over HTTP; its reads refuse as "not found"."""
    sha = file_bytes(b"%PDF-1.7 claim", document_type="claim", case_number=case.number).blob_id
    services.sign_tree_head()
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(entity_user)
    answer = client.get(f"/api/v1/archive/documents/{sha}/evidence")
    assert answer.status_code == 404
    assert answer.json()["message"] == f"Документ с SHA-256 {sha} вам недоступен."
    page = Client(HTTP_ACCEPT_LANGUAGE="kk")
    page.force_login(entity_user)
    refused: Any = page.get(f"/archive/documents/{sha}/")
    assert refused.status_code == 404
    client.force_login(citizen)
    mine = client.get(f"/api/v1/archive/documents/{sha}/evidence")
    assert mine.status_code == 200, mine.json()
