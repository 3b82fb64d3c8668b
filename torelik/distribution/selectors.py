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
from django.utils.translation import gettext as _

from torelik.cases.models import Case
from torelik.cases.permissions import readable_cases
from torelik.courts.models import Court, Judge
from torelik.distribution import engine, rules
from torelik.distribution.models import (
    Assignment,
    CaseLink,
    CaseRelation,
    DaySecret,
    DistributionAlert,
    DistributionRecord,
    JudgeAbsence,
    JudgeLoad,
    RecordKind,
    RecordOutcome,
    Recusal,
    RecusalStatus,
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
    rows = (
        DistributionRecord.objects.filter(case=case).select_related("ledger__court", "judge").order_by("id")
    )
    revealed = _revealed_secrets({r.day for r in rows})
    records = [record_in_full(r, revealed=revealed.get(r.day, "")) for r in rows]
    return {
        "case": case.number,
        "court": case.court.code,
        "category": case.category.code,
        "status": case.status,
        "judge": case.judge.full_name if case.judge else None,
        "seats": seats,
        "records": records,
    }


def _revealed_secrets(days: set[date]) -> dict[date, str]:
    return dict(DaySecret.objects.filter(day__in=days).exclude(secret="").values_list("day", "secret"))


def record_in_full(r: DistributionRecord, *, revealed: str = "", staff: bool = False) -> dict[str, Any]:
    """One record with everything needed to re-check it (needs `ledger__court` and `judge` loaded).

    `staff` adds what only chairs and auditors see: the record's id, the load changes and who acted.
    """
    full = {
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
    if staff:
        full.update(
            id=r.pk,
            case_number=r.case_number,
            kind_label=str(r.get_kind_display()),
            outcome_label=str(r.get_outcome_display()),
            deltas=r.deltas,
            actor_id=r.actor_id,
            actor=r.actor.display_name if r.actor else None,
        )
    return full


# ---------------------------------------------------------------- staff: records, facts, courts

MAX_RECORDS_PAGE = 500


def records_of_period(
    *, court: Court | None, start: date, end: date, offset: int = 0, limit: int = 100
) -> tuple[int, list[dict[str, Any]]]:
    """The records of a period in full (sealed cases included: this is for chairs and auditors),
    of one court or of every court, oldest first: (how many in all, the page asked for)."""
    rows = DistributionRecord.objects.filter(day__gte=start, day__lte=end)
    if court is not None:
        rows = rows.filter(ledger__court=court)
    total = rows.count()
    limit = max(1, min(limit, MAX_RECORDS_PAGE))
    offset = min(max(0, offset), total)
    page = list(
        rows.select_related("ledger__court", "judge", "actor").order_by("id")[offset : offset + limit]
    )
    revealed = _revealed_secrets({r.day for r in page})
    return total, [record_in_full(r, revealed=revealed.get(r.day, ""), staff=True) for r in page]


def record_by_id(*, record_id: int, court: Court | None) -> dict[str, Any]:
    """One record in full; `court` limits the search to that court's chain."""
    rows = DistributionRecord.objects.select_related("ledger__court", "judge", "actor").filter(pk=record_id)
    if court is not None:
        rows = rows.filter(ledger__court=court)
    record = rows.first()
    if record is None:
        raise NotFoundError("not_found", _("No such distribution record."))
    return record_in_full(record, revealed=_revealed_secrets({record.day}).get(record.day, ""), staff=True)


def courts() -> list[Court]:
    return list(Court.objects.order_by("code"))


def court_by_code(code: str) -> Court | None:
    return Court.objects.filter(code=code.strip()).first() if code.strip() else None


def court_judges(*, court: Court, active_only: bool = True) -> list[Judge]:
    judges = Judge.objects.filter(court=court)
    if active_only:
        judges = judges.filter(is_active=True)
    return list(judges.order_by("full_name", "id"))


def judges_holding(*, case: Case) -> list[Judge]:
    """The judges who hold a seat of the case now, by seat."""
    return [
        a.judge
        for a in Assignment.objects.filter(case=case, ended_at__isnull=True)
        .select_related("judge")
        .order_by("seat")
    ]


def absences_of_court(*, court: Court, today: date) -> list[JudgeAbsence]:
    """Absences of the court's judges that have not ended and are not cancelled."""
    return list(
        JudgeAbsence.objects.filter(judge__court=court, cancelled_at__isnull=True, ends_on__gte=today)
        .select_related("judge")
        .order_by("starts_on", "judge__full_name", "id")
    )


def pending_recusals(*, court: Court) -> list[Recusal]:
    return list(
        Recusal.objects.filter(case__court=court, status=RecusalStatus.PENDING)
        .select_related("case", "judge")
        .order_by("created_at", "id")
    )


def judge_obstacles(*, case: Case, judge: Judge, day: date) -> list[str]:
    """Plain-word reasons, known from the recorded facts, why `judge` cannot hear `case` on `day`.

    For the chair's forms, so a refusal names the fact; the service checks every rule again.
    """
    found: list[str] = []
    if not judge.is_active:
        found.append(_("%(judge)s is no longer an active judge") % {"judge": judge.full_name})
    if judge.appointed_on and judge.appointed_on > day:
        found.append(
            _("%(judge)s is appointed only from %(date)s")
            % {"judge": judge.full_name, "date": judge.appointed_on.strftime("%d.%m.%Y")}
        )
    for absence in JudgeAbsence.objects.filter(
        judge=judge, cancelled_at__isnull=True, starts_on__lte=day, ends_on__gte=day
    ):
        found.append(
            _("%(judge)s is absent (%(kind)s, %(start)s – %(end)s)")
            % {
                "judge": judge.full_name,
                "kind": absence.get_kind_display(),
                "start": absence.starts_on.strftime("%d.%m.%Y"),
                "end": absence.ends_on.strftime("%d.%m.%Y"),
            }
        )
    if Recusal.objects.filter(case=case, judge=judge, status=RecusalStatus.UPHELD).exists():
        found.append(_("%(judge)s is recused from this case") % {"judge": judge.full_name})
    return found


def case_for_staff(*, number: str, court: Court | None) -> dict[str, Any]:
    """A case as the chair (of its court) or an auditor sees it: the seats, every record, the recusals."""
    cases = Case.objects.select_related("court", "category")
    if court is not None:
        cases = cases.filter(court=court)
    case = cases.filter(number=number.strip()).first()
    if case is None:
        raise NotFoundError("not_found", _("No case %(number)s is open to you.") % {"number": number.strip()})
    seats = list(
        Assignment.objects.filter(case=case, ended_at__isnull=True).select_related("judge").order_by("seat")
    )
    rows = (
        DistributionRecord.objects.filter(case=case)
        .select_related("ledger__court", "judge", "actor")
        .order_by("id")
    )
    revealed = _revealed_secrets({r.day for r in rows})
    return {
        "case": case,
        "seats": seats,
        "records": [record_in_full(r, revealed=revealed.get(r.day, ""), staff=True) for r in rows],
        "recusals": list(
            Recusal.objects.filter(case=case).select_related("judge").order_by("created_at", "id")
        ),
    }


@dataclass(frozen=True)
class LinkedCase:
    case: Case  # with its court
    readable: bool  # whether the viewer may open it


@dataclass(frozen=True)
class InstanceLinks:
    higher: list[LinkedCase]  # the appeals and cassations that review the case
    lower: list[LinkedCase]  # the case an appellate case reviews


def instance_links(*, case: Case, viewer: Any) -> InstanceLinks:
    """The cases linked to `case` across instances (`CaseLink`, relation "lower instance"), each
    marked with whether `viewer` may read it; two queries."""
    links = list(
        CaseLink.objects.filter(relation=CaseRelation.LOWER_INSTANCE)
        .filter(Q(case=case) | Q(related=case))
        .select_related("case__court", "related__court")
        .order_by("created_at", "id")
    )
    others = {link.case_id if link.related_id == case.pk else link.related_id for link in links}
    readable = (
        set(readable_cases(viewer, Case.objects.filter(pk__in=others)).values_list("pk", flat=True))
        if others
        else set()
    )
    higher = [LinkedCase(link.case, link.case_id in readable) for link in links if link.related_id == case.pk]
    lower = [
        LinkedCase(link.related, link.related_id in readable) for link in links if link.case_id == case.pk
    ]
    return InstanceLinks(higher=higher, lower=lower)
