"""Reads of the distribution app: reports for the chairs, the public draw report, the commitments."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from torelik.cases.models import Case
from torelik.courts.models import Court, Judge
from torelik.distribution import engine, rules
from torelik.distribution.models import (
    Assignment,
    DaySecret,
    DistributionAlert,
    DistributionRecord,
    JudgeAbsence,
    JudgeLoad,
    RecordKind,
    RecordOutcome,
    ServiceKey,
)
from torelik.kernel.errors import NotFoundError


@dataclass(frozen=True)
class JudgeLoadRow:
    judge_id: int
    name: str
    share: Decimal
    specialisations: tuple[str, ...]
    cases: int
    assigned: Decimal
    available_days: int
    normalised: Decimal | None


@dataclass(frozen=True)
class PoolFairness:
    specialisation: str
    judges: int
    min_load: Decimal
    max_load: Decimal
    spread: Decimal
    gini: float


def load_report(*, court: Court, day: date | None = None) -> tuple[rules.Period, list[JudgeLoadRow]]:
    """Every judge of the court with their load in the period that contains `day`."""
    day = day or timezone.localdate()
    policy = engine.current_policy()
    period = rules.period_of(day, policy.period)
    elapsed = period.elapsed_days(day)
    judges = list(Judge.objects.filter(court=court, is_active=True).prefetch_related("specialisations"))
    loads = {
        row.judge_id: row for row in JudgeLoad.objects.filter(judge__in=judges, period_start=period.start)
    }
    absences: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for jid, starts_on, ends_on in JudgeAbsence.objects.filter(
        judge__in=judges, cancelled_at__isnull=True, starts_on__lte=day, ends_on__gte=period.start
    ).values_list("judge_id", "starts_on", "ends_on"):
        absences[jid].append((starts_on, ends_on))
    rows: list[JudgeLoadRow] = []
    for judge in judges:
        load = loads.get(judge.pk)
        units = load.load_units if load else 0
        available = rules.available_days(
            period_start=period.start, day=day, appointed_on=judge.appointed_on, absences=absences[judge.pk]
        )
        share = Decimal(judge.workload_share)
        normalised = (
            rules.normalised(units, share, elapsed, available) if available > 0 and share > 0 else None
        )
        rows.append(
            JudgeLoadRow(
                judge_id=judge.pk,
                name=judge.full_name,
                share=share,
                specialisations=tuple(sorted(s.code for s in judge.specialisations.all())),
                cases=load.cases if load else 0,
                assigned=Decimal(units) / rules.UNITS,
                available_days=available,
                normalised=normalised,
            )
        )
    return period, rows


def fairness(rows: list[JudgeLoadRow]) -> list[PoolFairness]:
    """Max − min normalised load and the Gini coefficient per pool (judges sharing a specialisation)."""
    pools: dict[str, list[Decimal]] = defaultdict(list)
    for row in rows:
        if row.normalised is None:
            continue
        for spec in row.specialisations:
            pools[spec].append(row.normalised)
    return [
        PoolFairness(
            specialisation=spec,
            judges=len(values),
            min_load=min(values),
            max_load=max(values),
            spread=max(values) - min(values),
            gini=round(rules.gini(values), 4),
        )
        for spec, values in sorted(pools.items())
    ]


def draw_summary(*, court: Court, start: date, end: date) -> dict[str, Any]:
    """Draws, redistributions and manual exceptions with their reasons, for one court and period."""
    records = DistributionRecord.objects.filter(ledger__court=court, day__gte=start, day__lte=end)
    counts = records.aggregate(
        draws=Count("id", filter=Q(kind=RecordKind.DRAW, outcome=RecordOutcome.ASSIGNED)),
        no_eligible=Count("id", filter=Q(outcome=RecordOutcome.NO_ELIGIBLE_JUDGE)),
        redistributions=Count("id", filter=Q(kind=RecordKind.REDISTRIBUTION, outcome=RecordOutcome.ASSIGNED)),
        manual=Count("id", filter=Q(kind=RecordKind.MANUAL)),
    )
    exceptions = [
        {
            "case": r.case_number,
            "kind": r.kind,
            "kind_label": str(r.get_kind_display()),
            "day": r.day.isoformat(),
            "judge": r.judge.full_name if r.judge else "",
            "previous_judge": r.previous_judge.full_name if r.previous_judge else "",
            "reason_code": r.reason_code,
            "reason": r.reason,
            "actor": r.actor.display_name if r.actor else "",
        }
        for r in records.filter(kind__in=[RecordKind.REDISTRIBUTION, RecordKind.MANUAL])
        .select_related("judge", "previous_judge", "actor")
        .order_by("id")
    ]
    return {**counts, "exceptions": exceptions}


def open_alerts(*, court: Court | None) -> list[DistributionAlert]:
    alerts = DistributionAlert.objects.filter(resolved_at__isnull=True).select_related("case", "category")
    if court is not None:
        alerts = alerts.filter(Q(court=court) | Q(court__isnull=True))
    return list(alerts.order_by("-created_at")[:200])


def commitments(*, limit: int = 60) -> list[DaySecret]:
    return list(DaySecret.objects.order_by("-day")[:limit])


def public_keys() -> list[ServiceKey]:
    return list(ServiceKey.objects.order_by("created_at"))


def public_case_report(*, number: str) -> dict[str, Any]:
    """For a case number: the judges holding it and every distribution record of it, in full."""
    case = Case.objects.select_related("court", "category", "judge").filter(number=number.strip()).first()
    if case is None or case.is_sealed:
        raise NotFoundError("not_found", "No case with this number.", field="number")
    seats = [
        {"seat": a.seat, "role": a.role, "judge": a.judge.full_name, "judge_id": a.judge_id}
        for a in Assignment.objects.filter(case=case, ended_at__isnull=True)
        .select_related("judge")
        .order_by("seat")
    ]
    records = []
    for r in (
        DistributionRecord.objects.filter(case=case).select_related("ledger__court", "judge").order_by("id")
    ):
        revealed = DaySecret.objects.filter(day=r.day).values_list("secret", flat=True).first() or ""
        records.append(
            {
                "court": r.ledger.court.code,
                "seq": r.seq,
                "kind": r.kind,
                "outcome": r.outcome,
                "seat": r.seat,
                "role": r.role,
                "created_at": r.created_at.isoformat(),
                "day": r.day.isoformat(),
                "algorithm": r.algorithm,
                "policy_version": r.policy_version,
                "judge": r.judge.full_name if r.judge else None,
                "judge_id": r.judge_id,
                "previous_judge_id": r.previous_judge_id,
                "reason_code": r.reason_code,
                "reason": r.reason,
                "commitment": r.commitment,
                "commitment_late": r.commitment_late,
                "revealed_secret": revealed or None,
                "draw_hmac": r.draw_hmac,
                "draw_index": r.draw_index,
                "snapshot_sha256": r.snapshot_sha256,
                "prev_hash": r.prev_hash,
                "record_hash": r.record_hash,
                "snapshot": json.loads(r.snapshot),
            }
        )
    return {
        "case": case.number,
        "court": case.court.code,
        "category": case.category.code,
        "status": case.status,
        "judge": case.judge.full_name if case.judge else None,
        "seats": seats,
        "records": records,
    }
