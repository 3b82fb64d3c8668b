"""API shapes of the Judicial Office: drafts, filings, fees, signing, payments, receipts, intake.

The presenters turn models into these shapes and only read.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from ninja import Schema

from torelik.cases.schemas import DocumentOut, PartyIn, PartyOut
from torelik.courts.schemas import NamedCode, category_brief, court_brief
from torelik.efiling.models import Submission, SubmissionDocument, SubmissionStatusChange
from torelik.efiling.types import SubmissionType, get_submission_type


class SubmissionTypeOut(Schema):
    key: str
    label: str
    description: str
    kind: str
    categories: list[str]
    may_be_property: bool
    opens_case: bool
    own_role: str
    other_role: str | None


class DraftIn(Schema):
    type: str
    court: str
    category: str = ""
    title: str
    text: str
    parties: list[PartyIn] = []
    is_property: bool = False
    claim_amount: str | None = None
    virtual_jurisdiction_consent: bool = False
    fee_exemption: str = ""
    fee_deferral_requested: bool = False
    fee_deferral_reason: str = ""


class StatusChangeOut(Schema):
    status: str
    label: str
    at: datetime
    note: str


class SubmissionOut(Schema):
    id: int
    reference: str | None
    type: str
    type_label: str
    court: NamedCode
    category: NamedCode | None
    status: str
    status_label: str
    title: str
    text: str
    is_property: bool
    claim_amount_tiyn: int | None
    fee_tiyn: int | None
    fee_explanation: dict[str, Any]
    fee_exemption: str
    fee_deferral_requested: bool
    # "", "pending" (the court decides), "granted" or "denied".
    fee_relief: str = ""
    submitted_at: datetime | None
    return_reasons: str
    fix_deadline: date | None
    case_number: str | None
    parties: list[PartyOut]
    documents: list[DocumentOut]
    history: list[StatusChangeOut]


class FeeOut(Schema):
    amount_tiyn: int
    amount: str
    rule_id: int | None
    basis: str
    explanation: list[str]
    legal_reference: str
    is_confirmed: bool
    exemption: str


class SigningDocument(Schema):
    id: int
    filename: str
    sha256: str


class SigningPayloadOut(Schema):
    payload_base64: str
    sha256: str
    documents: list[SigningDocument]


class DocumentSignatureIn(Schema):
    id: int
    cms: str


class SubmitIn(Schema):
    body_cms: str
    documents: list[DocumentSignatureIn] = []


class PaymentOut(Schema):
    payment_reference: str
    amount_tiyn: int
    status: str
    payment_url: str


class ReceiptDocument(Schema):
    filename: str
    title: str
    sha256: str
    size: int


class ReceiptOut(Schema):
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


class ReasonsIn(Schema):
    reasons: str


class LeaveWithoutMotionIn(ReasonsIn):
    fix_by: date | None = None


class FeeReliefIn(Schema):
    grant: bool
    reasons: str = ""


class AcceptIn(Schema):
    related_case_number: str = ""


def submission_type_out(stype: SubmissionType) -> dict[str, Any]:
    return {
        "key": stype.key,
        "label": str(stype.label),
        "description": str(stype.description),
        "kind": stype.kind,
        "categories": list(stype.categories),
        "may_be_property": stype.may_be_property,
        "opens_case": stype.opens_case,
        "own_role": stype.own_role,
        "other_role": stype.other_role,
    }


def submission_prefetches() -> list[Prefetch[Any]]:
    """What submission_out reads besides the submission row (select court and category with it).

    Fresh objects each call: a Prefetch keeps state while it runs. "case" is the case registered
    from the filing, if any (a reverse one-to-one: prefetched, it costs one query for all rows).
    """
    return [
        Prefetch("case"),
        Prefetch("parties"),
        Prefetch("documents", queryset=SubmissionDocument.objects.select_related("blob", "signature")),
        Prefetch("status_changes", queryset=SubmissionStatusChange.objects.order_by("at", "id")),
    ]


def submissions_out(submissions: Iterable[Submission]) -> list[dict[str, Any]]:
    """submission_out of many filings in a fixed number of queries, however many rows they have."""
    rows = list(submissions)
    prefetch_related_objects(rows, *submission_prefetches())
    return [submission_out(s) for s in rows]


def submission_out(submission: Submission) -> dict[str, Any]:
    # Fetched here, after the service that changed the filing ran, so the answer shows its effect;
    # a no-op for rows that submissions_out prefetched.
    prefetch_related_objects([submission], *submission_prefetches())
    # No case yet: the prefetched reverse one-to-one raises Case.DoesNotExist, an AttributeError.
    case = getattr(submission, "case", None)
    return {
        "id": submission.pk,
        "reference": submission.reference,
        "type": submission.type_key,
        "type_label": str(get_submission_type(submission.type_key).label),
        "court": court_brief(submission.court),
        "category": category_brief(submission.category),
        "status": submission.status,
        "status_label": str(submission.get_status_display()),
        "title": submission.title,
        "text": submission.text,
        "is_property": submission.is_property,
        "claim_amount_tiyn": submission.claim_amount_tiyn,
        "fee_tiyn": submission.fee_tiyn,
        "fee_explanation": submission.fee_explanation,
        "fee_exemption": submission.fee_exemption,
        "fee_deferral_requested": submission.fee_deferral_requested,
        "fee_relief": submission.fee_relief,
        "submitted_at": submission.submitted_at,
        "return_reasons": submission.return_reasons,
        "fix_deadline": submission.fix_deadline,
        "case_number": case.number if case else None,
        "parties": [
            {
                "role": p.role,
                "person_kind": p.person_kind,
                "name": p.name,
                "iin": p.iin,
                "bin": p.bin,
                "address": p.address,
                "phone": p.phone,
                "email": p.email,
            }
            for p in submission.parties.all()
        ],
        "documents": [
            {
                "id": d.pk,
                "filename": d.filename,
                "title": d.title,
                "sha256": d.blob_id,
                "size": d.blob.size,
                "signed": d.signature_id is not None,
                "signer_iin": d.signature.signer_iin if d.signature else None,
            }
            for d in submission.documents.all()
        ],
        "history": [
            {"status": c.status, "label": str(c.get_status_display()), "at": c.at, "note": c.note}
            for c in submission.status_changes.all()
        ],
    }
