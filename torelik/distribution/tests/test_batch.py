"""Draws in batches (the backlog) give exactly the records of draws one at a time."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from torelik.cases.models import Case, CaseEvent
from torelik.courts.models import Court, Judge
from torelik.distribution import batch, crypto, days, services
from torelik.distribution.models import (
    AbsenceKind,
    AlertKind,
    Assignment,
    CaseRelation,
    DistributionAlert,
    DistributionRecord,
    JudgeLoad,
    Ledger,
    RecordOutcome,
    RecusalKind,
)
from torelik.distribution.verification import verify
from torelik.identity.permissions import SYSTEM

pytestmark = pytest.mark.django_db


def _state() -> dict[str, Any]:
    """Everything a draw writes, without database ids (the two runs number rows differently)."""
    return {
        "records": [
            (r.case_number, r.seq, r.seat, r.judge_id, r.outcome, r.snapshot, r.record_hash, r.draw_hmac)
            for r in DistributionRecord.objects.order_by("id")
        ],
        "assignments": sorted(
            Assignment.objects.filter(ended_at__isnull=True).values_list(
                "case__number", "seat", "role", "judge_id", "weight_units", "record__record_hash"
            )
        ),
        "loads": sorted(JudgeLoad.objects.values_list("judge_id", "period_start", "load_units", "cases")),
        "ledgers": sorted(Ledger.objects.values_list("court_id", "last_seq", "last_hash")),
        "cases": sorted(Case.objects.values_list("number", "status", "judge_id")),
        "events": sorted(
            CaseEvent.objects.filter(kind="case.assigned").values_list("case__number", "seq", "payload")
        ),
        "open_alerts": DistributionAlert.objects.filter(resolved_at__isnull=True).count(),
    }


def test_a_batch_writes_exactly_what_draws_one_at_a_time_write(
    judges: dict[str, Judge], register: Callable[..., Case], demo_court: Court, chair: Any
) -> None:
    now = timezone.now()
    days.commit_days(now=now - timedelta(days=1))
    # Everyone inactive: the cases are registered and wait (with an alert each).
    Judge.objects.update(is_active=False)
    appeal_court = demo_court.appeal_court
    assert appeal_court is not None
    cases = [register("civ.labour" if i % 3 else "civ.divorce") for i in range(18)]
    cases += [register("crim.general"), register("adm.tax")]  # a criminal judge; nobody for adm.tax
    cases += [register("civ.appeal", court=appeal_court) for _ in range(3)]  # panels of three
    assert {c.status for c in cases} == {"awaiting_distribution"}
    Judge.objects.update(is_active=True)
    # Facts the draws must respect: an absence, an upheld recusal, a lower-instance link.
    services.record_absence(
        judge=judges["civ2"],
        kind=AbsenceKind.LEAVE,
        starts_on=timezone.localdate(now),
        ends_on=timezone.localdate(now) + timedelta(days=3),
        note="Annual leave",
        actor=chair,
    )
    recusal = services.file_recusal(
        case=cases[1],
        judge=judges["civ3"],
        kind=RecusalKind.SELF_RECUSAL,
        grounds="Knows the claimant",
        actor=chair,
    )
    services.decide_recusal(recusal=recusal, upheld=True, reason="Upheld", actor=chair)
    # A retrial drawn in the same batch as the case it retries: the first judge must be excluded
    # although the batch has not written that assignment yet.
    services.link_cases(case=cases[5], related=cases[0], relation=CaseRelation.RETRIAL, actor=chair)
    later = now + timedelta(minutes=5)
    ids = [c.pk for c in cases]

    with transaction.atomic():
        savepoint = transaction.savepoint()
        results = services.distribute_cases(case_ids=ids, actor=SYSTEM, now=later)
        in_batch = _state()
        transaction.savepoint_rollback(savepoint)

    days.forget_cached()
    one_by_one = [services.distribute_case(case=Case(pk=pk), actor=SYSTEM, now=later) for pk in ids]
    assert _state() == in_batch
    # Snapshots are canonical JSON.
    for text in DistributionRecord.objects.values_list("snapshot", flat=True):
        assert text == crypto.canonical_json(json.loads(text))
    assert [r.judges for r in results] == [r.judges for r in one_by_one]
    # The facts held inside the batch.
    first_judge = Case.objects.get(pk=cases[0].pk).judge_id
    retrial = DistributionRecord.objects.get(case=cases[5], created_at=later)
    assert retrial.judge_id != first_judge
    excluded = {
        e["judge"]: [r["code"] for r in e["reasons"]] for e in json.loads(retrial.snapshot)["excluded"]
    }
    assert excluded[first_judge] == ["retrial"]
    assert Case.objects.get(pk=cases[1].pk).judge_id != judges["civ3"].pk
    assert judges["civ2"].pk not in {r.judge_id for r in DistributionRecord.objects.filter(created_at=later)}
    assert Case.objects.get(pk=cases[-4].pk).status == "awaiting_distribution"  # adm.tax: nobody
    assert sum(1 for r in results if r.assigned) == len(cases) - 1
    days.reveal_days(now=later + timedelta(days=1, hours=1))
    report = verify(start=timezone.localdate(now), end=timezone.localdate(later))
    assert report.ok, report.first


def test_the_backlog_runs_in_batches_and_sees_the_loads_of_the_batch_before(
    judges: dict[str, Judge], register: Callable[..., Case]
) -> None:
    Judge.objects.update(is_active=False)
    cases = [register("civ.labour") for _ in range(40)]
    Judge.objects.update(is_active=True)
    report = services.distribute_pending(actor=SYSTEM, batch_size=7)
    assert sorted(report.assigned) == sorted(c.pk for c in cases) and report.waiting == []
    loads = dict(JudgeLoad.objects.values_list("judge_id", "cases"))
    full_time = [loads.get(judges[k].pk, 0) for k in ("civ1", "civ2", "civ3")]
    # 40 cases of weight 1.10 over three full-time judges and a half-time one (= 3.5 judges):
    # every full-time judge gets 11 or 12, the half-time judge about half of that.
    assert max(full_time) - min(full_time) <= 2, loads
    assert 4 <= loads.get(judges["half"].pk, 0) <= 7, loads
    assert not DistributionAlert.objects.filter(resolved_at__isnull=True, case__in=cases).exists()
    days.reveal_days(now=timezone.now() + timedelta(days=1, hours=1))
    assert verify(start=timezone.localdate(), end=timezone.localdate()).ok


def test_a_failing_batch_leaves_nothing_half_written_and_its_cases_are_tried_alone(
    judges: dict[str, Judge], register: Callable[..., Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    Judge.objects.update(is_active=False)
    for _ in range(4):
        register("civ.labour")
    Judge.objects.update(is_active=True)
    records_before = DistributionRecord.objects.count()
    real = batch.append_case_events
    calls: list[int] = []

    def fails_on_a_batch(*, events: list[Any], cases_locked: bool = False) -> Any:
        calls.append(len(events))
        if len(events) > 1:  # after the records and assignments of the batch were inserted
            raise RuntimeError("disk full")
        return real(events=events, cases_locked=cases_locked)

    monkeypatch.setattr(batch, "append_case_events", fails_on_a_batch)
    report = services.distribute_pending(actor=SYSTEM)
    assert calls[0] == 4 and calls[1:] == [1, 1, 1, 1]
    # The failed batch left no record, assignment or load; each case was then drawn on its own.
    assert len(report.assigned) == 4 and report.waiting == []
    assert DistributionRecord.objects.count() == records_before + 4
    assert DistributionRecord.objects.filter(outcome=RecordOutcome.ASSIGNED).count() == 4
    assert sum(JudgeLoad.objects.values_list("cases", flat=True)) == 4
    assert CaseEvent.objects.filter(kind="case.assigned").count() == 4


def test_an_unexpected_failure_in_the_backlog_is_alerted_per_case(
    judges: dict[str, Judge], register: Callable[..., Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    Judge.objects.update(is_active=False)
    case = register("civ.labour")
    Judge.objects.update(is_active=True)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("pool unavailable")

    monkeypatch.setattr(batch, "read_facts", broken)
    report = services.distribute_pending(actor=SYSTEM)
    assert report.assigned == {} and report.waiting == [case.pk]
    services.distribute_pending(
        actor=SYSTEM
    )  # every retry fails again: still one open alert, brought up to date
    alert = DistributionAlert.objects.get(case=case, kind=AlertKind.DISTRIBUTION_FAILED)
    assert alert.resolved_at is None and "pool unavailable" in alert.details["message"]
    assert Case.objects.get(pk=case.pk).status == "awaiting_distribution"
