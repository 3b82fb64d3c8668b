"""Citizen pages of the Judicial Office. Thin: forms in, services and selectors out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from torelik.cases.card import case_card
from torelik.cases.selectors import case_for_user, cases_visible_to
from torelik.distribution.selectors import instance_links
from torelik.efiling import services
from torelik.efiling.appeals import review_choices
from torelik.efiling.models import Submission, SubmissionStatus
from torelik.efiling.receipts import receipt_for, receipt_pdf
from torelik.efiling.selectors import status_history, submission_for_filer, submissions_of
from torelik.efiling.types import SUBMISSION_TYPES, get_submission_type
from torelik.identity.models import FILER_ROLES, User
from torelik.identity.permissions import filer_required
from torelik.identity.views import ncalayer_messages
from torelik.kernel.errors import DomainError, NotFoundError
from torelik.kernel.services import record_access
from torelik.portal.forms import DocumentForm, DraftForm, PartyFormSet, ReviewForm


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def attach_error(form: Form, exc: DomainError) -> None:
    """Shows a service's error beside the field it names, or above the form."""
    name = (exc.field or "").split(".")[0].split("[")[0]
    form.add_error(name if name in form.fields else None, str(exc.message))


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"types": SUBMISSION_TYPES.values()})


@filer_required
def my_submissions(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "portal/my_submissions.html",
        {
            "submissions": submissions_of(filer=user)[:200],
            "cases": cases_visible_to(user=user)[:200],
        },
    )


def _draft_input(form: DraftForm, parties: Any) -> services.DraftInput:
    data = form.cleaned_data
    party_inputs = [
        services.PartyDetails(
            role=p["role"],
            person_kind=p["person_kind"] or "individual",
            name=p["name"],
            iin=p["iin"],
            bin=p["bin"],
            address=p["address"],
            phone=p["phone"],
        )
        for p in (f.cleaned_data for f in parties.forms)
        if p and (p.get("name") or p.get("iin") or p.get("bin"))
    ]
    return services.DraftInput(
        type_key=data["type_key"],
        court_code=data["court"],
        category_code=data["category"],
        title=data["title"],
        text=data["text"],
        parties=party_inputs,
        is_property=data["is_property"],
        claim_amount=data["claim_amount"] or None,
        virtual_jurisdiction_consent=data["virtual_jurisdiction_consent"],
        fee_exemption=data["fee_exemption"],
        fee_deferral_requested=data["fee_deferral_requested"],
        fee_deferral_reason=data["fee_deferral_reason"],
    )


def _initial_from(submission: Submission) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    amount = submission.claim_amount_tiyn
    initial = {
        "type_key": submission.type_key,
        "court": submission.court.code,
        "category": submission.category.code if submission.category else "",
        "title": submission.title,
        "text": submission.text,
        "is_property": submission.is_property,
        "claim_amount": f"{amount // 100}.{amount % 100:02d}" if amount is not None else "",
        "virtual_jurisdiction_consent": submission.virtual_jurisdiction_consent,
        "fee_exemption": submission.fee_exemption,
        "fee_deferral_requested": submission.fee_deferral_requested,
        "fee_deferral_reason": submission.fee_deferral_reason,
    }
    parties = [
        {
            "role": p.role,
            "person_kind": p.person_kind,
            "name": p.name,
            "iin": p.iin,
            "bin": p.bin,
            "address": p.address,
            "phone": p.phone,
        }
        for p in submission.parties.all()
    ]
    return initial, parties


@filer_required
def new_submission(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    if request.method == "POST":
        form, parties = DraftForm(request.POST), PartyFormSet(request.POST, prefix="party")
        if form.is_valid() and parties.is_valid():
            try:
                submission = services.create_draft(filer=user, data=_draft_input(form, parties))
            except DomainError as exc:
                attach_error(form, exc)
            else:
                messages.success(
                    request, _("Draft saved. Attach documents, check the fee, then sign and submit.")
                )
                return redirect("portal:submission", submission_id=submission.pk)
    else:
        initial = {"type_key": request.GET.get("type", "claim")}
        form, parties = DraftForm(initial=initial), PartyFormSet(prefix="party")
    return render(request, "portal/draft_form.html", {"form": form, "parties": parties, "submission": None})


@filer_required
def new_review(request: HttpRequest, number: str) -> HttpResponseBase:
    """An appeal (or a private complaint, or a cassation petition) against an act of the case."""
    user = _user(request)
    case = case_for_user(user=user, number=number)
    choices = review_choices(case=case)
    acts = [
        (c.act.pk, f"{c.act.get_kind_display()}: {c.act.title} ({c.act.act_date:%d.%m.%Y})") for c in choices
    ]
    keys = {key for c in choices for key in c.type_keys}
    types = [(t.key, t.label) for t in SUBMISSION_TYPES.values() if t.key in keys]
    data = request.POST if request.method == "POST" else None
    initial = {
        "type_key": request.GET.get("type", types[0][0] if types else ""),
        "act": request.GET.get("act"),
    }
    form = ReviewForm(data, initial=initial, acts=acts, types=types)
    if data is not None and form.is_valid():
        try:
            submission = services.create_draft(
                filer=user,
                data=services.DraftInput(
                    type_key=form.cleaned_data["type_key"],
                    court_code="",
                    category_code="",
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    appealed_case=case.number,
                    appealed_act=form.cleaned_data["act"],
                    restore_term_reason=form.cleaned_data["restore_term_reason"],
                ),
            )
        except DomainError as exc:
            exc.field = {"appealed_act": "act", "appealed_case": None}.get(exc.field or "", exc.field)
            attach_error(form, exc)
        else:
            messages.success(
                request, _("Draft saved. Attach documents, check the fee, then sign and submit.")
            )
            return redirect("portal:submission", submission_id=submission.pk)
    return render(request, "portal/review_form.html", {"form": form, "case": case, "has_acts": bool(acts)})


@filer_required
def submission_page(request: HttpRequest, submission_id: int) -> HttpResponseBase:
    user = _user(request)
    submission = submission_for_filer(filer=user, submission_id=submission_id)
    context: dict[str, Any] = {
        "submission": submission,
        "stype": get_submission_type(submission.type_key),
        "history": status_history(submission=submission),
        "documents": submission.documents.select_related("blob", "signature"),
    }
    if submission.status in services.EDITABLE_STATUSES:
        if request.method == "POST":
            form, parties = DraftForm(request.POST), PartyFormSet(request.POST, prefix="party")
            if form.is_valid() and parties.is_valid():
                try:
                    services.update_draft(submission=submission, filer=user, data=_draft_input(form, parties))
                except DomainError as exc:
                    attach_error(form, exc)
                else:
                    messages.success(request, _("Draft saved."))
                    return redirect("portal:submission", submission_id=submission.pk)
        else:
            initial, party_initial = _initial_from(submission)
            form, parties = DraftForm(initial=initial), PartyFormSet(prefix="party", initial=party_initial)
        context.update(
            form=form, parties=parties, document_form=DocumentForm(), ncalayer_messages=ncalayer_messages()
        )
        try:
            context["fee"] = services.quote_fee_for(submission=submission)
        except DomainError as exc:
            context["fee_error"] = exc.message
    case = getattr(submission, "case", None) if submission.status == SubmissionStatus.REGISTERED else None
    context["case"] = case
    return render(request, "portal/submission.html", context)


@filer_required
def submission_status(request: HttpRequest, submission_id: int) -> HttpResponse:
    """The live status fragment the submission page polls."""
    submission = submission_for_filer(filer=_user(request), submission_id=submission_id)
    case = getattr(submission, "case", None) if submission.status == SubmissionStatus.REGISTERED else None
    return render(
        request,
        "portal/_status.html",
        {"submission": submission, "case": case, "history": status_history(submission=submission)},
    )


@filer_required
@require_POST
def upload_document(request: HttpRequest, submission_id: int) -> HttpResponseBase:
    user = _user(request)
    submission = submission_for_filer(filer=user, submission_id=submission_id)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.add_document(
                submission=submission,
                filer=user,
                filename=upload.name,
                data=upload.read(),
                title=form.cleaned_data["title"],
            )
            messages.success(request, _("Document attached."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, _("Choose a PDF file to attach."))
    return redirect("portal:submission", submission_id=submission.pk)


@filer_required
@require_POST
def remove_document(request: HttpRequest, submission_id: int, document_id: int) -> HttpResponseBase:
    user = _user(request)
    submission = submission_for_filer(filer=user, submission_id=submission_id)
    try:
        services.remove_document(submission=submission, filer=user, document_id=document_id)
        messages.success(request, _("Document removed."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("portal:submission", submission_id=submission.pk)


@filer_required
def signing_payload(request: HttpRequest, submission_id: int) -> HttpResponse:
    """The bytes to sign, for the page's NCALayer script (base64 JSON)."""
    import base64
    import json

    submission = submission_for_filer(filer=_user(request), submission_id=submission_id)
    payload = services.signing_payload(submission=submission)
    body = {
        "payload_base64": base64.b64encode(payload).decode(),
        "documents": [
            {"id": d.pk, "filename": d.filename, "url": f"/submissions/{submission.pk}/documents/{d.pk}/"}
            for d in submission.documents.filter(signature__isnull=True)
        ],
    }
    return HttpResponse(json.dumps(body), content_type="application/json")


@filer_required
def document_bytes(request: HttpRequest, submission_id: int, document_id: int) -> HttpResponse:
    from torelik.archive.selectors import read_blob

    submission = submission_for_filer(filer=_user(request), submission_id=submission_id)
    doc = submission.documents.select_related("blob").filter(pk=document_id).first()
    if doc is None:
        raise NotFoundError("document_not_found", _("No such document in this filing."))
    response = HttpResponse(read_blob(blob=doc.blob), content_type="application/pdf")
    # Cyrillic file names: RFC 6266 filename* rather than raw non-ASCII in a header.
    response["Content-Disposition"] = content_disposition_header(False, doc.filename) or "inline"
    return response


@filer_required
@require_POST
def submit(request: HttpRequest, submission_id: int) -> HttpResponseBase:
    user = _user(request)
    submission = submission_for_filer(filer=user, submission_id=submission_id)
    document_cms: dict[int, bytes | str] = {
        int(key.removeprefix("doc_cms_")): request.POST.get(key, "")
        for key in request.POST
        if key.startswith("doc_cms_") and key.removeprefix("doc_cms_").isdigit()
    }
    try:
        services.submit(
            submission=submission,
            filer=user,
            body_cms=request.POST.get("body_cms", ""),
            document_cms=document_cms,
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("portal:submission", submission_id=submission.pk)
    messages.success(request, _("Your filing was received."))
    return redirect("portal:receipt", submission_id=submission.pk)


@filer_required
@require_POST
def pay(request: HttpRequest, submission_id: int) -> HttpResponseBase:
    user = _user(request)
    submission = submission_for_filer(filer=user, submission_id=submission_id)
    try:
        _payment, url = services.start_payment(submission=submission, filer=user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("portal:submission", submission_id=submission.pk)
    return redirect(url)


@filer_required
def receipt(request: HttpRequest, submission_id: int) -> HttpResponseBase:
    submission = submission_for_filer(filer=_user(request), submission_id=submission_id)
    try:
        data = receipt_for(submission=submission)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("portal:submission", submission_id=submission.pk)
    return render(request, "portal/receipt.html", {"receipt": data, "submission": submission})


@filer_required
def receipt_as_pdf(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = submission_for_filer(filer=_user(request), submission_id=submission_id)
    response = HttpResponse(receipt_pdf(submission=submission), content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(False, f"{submission.reference}.pdf") or "inline"
    )
    return response


@login_required
def case_page(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    case = case_for_user(user=user, number=number)
    record_access(request=request, action="case.read", object_type="case", object_id=case.number)
    links = instance_links(case=case, viewer=user)
    return render(
        request,
        "portal/case.html",
        {
            "case": case,
            "card": case_card(case=case, viewer=user),
            "parties": case.parties.order_by("id"),
            "documents": case.documents.select_related("blob", "signature"),
            # The other instances of the case the party may open (an appeal of their own).
            "higher": [link.case for link in links.higher if link.readable],
            "lower": [link.case for link in links.lower if link.readable],
            # A party may challenge a signed act from here (the term is checked when it is saved).
            "can_appeal": user.role in FILER_ROLES and bool(review_choices(case=case)),
        },
    )
