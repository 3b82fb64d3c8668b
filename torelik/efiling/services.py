"""Filing through the Judicial Office: drafts, documents, signing, submission and payment.

Every function here either completes or leaves the database as it found it (one transaction),
and raises DomainError naming the problem.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from torelik.archive.models import Blob
from torelik.archive.selectors import read_blob
from torelik.archive.services import store_blob
from torelik.cases.models import PartyRole, PersonKind
from torelik.cases.parties import PartyDetails
from torelik.courts.models import CaseCategory, Court
from torelik.efiling.appeals import ReviewTarget, review_target
from torelik.efiling.fees import FeeQuote, exemption_rule_for, quote_state_fee
from torelik.efiling.models import (
    FeeRelief,
    Payment,
    PaymentStatus,
    Submission,
    SubmissionDocument,
    SubmissionParty,
    SubmissionStatus,
    SubmissionStatusChange,
)
from torelik.efiling.payments import get_payment_provider
from torelik.efiling.permissions import Action, require
from torelik.efiling.topics import SUBMISSION_STATUS_CHANGED
from torelik.efiling.types import SubmissionType, get_submission_type
from torelik.identity.models import Role, User
from torelik.kernel.config import torelik_setting
from torelik.kernel.errors import ConflictError, DomainError, NotFoundError
from torelik.kernel.identifiers import validate_bin, validate_iin
from torelik.kernel.money import Money
from torelik.notices.services import enqueue_outbox
from torelik.signatures.services import record_signature
from torelik.signatures.verification import VerifiedSignature, verify_cms

# A claim above ten trillion tenge is a typing error, not a dispute.
MAX_CLAIM_TIYN = 10**15
MAX_TEXT_CHARS = 100_000
EDITABLE_STATUSES = frozenset({SubmissionStatus.DRAFT, SubmissionStatus.LEFT_WITHOUT_MOTION})


@dataclass(frozen=True)
class DraftInput:
    type_key: str
    court_code: str
    category_code: str
    title: str
    text: str
    parties: list[PartyDetails] = field(default_factory=list)
    is_property: bool = False
    claim_amount: str | None = None
    virtual_jurisdiction_consent: bool = False
    fee_exemption: str = ""
    fee_deferral_requested: bool = False
    fee_deferral_reason: str = ""
    # Reviews (appeal, private complaint, cassation petition): the case, the act, and a motion
    # to restore the term when it has passed. The court, category and amount follow the case.
    appealed_case: str = ""
    appealed_act: int | None = None
    restore_term_reason: str = ""


@dataclass(frozen=True)
class _ValidDraft:
    stype: SubmissionType
    court: Court
    category: CaseCategory
    claim_amount: Money | None
    parties: list[PartyDetails]
    filer_kind: str
    review: ReviewTarget | None = None


# ---------------------------------------------------------------- validation


def _validate_party(party: PartyDetails, index: int) -> PartyDetails:
    prefix = f"parties[{index}]"
    if party.role not in PartyRole.values:
        raise DomainError(
            "party_role_invalid",
            _("Unknown party role “%(role)s”.") % {"role": party.role},
            field=f"{prefix}.role",
        )
    if party.person_kind not in PersonKind.values:
        raise DomainError(
            "party_kind_invalid",
            _("A party must be an individual or a legal entity."),
            field=f"{prefix}.person_kind",
        )
    name = party.name.strip()
    if not name or len(name) > 255:
        raise DomainError(
            "party_name_required",
            _("Give the party's full name or the organisation's name."),
            field=f"{prefix}.name",
        )
    iin, bin_ = party.iin.strip(), party.bin.strip()
    if party.person_kind == PersonKind.INDIVIDUAL:
        if bin_:
            raise DomainError(
                "party_bin_for_individual", _("An individual has an IIN, not a BIN."), field=f"{prefix}.bin"
            )
        if iin:
            _with_field(lambda: validate_iin(iin), f"{prefix}.iin")
    else:
        if iin:
            raise DomainError(
                "party_iin_for_entity", _("A legal entity has a BIN, not an IIN."), field=f"{prefix}.iin"
            )
        if bin_:
            _with_field(lambda: validate_bin(bin_), f"{prefix}.bin")
    if not (iin or bin_) and not party.address.strip():
        raise DomainError(
            "party_identity_required",
            _("Give the party's IIN/BIN, or their address if the number is unknown."),
            field=f"{prefix}.address",
        )
    return PartyDetails(
        role=party.role,
        person_kind=party.person_kind,
        name=name,
        iin=iin,
        bin=bin_,
        address=party.address.strip()[:255],
        phone=party.phone.strip()[:20],
        email=party.email.strip(),
    )


def _with_field(check: Any, field_name: str) -> None:
    try:
        check()
    except DomainError as exc:
        exc.field = field_name
        raise


def _validate_draft(*, filer: User, data: DraftInput, draft: Submission | None = None) -> _ValidDraft:
    stype = get_submission_type(data.type_key)
    review: ReviewTarget | None = None
    if stype.review:
        review = review_target(
            filer=filer,
            stype=stype,
            case_number=data.appealed_case,
            act_id=data.appealed_act,
            restore_term_reason=data.restore_term_reason,
            draft=draft,
        )
        lower = review.case
        amount = lower.claim_amount_tiyn
        data = replace(
            data,
            court_code=review.court.code,
            category_code=lower.category.code,
            is_property=bool(amount) and lower.category.is_property,
            claim_amount=f"{amount // 100}.{amount % 100:02d}"
            if amount and lower.category.is_property
            else None,
        )
    court = Court.objects.filter(code=data.court_code, is_active=True).first()
    if court is None:
        raise DomainError(
            "court_not_found",
            _("There is no court with code %(code)s.") % {"code": data.court_code},
            field="court",
        )
    if not court.accepts_efiling:
        raise DomainError(
            "court_no_efiling",
            _("%(court)s does not accept electronic filings.") % {"court": court},
            field="court",
        )
    category_code = data.category_code or stype.categories[0]
    if category_code not in stype.categories and not stype.review:
        raise DomainError(
            "category_not_allowed",
            _("Category “%(code)s” cannot be chosen for this kind of filing.") % {"code": category_code},
            field="category",
        )
    category = CaseCategory.objects.filter(code=category_code, is_active=True).first()
    if category is None:
        raise DomainError(
            "category_not_found",
            _("There is no case category “%(code)s”.") % {"code": category_code},
            field="category",
        )
    title, text = data.title.strip(), data.text.strip()
    if not title or len(title) > 255:
        raise DomainError(
            "title_required", _("Give the filing a title of at most 255 characters."), field="title"
        )
    if not text:
        raise DomainError("text_required", _("Write the text of the filing."), field="text")
    if len(text) > MAX_TEXT_CHARS:
        raise DomainError(
            "text_too_long",
            _("The text is longer than %(n)d characters.") % {"n": MAX_TEXT_CHARS},
            field="text",
        )

    claim_amount: Money | None = None
    if category.is_property and stype.may_be_property and not data.is_property:
        # The fee of a property claim is a percent of the amount: a property dispute declared
        # "non-property" would pay a flat 0.5 MCI on any sum.
        raise DomainError(
            "claim_amount_required_for_category",
            _("“%(category)s” is a property dispute: mark the claim as a property claim and give the amount.")
            % {"category": category.name},
            field="claim_amount",
        )
    if data.is_property:
        if not stype.may_be_property:
            raise DomainError(
                "property_not_allowed", _("This kind of filing has no claim amount."), field="is_property"
            )
        if data.claim_amount in (None, ""):
            raise DomainError(
                "claim_amount_required", _("A property claim needs the claim amount."), field="claim_amount"
            )
        claim_amount = _with_amount(str(data.claim_amount))
    elif data.claim_amount not in (None, ""):
        raise DomainError(
            "claim_amount_not_property",
            _("A claim amount is given only for a property claim."),
            field="claim_amount",
        )

    if data.fee_exemption:
        # Only the exemptions the law gives for this category (FeeExemptionRule, editable data).
        exemption_rule_for(exemption=data.fee_exemption, category_code=category.code)
    if data.fee_deferral_requested and not data.fee_deferral_reason.strip():
        raise DomainError(
            "fee_deferral_reason_required",
            _("Explain why you ask to defer the state fee."),
            field="fee_deferral_reason",
        )
    if data.virtual_jurisdiction_consent and not category.allows_virtual_jurisdiction:
        raise DomainError(
            "virtual_jurisdiction_not_allowed",
            _("This category cannot be heard under virtual jurisdiction."),
            field="virtual_jurisdiction_consent",
        )

    parties = [_validate_party(p, i) for i, p in enumerate(data.parties)]
    allowed_roles = {stype.own_role, PartyRole.THIRD_PARTY, PartyRole.REPRESENTATIVE}
    if stype.other_role:
        allowed_roles.add(stype.other_role)
    for i, p in enumerate(parties):
        if p.role not in allowed_roles:
            raise DomainError(
                "party_role_not_allowed",
                _("A %(role)s is not a party to this kind of filing.") % {"role": PartyRole(p.role).label},
                field=f"parties[{i}].role",
            )
    own = [p for p in parties if p.role == stype.own_role]
    if not own:
        if filer.role in (Role.LAWYER, Role.PSC_OPERATOR):
            raise DomainError(
                "client_required",
                _("Name the person you file for as %(role)s.") % {"role": PartyRole(stype.own_role).label},
                field="parties",
            )
        own = [PartyDetails.of_account(filer, role=stype.own_role)]
        parties = own + parties
    filer_kind = own[0].person_kind
    if filer.role in (Role.CITIZEN, Role.ENTITY):
        # Citizens and organisations file only in their own name; filing for someone else is a
        # representative's (a lawyer's) work. This also fixes the fee's person kind to the filer's.
        mine = [p for p in own if p.belongs_to(filer)]
        if not mine:
            raise DomainError(
                "filer_not_own_party",
                _(
                    "You can file only in your own name: name yourself as %(role)s. "
                    "To file for someone else, a lawyer files it."
                )
                % {"role": PartyRole(stype.own_role).label},
                field="parties",
            )
        filer_kind = mine[0].person_kind
        if any(p.person_kind != filer_kind for p in own):
            raise DomainError(
                "filer_kind_mixed",
                _("As %(role)s, name only yourself; other people file in their own name.")
                % {"role": PartyRole(stype.own_role).label},
                field="parties",
            )
    if (
        stype.other_side_required
        and stype.other_role
        and not any(p.role == stype.other_role for p in parties)
    ):
        raise DomainError(
            "other_side_required",
            _("Name at least one %(role)s.") % {"role": PartyRole(stype.other_role).label},
            field="parties",
        )
    return _ValidDraft(
        stype=stype,
        court=court,
        category=category,
        claim_amount=claim_amount,
        parties=parties,
        filer_kind=filer_kind,
        review=review,
    )


def _with_amount(raw: str) -> Money:
    try:
        amount = Money.from_tenge(raw)
    except DomainError as exc:
        exc.field = "claim_amount"
        raise
    if amount.tiyn <= 0:
        raise DomainError(
            "claim_amount_not_positive", _("The claim amount must be more than zero."), field="claim_amount"
        )
    if amount.tiyn > MAX_CLAIM_TIYN:
        raise DomainError(
            "claim_amount_absurd",
            _("The claim amount is implausibly large; check the figure."),
            field="claim_amount",
        )
    return amount


# ---------------------------------------------------------------- drafts


def record_status_change(submission: Submission, *, actor: User | None, at: datetime, note: str = "") -> None:
    change = SubmissionStatusChange.objects.create(
        submission=submission, status=submission.status, at=at, actor=actor, note=note
    )
    enqueue_outbox(
        topic=SUBMISSION_STATUS_CHANGED,
        payload={"submission_id": submission.pk, "status_change_id": change.pk, "status": submission.status},
    )


def _apply_draft(submission: Submission, valid: _ValidDraft, data: DraftInput) -> None:
    submission.type_key = valid.stype.key
    submission.court = valid.court
    submission.category = valid.category
    submission.title = data.title.strip()
    submission.text = data.text.strip()
    submission.filer_kind = valid.filer_kind
    # A review follows its case: property when the case is (its amount is the disputed sum).
    submission.is_property = data.is_property or (valid.review is not None and valid.claim_amount is not None)
    submission.claim_amount_tiyn = valid.claim_amount.tiyn if valid.claim_amount else None
    submission.virtual_jurisdiction_consent = data.virtual_jurisdiction_consent
    submission.fee_exemption = data.fee_exemption
    submission.fee_deferral_requested = data.fee_deferral_requested
    submission.fee_deferral_reason = data.fee_deferral_reason.strip()
    submission.appealed_case = valid.review.case if valid.review else None
    submission.appealed_act = valid.review.act if valid.review else None
    submission.restore_term_reason = data.restore_term_reason.strip() if valid.review else ""


def _save_parties(submission: Submission, parties: list[PartyDetails]) -> None:
    submission.parties.all().delete()
    SubmissionParty.objects.bulk_create(
        [
            SubmissionParty(
                submission=submission,
                role=p.role,
                person_kind=p.person_kind,
                name=p.name,
                iin=p.iin,
                bin=p.bin,
                address=p.address,
                phone=p.phone,
                email=p.email,
            )
            for p in parties
        ]
    )


@transaction.atomic
def create_draft(*, filer: User, data: DraftInput) -> Submission:
    require(filer, Action.CREATE_DRAFT)
    valid = _validate_draft(filer=filer, data=data)
    submission = Submission(filer=filer)
    _apply_draft(submission, valid, data)
    submission.save()
    _save_parties(submission, valid.parties)
    SubmissionStatusChange.objects.create(
        submission=submission, status=submission.status, at=timezone.now(), actor=filer
    )
    return submission


def _check_fix_deadline(submission: Submission) -> None:
    """A filing left without motion can be fixed only until the court's deadline (inclusive)."""
    deadline = submission.fix_deadline
    if (
        submission.status == SubmissionStatus.LEFT_WITHOUT_MOTION
        and deadline is not None
        and timezone.localdate() > deadline
    ):
        raise ConflictError(
            "fix_deadline_passed",
            _(
                "The deadline to fix this filing was %(date)s; it has passed, "
                "so the filing can no longer be changed or resubmitted."
            )
            % {"date": date_format(deadline, "SHORT_DATE_FORMAT")},
        )


@transaction.atomic
def update_draft(*, submission: Submission, filer: User, data: DraftInput) -> Submission:
    require(filer, Action.EDIT_DRAFT, submission=submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status not in EDITABLE_STATUSES:
        raise ConflictError("not_a_draft", _("Only a draft or a filing left without motion can be edited."))
    _check_fix_deadline(submission)
    valid = _validate_draft(filer=filer, data=data, draft=submission)
    _apply_draft(submission, valid, data)
    submission.save()
    _save_parties(submission, valid.parties)
    return submission


def _check_pdf(data: bytes, filename: str) -> None:
    limit = int(torelik_setting("MAX_ATTACHMENT_BYTES"))
    if len(data) > limit:
        raise DomainError(
            "file_too_large",
            _("“%(name)s” is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"name": filename, "size": len(data) / 2**20, "limit": limit / 2**20},
            field="file",
        )
    if not data:
        raise DomainError("file_empty", _("“%(name)s” is empty.") % {"name": filename}, field="file")
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise DomainError(
            "file_not_pdf", _("“%(name)s” is not a PDF document.") % {"name": filename}, field="file"
        )


@transaction.atomic
def add_document(
    *, submission: Submission, filer: User, filename: str, data: bytes, title: str = ""
) -> SubmissionDocument:
    require(filer, Action.EDIT_DRAFT, submission=submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status not in EDITABLE_STATUSES:
        raise ConflictError(
            "not_editable", _("Documents can be added only to a draft or a filing left without motion.")
        )
    _check_fix_deadline(submission)
    filename = (filename or "document.pdf").replace("/", "_").replace("\\", "_")[-255:]
    _check_pdf(data, filename)
    if submission.documents.count() >= 50:
        raise DomainError("too_many_documents", _("A filing may carry at most 50 documents."), field="file")
    blob = store_blob(data=data, content_type="application/pdf")
    if submission.documents.filter(blob=blob).exists():
        raise ConflictError(
            "document_duplicate", _("“%(name)s” is already attached.") % {"name": filename}, field="file"
        )
    return SubmissionDocument.objects.create(
        submission=submission, blob=blob, filename=filename, title=(title.strip() or filename)[:255]
    )


@transaction.atomic
def remove_document(*, submission: Submission, filer: User, document_id: int) -> None:
    require(filer, Action.EDIT_DRAFT, submission=submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status not in EDITABLE_STATUSES:
        raise ConflictError("not_editable", _("Documents can be removed only from a draft."))
    _check_fix_deadline(submission)
    doc = submission.documents.filter(pk=document_id, signature__isnull=True).first()
    if doc is None:
        raise NotFoundError("document_not_found", _("No such unsigned document in this filing."))
    doc.delete()


# ---------------------------------------------------------------- signing and submission


def quote_fee_for(*, submission: Submission, on_date: Any = None) -> FeeQuote:
    assert submission.category is not None
    return quote_state_fee(
        submission_type=submission.type_key,
        category_code=submission.category.code,
        filer_kind=submission.filer_kind,
        is_property=submission.is_property,
        claim_amount=Money(submission.claim_amount_tiyn)
        if submission.claim_amount_tiyn is not None
        else None,
        on_date=on_date or timezone.localdate(),
        exemption=submission.fee_exemption,
    )


def signing_payload(*, submission: Submission) -> bytes:
    """The exact bytes the filer signs: the filing's content and the hash of every attachment.

    Canonical JSON (sorted keys, no spaces) so anyone can rebuild and re-check it later.
    """
    body = {
        "format": "torelik.submission.v1",
        "submission_id": submission.pk,
        "type": submission.type_key,
        "court": submission.court.code,
        "category": submission.category.code if submission.category else None,
        "title": submission.title,
        "text": submission.text,
        "filer_kind": submission.filer_kind,
        "is_property": submission.is_property,
        "claim_amount_tiyn": submission.claim_amount_tiyn,
        "virtual_jurisdiction_consent": submission.virtual_jurisdiction_consent,
        "fee_exemption": submission.fee_exemption,
        "fee_deferral_requested": submission.fee_deferral_requested,
        "parties": [
            {
                "role": p.role,
                "person_kind": p.person_kind,
                "name": p.name,
                "iin": p.iin,
                "bin": p.bin,
                "address": p.address,
            }
            for p in submission.parties.order_by("id")
        ],
        "documents": [
            {"filename": d.filename, "sha256": d.blob_id} for d in submission.documents.order_by("id")
        ],
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _check_signer(verified: VerifiedSignature, filer: User, what: str) -> None:
    # The filer's own key: an organisation's certificate for an organisation, a personal one otherwise.
    if verified.signer_iin != filer.iin or (verified.signer_bin or "") != (filer.bin or ""):
        raise DomainError(
            "signer_not_filer",
            _("%(what)s is signed by IIN %(iin)s, not by you.") % {"what": what, "iin": verified.signer_iin},
            field="signature",
        )


def _next_reference(submission: Submission, at: datetime) -> str:
    return f"JO-{timezone.localtime(at).year}-{submission.pk:07d}"  # the year in Almaty, not UTC


def _check_submittable(submission: Submission) -> None:
    if submission.status not in EDITABLE_STATUSES:
        raise ConflictError(
            "already_submitted",
            _("This filing was already submitted (%(reference)s).") % {"reference": submission.reference},
        )
    _check_fix_deadline(submission)


def submit(
    *, submission: Submission, filer: User, body_cms: bytes | str, document_cms: dict[int, bytes | str]
) -> Submission:
    """Verifies the signatures, then records the submission in one short write transaction.

    Verification may ask an OCSP responder over the network, so it runs before the transaction
    (on SQLite a write transaction holds the database lock). The transaction then rebuilds the
    signed bytes from the locked rows and refuses if they differ from what was verified.
    """
    require(filer, Action.SUBMIT, submission=submission)
    current = Submission.objects.select_related("court", "category").get(pk=submission.pk)
    _check_submittable(current)
    payload = signing_payload(submission=current)
    try:
        verified_body = verify_cms(cms=body_cms, content=payload)
    except DomainError as exc:
        exc.field = "body_cms"
        raise
    _check_signer(verified_body, filer, _("The filing"))

    documents = list(current.documents.select_related("blob").order_by("id"))
    unknown = set(document_cms) - {d.pk for d in documents}
    if unknown:
        raise DomainError(
            "document_not_found",
            _("Signature for a document that is not in this filing."),
            field="document_cms",
        )
    verified_documents: dict[int, VerifiedSignature] = {}
    for doc in documents:
        if doc.signature_id is not None and doc.pk not in document_cms:
            continue  # signed at an earlier submission; unchanged since (it is content-addressed)
        cms = document_cms.get(doc.pk)
        if cms is None:
            raise DomainError(
                "document_unsigned",
                _("“%(name)s” is not signed.") % {"name": doc.filename},
                field=f"document_cms[{doc.pk}]",
            )
        try:
            verified = verify_cms(cms=cms, content=read_blob(blob=doc.blob))
        except DomainError as exc:
            exc.message = _("“%(name)s”: %(problem)s") % {"name": doc.filename, "problem": exc.message}
            exc.field = f"document_cms[{doc.pk}]"
            raise
        _check_signer(verified, filer, doc.filename)
        verified_documents[doc.pk] = verified
    return _record_submission(
        submission_id=current.pk,
        filer=filer,
        verified_body=verified_body,
        verified_documents=verified_documents,
    )


@transaction.atomic
def _record_submission(
    *,
    submission_id: int,
    filer: User,
    verified_body: VerifiedSignature,
    verified_documents: dict[int, VerifiedSignature],
) -> Submission:
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("court", "category")
        .get(pk=submission_id)
    )
    _check_submittable(submission)
    payload = signing_payload(submission=submission)
    if hashlib.sha256(payload).hexdigest() != verified_body.content_sha256:
        # Edited (or a document added or removed) between verification and this transaction.
        raise ConflictError(
            "submission_changed", _("The filing changed while it was being signed; sign it again.")
        )
    now = timezone.now()
    for doc in submission.documents.order_by("id"):
        verified = verified_documents.get(doc.pk)
        if verified is not None:
            doc.signature = record_signature(verified=verified)
            doc.save(update_fields=["signature"])
        elif doc.signature_id is None:
            raise ConflictError(
                "submission_changed", _("The filing changed while it was being signed; sign it again.")
            )

    body_blob: Blob = store_blob(data=payload, content_type="application/json")
    submission.body_sha256 = body_blob.sha256
    submission.body_signature = record_signature(verified=verified_body)
    quote = quote_fee_for(submission=submission)
    paid = submission.payments.filter(status=PaymentStatus.CONFIRMED).exists()
    submission.fee_tiyn = quote.amount.tiyn
    submission.fee_explanation = quote.as_dict()
    submission.submitted_at = now
    if not submission.reference:
        submission.reference = _next_reference(submission, now)
    # An exemption the court must check, or a deferral, goes to the court without payment, but
    # the clerk decides on it before the filing can be accepted (intake.decide_fee_relief).
    relief_requested = quote.amount.tiyn > 0 and (quote.relief_pending or submission.fee_deferral_requested)
    if paid or submission.fee_relief in (FeeRelief.GRANTED, FeeRelief.DENIED):
        relief_requested = False
    needs_payment = quote.amount.tiyn > 0 and not relief_requested and not paid
    if submission.fee_relief == FeeRelief.GRANTED:
        needs_payment = False
    if relief_requested:
        submission.fee_relief = FeeRelief.PENDING
    submission.status = SubmissionStatus.AWAITING_PAYMENT if needs_payment else SubmissionStatus.SUBMITTED
    submission.save()
    record_status_change(submission, actor=filer, at=now)
    return submission


# ---------------------------------------------------------------- payment


@transaction.atomic
def start_payment(
    *, submission: Submission, filer: User, provider_name: str = "demo_bank"
) -> tuple[Payment, str]:
    """Opens a payment at the bank; returns it with the address to send the payer to."""
    require(filer, Action.PAY_FEE, submission=submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != SubmissionStatus.AWAITING_PAYMENT:
        raise ConflictError("payment_not_due", _("No state fee is due on this filing now."))
    provider = get_payment_provider(provider_name)
    payment = submission.payments.filter(status=PaymentStatus.PENDING, provider=provider_name).first()
    if payment is None or payment.amount_tiyn != submission.fee_tiyn:
        assert submission.fee_tiyn is not None
        payment = Payment.objects.create(
            submission=submission,
            provider=provider_name,
            amount_tiyn=submission.fee_tiyn,
            provider_reference=f"PAY-{secrets.token_hex(8).upper()}",
        )
    return payment, provider.payment_page_url(payment=payment)


@transaction.atomic
def handle_payment_callback(*, provider_name: str, body: bytes, signature: str) -> Payment:
    """The bank's signed notice that a payment was confirmed or declined. Safe to repeat."""
    provider = get_payment_provider(provider_name)
    notice = provider.parse_callback(body=body, signature=signature)
    payment = Payment.objects.select_for_update().filter(provider_reference=notice.payment_reference).first()
    if payment is None or payment.provider != provider_name:
        raise NotFoundError(
            "payment_not_found", _("Unknown payment %(ref)s.") % {"ref": notice.payment_reference}
        )
    if notice.amount_tiyn != payment.amount_tiyn:
        raise DomainError(
            "payment_amount_mismatch",
            _("The bank reports %(got)s, but %(due)s was due.")
            % {"got": Money(notice.amount_tiyn).format(), "due": Money(payment.amount_tiyn).format()},
        )
    if payment.status != PaymentStatus.PENDING:
        if payment.status == notice.status:
            return payment  # a repeated notice: already applied
        raise ConflictError(
            "payment_already_final",
            _("Payment %(ref)s is already %(status)s.")
            % {"ref": payment.provider_reference, "status": payment.get_status_display()},
        )
    now = timezone.now()
    payment.status = notice.status
    payment.completed_at = now
    payment.callback = json.loads(body)
    payment.save()
    submission = Submission.objects.select_for_update().get(pk=payment.submission_id)
    if notice.status == PaymentStatus.CONFIRMED and submission.status == SubmissionStatus.AWAITING_PAYMENT:
        submission.status = SubmissionStatus.SUBMITTED
        submission.save(update_fields=["status", "updated_at"])
        record_status_change(
            submission,
            actor=None,
            at=now,
            note=_("State fee %(amount)s paid, payment %(ref)s.")
            % {"amount": Money(payment.amount_tiyn).format(), "ref": payment.provider_reference},
        )
    elif notice.status == PaymentStatus.DECLINED:
        SubmissionStatusChange.objects.create(
            submission=submission,
            status=submission.status,
            at=now,
            actor=None,
            note=_("The bank declined payment %(ref)s; you can pay again.")
            % {"ref": payment.provider_reference},
        )
    return payment
