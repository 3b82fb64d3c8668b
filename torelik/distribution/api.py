"""/api/v1 endpoints of the distribution app.

Public (no login, no CAPTCHA): the day commitments and revealed secrets, the service's public keys,
and the draw report of a case. Court staff: loads, fairness and exceptions of their court
(administrators and auditors: of any court). Chairs, administrators and auditors: the verification
of a period and the full records. Auditors only read: every write here refuses them.

Who may do what is decided in `permissions.py`: the reads here ask it, the writes leave it to the
services, which check the acting user first. The endpoints translate the errors.
"""

# No `from __future__ import annotations`: django-ninja reads the schemas of views wrapped by
# `idempotent` from their runtime annotations.
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import django_auth

from torelik.api.idempotency import idempotent
from torelik.api.schemas import ErrorOut
from torelik.cases.models import Case
from torelik.courts.models import Court, Judge
from torelik.distribution import permissions, selectors, services, verification
from torelik.distribution.models import JudgeAbsence, Recusal
from torelik.distribution.permissions import Action
from torelik.identity.models import User
from torelik.kernel.errors import DomainError, NotFoundError

router = Router(tags=["Distribution"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class CommitmentOut(Schema):
    day: date
    commitment: str
    signature: str
    key_id: str
    committed_at: datetime
    committed_late: bool
    secret: str | None = None
    revealed_at: datetime | None = None
    seal: str | None = None
    seal_signature: str | None = None


class PublicKeyOut(Schema):
    key_id: str
    algorithm: str
    public_key_pem: str
    created_at: datetime


class JudgeLoadOut(Schema):
    judge_id: int
    name: str
    share: Decimal
    specialisations: list[str]
    cases: int
    assigned: Decimal
    available_days: int
    normalised: Decimal | None


class FairnessOut(Schema):
    specialisation: str
    judges: int
    min_load: Decimal
    max_load: Decimal
    spread: Decimal
    gini: float


class LoadReportOut(Schema):
    court: str
    period_start: date
    period_end: date
    judges: list[JudgeLoadOut]
    fairness: list[FairnessOut]


@router.get("/distribution/commitments", response=list[CommitmentOut], auth=None)
def list_commitments(request: HttpRequest) -> list[dict[str, Any]]:
    """Each day's SHA-256 commitment, signed before the day, and its secret once revealed."""
    return [
        {
            "day": d.day,
            "commitment": d.commitment,
            "signature": d.signature,
            "key_id": d.key_id,
            "committed_at": d.committed_at,
            "committed_late": d.committed_late,
            "secret": d.secret or None,
            "revealed_at": d.revealed_at,
            "seal": d.seal or None,
            "seal_signature": d.seal_signature or None,
        }
        for d in selectors.commitments()
    ]


@router.get("/distribution/public-keys", response=list[PublicKeyOut], auth=None)
def list_public_keys(request: HttpRequest) -> list[Any]:
    """The Ed25519 keys that sign the commitments and the seals."""
    return selectors.public_keys()


@router.get("/distribution/cases/{path:number}", response={200: dict[str, Any], **ERRORS}, auth=None)
def case_report(request: HttpRequest, number: str) -> dict[str, Any]:
    """The draw report of a case: who holds it, and every record with its snapshot."""
    return selectors.public_case_report(number=number)


def _staff_court(user: User, court_code: str | None) -> Court:
    """The court whose reports `user` asked for (by default their own), once they may read it."""
    permissions.require_role(user, Action.READ_REPORTS)
    if court_code:
        court = Court.objects.filter(code=court_code).first()
        if court is None:
            raise NotFoundError("not_found", _("No court with this code."), field="court")
    elif user.court is None:
        raise DomainError("court_required", _("Choose a court."), field="court")
    else:
        court = user.court
    permissions.require(user, Action.READ_REPORTS, court=court)
    return court


@router.get("/distribution/reports/loads", response={200: LoadReportOut, **ERRORS}, auth=django_auth)
def load_report(request: HttpRequest, court: str | None = None, day: date | None = None) -> dict[str, Any]:
    """Loads per judge of a court in the period containing `day`, and fairness per pool."""
    target = _staff_court(request.user, court)  # type: ignore[arg-type]
    period, rows = selectors.load_report(court=target, day=day)
    return {
        "court": target.code,
        "period_start": period.start,
        "period_end": period.end,
        "judges": [{**r.__dict__, "specialisations": list(r.specialisations)} for r in rows],
        "fairness": [f.__dict__ for f in selectors.fairness(rows)],
    }


@router.get("/distribution/reports/summary", response={200: dict[str, Any], **ERRORS}, auth=django_auth)
def summary(request: HttpRequest, start: date, end: date, court: str | None = None) -> dict[str, Any]:
    """Number of draws, redistributions and manual exceptions (with their reasons) of a court."""
    target = _staff_court(request.user, court)  # type: ignore[arg-type]
    return {"court": target.code, **selectors.draw_summary(court=target, start=start, end=end)}


@router.get("/distribution/verify", response={200: dict[str, Any], **ERRORS}, auth=django_auth)
def verify(request: HttpRequest, start: date, end: date | None = None) -> dict[str, Any]:
    """Recomputes every draw of the period and checks the chains (chairs, administrators, auditors)."""
    permissions.require(request.user, Action.VERIFY)
    end = end or timezone.localdate()
    if end < start:
        raise DomainError("invalid_period", _("The end of the period is before its start."), field="end")
    return verification.verify(start=start, end=end).as_dict()


class RecordsOut(Schema):
    total: int
    offset: int
    records: list[dict[str, Any]]


def _records_court(user: User, court_code: str | None) -> Court | None:
    """The court whose records `user` asked for; None means every court (administrators, auditors)."""
    permissions.require_role(user, Action.READ_RECORDS)
    if not court_code and permissions.can_read_every_court(user):
        return None
    court = _staff_court(user, court_code)
    permissions.require(user, Action.READ_RECORDS, court=court)
    return court


@router.get("/distribution/records", response={200: RecordsOut, **ERRORS}, auth=django_auth)
def records(
    request: HttpRequest,
    start: date,
    end: date,
    court: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> dict[str, Any]:
    """Every record of the period in full, snapshots included, oldest first, `limit` (at most 500)
    at a time. Chairs: their court's; administrators and auditors: any court's, or every court's."""
    target = _records_court(request.user, court)  # type: ignore[arg-type]
    if end < start:
        raise DomainError("invalid_period", _("The end of the period is before its start."), field="end")
    total, rows = selectors.records_of_period(court=target, start=start, end=end, offset=offset, limit=limit)
    return {"total": total, "offset": min(max(0, offset), total), "records": rows}


@router.get("/distribution/records/{record_id}", response={200: dict[str, Any], **ERRORS}, auth=django_auth)
def record(request: HttpRequest, record_id: int) -> dict[str, Any]:
    """One record in full (chairs: of their court; administrators and auditors: of any court)."""
    user: User = request.user  # type: ignore[assignment]
    return selectors.record_by_id(record_id=record_id, court=_records_court(user, None))


# ---------------------------------------------------------------- the chair's actions


class ActionOut(Schema):
    case: str
    status: str
    judges: list[int]
    records: list[str]
    alert: str | None = None


class ManualIn(Schema):
    case: str
    judge_id: int
    reason: str
    seat: int = 1


class RedistributionIn(Schema):
    case: str
    judge_id: int
    reason_code: str
    reason: str = ""


class RecusalIn(Schema):
    case: str
    judge_id: int
    kind: str
    grounds: str


class RecusalOut(Schema):
    id: int
    case: str
    judge_id: int
    kind: str
    status: str


class DecisionIn(Schema):
    upheld: bool
    reason: str


class AbsenceIn(Schema):
    judge_id: int
    kind: str
    starts_on: date
    ends_on: date
    note: str = ""


class AbsenceOut(Schema):
    id: int
    judge_id: int
    kind: str
    starts_on: date
    ends_on: date
    cancelled_at: datetime | None = None


class CancelIn(Schema):
    reason: str


def _case(number: str) -> Case:
    case = Case.objects.filter(number=number.strip()).first()
    if case is None:
        raise NotFoundError("not_found", _("No case with this number."), field="case")
    return case


def _judge(judge_id: int) -> Judge:
    judge = Judge.objects.filter(pk=judge_id).first()
    if judge is None:
        raise NotFoundError("not_found", _("No judge with this id."), field="judge_id")
    return judge


def _action_out(result: services.DistributionResult) -> dict[str, Any]:
    result.case.refresh_from_db(fields=["status"])
    return {
        "case": result.case.number,
        "status": result.case.status,
        "judges": result.judges,
        "records": [r.record_hash for r in result.records],
        "alert": result.alert.kind if result.alert else None,
    }


@router.post("/distribution/manual-assignments", response={201: ActionOut, **ERRORS}, auth=django_auth)
@idempotent
def manual_assignment(request: HttpRequest, payload: ManualIn) -> Status[dict[str, Any]]:
    """The chair's exception: assign a judge, with a mandatory reason, on the record and in every report."""
    result = services.assign_manually(
        case=_case(payload.case),
        judge=_judge(payload.judge_id),
        reason=payload.reason,
        seat=payload.seat,
        actor=request.user,  # type: ignore[arg-type]
    )
    return Status(201, _action_out(result))


@router.post("/distribution/redistributions", response={201: ActionOut, **ERRORS}, auth=django_auth)
@idempotent
def redistribution(request: HttpRequest, payload: RedistributionIn) -> Status[dict[str, Any]]:
    """A new draw for a judge's seat: recusal_upheld, long_absence or judge_left (a recorded fact)."""
    result = services.redistribute_case(
        case=_case(payload.case),
        judge=_judge(payload.judge_id),
        reason_code=payload.reason_code,
        reason=payload.reason,
        actor=request.user,  # type: ignore[arg-type]
    )
    return Status(201, _action_out(result))


@router.post("/distribution/recusals", response={201: RecusalOut, **ERRORS}, auth=django_auth)
@idempotent
def file_recusal(request: HttpRequest, payload: RecusalIn) -> Status[dict[str, Any]]:
    """Records a recusal (or a judge's self-recusal) for the court to decide (staff of the case's court)."""
    recusal = services.file_recusal(
        case=_case(payload.case),
        judge=_judge(payload.judge_id),
        kind=payload.kind,
        grounds=payload.grounds,
        actor=request.user,  # type: ignore[arg-type]
    )
    return Status(
        201,
        {
            "id": recusal.pk,
            "case": recusal.case.number,
            "judge_id": recusal.judge_id,
            "kind": recusal.kind,
            "status": recusal.status,
        },
    )


@router.post(
    "/distribution/recusals/{recusal_id}/decision", response={200: dict[str, Any], **ERRORS}, auth=django_auth
)
def decide_recusal(request: HttpRequest, recusal_id: int, payload: DecisionIn) -> dict[str, Any]:
    """Upholds or rejects a recusal; upheld, the judge's seat is drawn again at once."""
    recusal = Recusal.objects.select_related("case").filter(pk=recusal_id).first()
    if recusal is None:
        raise NotFoundError("not_found", _("No such recusal."))
    result = services.decide_recusal(
        recusal=recusal,
        upheld=payload.upheld,
        reason=payload.reason,
        actor=request.user,  # type: ignore[arg-type]
    )
    return {"status": recusal.status, "redistribution": _action_out(result) if result else None}


@router.post("/distribution/absences", response={201: AbsenceOut, **ERRORS}, auth=django_auth)
@idempotent
def record_absence(request: HttpRequest, payload: AbsenceIn) -> Status[dict[str, Any]]:
    """Records a judge's leave, sick leave, training or secondment (chair of the judge's court)."""
    judge = _judge(payload.judge_id)
    absence = services.record_absence(
        judge=judge,
        kind=payload.kind,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        note=payload.note,
        actor=request.user,  # type: ignore[arg-type]
    )
    return Status(
        201,
        {
            "id": absence.pk,
            "judge_id": judge.pk,
            "kind": absence.kind,
            "starts_on": absence.starts_on,
            "ends_on": absence.ends_on,
        },
    )


@router.post(
    "/distribution/absences/{absence_id}/cancel", response={200: AbsenceOut, **ERRORS}, auth=django_auth
)
def cancel_absence(request: HttpRequest, absence_id: int, payload: CancelIn) -> dict[str, Any]:
    """Cancels an absence recorded by mistake; it stays on the record with the time of cancelling."""
    absence = JudgeAbsence.objects.select_related("judge").filter(pk=absence_id).first()
    if absence is None:
        raise NotFoundError("not_found", _("No such absence."))
    absence = services.cancel_absence(
        absence=absence,
        reason=payload.reason,
        actor=request.user,  # type: ignore[arg-type]
    )
    return {
        "id": absence.pk,
        "judge_id": absence.judge_id,
        "kind": absence.kind,
        "starts_on": absence.starts_on,
        "ends_on": absence.ends_on,
        "cancelled_at": absence.cancelled_at,
    }
