"""The automatic draw at registration: eligibility, loads, the record and its chain."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from torelik.cases.models import Case
from torelik.courts.models import Judge
from torelik.distribution import services
from torelik.distribution.models import (
    ZERO_HASH,
    AbsenceKind,
    AlertKind,
    Assignment,
    DistributionAlert,
    DistributionRecord,
    JudgeLoad,
    Ledger,
    RecordOutcome,
)
from torelik.identity.models import User
from torelik.identity.permissions import SYSTEM

pytestmark = pytest.mark.django_db


def snapshot(record: DistributionRecord) -> dict:
    return json.loads(record.snapshot)


def test_registration_assigns_a_civil_judge_and_records_why_others_were_excluded(
    judges: dict[str, Judge], register: Callable[..., Case]
) -> None:
    case = register("civ.divorce")
    case.refresh_from_db()
    civil = {judges[k].pk for k in ("civ1", "civ2", "civ3", "half")}
    assert case.status == "assigned"
    assert case.judge_id in civil
    assert [e.kind for e in case.events.order_by("seq")] == [
        "case.registered",
        "case.awaiting_distribution",
        "case.assigned",
    ]
    record = DistributionRecord.objects.get(case=case)
    assert record.outcome == RecordOutcome.ASSIGNED and record.judge_id == case.judge_id
    snap = snapshot(record)
    assert {c["judge"] for c in snap["candidates"]} == civil
    excluded = {e["judge"]: [r["code"] for r in e["reasons"]] for e in snap["excluded"]}
    assert excluded == {judges["crim"].pk: ["specialisation"]}
    assert snap["policy"]["tolerance"] == "2.20" and snap["formula"].startswith("load = ")
    assert snap["category"]["weight"] == "1.00"
    assert record.judge_id in snap["draw"]["set"]
    assert Assignment.objects.get(case=case, ended_at__isnull=True).judge_id == case.judge_id


def test_an_absent_judge_is_excluded_with_the_absence_on_the_record(
    judges: dict[str, Judge], register: Callable[..., Case], chair: User
) -> None:
    today = timezone.localdate()
    absence = services.record_absence(
        judge=judges["civ2"],
        kind=AbsenceKind.SICK_LEAVE,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=2),
        actor=chair,
    )
    case = register()
    snap = snapshot(DistributionRecord.objects.get(case=case))
    reasons = {e["judge"]: e["reasons"] for e in snap["excluded"]}
    assert reasons[judges["civ2"].pk] == [
        {
            "code": "absent",
            "fact": f"absence:{absence.pk}",
            "kind": "sick_leave",
            "from": absence.starts_on.isoformat(),
            "to": absence.ends_on.isoformat(),
        }
    ]
    assert judges["civ2"].pk not in {c["judge"] for c in snap["candidates"]}


def test_cancelled_absence_no_longer_excludes(
    judges: dict[str, Judge], register: Callable[..., Case], chair: User
) -> None:
    today = timezone.localdate()
    absence = services.record_absence(
        judge=judges["civ2"], kind=AbsenceKind.LEAVE, starts_on=today, ends_on=today, actor=chair
    )
    services.cancel_absence(absence=absence, reason="Leave withdrawn", actor=chair)
    snap = snapshot(DistributionRecord.objects.get(case=register()))
    assert judges["civ2"].pk in {c["judge"] for c in snap["candidates"]}


def test_loads_stay_balanced_and_the_half_time_judge_gets_about_half(
    judges: dict[str, Judge], register: Callable[..., Case]
) -> None:
    for i in range(30):
        register("civ.labour" if i % 3 else "civ.divorce")
    counts = Counter(Case.objects.values_list("judge_id", flat=True))
    full = [counts[judges[k].pk] for k in ("civ1", "civ2", "civ3")]
    assert sum(full) + counts[judges["half"].pk] == 30
    # Projected-load tolerance keeps the spread of normalised loads within the largest weight.
    loads = dict(JudgeLoad.objects.values_list("judge_id", "load_units"))
    # In integer load units (10,000 = weight 1.0): 10.4 − 8.2 is not ≤ 2.2 in floating point.
    normalised = [loads.get(judges[k].pk, 0) for k in ("civ1", "civ2", "civ3")]
    normalised.append(loads.get(judges["half"].pk, 0) * 2)  # a half-time judge counts double
    assert max(normalised) - min(normalised) <= 22_000
    assert counts[judges["half"].pk] < min(full)


def test_records_form_a_hash_chain_per_court(judges: dict[str, Judge], register: Callable[..., Case]) -> None:
    for _ in range(3):
        register()
    records = list(DistributionRecord.objects.order_by("seq"))
    assert [r.seq for r in records] == [1, 2, 3]
    assert records[0].prev_hash == ZERO_HASH
    assert [r.prev_hash for r in records[1:]] == [r.record_hash for r in records[:-1]]
    ledger = Ledger.objects.get()
    assert (ledger.last_seq, ledger.last_hash) == (3, records[-1].record_hash)


def test_no_eligible_judge_leaves_the_case_awaiting_with_an_alert_to_the_chair(
    judges: dict[str, Judge], register: Callable[..., Case]
) -> None:
    case = register("adm.tax")  # nobody in the court holds the administrative specialisation
    case.refresh_from_db()
    assert case.status == "awaiting_distribution" and case.judge_id is None
    record = DistributionRecord.objects.get(case=case)
    assert record.outcome == RecordOutcome.NO_ELIGIBLE_JUDGE and record.judge_id is None
    alert = DistributionAlert.objects.get(case=case)
    assert alert.kind == AlertKind.NO_ELIGIBLE_JUDGE and alert.court_id == case.court_id
    assert alert.resolved_at is None
    assert len(snapshot(record)["excluded"]) == 5


def test_retry_assigns_once_a_judge_becomes_eligible(
    judges: dict[str, Judge], register: Callable[..., Case]
) -> None:
    from torelik.distribution.tests.conftest import make_judge

    case = register("adm.tax")
    judge = make_judge(case.court, "ЖАНОВ Ж. Ж.", ["administrative"])
    report = services.distribute_pending(actor=SYSTEM, court_id=case.court_id)
    assert report.assigned == {case.pk: [judge.pk]} and report.waiting == []
    case.refresh_from_db()
    assert case.status == "assigned" and case.judge_id == judge.pk
    assert DistributionAlert.objects.get(case=case).resolved_at is not None


def test_weight_change_is_audited_and_used(
    judges: dict[str, Judge], register: Callable[..., Case], administrator: User
) -> None:
    from torelik.courts.models import CaseCategory

    category = CaseCategory.objects.get(code="civ.divorce")
    change = services.change_weight(
        category=category, weight="1.25", reason="Calibration 2026", actor=administrator
    )
    assert (change.old_weight, change.new_weight) == (Decimal("1.00"), Decimal("1.25"))
    snap = snapshot(DistributionRecord.objects.get(case=register()))
    assert snap["category"] == {
        "code": "civ.divorce",
        "kind": "civil",
        "instance": "first",
        "weight": "1.25",
        "weight_audit": change.pk,
    }


def test_weight_edited_without_audit_is_not_used_and_alerts(
    judges: dict[str, Judge], register: Callable[..., Case]
) -> None:
    from torelik.courts.models import CaseCategory

    CaseCategory.objects.filter(code="civ.divorce").update(complexity_weight=Decimal("9.00"))
    snap = snapshot(DistributionRecord.objects.get(case=register()))
    assert snap["category"]["weight"] == "1.00"
    assert DistributionAlert.objects.filter(
        kind=AlertKind.WEIGHT_UNAUDITED, resolved_at__isnull=True
    ).exists()


def test_admin_weight_edit_writes_the_audit_entry(db: None, client: object) -> None:
    from django.test import Client

    from torelik.courts.models import CaseCategory
    from torelik.distribution.models import WeightChange
    from torelik.identity.models import User

    admin = User.objects.create_superuser(username="root", password="root-password-1", role="admin")
    assert isinstance(client, Client)
    client.force_login(admin)
    category = CaseCategory.objects.get(code="civ.loan")
    url = f"/admin/distribution/categoryweight/{category.pk}/change/"
    assert client.get(url).status_code == 200
    missing = client.post(url, {"complexity_weight": "1.10", "reason": ""})
    assert missing.status_code == 200  # the reason is required; nothing saved
    assert CaseCategory.objects.get(pk=category.pk).complexity_weight == Decimal("1.00")
    done = client.post(url, {"complexity_weight": "1.10", "reason": "Calibration after the 2026 survey"})
    assert done.status_code == 302
    change = WeightChange.objects.filter(category=category).latest("id")
    assert (change.old_weight, change.new_weight, change.actor_id) == (
        Decimal("1.00"),
        Decimal("1.10"),
        admin.pk,
    )
    assert CaseCategory.objects.get(pk=category.pk).complexity_weight == Decimal("1.10")


def test_an_unexpected_failure_keeps_the_registration_and_alerts(
    judges: dict[str, Judge], register: Callable[..., Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    from torelik.distribution import batch

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("pool unavailable")

    monkeypatch.setattr(batch, "read_facts", broken)
    case = register()
    assert case.status == "awaiting_distribution" and case.pk is not None
    alert = DistributionAlert.objects.get(case=case)
    assert alert.kind == AlertKind.DISTRIBUTION_FAILED and "pool unavailable" in alert.details["message"]
    assert not DistributionRecord.objects.filter(case=case).exists()
    monkeypatch.undo()
    services.distribute_pending(actor=SYSTEM, court_id=case.court_id)
    case.refresh_from_db()
    assert case.status == "assigned"
    alert.refresh_from_db()
    assert alert.resolved_at is not None
