"""Court staff pages: the intake queue and the review of one filing."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from torelik.cases.selectors import cases_visible_to
from torelik.efiling import intake
from torelik.efiling.intake import default_fix_deadline
from torelik.efiling.selectors import intake_queue, status_history, submission_for_staff
from torelik.efiling.types import get_submission_type
from torelik.identity.models import User
from torelik.identity.permissions import staff_required
from torelik.kernel.errors import DomainError, NotFoundError
from torelik.kernel.services import record_access


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@staff_required
def intake_queue_page(request: HttpRequest) -> HttpResponse:
    return render(
        request, "workspace/intake_queue.html", {"submissions": intake_queue(clerk=_user(request))[:500]}
    )


@staff_required
def review(request: HttpRequest, submission_id: int) -> HttpResponse:
    from django.utils import timezone

    user = _user(request)
    submission = submission_for_staff(user=user, submission_id=submission_id)
    record_access(
        request=request, action="submission.read", object_type="submission", object_id=str(submission.pk)
    )
    return render(
        request,
        "workspace/review.html",
        {
            "submission": submission,
            "stype": get_submission_type(submission.type_key),
            "parties": submission.parties.all(),
            "documents": submission.documents.select_related("blob", "signature"),
            "history": status_history(submission=submission),
            "default_fix_by": default_fix_deadline(today=timezone.localdate()),
        },
    )


@staff_required
def document(request: HttpRequest, submission_id: int, document_id: int) -> HttpResponse:
    """An attached PDF, for the clerk who reviews the filing; every opening is audited."""
    from django.utils.http import content_disposition_header

    from torelik.archive.selectors import read_blob

    submission = submission_for_staff(user=_user(request), submission_id=submission_id)
    doc = submission.documents.select_related("blob").filter(pk=document_id).first()
    if doc is None:
        raise NotFoundError("document_not_found", _("No such document in this filing."))
    record_access(
        request=request,
        action="submission.document.read",
        object_type="submission",
        object_id=str(submission.pk),
        detail={"document": doc.pk, "sha256": doc.blob_id},
    )
    response = HttpResponse(read_blob(blob=doc.blob), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, doc.filename) or "inline"
    return response


@staff_required
@require_POST
def decide(request: HttpRequest, submission_id: int) -> HttpResponseBase:
    clerk = _user(request)
    submission = submission_for_staff(user=clerk, submission_id=submission_id)
    action = request.POST.get("action", "")
    reasons = request.POST.get("reasons", "")
    try:
        if action == "take":
            intake.take_for_review(submission=submission, clerk=clerk)
            messages.success(request, _("Taken for review."))
        elif action in ("relief_grant", "relief_deny"):
            intake.decide_fee_relief(
                submission=submission, clerk=clerk, grant=action == "relief_grant", reasons=reasons
            )
            if action == "relief_grant":
                messages.success(request, _("The request about the state fee is granted."))
            else:
                messages.success(
                    request, _("The request about the state fee is refused; the filer must pay.")
                )
        elif action == "accept":
            if request.POST.get("confirm") != "yes":
                # Accepting registers a case for good: it needs an explicit confirmation.
                raise DomainError(
                    "accept_not_confirmed",
                    _("Tick the confirmation to accept the filing and register a case."),
                    field="confirm",
                )
            number = request.POST.get("related_case_number", "").strip()
            related = cases_visible_to(user=clerk).filter(number=number).first() if number else None
            case = intake.accept_submission(submission=submission, clerk=clerk, related_case=related)
            messages.success(request, _("Accepted: case %(number)s registered.") % {"number": case.number})
            return redirect("workspace:intake_queue")
        elif action == "return":
            intake.return_submission(submission=submission, clerk=clerk, reasons=reasons)
            messages.success(request, _("Returned to the filer with reasons."))
            return redirect("workspace:intake_queue")
        elif action == "leave":
            raw = request.POST.get("fix_by", "")
            try:
                fix_by = date.fromisoformat(raw) if raw else None
            except ValueError:
                raise DomainError(
                    "fix_deadline_invalid", _("Give the deadline as a date."), field="fix_by"
                ) from None
            intake.leave_without_motion(submission=submission, clerk=clerk, reasons=reasons, fix_by=fix_by)
            messages.success(request, _("Left without motion; the filer has been told what to fix."))
            return redirect("workspace:intake_queue")
        else:
            messages.error(request, _("Unknown action."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("workspace:review", submission_id=submission.pk)
