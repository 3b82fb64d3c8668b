"""The filing receipt: what was received, when, with which documents (SHA-256) and fee."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from torelik.efiling.models import PaymentStatus, Submission
from torelik.efiling.types import get_submission_type
from torelik.kernel.errors import ConflictError
from torelik.kernel.money import Money


@dataclass(frozen=True)
class ReceiptDocument:
    filename: str
    title: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Receipt:
    reference: str
    submitted_at: datetime
    court: str
    type_label: str
    title: str
    filer: str
    status_label: str
    documents: list[ReceiptDocument]
    body_sha256: str
    fee: str
    fee_paid: str | None
    payment_reference: str | None


def receipt_for(*, submission: Submission) -> Receipt:
    if not submission.reference or submission.submitted_at is None:
        raise ConflictError("not_submitted", _("A receipt exists once the filing is submitted."))
    payment = submission.payments.filter(status=PaymentStatus.CONFIRMED).first()
    if submission.fee_exemption:
        fee = _("Exempt: %(reason)s") % {"reason": submission.get_fee_exemption_display()}
    else:
        fee = Money(submission.fee_tiyn or 0).format()
    return Receipt(
        reference=submission.reference,
        submitted_at=submission.submitted_at,
        court=submission.court.name,
        type_label=str(get_submission_type(submission.type_key).label),
        title=submission.title,
        filer=submission.filer.organisation_name or submission.filer.display_name,
        status_label=str(submission.get_status_display()),
        documents=[
            ReceiptDocument(filename=d.filename, title=d.title, sha256=d.blob_id, size=d.blob.size)
            for d in submission.documents.select_related("blob").order_by("id")
        ],
        body_sha256=submission.body_sha256,
        fee=fee,
        fee_paid=Money(payment.amount_tiyn).format() if payment else None,
        payment_reference=payment.provider_reference if payment else None,
    )


def receipt_pdf(*, submission: Submission) -> bytes:
    from weasyprint import HTML  # imported here: loading WeasyPrint costs start-up time

    receipt = receipt_for(submission=submission)
    html = render_to_string("efiling/receipt_pdf.html", {"receipt": receipt})
    return bytes(HTML(string=html).write_pdf())
