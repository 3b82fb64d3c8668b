"""A civil case heard by a judge with an account, for the procedural steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from torelik.cases.models import Case, PartyRole, PersonKind
from torelik.cases.parties import PartyDetails
from torelik.cases.services import append_case_event, record_assignment, register_case
from torelik.cases.transitions import TransitionInput, perform_transition
from torelik.courts.models import CaseCategory, Judge
from torelik.identity.models import Role
from torelik.identity.permissions import SYSTEM
from torelik.identity.services import create_staff_user


def make_judge_user(court: Any, *, username: str = "judge", iin: str = "850314312344") -> Any:
    user = create_staff_user(
        username=username,
        password="judge-password-1",
        role=Role.JUDGE,
        court=court,
        full_name="ЖАНБОТАЕВ САЯТ",
        iin=iin,
        totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    )
    Judge.objects.create(
        court=court, user=user, iin=iin, full_name="ЖАНБОТАЕВ САЯТ", appointed_on=dt.date(2015, 6, 1)
    )
    return user


@pytest.fixture
def judge(demo_court: Any) -> Any:
    return make_judge_user(demo_court)


@pytest.fixture
def new_case(demo_court: Any, citizen: Any, judge: Any) -> Any:
    """new_case(category) -> a registered case of the citizen, drawn to `judge`."""

    def _make(category: str = "civ.loan") -> Case:
        case = register_case(
            court=demo_court,
            category=CaseCategory.objects.get(code=category),
            registered_at=timezone.now(),
            actor=SYSTEM,
            parties=[
                PartyDetails(
                    role=PartyRole.PLAINTIFF, person_kind=PersonKind.INDIVIDUAL, name="ИСТЕЦ", iin=citizen.iin
                ),
                PartyDetails(
                    role=PartyRole.DEFENDANT,
                    person_kind=PersonKind.INDIVIDUAL,
                    name="ОТВЕТЧИК",
                    iin="791028302728",
                ),
            ],
            documents=[],
            claim_amount_tiyn=50_000_000,
            filer=citizen,
            filer_role=PartyRole.PLAINTIFF,
        )
        record_assignment(case=case, judge_id=judge.judge.pk)
        return Case.objects.get(pk=case.pk)

    return _make


@pytest.fixture
def case(new_case: Any) -> Case:
    return new_case()


def sign_act(case: Case, kind: str, *, act_id: int = 1) -> None:
    """What the acts app appends when the judge signs an act (tests of `cases` stop there; the
    acts tests sign a real PAdES act)."""
    append_case_event(
        case=case,
        kind="act.signed",
        actor=None,
        occurred_at=timezone.now(),
        payload={
            "act_id": act_id,
            "case_number": case.number,
            "kind": kind,
            "language": "ru",
            "title": "Решение",
            "sha256": "0" * 64,
            "log_seq": 1,
            "certificate_serial": "1",
            "timestamp": timezone.now().isoformat(),
        },
    )


def step(case: Case, code: str, actor: Any, *, now: Any = None, **data: Any) -> Case:
    return perform_transition(case=case, transition=code, actor=actor, data=TransitionInput(**data), now=now)


def lengthen_history(case: Case, judge: Any, *, entries: int) -> Case:
    """Accepts the case and schedules and postpones its hearing until its history has `entries`
    entries (a postponement with its reasons), for the tests that count queries."""
    from torelik.cases.models import CaseEvent

    step(case, "accept", judge)
    while CaseEvent.objects.filter(case=case).count() < entries - 1:
        step(case, "schedule_hearing", judge)
        step(case, "postpone_hearing", judge, reason="Неявка ответчика")
    if CaseEvent.objects.filter(case=case).count() < entries:
        step(case, "schedule_hearing", judge)
    return Case.objects.get(pk=case.pk)
