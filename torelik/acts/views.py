"""Pages of judicial acts: the judge's drafting and signing, parties' downloads, public verification."""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from torelik.acts import permissions, selectors, services
from torelik.acts.forms import EditActForm, NewActForm, VerifyForm
from torelik.acts.models import JudicialAct
from torelik.acts.permissions import Action
from torelik.acts.rendering import render_act_pdf, verification_url
from torelik.archive.selectors import read_blob
from torelik.identity.models import User
from torelik.identity.permissions import permission_required
from torelik.kernel.errors import DomainError, NotFoundError, PermissionDeniedError
from torelik.kernel.services import record_access

# The judge's pages: anonymous visitors log in first, other roles get a 403 (permissions.py decides);
# each service checks the judge and the case again.
judge_pages = permission_required(lambda user: permissions.require_role(user, Action.OPEN_JUDGE_PAGES))
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def http_errors(view: V) -> V:
    """A selector's "not found" or "not allowed" becomes the page's 404 or 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFoundError as exc:
            raise Http404(str(exc.message)) from exc
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc

    return wrapped  # type: ignore[return-value]


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _max_upload() -> int:
    return int(settings.TORELIK.get("MAX_ATTACHMENT_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def _pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- the judge ------------------------------------------------------------------------------------


@judge_pages
def judge_cases(request: HttpRequest) -> HttpResponse:
    judge = selectors.judge_of(user=_user(request))
    cases = selectors.cases_for_judge(judge=judge)[:300] if judge else []
    return render(request, "acts/judge_cases.html", {"judge": judge, "cases": cases})


@judge_pages
@http_errors
def judge_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case, judge = selectors.case_for_judge(user=_user(request), case_id=case_id)
    record_access(request=request, action="case.read", object_type="case", object_id=case.number)
    return render(
        request,
        "acts/judge_case.html",
        {
            "case": case,
            "judge": judge,
            "parties": case.parties.order_by("id"),
            "acts": selectors.acts_for_judge_case(case=case),
            "form": NewActForm(initial={"language": "kk" if request.LANGUAGE_CODE == "kk" else "ru"}),
        },
    )


@judge_pages
@require_POST
@http_errors
def new_act(request: HttpRequest, case_id: int) -> HttpResponseBase:
    user = _user(request)
    case, _judge = selectors.case_for_judge(user=user, case_id=case_id)
    form = NewActForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the kind and the language of the act."))
        return redirect("acts:judge_case", case_id=case.pk)
    try:
        act = services.create_draft(
            case=case, user=user, kind=form.cleaned_data["kind"], language=form.cleaned_data["language"]
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("acts:judge_case", case_id=case.pk)
    messages.success(request, _("Draft created from the template. Edit the text, then sign."))
    return redirect("acts:act", act_id=act.pk)


@judge_pages
@require_http_methods(["GET", "POST"])
@http_errors
def act_page(request: HttpRequest, act_id: int) -> HttpResponse:
    user = _user(request)
    act = selectors.act_for_judge(user=user, act_id=act_id)
    form = None
    if not act.is_signed:
        if request.method == "POST":
            form = EditActForm(request.POST)
            if form.is_valid():
                try:
                    act = services.update_draft(
                        act=act,
                        user=user,
                        title=form.cleaned_data["title"],
                        body=form.cleaned_data["body"],
                        act_date=form.cleaned_data["act_date"],
                    )
                except DomainError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
                else:
                    messages.success(request, _("Draft saved."))
                    form = None
        if form is None:
            form = EditActForm(initial={"title": act.title, "body": act.body, "act_date": act.act_date})
    return render(
        request,
        "acts/act.html",
        {
            "act": act,
            "form": form,
            "verification_url": verification_url(act) if act.is_signed else "",
        },
    )


@judge_pages
@http_errors
def preview_pdf(request: HttpRequest, act_id: int) -> HttpResponse:
    act = selectors.act_for_judge(user=_user(request), act_id=act_id)
    if act.is_signed and act.pdf is not None:
        return _pdf_response(read_blob(blob=act.pdf), act.filename)
    return _pdf_response(render_act_pdf(act, draft=True), f"draft-{act.filename}")


@judge_pages
@require_POST
def signing_data(request: HttpRequest, act_id: int) -> JsonResponse:
    """What the judge's NCALayer signs: the PDF's signed byte range (base64) and its SHA-256."""
    user = _user(request)
    try:
        act = selectors.act_for_judge(user=user, act_id=act_id)
        prepared = services.prepare_signing(act=act, user=user)
    except DomainError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status_code)
    return JsonResponse(
        {
            "data": base64.b64encode(prepared.data).decode("ascii"),
            "digest": base64.b64encode(prepared.digest).decode("ascii"),
            "digest_hex": prepared.digest.hex(),
            "iin": prepared.signer_iin,
        }
    )


@judge_pages
@require_POST
@http_errors
def sign(request: HttpRequest, act_id: int) -> HttpResponseBase:
    user = _user(request)
    act = selectors.act_for_judge(user=user, act_id=act_id)
    try:
        services.sign_act(
            act=act,
            user=user,
            cms=request.POST.get("cms", ""),
            expected_digest=request.POST.get("digest") or None,
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The act is signed and is in the case file."))
    return redirect("acts:act", act_id=act.pk)


# --- parties and staff ------------------------------------------------------------------------------


@login_required
@http_errors
def download(request: HttpRequest, act_id: int) -> HttpResponse:
    from torelik.cases.selectors import case_for_user

    user = _user(request)
    act = selectors.act_for_reader(user=user, act_id=act_id)
    case_for_user(user=user, number=act.case.number)  # the case's own access rule, once more
    if not act.is_signed or act.pdf is None:
        raise NotFoundError("act_not_found", _("The act is not signed yet."))
    record_access(request=request, action="act.download", object_type="case", object_id=act.case.number)
    return _pdf_response(read_blob(blob=act.pdf), act.filename, inline=False)


# --- public verification --------------------------------------------------------------------------


def _check_upload(
    request: HttpRequest, form: VerifyForm, expected: JudicialAct | None
) -> selectors.ActCheck | None:
    if not form.is_valid():
        return None
    upload = form.cleaned_data["file"]
    if upload.size > _max_upload():
        form.add_error(
            "file", _("The file is larger than %(mb)d MB.") % {"mb": _max_upload() // (1024 * 1024)}
        )
        return None
    return selectors.check_pdf(data=upload.read(), expected=expected)


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Upload any PDF: is it an act in the e-file, who signed it, does the signature hold?"""
    form = VerifyForm(request.POST or None, request.FILES or None)
    check = _check_upload(request, form, None) if request.method == "POST" else None
    return render(request, "acts/verify.html", {"form": form, "check": check, "act": None})


@require_http_methods(["GET", "POST"])
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """The page an act's QR code opens: the act's particulars and a check of an uploaded copy."""
    try:
        act = selectors.act_by_code(code=code)
    except NotFoundError:
        return render(request, "acts/verify.html", {"form": VerifyForm(), "unknown_code": True}, status=404)
    form = VerifyForm(request.POST or None, request.FILES or None)
    check = _check_upload(request, form, act) if request.method == "POST" else None
    return render(
        request,
        "acts/verify.html",
        {
            "form": form,
            "check": check,
            "act": act,
            "masked_iin": selectors.mask_iin(act.signature.signer_iin if act.signature else ""),
        },
    )
