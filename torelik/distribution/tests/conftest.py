"""Fixtures of the distribution tests: a district court and its appeal court with judges."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from torelik.cases.models import Case, PartyRole, PersonKind
from torelik.cases.parties import PartyDetails
from torelik.courts.models import CaseCategory, Court, Judge, JudgePosition, Specialisation
from torelik.distribution import crypto, days
from torelik.efiling.registration import register_and_distribute
from torelik.identity.permissions import SYSTEM


@pytest.fixture(autouse=True)
def _fresh_caches(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.TORELIK = {**settings.TORELIK, "PKI_DIR": tmp_path / "pki"}
    crypto.forget_keys()
    days.forget_cached()
    yield
    crypto.forget_keys()
    days.forget_cached()


_iin = iter(range(800101300000, 800101399999))


def make_judge(court: Court, name: str, specs: list[str], *, share: str = "1.00", **extra: Any) -> Judge:
    judge = Judge.objects.create(
        court=court,
        iin=str(next(_iin)),
        full_name=name,
        workload_share=Decimal(share),
        appointed_on=date(2015, 1, 1),
        **extra,
    )
    judge.specialisations.set(Specialisation.objects.filter(code__in=specs))
    return judge


def judge_of(case: Case) -> Judge:
    """The judge a case is assigned to (the test fails when there is none)."""
    assert case.judge_id is not None, f"{case.number} is not assigned"
    return Judge.objects.get(pk=case.judge_id)


@pytest.fixture
def judges(demo_court: Court) -> dict[str, Judge]:
    appeal = demo_court.appeal_court
    assert appeal is not None
    found = {
        "civ1": make_judge(demo_court, "АБАЕВ А. А.", ["civil"]),
        "civ2": make_judge(demo_court, "БЕКОВА Б. Б.", ["civil"]),
        "civ3": make_judge(demo_court, "ВАЛИЕВ В. В.", ["civil", "economic"]),
        "half": make_judge(demo_court, "ГАНИЕВА Г. Г.", ["civil"], share="0.50"),
        "crim": make_judge(demo_court, "ДАУЛЕТОВ Д. Д.", ["criminal"]),
    }
    for i in range(5):
        found[f"app{i}"] = make_judge(appeal, f"АПЕЛЛЯЦИЯ {i}", ["civil"])
    return found


@pytest.fixture
def chair(demo_court: Court, judges: dict[str, Judge]) -> Any:
    from torelik.identity.models import Role
    from torelik.identity.services import create_staff_user

    user = create_staff_user(
        username="chair",
        password="chair-password-1",
        role=Role.CHAIR,
        court=demo_court,
        full_name="ЕРМЕКОВ ЕРЛАН ЕРМЕКОВИЧ",
        totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    )
    Judge.objects.filter(pk=judges["civ1"].pk).update(position=JudgePosition.CHAIR)
    return user


PartyTuple = tuple[str, str]


@pytest.fixture
def register(demo_court: Court) -> Callable[..., Case]:
    counter = iter(range(1, 10_000))

    def _register(
        category: str = "civ.divorce",
        *,
        court: Court | None = None,
        parties: list[PartyTuple] | None = None,
        lower_instance: Case | None = None,
        relation: str = "lower_instance",
    ) -> Case:
        n = next(counter)
        people = parties or [
            (f"9001013{n:05d}", PartyRole.PLAINTIFF),
            (f"9102023{n:05d}", PartyRole.DEFENDANT),
        ]
        case = register_and_distribute(
            court=court or demo_court,
            category=CaseCategory.objects.get(code=category),
            registered_at=timezone.now(),
            actor=SYSTEM,
            parties=[
                PartyDetails(role=role, person_kind=PersonKind.INDIVIDUAL, name=f"PARTY {iin}", iin=iin)
                for iin, role in people
            ],
            documents=[],
            lower_instance=lower_instance,
            relation=relation,
        )
        case.refresh_from_db()
        return case

    return _register


AUDITOR_PASSWORD = "auditor-password-1"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def auditor(db: None) -> Any:
    """An auditor: reads every court's distribution, tied to no court, changes nothing."""
    from torelik.identity.models import Role
    from torelik.identity.services import create_staff_user

    return create_staff_user(
        username="auditor",
        password=AUDITOR_PASSWORD,
        role=Role.AUDITOR,
        court=None,
        full_name="АУДИТОВА АЙГЕРИМ САКЕНОВНА",
        totp_secret=TOTP_SECRET,
    )


@pytest.fixture
def administrator(db: None) -> Any:
    """An administrator: the category weights and the distribution settings are theirs."""
    from torelik.identity.models import Role
    from torelik.identity.services import create_staff_user

    return create_staff_user(
        username="administrator",
        password="admin-password-1",
        role=Role.ADMIN,
        court=None,
        full_name="ӘКІМШІ ӘЛИЯ",
        totp_secret=TOTP_SECRET,
    )


@pytest.fixture
def appeal_chair(demo_court: Court) -> Any:
    """The chair of the appeal court 7100: another court than the cases' 7140."""
    from torelik.identity.models import Role
    from torelik.identity.services import create_staff_user

    return create_staff_user(
        username="chair7100",
        password="chair-password-2",
        role=Role.CHAIR,
        court=demo_court.appeal_court,
        full_name="ЖАКСЫБЕКОВ ЖАН ЖАНОВИЧ",
        totp_secret=TOTP_SECRET,
    )
