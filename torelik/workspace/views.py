"""Court staff pages: the intake queue and the review of one filing; the court's cases and the card
of one case, with the procedural steps the viewer may take."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from torelik.cases.card import case_card, case_rows, next_steps, stage_choices, stage_name
from torelik.cases.selectors import case_by_id_for_user, cases_visible_to, court_cases
from torelik.cases.transitions import TransitionInput, perform_transition
from torelik.distribution.selectors import instance_links
from torelik.efiling import intake
from torelik.efiling.intake import default_fix_deadline
from torelik.efiling.selectors import intake_queue, status_history, submission_for_staff
from torelik.efiling.types import get_submission_type
from torelik.identity.models import User
from torelik.identity.permissions import staff_required
from torelik.kernel.errors import DomainError, NotFoundError
from torelik.kernel.services import record_access
from torelik.workspace.forms import StepForm

CASES_PER_PAGE = 50


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


# ---------------------------------------------------------------- the court's cases


@staff_required
def cases_page(request: HttpRequest) -> HttpResponse:
    """The cases of the court, newest first, 50 a page, filtered by stage."""
    user = _user(request)
    stages = stage_choices(court_cases(user=user))
    stage = request.GET.get("stage", "")
    if stage not in {s.code for s in stages}:
        stage = ""
    page = Paginator(court_cases(user=user, stage=stage), CASES_PER_PAGE).get_page(request.GET.get("page"))
    rows = case_rows(page.object_list)
    # A list of cases is a read of each of them: one audit row naming them all.
    record_access(
        request=request,
        action="case.list",
        object_type="case",
        object_id=f"{len(rows)} cases",
        detail={"numbers": [r.case.number for r in rows]},
    )
    return render(
        request, "workspace/cases.html", {"page": page, "rows": rows, "stages": stages, "stage": stage}
    )


def _card(request: HttpRequest, case_id: int, *, failed: StepForm | None = None) -> HttpResponse:
    user = _user(request)
    case = case_by_id_for_user(user=user, case_id=case_id)
    record_access(request=request, action="case.read", object_type="case", object_id=case.number)
    card = case_card(case=case, viewer=user)
    steps = [
        (s, failed if failed is not None and failed.step.code == s.code else StepForm(step=s))
        for s in card.steps
    ]
    return render(
        request,
        "workspace/case.html",
        {
            "case": case,
            "card": card,
            "steps": steps,
            "parties": case.parties.order_by("id"),
            "documents": case.documents.select_related("blob", "signature"),
            "links": instance_links(case=case, viewer=user),
        },
        status=400 if failed is not None else 200,
    )


@staff_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return _card(request, case_id)


@staff_required
@require_POST
def perform_step(request: HttpRequest, case_id: int, code: str) -> HttpResponseBase:
    """One procedural step: the step's form, then the service; a refusal is shown beside its input
    and nothing is written; success goes back to the card (POST-redirect-GET)."""
    user = _user(request)
    case = case_by_id_for_user(user=user, case_id=case_id)
    step = next((s for s in next_steps(user=user, case=case) if s.code == code), None)
    try:
        if step is None:
            # Not a step the viewer may take now: the service says why (stage, role, closed case).
            perform_transition(case=case, transition=code, actor=user, data=TransitionInput())
        else:
            form = StepForm(request.POST, step=step)
            if not form.is_valid():
                return _card(request, case_id, failed=form)
            try:
                perform_transition(case=case, transition=code, actor=user, data=form.transition_input())
            except DomainError as exc:
                form.attach(exc)
                return _card(request, case_id, failed=form)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("workspace:case", case_id=case.pk)
    if step is None:  # refused above in every case the procedure defines; said plainly all the same
        messages.success(
            request, _("Done. The case is now at the stage “%(stage)s”.") % {"stage": stage_name(case)}
        )
    else:
        messages.success(
            request,
            _("Done: “%(step)s”. The case is now at the stage “%(stage)s”.")
            % {"step": step.name, "stage": stage_name(case)},
        )
    return redirect("workspace:case", case_id=case.pk)
