"""Redistribution, the chair's manual exception, appeal panels and the national pool."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from torelik.cases.models import Case
from torelik.courts.models import Court, CourtLevel, Judge
from torelik.distribution import services
from torelik.distribution.models import (
    AbsenceKind,
    Assignment,
    DistributionRecord,
    RecordKind,
    RecusalKind,
    SeatRole,
)
from torelik.distribution.tests.conftest import judge_of, make_judge
from torelik.distribution.verification import verify
from torelik.identity.permissions import SYSTEM
from torelik.kernel.errors import ConflictError, DomainError, PermissionDeniedError

pytestmark = pytest.mark.django_db


def reasons_of(record: DistributionRecord, judge: Judge) -> list[str]:
    snap = json.loads(record.snapshot)
    return [r["code"] for e in snap["excluded"] if e["judge"] == judge.pk for r in e["reasons"]]


def test_upheld_recusal_redraws_without_the_judge(
    judges: dict[str, Judge], register: Callable[..., Case], chair: Any
) -> None:
    case = register()
    first = judge_of(case)
    recusal = services.file_recusal(
        case=case, judge=first, kind=RecusalKind.RECUSAL, grounds="Relative", actor=chair
    )
    result = services.decide_recusal(
        recusal=recusal, upheld=True, reason="Relative of the defendant", actor=chair
    )
    assert result is not None and result.judges and result.judges[0] != first.pk
    case.refresh_from_db()
    assert case.judge_id == result.judges[0]
    record = result.records[0]
    assert record.kind == RecordKind.REDISTRIBUTION and record.previous_judge_id == first.pk
    assert record.reason_code == "recusal_upheld"
    assert set(reasons_of(record, first)) == {"recused", "replaced"}
    assert Assignment.objects.get(case=case, judge=first).ended_by_record == record
    assert [e.kind for e in case.events.order_by("seq")][-1] == "case.redistributed"


def test_rejected_recusal_changes_nothing(
    judges: dict[str, Judge], register: Callable[..., Case], chair: Any
) -> None:
    case = register()
    judge = judge_of(case)
    recusal = services.file_recusal(
        case=case, judge=judge, kind=RecusalKind.SELF_RECUSAL, grounds="x", actor=chair
    )
    assert services.decide_recusal(recusal=recusal, upheld=False, reason="No grounds", actor=chair) is None
    assert DistributionRecord.objects.filter(case=case).count() == 1


def test_long_absence_redistribution_needs_the_recorded_absence(
    judges: dict[str, Judge], register: Callable[..., Case], chair: Any
) -> None:
    case = register()
    judge = judge_of(case)
    with pytest.raises(ConflictError):
        services.redistribute_case(
            case=case, judge=judge, reason_code="long_absence", reason="Leave", actor=chair
        )
    today = timezone.localdate()
    services.record_absence(
        judge=judge,
        kind=AbsenceKind.SECONDMENT,
        starts_on=today,
        ends_on=today + timedelta(days=60),
        actor=chair,
    )
    result = services.redistribute_case(
        case=case, judge=judge, reason_code="long_absence", reason="Seconded for two months", actor=chair
    )
    assert result.judges[0] != judge.pk
    assert set(reasons_of(result.records[0], judge)) == {"absent", "replaced"}


def test_only_the_chair_of_the_court_redistributes(
    judges: dict[str, Judge], register: Callable[..., Case], clerk: Any
) -> None:
    case = register()
    with pytest.raises(PermissionDeniedError):
        services.redistribute_case(
            case=case,
            judge=judge_of(case),
            reason_code="judge_left",
            reason="x",
            actor=clerk,
        )


def test_manual_assignment_needs_a_reason_and_respects_exclusions(
    judges: dict[str, Judge], register: Callable[..., Case], chair: Any
) -> None:
    case = register()
    target = next(judges[k] for k in ("civ1", "civ2", "civ3") if judges[k].pk != case.judge_id)
    with pytest.raises(DomainError) as missing:
        services.assign_manually(case=case, judge=target, reason="  ", actor=chair)
    assert missing.value.field == "reason"
    today = timezone.localdate()
    services.record_absence(
        judge=target, kind=AbsenceKind.TRAINING, starts_on=today, ends_on=today, actor=chair
    )
    with pytest.raises(ConflictError) as excluded, translation.override("ru"):
        services.assign_manually(case=case, judge=target, reason="Urgent hearing needed", actor=chair)
    # The chair reads why, in words of the language, with the absence's dates.
    message = str(excluded.value.message)
    assert message.startswith("Судья не может рассматривать это дело:") and "absent" not in message
    assert today.isoformat() in message and excluded.value.field == "judge"
    other = next(
        judges[k] for k in ("civ1", "civ2", "civ3", "half") if judges[k].pk not in {case.judge_id, target.pk}
    )
    result = services.assign_manually(
        case=case, judge=other, reason="Urgent hearing needed today", actor=chair
    )
    record = result.records[0]
    assert record.kind == RecordKind.MANUAL and record.reason == "Urgent hearing needed today"
    assert record.actor_id == chair.pk
    case.refresh_from_db()
    assert case.judge_id == other.pk
    # A manual record is on the chain and passes verification (nothing to recompute but the chain).
    from torelik.distribution import days

    days.reveal_days(now=timezone.now() + timedelta(days=1, hours=1))
    assert verify(start=today, end=today).ok


def test_appeal_panel_draws_reporting_judge_then_members_excluding_the_lower_instance_judge(
    judges: dict[str, Judge], register: Callable[..., Case], demo_court: Court
) -> None:
    lower = register()
    appeal_court = demo_court.appeal_court
    assert appeal_court is not None
    from torelik.distribution.models import CaseLink, CaseRelation

    appeal = register("civ.appeal", court=appeal_court, lower_instance=lower)
    appeal.refresh_from_db()
    assert CaseLink.objects.filter(case=appeal, related=lower, relation=CaseRelation.LOWER_INSTANCE).exists()
    records = list(DistributionRecord.objects.filter(case=appeal).order_by("seat"))
    assert [(r.seat, r.role) for r in records] == [
        (1, SeatRole.REPORTING),
        (2, SeatRole.MEMBER),
        (3, SeatRole.MEMBER),
    ]
    panel = [r.judge_id for r in records]
    assert len(set(panel)) == 3 and appeal.judge_id == panel[0]
    assert all(Judge.objects.get(pk=int(j or 0)).court_id == appeal_court.pk for j in panel)
    # Members carry part of the weight; the second seat excludes the reporting judge as "on_panel".
    assert json.loads(records[1].snapshot)["load_delta"] == "0.7500"
    assert "on_panel" in reasons_of(records[1], Judge.objects.get(pk=int(panel[0] or 0)))


def test_lower_instance_judge_is_excluded(judges: dict[str, Judge], register: Callable[..., Case]) -> None:
    lower = register()
    judge = judge_of(lower)
    retrial = register(lower_instance=lower, relation="retrial")
    record = DistributionRecord.objects.get(case=retrial)
    assert reasons_of(record, judge) == ["retrial"]


def test_related_case_of_the_same_parties_when_the_rules_say_so(
    judges: dict[str, Judge], register: Callable[..., Case], administrator: Any
) -> None:
    parties = [("900101300001", "plaintiff"), ("910202300002", "defendant")]
    first = register(parties=parties)
    services.new_policy_version(
        reason="Family cases stay apart", actor=administrator, related_case_categories=["civ.divorce"]
    )
    second = register(parties=parties)
    judge = judge_of(first)
    assert reasons_of(DistributionRecord.objects.get(case=second), judge) == ["related_case"]
    assert Case.objects.get(pk=second.pk).judge_id != judge.pk


def test_virtual_jurisdiction_draws_over_the_national_pool(
    judges: dict[str, Judge], register: Callable[..., Case], demo_court: Court, citizen: Any
) -> None:
    from torelik.efiling.models import Submission

    far = Court.objects.create(
        code="1910", level=CourtLevel.DISTRICT, name_kk="К", name_ru="К", name_en="Far district court"
    )
    remote = make_judge(far, "ЗАРУБИН З. З.", ["civil"])
    appeal_judge = judges["app0"]
    submission = Submission.objects.create(
        filer=citizen,
        type_key="claim",
        court=demo_court,
        title="t",
        text="t",
        virtual_jurisdiction_consent=True,
    )
    case = register("civ.divorce")
    Case.objects.filter(pk=case.pk).update(submission=submission, status="awaiting_distribution", judge=None)
    Assignment.objects.filter(case=case).update(ended_at=timezone.now())
    result = services.distribute_case(case=Case.objects.get(pk=case.pk), actor=SYSTEM)
    snap = json.loads(result.records[0].snapshot)
    assert snap["pool"]["scope"] == "national"
    candidates = {c["judge"] for c in snap["candidates"]}
    assert remote.pk in candidates and appeal_judge.pk not in candidates
    assert judges["crim"].pk not in candidates
