"""/api/v1 endpoints of the court's intake of filings: the queue, review, acceptance, return.

operation_id on every endpoint: the ids published while these endpoints lived in
torelik/api/intake_api.py; generated clients name their methods after them, so the move keeps them.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.security import django_auth

from torelik.api.auth import acting_user
from torelik.api.schemas import ERRORS
from torelik.cases.models import Case
from torelik.cases.schemas import CaseOut, case_out
from torelik.cases.selectors import cases_visible_to
from torelik.efiling import intake
from torelik.efiling.permissions import Action, require
from torelik.efiling.schemas import (
    AcceptIn,
    FeeReliefIn,
    LeaveWithoutMotionIn,
    ReasonsIn,
    SubmissionOut,
    submission_out,
    submissions_out,
)
from torelik.efiling.selectors import intake_queue, submission_for_staff
from torelik.identity.models import User
from torelik.kernel.errors import DomainError
from torelik.kernel.services import record_access

router = Router(tags=["Court intake"], auth=django_auth)


def _staff(request: HttpRequest) -> User:
    """The court staff member reading filings; the intake services check each decision again."""
    user = acting_user(request)
    require(user, Action.READ_SUBMISSIONS)
    return user


@router.get(
    "/intake/submissions",
    response={200: list[SubmissionOut], **ERRORS},
    operation_id="torelik_api_intake_api_queue",
)
def queue(request: HttpRequest) -> list[dict[str, Any]]:
    return submissions_out(intake_queue(clerk=_staff(request))[:200])


@router.get(
    "/intake/submissions/{submission_id}",
    response={200: SubmissionOut, **ERRORS},
    operation_id="torelik_api_intake_api_get_incoming",
)
def get_incoming(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    submission = submission_for_staff(user=_staff(request), submission_id=submission_id)
    record_access(
        request=request, action="submission.read", object_type="submission", object_id=str(submission.pk)
    )
    return submission_out(submission)


@router.post(
    "/intake/submissions/{submission_id}/fee-relief",
    response={200: SubmissionOut, **ERRORS},
    operation_id="torelik_api_intake_api_fee_relief",
)
def fee_relief(request: HttpRequest, submission_id: int, payload: FeeReliefIn) -> dict[str, Any]:
    """Grants or refuses the filer's request for exemption from, or deferral of, the state fee."""
    clerk = _staff(request)
    submission = submission_for_staff(user=clerk, submission_id=submission_id)
    return submission_out(
        intake.decide_fee_relief(
            submission=submission, clerk=clerk, grant=payload.grant, reasons=payload.reasons
        )
    )


@router.post(
    "/intake/submissions/{submission_id}/take",
    response={200: SubmissionOut, **ERRORS},
    operation_id="torelik_api_intake_api_take",
)
def take(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    clerk = _staff(request)
    submission = submission_for_staff(user=clerk, submission_id=submission_id)
    return submission_out(intake.take_for_review(submission=submission, clerk=clerk))


@router.post(
    "/intake/submissions/{submission_id}/accept",
    response={200: CaseOut, **ERRORS},
    operation_id="torelik_api_intake_api_accept",
)
def accept(request: HttpRequest, submission_id: int, payload: AcceptIn) -> dict[str, Any]:
    clerk = _staff(request)
    submission = submission_for_staff(user=clerk, submission_id=submission_id)
    related: Case | None = None
    if payload.related_case_number:
        related = cases_visible_to(user=clerk).filter(number=payload.related_case_number).first()
        if related is None:
            raise DomainError(
                "case_not_found",
                _("No case %(number)s in your court.") % {"number": payload.related_case_number},
                field="related_case_number",
            )
    return case_out(intake.accept_submission(submission=submission, clerk=clerk, related_case=related))


@router.post(
    "/intake/submissions/{submission_id}/return",
    response={200: SubmissionOut, **ERRORS},
    operation_id="torelik_api_intake_api_return_",
)
def return_(request: HttpRequest, submission_id: int, payload: ReasonsIn) -> dict[str, Any]:
    clerk = _staff(request)
    submission = submission_for_staff(user=clerk, submission_id=submission_id)
    return submission_out(
        intake.return_submission(submission=submission, clerk=clerk, reasons=payload.reasons)
    )


@router.post(
    "/intake/submissions/{submission_id}/leave-without-motion",
    response={200: SubmissionOut, **ERRORS},
    operation_id="torelik_api_intake_api_leave_without_motion",
)
def leave_without_motion(
    request: HttpRequest, submission_id: int, payload: LeaveWithoutMotionIn
) -> dict[str, Any]:
    clerk = _staff(request)
    submission = submission_for_staff(user=clerk, submission_id=submission_id)
    return submission_out(
        intake.leave_without_motion(
            submission=submission, clerk=clerk, reasons=payload.reasons, fix_by=payload.fix_by
        )
    )
