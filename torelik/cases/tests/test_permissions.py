"""Who may register and read cases, checked where it is decided: registration refuses a role (or a
court) that may not register and writes nothing then; reading follows the parties and the court."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from torelik.cases import permissions
from torelik.cases.models import Case, CaseEvent, CaseNumberSequence, Party, PartyRole, PersonKind
from torelik.cases.parties import PartyDetails
from torelik.cases.permissions import PERMISSIONS, SYSTEM_ACTIONS, Action
from torelik.cases.services import register_case
from torelik.courts.models import CaseCategory, Court
from torelik.identity.models import Role, User
from torelik.identity.permissions import SYSTEM
from torelik.identity.services import create_staff_user
from torelik.kernel.errors import NotFoundError, PermissionDeniedError

pytestmark = pytest.mark.django_db


def staff(username: str, role: str, court: Court | None) -> User:
    return create_staff_user(
        username=username, password=f"{username}-password-1", role=role, court=court, full_name="STAFF"
    )


def register(court: Court, actor: Any, citizen: User | None = None) -> Case:
    return register_case(
        court=court,
        category=CaseCategory.objects.get(code="civ.alimony"),
        registered_at=timezone.now(),
        actor=actor,
        parties=[
            PartyDetails(
                role=PartyRole.PLAINTIFF,
                person_kind=PersonKind.INDIVIDUAL,
                name="СЕРИКОВ АЙДАР",
                iin=citizen.iin if citizen else "900101300001",
            )
        ],
        documents=[],
        filer=citizen,
        filer_role=PartyRole.PLAINTIFF,
    )


def rows() -> tuple[int, ...]:
    return (
        Case.objects.count(),
        Party.objects.count(),
        CaseEvent.objects.count(),
        sum(CaseNumberSequence.objects.values_list("last_serial", flat=True)),
    )


def test_the_map_names_every_action() -> None:
    assert set(PERMISSIONS) == set(Action)
    assert {Action.REGISTER_CASE} == SYSTEM_ACTIONS
    assert PERMISSIONS[Action.REGISTER_CASE] == {Role.CLERK, Role.JUDGE, Role.CHAIR}


def test_registration_is_for_the_intake_staff_of_the_court(
    demo_court: Court, citizen: User, clerk: User
) -> None:
    other_clerk = staff("clerk7100", Role.CLERK, demo_court.appeal_court)
    auditor = staff("auditor", Role.AUDITOR, None)
    for actor, code, message in (
        (citizen, "forbidden", "Your role does not allow this."),
        (auditor, "forbidden", "Your role does not allow this."),
        (other_clerk, "forbidden", "You can register cases of your own court only."),
        (None, "forbidden", "Log in first."),
    ):
        before = rows()
        with pytest.raises(PermissionDeniedError) as err:
            register(demo_court, actor)
        assert err.value.code == code
        with translation.override("en"):
            assert str(err.value.message) == message
        assert rows() == before
    case = register(demo_court, clerk)
    assert case.events.get(kind="case.registered").actor == clerk
    judge = staff("judge7140", Role.JUDGE, demo_court)
    assert register(demo_court, judge).court == demo_court
    # The system registers for the demo and for tests; nobody is recorded as the author.
    assert register(demo_court, SYSTEM).events.get(kind="case.registered").actor is None


def test_the_court_refusal_is_translated(demo_court: Court) -> None:
    other_clerk = staff("clerk7100", Role.CLERK, demo_court.appeal_court)
    for language, message in (
        ("ru", "Вы можете регистрировать дела только своего суда."),
        ("kk", "Сіз тек өз сотыңыздың істерін тіркей аласыз."),
    ):
        with translation.override(language):
            with pytest.raises(PermissionDeniedError) as err:
                register(demo_court, other_clerk)
            assert str(err.value.message) == message


def test_a_case_is_read_by_its_parties_its_court_and_administrators(
    demo_court: Court, citizen: User, entity_user: User, clerk: User
) -> None:
    case = register(demo_court, SYSTEM, citizen=citizen)
    other_clerk = staff("clerk7100", Role.CLERK, demo_court.appeal_court)
    administrator = staff("administrator", Role.ADMIN, None)
    for reader in (citizen, clerk, administrator):
        permissions.require(reader, Action.READ_CASE, case=case)
        assert permissions.can_read_case(reader, case)
    for stranger in (entity_user, other_clerk):
        with pytest.raises(NotFoundError) as err:
            permissions.require(stranger, Action.READ_CASE, case=case)
        assert err.value.code == "case_not_found"  # a stranger is not told the case exists
        assert not permissions.can_read_case(stranger, case)
    assert not permissions.can_read_case(None, case)
    assert permissions.can_register_case(clerk, demo_court)
    assert not permissions.can_register_case(other_clerk, demo_court)
    with pytest.raises(TypeError):
        permissions.require(clerk, Action.REGISTER_CASE)


def test_the_api_refuses_a_stranger_in_their_language(
    demo_court: Court, citizen: User, entity_user: User
) -> None:
    case = register(demo_court, SYSTEM, citizen=citizen)
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(entity_user)
    answer = client.get("/api/v1/cases", {"number": case.number})
    assert answer.status_code == 404
    assert answer.json()["message"] == f"Дело {case.number} вам недоступно."
    client.force_login(citizen)
    assert client.get("/api/v1/cases", {"number": case.number}).json()[0]["number"] == case.number
