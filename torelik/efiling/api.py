"""/api/v1 endpoints of the Judicial Office: drafts, documents, signing, submission, payment, receipt.

operation_id on every endpoint: the ids published while these endpoints lived in
torelik/api/efiling_api.py and reference_api.py; generated clients name their methods after them,
so the move keeps them.
"""

import base64
import hashlib
from dataclasses import asdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from torelik.api.auth import acting_user
from torelik.api.idempotency import idempotent
from torelik.api.schemas import ERRORS
from torelik.efiling import services
from torelik.efiling.payments import SIGNATURE_HEADER
from torelik.efiling.receipts import receipt_for, receipt_pdf
from torelik.efiling.schemas import (
    DraftIn,
    FeeOut,
    PaymentOut,
    ReceiptOut,
    SigningPayloadOut,
    SubmissionOut,
    SubmissionTypeOut,
    SubmitIn,
    submission_out,
    submission_type_out,
    submissions_out,
)
from torelik.efiling.selectors import submission_for_filer, submissions_of
from torelik.efiling.types import SUBMISSION_TYPES
from torelik.kernel.errors import DomainError

# The kinds of filing, listed with the courts and categories (courts.api) under "Reference data".
reference_router = Router(tags=["Reference data"])


@reference_router.get(
    "/submission-types",
    response=list[SubmissionTypeOut],
    operation_id="torelik_api_reference_api_submission_types",
)
def submission_types(request: HttpRequest) -> list[dict[str, Any]]:
    return [submission_type_out(t) for t in SUBMISSION_TYPES.values()]


router = Router(tags=["Judicial Office"], auth=django_auth)


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


@router.get(
    "/submissions", response=list[SubmissionOut], operation_id="torelik_api_efiling_api_list_submissions"
)
def list_submissions(request: HttpRequest) -> list[dict[str, Any]]:
    return submissions_out(submissions_of(filer=acting_user(request))[:200])


@router.post(
    "/submissions",
    response={201: SubmissionOut, **ERRORS},
    operation_id="torelik_api_efiling_api_create_submission",
)
@idempotent
def create_submission(request: HttpRequest, payload: DraftIn) -> Status[dict[str, Any]]:
    submission = services.create_draft(filer=acting_user(request), data=_draft_input(payload))
    return Status(201, submission_out(submission))


@router.get(
    "/submissions/{submission_id}",
    response={200: SubmissionOut, **ERRORS},
    operation_id="torelik_api_efiling_api_get_submission",
)
def get_submission(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    return submission_out(submission_for_filer(filer=acting_user(request), submission_id=submission_id))


@router.put(
    "/submissions/{submission_id}",
    response={200: SubmissionOut, **ERRORS},
    operation_id="torelik_api_efiling_api_update_submission",
)
def update_submission(request: HttpRequest, submission_id: int, payload: DraftIn) -> dict[str, Any]:
    user = acting_user(request)
    submission = submission_for_filer(filer=user, submission_id=submission_id)
    return submission_out(
        services.update_draft(submission=submission, filer=user, data=_draft_input(payload))
    )


@router.post(
    "/submissions/{submission_id}/documents",
    response={201: SubmissionOut, **ERRORS},
    operation_id="torelik_api_efiling_api_add_document",
)
@idempotent
def add_document(
    request: HttpRequest, submission_id: int, file: File[UploadedFile], title: Form[str] = ""
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    submission = submission_for_filer(filer=user, submission_id=submission_id)
    services.add_document(
        submission=submission, filer=user, filename=file.name or "document.pdf", data=file.read(), title=title
    )
    return Status(201, submission_out(submission))


@router.delete(
    "/submissions/{submission_id}/documents/{document_id}",
    response={200: SubmissionOut, **ERRORS},
    operation_id="torelik_api_efiling_api_remove_document",
)
def remove_document(request: HttpRequest, submission_id: int, document_id: int) -> dict[str, Any]:
    user = acting_user(request)
    submission = submission_for_filer(filer=user, submission_id=submission_id)
    services.remove_document(submission=submission, filer=user, document_id=document_id)
    return submission_out(submission)


@router.get(
    "/submissions/{submission_id}/fee",
    response={200: FeeOut, **ERRORS},
    operation_id="torelik_api_efiling_api_fee_quote",
)
def fee_quote(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    submission = submission_for_filer(filer=acting_user(request), submission_id=submission_id)
    quote = services.quote_fee_for(submission=submission)
    data = quote.as_dict()
    return {**data, "amount": quote.amount.format()}


@router.get(
    "/submissions/{submission_id}/signing-payload",
    response={200: SigningPayloadOut, **ERRORS},
    operation_id="torelik_api_efiling_api_signing_payload",
)
def signing_payload(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    submission = submission_for_filer(filer=acting_user(request), submission_id=submission_id)
    payload = services.signing_payload(submission=submission)
    return {
        "payload_base64": base64.b64encode(payload).decode(),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "documents": [
            {"id": d.pk, "filename": d.filename, "sha256": d.blob_id} for d in submission.documents.all()
        ],
    }


@router.post(
    "/submissions/{submission_id}/submit",
    response={200: SubmissionOut, **ERRORS},
    operation_id="torelik_api_efiling_api_submit",
)
@idempotent
def submit(request: HttpRequest, submission_id: int, payload: SubmitIn) -> dict[str, Any]:
    user = acting_user(request)
    submission = submission_for_filer(filer=user, submission_id=submission_id)
    submitted = services.submit(
        submission=submission,
        filer=user,
        body_cms=payload.body_cms,
        document_cms={d.id: d.cms for d in payload.documents},
    )
    return submission_out(submitted)


@router.post(
    "/submissions/{submission_id}/payments",
    response={201: PaymentOut, **ERRORS},
    operation_id="torelik_api_efiling_api_start_payment",
)
@idempotent
def start_payment(request: HttpRequest, submission_id: int) -> Status[dict[str, Any]]:
    user = acting_user(request)
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


@router.get(
    "/submissions/{submission_id}/receipt",
    response={200: ReceiptOut, **ERRORS},
    operation_id="torelik_api_efiling_api_receipt",
)
def receipt(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    submission = submission_for_filer(filer=acting_user(request), submission_id=submission_id)
    return asdict(receipt_for(submission=submission))


@router.get(
    "/submissions/{submission_id}/receipt.pdf",
    response={200: None, **ERRORS},
    operation_id="torelik_api_efiling_api_receipt_as_pdf",
)
def receipt_as_pdf(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = submission_for_filer(filer=acting_user(request), submission_id=submission_id)
    pdf = receipt_pdf(submission=submission)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{submission.reference}.pdf"'
    return response


payments_router = Router(tags=["Payments"])


@payments_router.post(
    "/payments/demo-bank/callback",
    auth=None,
    response={200: dict, **ERRORS},
    operation_id="torelik_api_efiling_api_demo_bank_callback",
)
def demo_bank_callback(request: HttpRequest) -> dict[str, str]:
    if request.content_type != "application/json":
        raise DomainError("payment_callback_malformed", _("The payment notice must be a JSON document."))
    payment = services.handle_payment_callback(
        provider_name="demo_bank", body=request.body, signature=request.headers.get(SIGNATURE_HEADER, "")
    )
    return {"payment_reference": payment.provider_reference, "status": payment.status}
