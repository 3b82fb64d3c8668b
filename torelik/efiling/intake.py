"""The court's intake of filings: review, then accept (registering a case), return or leave without motion."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torelik.archive.models import Blob
from torelik.archive.services import FiledDocument, file_case_documents
from torelik.cases.models import Case, PartyRole
from torelik.cases.parties import PartyDetails
from torelik.cases.services import DocumentData, add_case_documents, append_case_event
from torelik.efiling import appeals
from torelik.efiling.events import SUBMISSION_FILED
from torelik.efiling.models import FeeRelief, Submission, SubmissionStatus
from torelik.efiling.permissions import Action, require, require_staff_of_court
from torelik.efiling.registration import register_and_distribute
from torelik.efiling.services import record_status_change
from torelik.efiling.types import SubmissionType, get_submission_type
from torelik.identity.models import User
from torelik.kernel.calendar import WorkingCalendar
from torelik.kernel.errors import ConflictError, DomainError
from torelik.kernel.money import Money

REVIEWABLE = frozenset({SubmissionStatus.SUBMITTED, SubmissionStatus.UNDER_REVIEW})
MAX_REASONS_CHARS = 5_000


def _lock_for_clerk(*, submission: Submission, clerk: User) -> Submission:
    locked = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("court", "category")
        .get(pk=submission.pk)
    )
    require_staff_of_court(clerk, locked)  # again, on the locked row
    if locked.status not in REVIEWABLE:
        raise ConflictError(
            "not_reviewable",
            _("The filing is “%(status)s”; it is not awaiting review.")
            % {"status": locked.get_status_display()},
        )
    return locked


def _reasons(reasons: str) -> str:
    text = reasons.strip()
    if not text:
        raise DomainError(
            "reasons_required", _("Give the reasons; the filer will read them."), field="reasons"
        )
    if len(text) > MAX_REASONS_CHARS:
        raise DomainError("reasons_too_long", _("The reasons are too long."), field="reasons")
    return text


@transaction.atomic
def take_for_review(*, submission: Submission, clerk: User) -> Submission:
    require(clerk, Action.TAKE_FOR_REVIEW, submission=submission)
    locked = _lock_for_clerk(submission=submission, clerk=clerk)
    if locked.status == SubmissionStatus.SUBMITTED:
        locked.status = SubmissionStatus.UNDER_REVIEW
        locked.save(update_fields=["status", "updated_at"])
        record_status_change(locked, actor=clerk, at=timezone.now())
    return locked


@transaction.atomic
def accept_submission(*, submission: Submission, clerk: User, related_case: Case | None = None) -> Case:
    """Registers a case for a filing that opens one, or files it into the related case."""
    require(clerk, Action.ACCEPT, submission=submission)
    locked = _lock_for_clerk(submission=submission, clerk=clerk)
    if locked.fee_relief == FeeRelief.PENDING:
        raise ConflictError(
            "fee_relief_pending",
            _("First decide on the request for exemption from or deferral of the state fee."),
        )
    now = timezone.now()
    stype = get_submission_type(locked.type_key)
    assert locked.category is not None
    filer = locked.filer
    documents = _documents_of(locked, stype)
    if stype.opens_case:
        case = register_and_distribute(
            court=locked.court,
            category=locked.category,
            registered_at=now,
            actor=clerk,
            parties=[PartyDetails.of_record(p) for p in locked.parties.order_by("id")],
            documents=documents,
            claim_amount_tiyn=locked.claim_amount_tiyn,
            submission=locked,
            filer=filer,
            filer_role=stype.own_role,
        )
    elif stype.review:
        case = _accept_review(locked, stype, documents=documents, clerk=clerk, now=now)
    else:
        if related_case is None or related_case.court_id != locked.court_id:
            raise DomainError(
                "related_case_required",
                _("Name the case of this court the filing belongs to."),
                field="related_case",
            )
        case = related_case
        append_case_event(
            case=case,
            kind=SUBMISSION_FILED,
            actor=clerk,
            occurred_at=now,
            payload={"submission": locked.reference, "type": locked.type_key},
        )
    locked.status = SubmissionStatus.REGISTERED
    locked.decided_at = now
    locked.decided_by = clerk
    locked.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    record_status_change(locked, actor=clerk, at=now, note=_("Case %(number)s.") % {"number": case.number})
    return case


def _documents_of(submission: Submission, stype: SubmissionType) -> list[DocumentData]:
    """The signed filing itself (its JSON body) first, then its attachments."""
    documents = [
        DocumentData(blob=d.blob, title=d.title, filename=d.filename, signature=d.signature)
        for d in submission.documents.select_related("blob").order_by("id")
    ]
    if submission.body_signature_id:
        documents.insert(
            0,
            DocumentData(
                blob=Blob.objects.get(sha256=submission.body_sha256),
                title=str(stype.label),
                filename=f"{submission.reference}.json",
                signature=submission.body_signature,
            ),
        )
    return documents


def _accept_review(
    submission: Submission,
    stype: SubmissionType,
    *,
    documents: list[DocumentData],
    clerk: User,
    now: datetime,
) -> Case:
    """An appeal or a private complaint joins the case below (its documents into that case's
    e-file); a cassation petition is received by the cassation court and opens its case."""
    lower = submission.appealed_case
    if lower is None:
        raise DomainError("related_case_required", _("Name the case of this court the filing belongs to."))
    append_case_event(
        case=lower,
        kind=SUBMISSION_FILED,
        actor=clerk,
        occurred_at=now,
        payload={"submission": submission.reference, "type": submission.type_key},
    )
    if stype.review == "cassation":
        return appeals.send_up(lower=lower, review="cassation", documents=documents, now=now)
    add_case_documents(case=lower, documents=documents)
    file_case_documents(
        case_number=lower.number,
        submission_type=submission.type_key,
        documents=[
            FiledDocument(blob=d.blob, signature=d.signature, is_body=d.blob.sha256 == submission.body_sha256)
            for d in documents
        ],
    )
    return appeals.receive_review(submission=submission, stype=stype, documents=documents, now=now)


@transaction.atomic
def return_submission(*, submission: Submission, clerk: User, reasons: str) -> Submission:
    require(clerk, Action.RETURN, submission=submission)
    locked = _lock_for_clerk(submission=submission, clerk=clerk)
    text = _reasons(reasons)
    now = timezone.now()
    locked.status = SubmissionStatus.RETURNED
    locked.return_reasons = text
    locked.decided_at = now
    locked.decided_by = clerk
    locked.save(update_fields=["status", "return_reasons", "decided_at", "decided_by", "updated_at"])
    record_status_change(locked, actor=clerk, at=now, note=text)
    return locked


@transaction.atomic
def decide_fee_relief(*, submission: Submission, clerk: User, grant: bool, reasons: str = "") -> Submission:
    """The clerk grants or refuses a requested fee exemption or deferral; a refusal asks for payment."""
    require(clerk, Action.DECIDE_FEE_RELIEF, submission=submission)
    locked = _lock_for_clerk(submission=submission, clerk=clerk)
    if locked.fee_relief != FeeRelief.PENDING:
        raise ConflictError("fee_relief_not_pending", _("No request about the state fee awaits a decision."))
    now = timezone.now()
    fee = Money(locked.fee_tiyn or 0).format()
    what = (
        _("deferral of the state fee") if locked.fee_deferral_requested else _("exemption from the state fee")
    )
    if grant:
        text = reasons.strip()[:MAX_REASONS_CHARS]
        locked.fee_relief = FeeRelief.GRANTED
        if not locked.fee_deferral_requested:
            locked.fee_tiyn = 0
        note = _("The court granted the %(what)s (%(fee)s).") % {"what": what, "fee": fee}
        fields = ["fee_relief", "fee_tiyn", "updated_at"]
    else:
        text = _reasons(reasons)
        locked.fee_relief = FeeRelief.DENIED
        locked.status = SubmissionStatus.AWAITING_PAYMENT
        note = _("The court refused the %(what)s; pay the state fee of %(fee)s.") % {"what": what, "fee": fee}
        fields = ["fee_relief", "status", "updated_at"]
    locked.save(update_fields=fields)
    record_status_change(locked, actor=clerk, at=now, note=f"{note} {text}".strip())
    return locked


def return_expired_filings(*, today: date | None = None) -> list[int]:
    """Returns every filing left without motion whose deadline to fix has passed (CPC: the claim
    is deemed not filed and is returned). Each in its own transaction; returns their ids."""
    day = today or timezone.localdate()
    ids = list(
        Submission.objects.filter(
            status=SubmissionStatus.LEFT_WITHOUT_MOTION, fix_deadline__lt=day
        ).values_list("pk", flat=True)
    )
    returned: list[int] = []
    for pk in ids:
        with transaction.atomic():
            locked = Submission.objects.select_for_update().get(pk=pk)
            if locked.status != SubmissionStatus.LEFT_WITHOUT_MOTION or not locked.fix_deadline:
                continue  # resubmitted meanwhile
            if locked.fix_deadline >= day:
                continue
            now = timezone.now()
            locked.status = SubmissionStatus.RETURNED
            locked.decided_at = now
            locked.save(update_fields=["status", "decided_at", "updated_at"])
            record_status_change(
                locked,
                actor=None,
                at=now,
                note=_("The defects were not fixed by %(date)s; the filing is returned.")
                % {"date": locked.fix_deadline.isoformat()},
            )
            returned.append(pk)
    return returned


def default_fix_deadline(*, today: date, working_days: int = 10) -> date:
    return WorkingCalendar.load(years=[today.year, today.year + 1]).add_working_days(today, working_days)


@transaction.atomic
def leave_without_motion(
    *, submission: Submission, clerk: User, reasons: str, fix_by: date | None = None
) -> Submission:
    require(clerk, Action.LEAVE_WITHOUT_MOTION, submission=submission)
    locked = _lock_for_clerk(submission=submission, clerk=clerk)
    text = _reasons(reasons)
    today = timezone.localdate()
    deadline = fix_by or default_fix_deadline(today=today)
    if deadline <= today:
        raise DomainError(
            "fix_deadline_past", _("The deadline to fix the filing must be in the future."), field="fix_by"
        )
    now = timezone.now()
    locked.status = SubmissionStatus.LEFT_WITHOUT_MOTION
    locked.return_reasons = text
    locked.fix_deadline = deadline
    locked.save(update_fields=["status", "return_reasons", "fix_deadline", "updated_at"])
    record_status_change(
        locked,
        actor=clerk,
        at=now,
        note=_("%(reasons)s Fix by %(date)s.") % {"reasons": text, "date": deadline.isoformat()},
    )
    return locked


__all__ = [
    "PartyRole",
    "accept_submission",
    "decide_fee_relief",
    "leave_without_motion",
    "return_expired_filings",
    "return_submission",
    "take_for_review",
]
