"""/api/v1 endpoints of the acts app: drafting and signing judicial acts, reading them, verifying a PDF."""

import base64
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from torelik.acts import selectors, services
from torelik.acts.models import JudicialAct
from torelik.acts.rendering import render_act_pdf, verification_url
from torelik.api.auth import acting_user
from torelik.api.idempotency import idempotent
from torelik.api.schemas import ErrorOut
from torelik.archive.selectors import read_blob
from torelik.kernel.errors import ConflictError, DomainError
from torelik.kernel.services import record_access

router = Router(tags=["Judicial acts"])
ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
}
MAX_VERIFY_BYTES = 20 * 1024 * 1024


class ActOut(Schema):
    id: int
    case_id: int
    case_number: str
    kind: str
    kind_label: str
    language: str
    title: str
    body: str
    act_date: date
    status: str
    judge: str
    signed_at: datetime | None = None
    timestamp_at: datetime | None = None
    sha256: str | None = None
    signer_name: str | None = None
    verification_url: str | None = None
    pdf_url: str | None = None


class ActCreateIn(Schema):
    case_id: int
    kind: str
    language: str


class ActUpdateIn(Schema):
    title: str
    body: str
    act_date: date | None = None


class SigningDigestOut(Schema):
    act_id: int
    data_base64: str
    digest_base64: str
    digest_hex: str
    digest_algorithm: str
    signer_iin: str
    byte_range: list[int]


class SignIn(Schema):
    cms: str
    digest_hex: str | None = None


class ActRefOut(Schema):
    id: int
    case_number: str
    kind: str
    title: str
    act_date: date
    judge: str
    sha256: str | None
    verification_url: str


class SignatureCheckOut(Schema):
    signed: bool
    intact: bool
    valid: bool
    trusted: bool
    revoked: bool
    covers_whole_file: bool
    modified_after_signing: bool
    signer_name: str
    signing_time: datetime | None
    timestamp: datetime | None
    timestamp_valid: bool
    problems: list[str]


class VerifyOut(Schema):
    sha256: str
    size: int
    verdict: str
    is_act_in_file: bool
    act: ActRefOut | None
    related_act: ActRefOut | None
    signature: SignatureCheckOut
    notes: list[str]


def act_out(act: JudicialAct) -> dict[str, Any]:
    signed = act.is_signed
    return {
        "id": act.pk,
        "case_id": act.case_id,
        "case_number": act.case.number,
        "kind": act.kind,
        "kind_label": str(act.get_kind_display()),
        "language": act.language,
        "title": act.title,
        "body": act.body,
        "act_date": act.act_date,
        "status": act.status,
        "judge": act.judge.full_name,
        "signed_at": act.signed_at,
        "timestamp_at": act.timestamp_at,
        "sha256": act.pdf_id if signed else None,
        "signer_name": act.signature.signer_name if signed and act.signature else None,
        "verification_url": verification_url(act) if signed else None,
        "pdf_url": f"/api/v1/acts/{act.pk}/pdf" if signed else None,
    }


def _ref(act: JudicialAct | None) -> dict[str, Any] | None:
    if act is None:
        return None
    return {
        "id": act.pk,
        "case_number": act.case.number,
        "kind": act.kind,
        "title": act.title,
        "act_date": act.act_date,
        "judge": act.judge.full_name,
        "sha256": act.pdf_id,
        "verification_url": verification_url(act),
    }


@router.get("/cases/{case_id}/acts", response={200: list[ActOut], **ERRORS}, auth=django_auth)
def list_case_acts(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """The acts of a case: signed ones for parties and staff; drafts too for the case's judge."""
    user = acting_user(request)
    case = selectors.case_visible_to(user=user, case_id=case_id)
    record_access(request=request, action="case.acts.read", object_type="case", object_id=case.number)
    return [act_out(a) for a in selectors.visible_acts(user=user, case=case)]


@router.post("/acts", response={201: ActOut, **ERRORS}, auth=django_auth)
@idempotent
def create_act(request: HttpRequest, payload: ActCreateIn) -> Status[dict[str, Any]]:
    """A new draft from the template of its kind and language (kk, ru), filled with the case's data."""
    user = acting_user(request)
    case, _judge = selectors.case_for_judge(user=user, case_id=payload.case_id)
    act = services.create_draft(case=case, user=user, kind=payload.kind, language=payload.language)
    return Status(201, act_out(act))


# Registered before "/acts/{act_id}" so that "verify" is not read as an act id.
@router.post("/acts/verify", response={200: VerifyOut, **ERRORS}, auth=None)
def verify_pdf(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    """Public: is this PDF an act in the e-file (SHA-256), and does its PAdES signature hold?"""
    if (file.size or 0) > MAX_VERIFY_BYTES:
        raise DomainError(
            "file_too_large",
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_VERIFY_BYTES // (1024 * 1024)},
            field="file",
        )
    check = selectors.check_pdf(data=file.read())
    report = check.report
    return {
        "sha256": check.sha256,
        "size": check.size,
        "verdict": check.verdict,
        "is_act_in_file": check.is_act_in_file,
        "act": _ref(check.act),
        "related_act": _ref(check.related_act),
        "signature": {
            "signed": report.signed,
            "intact": report.intact,
            "valid": report.valid,
            "trusted": report.trusted,
            "revoked": report.revoked,
            "covers_whole_file": report.covers_whole_file,
            "modified_after_signing": report.modified_after_signing,
            "signer_name": report.signer_name,
            "signing_time": report.signing_time,
            "timestamp": report.timestamp,
            "timestamp_valid": report.timestamp_valid,
            "problems": [str(p) for p in report.problems],
        },
        "notes": [str(n) for n in check.notes],
    }


@router.get("/acts/{act_id}", response={200: ActOut, **ERRORS}, auth=django_auth)
def get_act(request: HttpRequest, act_id: int) -> dict[str, Any]:
    return act_out(selectors.act_for_reader(user=acting_user(request), act_id=act_id))


@router.put("/acts/{act_id}", response={200: ActOut, **ERRORS}, auth=django_auth)
def update_act(request: HttpRequest, act_id: int, payload: ActUpdateIn) -> dict[str, Any]:
    user = acting_user(request)
    act = selectors.act_for_judge(user=user, act_id=act_id)
    updated = services.update_draft(
        act=act, user=user, title=payload.title, body=payload.body, act_date=payload.act_date
    )
    return act_out(updated)


@router.get(
    "/acts/{act_id}/preview",
    response={200: None, **ERRORS},
    auth=django_auth,
    openapi_extra={
        "responses": {200: {"description": "The draft as PDF", "content": {"application/pdf": {}}}}
    },
)
def preview_act(request: HttpRequest, act_id: int) -> HttpResponse:
    """The act rendered to PDF as it stands, marked as an unsigned draft (the signed PDF once signed)."""
    act = selectors.act_for_judge(user=acting_user(request), act_id=act_id)
    data = (
        read_blob(blob=act.pdf) if act.is_signed and act.pdf is not None else render_act_pdf(act, draft=True)
    )
    return HttpResponse(data, content_type="application/pdf")


@router.post("/acts/{act_id}/signing-digest", response={200: SigningDigestOut, **ERRORS}, auth=django_auth)
def signing_digest(request: HttpRequest, act_id: int) -> dict[str, Any]:
    """The PDF prepared for signing: NCALayer signs `data_base64` detached (basics.sign, format cms),
    or `digest_base64` with signingParams.digested = true. The same preparation is returned until
    the draft changes."""
    user = acting_user(request)
    act = selectors.act_for_judge(user=user, act_id=act_id)
    prepared = services.prepare_signing(act=act, user=user)
    return {
        "act_id": act.pk,
        "data_base64": base64.b64encode(prepared.data).decode("ascii"),
        "digest_base64": base64.b64encode(prepared.digest).decode("ascii"),
        "digest_hex": prepared.digest.hex(),
        "digest_algorithm": "sha256",
        "signer_iin": prepared.signer_iin,
        "byte_range": list(prepared.prepared.byte_range),
    }


@router.post("/acts/{act_id}/sign", response={200: ActOut, **ERRORS}, auth=django_auth)
@idempotent
def sign_act(request: HttpRequest, act_id: int, payload: SignIn) -> dict[str, Any]:
    """Accept the judge's CMS: checked, time-stamped, embedded (PAdES B-T), stored in the e-file."""
    user = acting_user(request)
    act = selectors.act_for_judge(user=user, act_id=act_id)
    signed = services.sign_act(act=act, user=user, cms=payload.cms, expected_digest=payload.digest_hex)
    return act_out(signed)


@router.get(
    "/acts/{act_id}/pdf",
    response={200: None, **ERRORS},
    auth=django_auth,
    openapi_extra={"responses": {200: {"description": "The signed PDF", "content": {"application/pdf": {}}}}},
)
def act_pdf(request: HttpRequest, act_id: int) -> HttpResponse:
    act = selectors.act_for_reader(user=acting_user(request), act_id=act_id)
    if not act.is_signed or act.pdf is None:
        raise ConflictError("act_not_signed", _("The act is not signed yet; there is no PDF in the file."))
    record_access(request=request, action="act.download", object_type="case", object_id=act.case.number)
    response = HttpResponse(read_blob(blob=act.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{act.filename}"'
    return response
