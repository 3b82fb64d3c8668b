"""Who may act in the distribution, checked where it is decided: every service refuses a role (or a
court) that may not act, writes nothing then, and lets one that may act do so."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from torelik.cases.models import Case, CaseEvent
from torelik.courts.models import CaseCategory, Judge
from torelik.distribution import permissions, services
from torelik.distribution.models import (
    AbsenceKind,
    Assignment,
    CaseLink,
    CaseRelation,
    DistributionPolicy,
    DistributionRecord,
    JudgeAbsence,
    Recusal,
    RecusalKind,
    RecusalStatus,
    WeightChange,
)
from torelik.distribution.permissions import PERMISSIONS, SYSTEM_ACTIONS, Action
from torelik.distribution.tests.conftest import judge_of
from torelik.identity.models import Role, User
from torelik.identity.permissions import SYSTEM
from torelik.kernel.errors import PermissionDeniedError

pytestmark = pytest.mark.django_db

CASE_CHAIR_ONLY = "Only the chair of the case's court may do this."
JUDGE_CHAIR_ONLY = "Only the chair of the judge's court may do this."
ROLE_REFUSED = "Your role does not allow this."
OTHER_COURT = "The case is in another court."


def rows() -> dict[str, int]:
    """Every row a distribution service may write, counted (and what a refusal must leave alone)."""
    return {
        "records": DistributionRecord.objects.count(),
        "assignments": Assignment.objects.count(),
        "open_assignments": Assignment.objects.filter(ended_at__isnull=True).count(),
        "recusals": Recusal.objects.count(),
        "decided": Recusal.objects.exclude(status=RecusalStatus.PENDING).count(),
        "absences": JudgeAbsence.objects.count(),
        "cancelled": JudgeAbsence.objects.filter(cancelled_at__isnull=False).count(),
        "links": CaseLink.objects.count(),
        "weights": WeightChange.objects.count(),
        "policies": DistributionPolicy.objects.count(),
        "events": CaseEvent.objects.count(),
    }


def refused(call: Callable[[], object], code: str, message: str) -> None:
    """`call` raises PermissionDeniedError with `code` and `message` (English), writing nothing."""
    before = rows()
    with pytest.raises(PermissionDeniedError) as err, translation.override("en"):
        call()
    assert err.value.code == code
    with translation.override("en"):
        assert str(err.value.message) == message
    assert err.value.status_code == 403
    assert rows() == before


def other_judge(judges: dict[str, Judge], case: Case) -> Judge:
    return next(judges[k] for k in ("civ1", "civ2", "civ3") if judges[k].pk != case.judge_id)


# ---------------------------------------------------------------- the map


def test_the_map_names_every_action_and_the_auditor_writes_nothing() -> None:
    assert set(PERMISSIONS) == set(Action)
    assert {Action.DRAW} == SYSTEM_ACTIONS
    reads = {Action.READ_REPORTS, Action.READ_EVERY_COURT, Action.READ_RECORDS, Action.VERIFY}
    for action in set(Action) - reads:
        assert Role.AUDITOR not in PERMISSIONS[action], action
    for action in reads:
        assert Role.AUDITOR in PERMISSIONS[action], action
    assert PERMISSIONS[Action.DRAW] == frozenset()  # nobody orders a draw; the system draws


def test_a_check_without_its_object_is_a_programming_error(chair: User) -> None:
    with pytest.raises(TypeError):
        permissions.require(chair, Action.ASSIGN_MANUALLY)
    with pytest.raises(TypeError):
        permissions.require(chair, Action.RECORD_ABSENCE)


# ---------------------------------------------------------------- the chair's exceptions


def test_manual_assignment(
    judges: dict[str, Judge],
    register: Callable[..., Case],
    chair: User,
    appeal_chair: User,
    clerk: User,
    auditor: User,
) -> None:
    case = register()
    target = other_judge(judges, case)

    def assign(actor: Any) -> Callable[[], object]:
        return lambda: services.assign_manually(
            case=case, judge=target, reason="The judge knows the earlier file", actor=actor
        )

    for user in (clerk, auditor, appeal_chair):
        refused(assign(user), "forbidden", CASE_CHAIR_ONLY)
    refused(assign(None), "forbidden", "Log in first.")
    refused(
        assign(SYSTEM),
        "system_not_allowed",
        "This needs a person's decision: the system may not do it by itself.",
    )
    result = assign(chair)()
    assert isinstance(result, services.DistributionResult) and result.judges == [target.pk]


def test_redistribution(
    judges: dict[str, Judge], register: Callable[..., Case], chair: User, appeal_chair: User, clerk: User
) -> None:
    case = register()
    holder = judge_of(case)
    today = timezone.localdate()
    services.record_absence(
        judge=holder,
        kind=AbsenceKind.SECONDMENT,
        starts_on=today,
        ends_on=today + timedelta(days=60),
        actor=chair,
    )

    def redistribute(actor: Any) -> Callable[[], object]:
        return lambda: services.redistribute_case(
            case=case, judge=holder, reason_code="long_absence", reason="Seconded", actor=actor
        )

    refused(redistribute(clerk), "forbidden", CASE_CHAIR_ONLY)
    refused(redistribute(appeal_chair), "forbidden", CASE_CHAIR_ONLY)
    result = redistribute(chair)()
    assert isinstance(result, services.DistributionResult) and result.judges[0] != holder.pk


def test_filing_a_recusal(
    judges: dict[str, Judge], register: Callable[..., Case], clerk: User, auditor: User, appeal_chair: User
) -> None:
    case = register()

    def file(actor: Any) -> Callable[[], object]:
        return lambda: services.file_recusal(
            case=case, judge=judge_of(case), kind=RecusalKind.RECUSAL, grounds="Relative", actor=actor
        )

    refused(file(auditor), "forbidden", ROLE_REFUSED)
    refused(file(appeal_chair), "forbidden", OTHER_COURT)
    assert isinstance(file(clerk)(), Recusal)  # the court office files it for the chair to decide


def test_deciding_a_recusal(
    judges: dict[str, Judge], register: Callable[..., Case], chair: User, clerk: User, appeal_chair: User
) -> None:
    case = register()
    holder = judge_of(case)
    recusal = services.file_recusal(
        case=case, judge=holder, kind=RecusalKind.RECUSAL, grounds="Relative", actor=clerk
    )

    def decide(actor: Any) -> Callable[[], object]:
        return lambda: services.decide_recusal(recusal=recusal, upheld=True, reason="Confirmed", actor=actor)

    refused(decide(clerk), "forbidden", CASE_CHAIR_ONLY)
    refused(decide(appeal_chair), "forbidden", CASE_CHAIR_ONLY)
    recusal.refresh_from_db()
    assert recusal.status == RecusalStatus.PENDING
    result = decide(chair)()
    assert isinstance(result, services.DistributionResult) and result.judges[0] != holder.pk


# ---------------------------------------------------------------- facts: absences, links


def test_recording_and_cancelling_an_absence(
    judges: dict[str, Judge], chair: User, appeal_chair: User, clerk: User, auditor: User, administrator: User
) -> None:
    today = timezone.localdate()

    def record(actor: Any) -> Callable[[], object]:
        return lambda: services.record_absence(
            judge=judges["civ2"], kind=AbsenceKind.LEAVE, starts_on=today, ends_on=today, actor=actor
        )

    for user in (clerk, auditor):
        refused(record(user), "forbidden", ROLE_REFUSED)
    refused(record(appeal_chair), "forbidden", JUDGE_CHAIR_ONLY)
    absence = record(chair)()
    assert isinstance(absence, JudgeAbsence) and absence.created_by == chair
    assert isinstance(record(administrator)(), JudgeAbsence)  # administrators: of any court

    def cancel(actor: Any) -> Callable[[], object]:
        return lambda: services.cancel_absence(absence=absence, reason="Recorded by mistake", actor=actor)

    refused(cancel(auditor), "forbidden", ROLE_REFUSED)
    refused(cancel(appeal_chair), "forbidden", JUDGE_CHAIR_ONLY)
    cancelled = cancel(chair)()
    assert isinstance(cancelled, JudgeAbsence) and cancelled.cancelled_by == chair


def test_linking_cases(
    judges: dict[str, Judge], register: Callable[..., Case], clerk: User, auditor: User, appeal_chair: User
) -> None:
    first, second = register(), register()

    def link(actor: Any) -> Callable[[], object]:
        return lambda: services.link_cases(
            case=second, related=first, relation=CaseRelation.RETRIAL, actor=actor
        )

    refused(link(auditor), "forbidden", ROLE_REFUSED)
    refused(link(appeal_chair), "forbidden", OTHER_COURT)
    assert isinstance(link(clerk)(), CaseLink)


# ---------------------------------------------------------------- the administrators' settings


def test_weights_and_settings_are_the_administrators(
    judges: dict[str, Judge], chair: User, administrator: User
) -> None:
    category = CaseCategory.objects.get(code="civ.divorce")
    refused(
        lambda: services.change_weight(category=category, weight="1.25", reason="Calibration", actor=chair),
        "forbidden",
        "Only an administrator may change the weights of categories.",
    )
    assert CaseCategory.objects.get(pk=category.pk).complexity_weight == Decimal("1.00")
    change = services.change_weight(
        category=category, weight="1.25", reason="Calibration", actor=administrator
    )
    assert change.actor == administrator

    refused(
        lambda: services.new_policy_version(reason="Wider tolerance", actor=chair, tolerance=Decimal("3.00")),
        "forbidden",
        "Only an administrator may change the distribution settings.",
    )
    policy = services.new_policy_version(
        reason="Wider tolerance", actor=administrator, tolerance=Decimal("3.00")
    )
    assert policy.created_by == administrator


def test_new_refusals_are_translated(chair: User) -> None:
    category = CaseCategory.objects.get(code="civ.divorce")
    expected = {
        "ru": "Изменять веса категорий может только администратор.",
        "kk": "Санаттардың салмағын тек әкімші өзгерте алады.",
    }
    for language, message in expected.items():
        with translation.override(language), pytest.raises(PermissionDeniedError) as err:
            services.change_weight(category=category, weight="1.25", reason="x", actor=chair)
        with translation.override(language):
            assert str(err.value.message) == message
    with translation.override("kk"), pytest.raises(PermissionDeniedError) as err:
        services.record_absence(
            judge=Judge.objects.first(),  # type: ignore[arg-type]
            kind=AbsenceKind.LEAVE,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            actor=SYSTEM,  # type: ignore[arg-type]
        )
    with translation.override("kk"):
        assert str(err.value.message) == "Бұл үшін адамның шешімі қажет: жүйе мұны өздігінен жасай алмайды."
    with translation.override("ru"):
        assert str(err.value.message) == "Здесь нужно решение человека: система не может сделать это сама."


# ---------------------------------------------------------------- the draw: the system's


def test_only_the_system_draws(judges: dict[str, Judge], register: Callable[..., Case], chair: User) -> None:
    from torelik.courts.models import Court

    Judge.objects.update(is_active=False)
    case = register()
    assert case.status == "awaiting_distribution"
    Judge.objects.update(is_active=True)
    refused(lambda: services.distribute_case(case=case, actor=chair), "forbidden", ROLE_REFUSED)  # type: ignore[arg-type]
    refused(lambda: services.distribute_pending(actor=chair), "forbidden", ROLE_REFUSED)  # type: ignore[arg-type]
    refused(lambda: services.distribute_cases(case_ids=[case.pk], actor=None), "forbidden", "Log in first.")  # type: ignore[arg-type]
    report = services.distribute_pending(actor=SYSTEM, court_id=Court.objects.get(code="7140").pk)
    assert list(report.assigned) == [case.pk]


# ---------------------------------------------------------------- reads


def test_reads_by_court(
    demo_court: Any, chair: User, appeal_chair: User, clerk: User, auditor: User, administrator: User
) -> None:
    appeal = demo_court.appeal_court
    for user in (chair, clerk, auditor, administrator):
        permissions.require(user, Action.READ_REPORTS, court=demo_court)
    with pytest.raises(PermissionDeniedError):
        permissions.require(appeal_chair, Action.READ_REPORTS, court=demo_court)
    assert permissions.can(auditor, Action.READ_RECORDS, court=appeal)
    assert permissions.can(chair, Action.READ_RECORDS, court=demo_court)
    assert not permissions.can(chair, Action.READ_RECORDS, court=appeal)
    assert not permissions.can(clerk, Action.READ_RECORDS, court=demo_court)
    assert [permissions.can_read_every_court(u) for u in (chair, clerk, auditor, administrator)] == [
        False,
        False,
        True,
        True,
    ]
    assert permissions.can_audit(chair) and not permissions.can_audit(clerk)
    assert permissions.can_use_chair_forms(chair) and not permissions.can_use_chair_forms(administrator)
    with pytest.raises(PermissionDeniedError) as err:
        permissions.require(auditor, Action.USE_CHAIR_FORMS)
    assert err.value.code == "read_only"


# ---------------------------------------------------------------- the API and the pages translate


def test_the_api_and_the_pages_answer_403_with_the_services_words(
    judges: dict[str, Judge], register: Callable[..., Case], chair: User, appeal_chair: User, clerk: User
) -> None:
    today = timezone.localdate().isoformat()
    api = Client(HTTP_ACCEPT_LANGUAGE="ru")
    api.force_login(appeal_chair)
    body = {"judge_id": judges["civ2"].pk, "kind": "leave", "starts_on": today, "ends_on": today}
    answer = api.post("/api/v1/distribution/absences", body, content_type="application/json")
    assert answer.status_code == 403
    assert answer.json() == {
        "code": "forbidden",
        "message": "Это может сделать только председатель суда, в котором работает судья.",
        "field": None,
    }
    case = register()
    api.force_login(clerk)
    manual = api.post(
        "/api/v1/distribution/manual-assignments",
        {"case": case.number, "judge_id": other_judge(judges, case).pk, "reason": "x" * 20},
        content_type="application/json",
    )
    assert manual.status_code == 403
    assert manual.json()["message"] == "Это может сделать только председатель суда, где находится дело."
    assert JudgeAbsence.objects.count() == 0 and not DistributionRecord.objects.filter(kind="manual").exists()

    page = Client(HTTP_ACCEPT_LANGUAGE="kk")
    page.force_login(clerk)
    refused_page = page.get("/distribution/staff/absences/")
    assert refused_page.status_code == 403
    assert "Мұны тек сот төрағасы жасай алады." in refused_page.content.decode()
