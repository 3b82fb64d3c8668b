"""Writes of the distribution app: draws, redistributions, manual assignments and the facts they use.

Every function that assigns a judge holds, until its transaction ends, the row locks of the
ledgers of every court whose judges are in the pool (`engine.lock_ledgers`, in court order). Loads
are read only after those locks are taken, so two draws that share a judge are serialised and
never read the same load. On SQLite the whole database is locked by the write transaction anyway.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torelik.cases.models import Case, CaseStatus
from torelik.cases.services import NewCaseEvent, append_case_event, record_assignment
from torelik.courts.models import CaseCategory, Judge
from torelik.distribution import batch, days, engine, rules, wording
from torelik.distribution.events import CASE_ASSIGNED, CASE_ASSIGNED_MANUALLY, CASE_REDISTRIBUTED
from torelik.distribution.models import (
    AbsenceKind,
    AlertKind,
    Assignment,
    CaseLink,
    CaseRelation,
    DistributionAlert,
    DistributionPolicy,
    DistributionRecord,
    JudgeAbsence,
    RecordKind,
    RecordOutcome,
    Recusal,
    RecusalKind,
    RecusalStatus,
    WeightChange,
)
from torelik.distribution.permissions import Action, require
from torelik.identity.models import User
from torelik.identity.permissions import System
from torelik.kernel import sql
from torelik.kernel.errors import ConflictError, DomainError

logger = logging.getLogger(__name__)


class RedistributionReason:
    RECUSAL_UPHELD = "recusal_upheld"
    LONG_ABSENCE = "long_absence"
    JUDGE_LEFT = "judge_left"
    ALL = (RECUSAL_UPHELD, LONG_ABSENCE, JUDGE_LEFT)


@dataclass
class DistributionResult:
    case: Case
    records: list[DistributionRecord] = field(default_factory=list)
    judges: list[int] = field(default_factory=list)
    alert: DistributionAlert | None = None

    @property
    def assigned(self) -> bool:
        return bool(self.judges)


# ---------------------------------------------------------------- the automatic draw


def distribute_registered_case(
    *,
    case: Case,
    actor: User | None = None,
    lower_instance: Case | None = None,
    relation: str = CaseRelation.LOWER_INSTANCE,
) -> DistributionResult:
    """The first draw of a case just registered, in the registration's transaction (efiling's
    intake calls it after `cases.register_case`).

    `lower_instance`: the case an appeal or cassation (or a retrial, with `relation`) reviews; it
    is linked before the draw, so the judges who heard it are excluded from the very first draw.

    It never raises: a case with no eligible judge stays awaiting distribution with an alert to
    the chair; an unexpected failure is rolled back to a savepoint, logged and alerted, and the
    registration itself still stands (nothing the filer sent is lost).
    """
    now = timezone.now()
    if lower_instance is not None:
        CaseLink.objects.get_or_create(
            case=case,
            related=lower_instance,
            relation=relation,
            defaults={"created_at": now, "created_by": actor},
        )
    return _distribute_or_alert(case=case, actor=actor, now=now, first_attempt=True)


def _distribute_or_alert(
    *, case: Case, actor: User | None, now: datetime, first_attempt: bool
) -> DistributionResult:
    try:
        with transaction.atomic():
            return _distribute_one(case=case, actor=actor, now=now, first_attempt=first_attempt)
    except Exception as exc:
        logger.exception("distribution of case %s failed", case.number)
        details = {"error": type(exc).__name__, "message": str(exc)[:500]}
        # One open alert per case, brought up to date by every retry that fails again.
        alert = DistributionAlert.objects.filter(
            case=case, kind=AlertKind.DISTRIBUTION_FAILED, resolved_at__isnull=True
        ).first()
        if alert is None:
            alert = DistributionAlert.objects.create(
                kind=AlertKind.DISTRIBUTION_FAILED,
                court_id=case.court_id,
                case=case,
                category_id=case.category_id,
                details=details,
                created_at=now,
                last_checked_at=now,
            )
        else:
            alert.details, alert.last_checked_at = details, now
            alert.save(update_fields=["details", "last_checked_at"])
        return DistributionResult(case=case, alert=alert)


# The draw is the system's act, never a person's: `distribute_case`, `distribute_cases` and
# `distribute_pending` take `actor=SYSTEM` (the backlog job, the benchmark, tests). At registration
# `distribute_registered_case` draws inside the registration, which its caller has authorised; the
# registering user is only recorded (links, a record with no eligible judge), as before.


@transaction.atomic
def distribute_case(
    *, case: Case, actor: System, now: datetime | None = None, first_attempt: bool = False
) -> DistributionResult:
    """Draws the judge (or the panel) of a case awaiting distribution; idempotent.

    `first_attempt` (registration) skips looking for earlier alerts of the case: there are none.
    """
    require(actor, Action.DRAW)
    return _distribute_one(case=case, actor=None, now=now, first_attempt=first_attempt)


def _distribute_one(
    *, case: Case, actor: User | None, now: datetime | None, first_attempt: bool
) -> DistributionResult:
    results = _distribute_cases(case_ids=[case.pk], actor=actor, now=now, first_attempt=first_attempt)
    if not results:
        raise Case.DoesNotExist("Case matching query does not exist.")
    return results[0]


@transaction.atomic
def distribute_cases(
    *,
    case_ids: list[int],
    actor: System,
    now: datetime | None = None,
    first_attempt: bool = False,
) -> list[DistributionResult]:
    """Draws, one by one in the order given, the judges of those of the cases awaiting distribution,
    in one transaction (see `batch`); the others are returned untouched. Idempotent."""
    require(actor, Action.DRAW)
    return _distribute_cases(case_ids=case_ids, actor=None, now=now, first_attempt=first_attempt)


@transaction.atomic
def _distribute_cases(
    *, case_ids: list[int], actor: User | None, now: datetime | None, first_attempt: bool
) -> list[DistributionResult]:
    """`distribute_cases` with `actor` the user recorded as the author (None: the system)."""
    now = now or timezone.now()
    days.housekeeping(now=now)
    order = list(dict.fromkeys(case_ids))
    locked = {c.pk: c for c in engine.lock_cases(sorted(order))}
    cases = [locked[pk] for pk in order if pk in locked]
    results = {c.pk: DistributionResult(case=c) for c in cases}
    # A case awaiting distribution holds no seat (every assignment sets the status), so the status
    # alone makes the draw idempotent.
    waiting = [c for c in cases if c.status == CaseStatus.AWAITING_DISTRIBUTION]
    if waiting:
        facts = batch.read_facts(waiting, now=now)
        secret = days.secret_for_draw(now=now)
        pending = batch.PendingWrites()
        for case in waiting:
            results[case.pk] = _draw(facts, pending, case, secret=secret, actor=actor)
        pending.flush(facts.ledgers)
        assigned = [c.pk for c in waiting if results[c.pk].assigned]
        if assigned and not first_attempt:
            _resolve_alerts(assigned, now=now)
    return [results[c.pk] for c in cases]


def _draw(
    facts: batch.Facts,
    pending: batch.PendingWrites,
    case: Case,
    *,
    secret: days.SecretInUse,
    actor: User | None,
) -> DistributionResult:
    ctx = facts.context(case)
    drafts: list[engine.Draft] = []
    seated: set[int] = set()
    for seat in range(1, ctx.seats + 1):
        snap = engine.seat_snapshot(ctx, seat=seat, seated=seated)
        if not snap.eligible:
            pending.flush(facts.ledgers)  # the chain stays in the order of the draws
            return _no_eligible_judge(ctx, snap, seat=seat, kind=RecordKind.DRAW, actor=actor)
        draft = engine.draw_from(ctx, snap, seat=seat, secret=secret)
        drafts.append(draft)
        assert draft.judge_id is not None
        seated.add(draft.judge_id)
    result = DistributionResult(case=case)
    for draft in drafts:
        record = _append(ctx, draft, pending=pending)
        result.records.append(record)
        assert draft.judge_id is not None
        result.judges.append(draft.judge_id)
    # `cases.services.record_assignments` writes it when the batch is flushed; the case object
    # reads as it will then be.
    case.judge_id = result.judges[0]
    case.status = CaseStatus.ASSIGNED
    pending.case_judges[case.pk] = result.judges[0]
    facts.seated[case.pk].update(result.judges)
    pending.events.append(
        NewCaseEvent(
            case_id=case.pk,
            kind=CASE_ASSIGNED,
            actor=None,
            occurred_at=ctx.now,
            payload={
                "judges": result.judges,
                "records": [r.record_hash for r in result.records],
                "kind": RecordKind.DRAW,
            },
        )
    )
    return result


# Cases per transaction when the backlog is distributed: large enough that the statements of a
# batch cost little per draw, small enough that the ledger locks are not held for long.
PENDING_BATCH = 1000


@dataclass
class BacklogReport:
    """What `distribute_pending` did: the cases assigned and those still waiting (no eligible judge,
    or a failure that was alerted). Only ids, so a large backlog does not fill the memory."""

    assigned: dict[int, list[int]] = field(default_factory=dict)  # case id -> judges, seat order
    waiting: list[int] = field(default_factory=list)

    @property
    def tried(self) -> int:
        return len(self.assigned) + len(self.waiting)

    def add(self, result: DistributionResult) -> None:
        if result.assigned:
            self.assigned[result.case.pk] = list(result.judges)
        elif result.case.status == CaseStatus.AWAITING_DISTRIBUTION:
            self.waiting.append(result.case.pk)


def distribute_pending(
    *,
    actor: System,
    court_id: int | None = None,
    now: datetime | None = None,
    batch_size: int = PENDING_BATCH,
) -> BacklogReport:
    """Draws every case still awaiting distribution (after a judge became available, or a backlog),
    oldest first, `batch_size` cases per transaction. A batch that fails is rolled back and its
    cases are tried one by one, each failure alerted as at registration."""
    require(actor, Action.DRAW)
    cases = Case.objects.filter(status=CaseStatus.AWAITING_DISTRIBUTION).order_by("registered_at", "id")
    if court_id is not None:
        cases = cases.filter(court_id=court_id)
    ids = list(cases.values_list("pk", flat=True))
    report = BacklogReport()
    for start in range(0, len(ids), max(1, batch_size)):
        chunk = ids[start : start + max(1, batch_size)]
        at = now or timezone.now()
        try:
            for result in distribute_cases(case_ids=chunk, actor=actor, now=at):
                report.add(result)
        except Exception:
            logger.exception("a batch of %s draws failed; drawing its cases one by one", len(chunk))
            for case in Case.objects.filter(pk__in=chunk).order_by("registered_at", "id"):
                report.add(_distribute_or_alert(case=case, actor=None, now=at, first_attempt=False))
    return report


# ---------------------------------------------------------------- redistribution and manual assignment


@transaction.atomic
def redistribute_case(
    *,
    case: Case,
    judge: Judge,
    reason_code: str,
    reason: str,
    actor: User,
    now: datetime | None = None,
) -> DistributionResult:
    """A new draw for the seat of `judge`, excluding that judge, for a recorded reason."""
    require(actor, Action.REDISTRIBUTE, case=case)
    now = now or timezone.now()
    if reason_code not in RedistributionReason.ALL:
        raise DomainError(
            "invalid_reason", _("Choose the reason for the redistribution."), field="reason_code"
        )
    case = engine.lock_case(case.pk)
    seats = engine.open_assignments(case)
    current = next((a for a in seats.values() if a.judge_id == judge.pk), None)
    if current is None:
        raise ConflictError("not_assigned", _("This judge does not hold the case."), field="judge")
    fact = _redistribution_fact(case=case, judge=judge, reason_code=reason_code, now=now)
    days.housekeeping(now=now)
    ctx = engine.build_context(case=case, now=now)
    ctx.extra[judge.pk] = [{"code": "replaced", "reason": reason_code, "fact": fact}]
    ctx.ledgers = engine.lock_ledgers({case.court_id, judge.court_id} | {j.court_id for j in ctx.judges})
    seated = {a.judge_id for s, a in seats.items() if s != current.seat}
    replacing = {"judge": judge.pk, "seat": current.seat, "reason": reason_code, "fact": fact}
    snap = engine.seat_snapshot(ctx, seat=current.seat, seated=seated, replacing=replacing)
    if not snap.eligible:
        return _no_eligible_judge(
            ctx, snap, seat=current.seat, kind=RecordKind.REDISTRIBUTION, actor=actor, previous=judge.pk
        )
    draft = engine.draw_from(ctx, snap, seat=current.seat, secret=days.secret_for_draw(now=now))
    draft.kind = RecordKind.REDISTRIBUTION
    draft.previous_judge_id = judge.pk
    draft.reason_code = reason_code
    draft.reason = reason or reason_code
    draft.actor_id = actor.pk
    draft.deltas.insert(
        0, [judge.pk, current.period_start.isoformat(), rules.units_str(-current.weight_units)]
    )
    record = _append(ctx, draft, replaces=current)
    engine.save_ledger(ctx)
    assert draft.judge_id is not None
    if current.seat == 1:
        record_assignment(case=case, judge_id=draft.judge_id)
    append_case_event(
        case=case,
        kind=CASE_REDISTRIBUTED,
        actor=actor,
        occurred_at=now,
        payload={
            "from": judge.pk,
            "to": draft.judge_id,
            "seat": current.seat,
            "reason_code": reason_code,
            "reason": draft.reason,
            "record": record.record_hash,
        },
    )
    return DistributionResult(case=case, records=[record], judges=[draft.judge_id])


@transaction.atomic
def assign_manually(
    *,
    case: Case,
    judge: Judge,
    reason: str,
    actor: User,
    seat: int = 1,
    now: datetime | None = None,
) -> DistributionResult:
    """The chair's exception: assigns `judge` to the seat, with a mandatory reason, on the record.

    The facts that exclude a judge from a draw (absence, recusal, the lower instance, ...) also
    bar a manual assignment; only the load and the draw are set aside.
    """
    require(actor, Action.ASSIGN_MANUALLY, case=case)
    now = now or timezone.now()
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise DomainError(
            "reason_required",
            _("Give the reason for the manual assignment (at least 10 characters)."),
            field="reason",
        )
    case = engine.lock_case(case.pk)
    ctx = engine.build_context(case=case, now=now)
    if seat < 1 or seat > ctx.seats:
        raise DomainError("invalid_seat", _("This case has no such seat."), field="seat")
    info = ctx.judge(judge.pk)
    if info is None:
        raise DomainError("not_in_pool", _("The judge is not in the pool of this case."), field="judge")
    seats = engine.open_assignments(case)
    current = seats.get(seat)
    seated = {a.judge_id for s, a in seats.items() if s != seat}
    hard = [r for r in engine.reasons_for(ctx, info, seated=seated) if r["code"] in engine.HARD_REASONS]
    if hard:
        words = "; ".join(dict.fromkeys(wording.exclusion_reason(r, spec_names={}) for r in hard))
        raise ConflictError(
            "judge_excluded",
            _("The judge cannot hear this case: %(reasons)s.") % {"reasons": words},
            field="judge",
        )
    ctx.ledgers = engine.lock_ledgers({case.court_id, judge.court_id} | {j.court_id for j in ctx.judges})
    snap = engine.seat_snapshot(ctx, seat=seat, seated=seated)
    snap.data["manual"] = {"judge": judge.pk, "reason": reason, "actor": actor.pk}
    units = engine.delta_units(ctx, seat)
    draft = engine.Draft(
        kind=RecordKind.MANUAL,
        outcome=RecordOutcome.ASSIGNED,
        seat=seat,
        role=engine.role_for(seat, ctx.seats),
        snapshot=snap.data,
        judge_id=judge.pk,
        previous_judge_id=current.judge_id if current else None,
        reason_code="manual",
        reason=reason,
        actor_id=actor.pk,
        deltas=[[judge.pk, ctx.period.start.isoformat(), rules.units_str(units)]],
    )
    if current is not None:
        draft.deltas.insert(
            0, [current.judge_id, current.period_start.isoformat(), rules.units_str(-current.weight_units)]
        )
    record = _append(ctx, draft, replaces=current)
    engine.save_ledger(ctx)
    if seat == 1:
        record_assignment(case=case, judge_id=judge.pk)
    _resolve_alerts([case.pk], now=now)
    append_case_event(
        case=case,
        kind=CASE_ASSIGNED_MANUALLY,
        actor=actor,
        occurred_at=now,
        payload={"judge": judge.pk, "seat": seat, "reason": reason, "record": record.record_hash},
    )
    return DistributionResult(case=case, records=[record], judges=[judge.pk])


# ---------------------------------------------------------------- facts: absences, recusals, links, weights


@transaction.atomic
def record_absence(
    *, judge: Judge, kind: str, starts_on: date, ends_on: date, note: str = "", actor: User
) -> JudgeAbsence:
    require(actor, Action.RECORD_ABSENCE, judge=judge)
    if kind not in AbsenceKind.values:
        raise DomainError("invalid_kind", _("Choose the kind of absence."), field="kind")
    if ends_on < starts_on:
        raise DomainError("invalid_dates", _("The absence ends before it starts."), field="ends_on")
    return JudgeAbsence.objects.create(
        judge=judge,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
        created_at=timezone.now(),
        created_by=actor,
    )


@transaction.atomic
def cancel_absence(*, absence: JudgeAbsence, reason: str, actor: User) -> JudgeAbsence:
    """Cancels an absence recorded by mistake; it stays on the record with the time of cancelling."""
    require(actor, Action.CANCEL_ABSENCE, judge=absence.judge)
    reason = reason.strip()
    if not reason:
        raise DomainError("reason_required", _("Give the reason for cancelling the absence."), field="reason")
    if absence.cancelled_at is not None:
        raise ConflictError("already_cancelled", _("This absence is already cancelled."))
    absence.cancelled_at = timezone.now()
    absence.cancelled_by = actor
    absence.cancel_reason = reason
    absence.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    return absence


@transaction.atomic
def file_recusal(*, case: Case, judge: Judge, kind: str, grounds: str, actor: User) -> Recusal:
    require(actor, Action.FILE_RECUSAL, case=case)
    if kind not in RecusalKind.values:
        raise DomainError("invalid_kind", _("Choose recusal or self-recusal."), field="kind")
    if not grounds.strip():
        raise DomainError("grounds_required", _("State the grounds."), field="grounds")
    return Recusal.objects.create(
        case=case, judge=judge, kind=kind, grounds=grounds, created_at=timezone.now(), created_by=actor
    )


@transaction.atomic
def decide_recusal(
    *, recusal: Recusal, upheld: bool, reason: str, actor: User, now: datetime | None = None
) -> DistributionResult | None:
    """Decides a recusal; when upheld and the judge holds the case, the seat is drawn again."""
    require(actor, Action.DECIDE_RECUSAL, case=recusal.case)
    now = now or timezone.now()
    if recusal.status != RecusalStatus.PENDING:
        raise ConflictError("already_decided", _("This recusal is already decided."))
    recusal.status = RecusalStatus.UPHELD if upheld else RecusalStatus.REJECTED
    recusal.decided_at = now
    recusal.decided_by = actor
    recusal.decision_reason = reason
    recusal.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    if not upheld:
        return None
    holds = Assignment.objects.filter(case=recusal.case, judge=recusal.judge, ended_at__isnull=True).exists()
    if not holds:
        return None
    return redistribute_case(
        case=recusal.case,
        judge=recusal.judge,
        reason_code=RedistributionReason.RECUSAL_UPHELD,
        reason=reason or recusal.grounds,
        actor=actor,
        now=now,
    )


@transaction.atomic
def link_cases(*, case: Case, related: Case, relation: str, actor: User) -> CaseLink:
    require(actor, Action.LINK_CASES, case=case)
    if relation not in CaseRelation.values:
        raise DomainError("invalid_relation", _("Choose how the cases are related."), field="relation")
    if case.pk == related.pk:
        raise DomainError("same_case", _("A case cannot be linked to itself."), field="related")
    link, _created = CaseLink.objects.get_or_create(
        case=case,
        related=related,
        relation=relation,
        defaults={"created_at": timezone.now(), "created_by": actor},
    )
    return link


@transaction.atomic
def change_weight(*, category: CaseCategory, weight: Decimal | str, reason: str, actor: User) -> WeightChange:
    """Changes a category's complexity weight, with its audit entry."""
    require(actor, Action.CHANGE_WEIGHT)
    try:
        new = Decimal(str(weight)).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise DomainError("invalid_weight", _("Enter the weight as a number."), field="weight") from exc
    if new <= 0 or new >= Decimal("100"):
        raise DomainError("invalid_weight", _("The weight must be above 0 and below 100."), field="weight")
    if not reason.strip():
        raise DomainError("reason_required", _("Give the reason for the change."), field="reason")
    locked = CaseCategory.objects.select_for_update().get(pk=category.pk)
    change = WeightChange.objects.create(
        category=locked,
        at=timezone.now(),
        old_weight=locked.complexity_weight,
        new_weight=new,
        actor=actor,
        reason=reason,
    )
    CaseCategory.objects.filter(pk=locked.pk).update(complexity_weight=new)
    category.complexity_weight = new
    DistributionAlert.objects.filter(
        kind=AlertKind.WEIGHT_UNAUDITED, category=locked, resolved_at__isnull=True
    ).update(resolved_at=change.at)
    return change


@transaction.atomic
def new_policy_version(*, reason: str, actor: User, **changes: Any) -> DistributionPolicy:
    """Adds a version of the settings: the newest one with `changes` applied."""
    require(actor, Action.CHANGE_POLICY)
    if not reason.strip():
        raise DomainError("reason_required", _("Give the reason for the change."), field="reason")
    base = engine.current_policy()
    policy = DistributionPolicy.objects.get(pk=base.pk)
    policy.pk = None
    policy.version = base.version + 1
    policy.created_at = timezone.now()
    policy.created_by = actor
    policy.reason = reason
    for key, value in changes.items():
        if not hasattr(policy, key) or key in {"id", "version"}:
            raise DomainError("invalid_setting", _("Unknown setting."), field=key)
        setattr(policy, key, value)
    policy.save(force_insert=True)
    return policy


# ---------------------------------------------------------------- helpers


def _redistribution_fact(*, case: Case, judge: Judge, reason_code: str, now: datetime) -> str:
    """The recorded fact that justifies a redistribution; raises when there is none."""
    if reason_code == RedistributionReason.RECUSAL_UPHELD:
        recusal = (
            Recusal.objects.filter(case=case, judge=judge, status=RecusalStatus.UPHELD)
            .order_by("-id")
            .first()
        )
        if recusal is None:
            raise ConflictError(
                "no_fact", _("No upheld recusal of this judge is recorded."), field="reason_code"
            )
        return f"recusal:{recusal.pk}"
    if reason_code == RedistributionReason.LONG_ABSENCE:
        policy = engine.current_policy(now=now)
        today = timezone.localdate(now)
        for absence in JudgeAbsence.objects.filter(
            judge=judge, starts_on__lte=today, ends_on__gte=today, cancelled_at__isnull=True
        ):
            if absence.days >= policy.long_absence_days:
                return f"absence:{absence.pk}"
        raise ConflictError(
            "no_fact",
            _("No absence of at least %(days)s days is recorded for today.")
            % {"days": policy.long_absence_days},
            field="reason_code",
        )
    judge.refresh_from_db()
    if judge.is_active and judge.court_id == case.court_id:
        raise ConflictError("no_fact", _("The judge is still active in this court."), field="reason_code")
    return f"judge:{judge.pk}"


def _append(
    ctx: engine.Context,
    draft: engine.Draft,
    *,
    replaces: Assignment | None = None,
    pending: batch.PendingWrites | None = None,
) -> DistributionRecord:
    # A replaced seat refers to the new record, which has an id only once written.
    assert replaces is None or pending is None, "a redistribution is not drawn in a batch"
    record = engine.append_record(ctx, draft, pending=pending)
    for judge_id, period_start, units_text in draft.deltas:
        engine.apply_delta(
            ctx,
            int(judge_id),
            date.fromisoformat(period_start),
            rules.parse_units(units_text),
            pending=pending,
        )
    if replaces is not None:
        Assignment.objects.filter(pk=replaces.pk).update(ended_at=ctx.now, ended_by_record=record)
    assert draft.judge_id is not None
    units = engine.delta_units(ctx, draft.seat)
    if pending is not None:
        pending.assignments.append(
            (record, ctx.case.pk, draft.judge_id, draft.seat, draft.role, ctx.period.start, units, ctx.now)
        )
        return record
    sql.insert(
        Assignment(
            case=ctx.case,
            judge_id=draft.judge_id,
            seat=draft.seat,
            role=draft.role,
            record=record,
            period_start=ctx.period.start,
            weight_units=units,
            assigned_at=ctx.now,
        )
    )
    return record


def _resolve_alerts(case_ids: list[int], *, now: datetime) -> None:
    DistributionAlert.objects.filter(
        case_id__in=case_ids,
        kind__in=[AlertKind.NO_ELIGIBLE_JUDGE, AlertKind.DISTRIBUTION_FAILED],
        resolved_at__isnull=True,
    ).update(resolved_at=now)


def _no_eligible_judge(
    ctx: engine.Context,
    snap: engine.SeatSnapshot,
    *,
    seat: int,
    kind: str,
    actor: User | None,
    previous: int | None = None,
) -> DistributionResult:
    """Records that nobody may hear the case and tells the chair; nobody is assigned."""
    draft = engine.Draft(
        kind=kind,
        outcome=RecordOutcome.NO_ELIGIBLE_JUDGE,
        seat=seat,
        role=engine.role_for(seat, ctx.seats),
        snapshot=snap.data,
        previous_judge_id=previous,
        reason_code="no_eligible_judge",
        actor_id=actor.pk if actor else None,
    )
    record = engine.append_record(ctx, draft)
    engine.save_ledger(ctx)
    details = {
        "case": ctx.case.number,
        "category": ctx.category.code,
        "seat": seat,
        "excluded": len(snap.data["excluded"]),
        "record": record.record_hash,
    }
    alert = DistributionAlert.objects.filter(
        case=ctx.case, kind=AlertKind.NO_ELIGIBLE_JUDGE, resolved_at__isnull=True
    ).first()
    if alert is None:
        alert = DistributionAlert.objects.create(
            kind=AlertKind.NO_ELIGIBLE_JUDGE,
            court=ctx.case.court,
            case=ctx.case,
            category=ctx.category,
            record=record,
            details=details,
            created_at=ctx.now,
            last_checked_at=ctx.now,
        )
    else:
        alert.record = record
        alert.details = details
        alert.last_checked_at = ctx.now
        alert.save(update_fields=["record", "details", "last_checked_at"])
    return DistributionResult(case=ctx.case, records=[record], alert=alert)
