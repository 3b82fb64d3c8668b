from datetime import date, datetime
from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class NamedCode(Schema):
    code: str
    name: str


class CourtOut(NamedCode):
    level: str
    region: str | None = None
    accepts_efiling: bool


class CategoryOut(NamedCode):
    kind: str
    instance: str
    is_property: bool
    allows_virtual_jurisdiction: bool


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


class PartyIn(Schema):
    role: str
    person_kind: str
    name: str
    iin: str = ""
    bin: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


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


class PartyOut(PartyIn):
    pass


class DocumentOut(Schema):
    id: int
    filename: str
    title: str
    sha256: str
    size: int
    signed: bool
    signer_iin: str | None = None


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


class CaseOut(Schema):
    id: int
    number: str
    court: NamedCode
    category: NamedCode
    status: str
    status_label: str
    registered_at: datetime
    parties: list[PartyOut]
    documents: list[DocumentOut]
