"""/api/v1 endpoints of the Judicial Office: drafts, documents, signing, submission, payment, receipt."""

import base64
import hashlib
from dataclasses import asdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from torelik.api.idempotency import idempotent
from torelik.api.presenters import submission_out
from torelik.api.schemas import (
    DraftIn,
    ErrorOut,
    FeeOut,
    PaymentOut,
    ReceiptOut,
    SigningPayloadOut,
    SubmissionOut,
    SubmitIn,
)
from torelik.efiling import services
from torelik.efiling.receipts import receipt_for, receipt_pdf
from torelik.efiling.selectors import submission_for_filer, submissions_of
from torelik.identity.models import User

router = Router(tags=["Judicial Office"], auth=django_auth)
ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _draft_input(payload: DraftIn) -> services.DraftInput:
    return services.DraftInput(
        type_key=payload.type,
        court_code=payload.court,
        category_code=payload.category,
        title=payload.title,
        text=payload.text,
        parties=[services.PartyDetails(**p.dict()) for p in payload.parties],
        is_property=payload.is_property,
        claim_amount=payload.claim_amount,
        virtual_jurisdiction_consent=payload.virtual_jurisdiction_consent,
        fee_exemption=payload.fee_exemption,
        fee_deferral_requested=payload.fee_deferral_requested,
        fee_deferral_reason=payload.fee_deferral_reason,
    )


@router.get("/submissions", response=list[SubmissionOut])
def list_submissions(request: HttpRequest) -> list[dict[str, Any]]:
    return [submission_out(s) for s in submissions_of(filer=_user(request))[:200]]


@router.post("/submissions", response={201: SubmissionOut, **ERRORS})
@idempotent
def create_submission(request: HttpRequest, payload: DraftIn) -> Status[dict[str, Any]]:
    submission = services.create_draft(filer=_user(request), data=_draft_input(payload))
    return Status(201, submission_out(submission))


@router.get("/submissions/{submission_id}", response={200: SubmissionOut, **ERRORS})
def get_submission(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    return submission_out(submission_for_filer(filer=_user(request), submission_id=submission_id))


@router.put("/submissions/{submission_id}", response={200: SubmissionOut, **ERRORS})
def update_submission(request: HttpRequest, submission_id: int, payload: DraftIn) -> dict[str, Any]:
    user = _user(request)
    submission = submission_for_filer(filer=user, submission_id=submission_id)
    return submission_out(
        services.update_draft(submission=submission, filer=user, data=_draft_input(payload))
    )


@router.post("/submissions/{submission_id}/documents", response={201: SubmissionOut, **ERRORS})
@idempotent
def add_document(
    request: HttpRequest, submission_id: int, file: File[UploadedFile], title: Form[str] = ""
) -> Status[dict[str, Any]]:
    user = _user(request)
    submission = submission_for_filer(filer=user, submission_id=submission_id)
    services.add_document(
        submission=submission, filer=user, filename=file.name or "document.pdf", data=file.read(), title=title
    )
    return Status(201, submission_out(submission))


@router.delete(
    "/submissions/{submission_id}/documents/{document_id}", response={200: SubmissionOut, **ERRORS}
)
def remove_document(request: HttpRequest, submission_id: int, document_id: int) -> dict[str, Any]:
    user = _user(request)
    submission = submission_for_filer(filer=user, submission_id=submission_id)
    services.remove_document(submission=submission, filer=user, document_id=document_id)
    return submission_out(submission)


@router.get("/submissions/{submission_id}/fee", response={200: FeeOut, **ERRORS})
def fee_quote(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    submission = submission_for_filer(filer=_user(request), submission_id=submission_id)
    quote = services.quote_fee_for(submission=submission)
    data = quote.as_dict()
    return {**data, "amount": quote.amount.format()}


@router.get("/submissions/{submission_id}/signing-payload", response={200: SigningPayloadOut, **ERRORS})
def signing_payload(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    submission = submission_for_filer(filer=_user(request), submission_id=submission_id)
    payload = services.signing_payload(submission=submission)
    return {
        "payload_base64": base64.b64encode(payload).decode(),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "documents": [
            {"id": d.pk, "filename": d.filename, "sha256": d.blob_id} for d in submission.documents.all()
        ],
    }


@router.post("/submissions/{submission_id}/submit", response={200: SubmissionOut, **ERRORS})
@idempotent
def submit(request: HttpRequest, submission_id: int, payload: SubmitIn) -> dict[str, Any]:
    user = _user(request)
    submission = submission_for_filer(filer=user, submission_id=submission_id)
    submitted = services.submit(
        submission=submission,
        filer=user,
        body_cms=payload.body_cms,
        document_cms={d.id: d.cms for d in payload.documents},
    )
    return submission_out(submitted)


@router.post("/submissions/{submission_id}/payments", response={201: PaymentOut, **ERRORS})
@idempotent
def start_payment(request: HttpRequest, submission_id: int) -> Status[dict[str, Any]]:
    user = _user(request)
    submission = submission_for_filer(filer=user, submission_id=submission_id)
    payment, url = services.start_payment(submission=submission, filer=user)
    return Status(
        201,
        {
            "payment_reference": payment.provider_reference,
            "amount_tiyn": payment.amount_tiyn,
            "status": payment.status,
            "payment_url": request.build_absolute_uri(url),
        },
    )


@router.get("/submissions/{submission_id}/receipt", response={200: ReceiptOut, **ERRORS})
def receipt(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    submission = submission_for_filer(filer=_user(request), submission_id=submission_id)
    return asdict(receipt_for(submission=submission))


@router.get("/submissions/{submission_id}/receipt.pdf", response={200: None, **ERRORS})
def receipt_as_pdf(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = submission_for_filer(filer=_user(request), submission_id=submission_id)
    pdf = receipt_pdf(submission=submission)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{submission.reference}.pdf"'
    return response


payments_router = Router(tags=["Payments"])


@payments_router.post("/payments/demo-bank/callback", auth=None, response={200: dict, **ERRORS})
def demo_bank_callback(request: HttpRequest) -> dict[str, str]:
    from django.utils.translation import gettext as _

    from torelik.efiling.payments import SIGNATURE_HEADER
    from torelik.kernel.errors import DomainError

    if request.content_type != "application/json":
        raise DomainError("payment_callback_malformed", _("The payment notice must be a JSON document."))
    payment = services.handle_payment_callback(
        provider_name="demo_bank", body=request.body, signature=request.headers.get(SIGNATURE_HEADER, "")
    )
    return {"payment_reference": payment.provider_reference, "status": payment.status}
