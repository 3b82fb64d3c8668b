"""Writes of judicial acts: drafting from templates, editing, and signing (PAdES B-T) by the judge.

Signing never holds the judge's key. `prepare_signing` renders the act to PDF and adds an empty
signature field; the judge's NCALayer signs the bytes it returns (`PreparedSigning.data`, or its
digest); `sign_act` checks that CMS as the court checks any signature (chain, validity,
revocation: `verify_cms`), requires the signer to be the act's judge, has the signature value
time-stamped (RFC 3161), embeds the CMS in the PDF, and then, in one transaction, stores the PDF
in the e-file and files it into the Merkle log (`archive.services.file_document`), records the
signature, marks the act signed, appends "act.signed" to the case history and leaves an
"act.signed" message in the outbox for the notices. Any refusal leaves every stored row as it was.

Who may draft and sign is decided in one place, `permissions.py`; every service asks it first.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torelik.acts import drafting, events, topics
from torelik.acts.models import ActKind, ActLanguage, ActStatus, JudicialAct
from torelik.acts.permissions import Action, require
from torelik.acts.rendering import render_act_pdf
from torelik.archive.services import file_document, store_blob
from torelik.cases.models import Case, CaseDocument
from torelik.cases.services import append_case_event
from torelik.identity.models import User
from torelik.kernel.errors import ConflictError, DomainError
from torelik.notices.services import enqueue_outbox
from torelik.signatures import pades, tsa
from torelik.signatures.errors import SignatureError
from torelik.signatures.services import record_signature
from torelik.signatures.verification import VerifiedSignature, verify_cms

log = logging.getLogger(__name__)

MAX_TITLE_LENGTH = 255
MAX_BODY_LENGTH = 200_000
# A prepared PDF names its signing time (/M); one older than this is prepared again.
PREPARATION_TTL = timedelta(hours=1)

# The e-file's classification of document types (torelik/archive/document_types.py) per kind.
ARCHIVE_DOCUMENT_TYPES: dict[str, str] = {
    ActKind.DECISION: "act.decision",
    ActKind.RULING: "act.ruling",
    ActKind.ORDER: "act.resolution",
    ActKind.COURT_ORDER: "act.court_order",
}


def _require_draft(act: JudicialAct) -> None:
    if act.status != ActStatus.DRAFT:
        raise ConflictError("act_signed", _("The act is signed; a signed act cannot be changed."))


@transaction.atomic
def create_draft(
    *, case: Case, user: User, kind: str, language: str, act_date: date | None = None
) -> JudicialAct:
    """A new draft of `kind` in `language` (kk or ru), its text filled from the template."""
    judge = require(user, Action.DRAFT_ACT, case=case)
    if kind not in ActKind.values:
        raise DomainError("kind_invalid", _("Choose the kind of act."), field="kind")
    if language not in ActLanguage.values:
        raise DomainError("language_invalid", _("An act is written in Kazakh or Russian."), field="language")
    when = act_date or timezone.localdate()
    title, body = drafting.fill_template(case=case, judge=judge, kind=kind, language=language, act_date=when)
    return JudicialAct.objects.create(
        case=case,
        kind=kind,
        language=language,
        title=title,
        body=body,
        act_date=when,
        judge=judge,
        created_by=user,
    )


@transaction.atomic
def update_draft(
    *, act: JudicialAct, user: User, title: str, body: str, act_date: date | None = None
) -> JudicialAct:
    """Save the judge's edits; any prepared PDF is dropped, as it no longer shows this text."""
    require(user, Action.EDIT_ACT, act=act)
    act = JudicialAct.objects.select_for_update().get(pk=act.pk)
    _require_draft(act)
    title = " ".join(title.split())
    body = body.replace("\r\n", "\n").strip()
    if not title:
        raise DomainError("title_required", _("Give the act a title."), field="title")
    if len(title) > MAX_TITLE_LENGTH:
        raise DomainError(
            "title_too_long",
            _("The title is longer than %(n)d characters.") % {"n": MAX_TITLE_LENGTH},
            field="title",
        )
    if not body:
        raise DomainError("body_required", _("The act has no text."), field="body")
    if len(body) > MAX_BODY_LENGTH:
        raise DomainError(
            "body_too_long",
            _("The text is longer than %(n)d characters.") % {"n": MAX_BODY_LENGTH},
            field="body",
        )
    act.title = title
    act.body = body + "\n"
    if act_date is not None:
        act.act_date = act_date
    _clear_preparation(act)
    act.save()
    return act


def _clear_preparation(act: JudicialAct) -> None:
    act.prepared_pdf = None
    act.prepared_reserved_start = None
    act.prepared_reserved_end = None
    act.prepared_digest = ""
    act.prepared_at = None
    act.unsigned_pdf_sha256 = ""


def judge_iins(*, act: JudicialAct, user: User) -> set[str]:
    """Whose key may sign `act`: the judge's, by the IIN in the register of judges or on the
    judge's own account (the two are one person; `permissions.require` has checked the account is the
    judge's)."""
    return {iin for iin in (act.judge.iin, user.iin) if iin}


def signer_iin(*, act: JudicialAct, user: User) -> str:
    """The IIN NCALayer is asked to offer keys of: the account's, else the register's."""
    return user.iin or act.judge.iin


@dataclass(frozen=True)
class PreparedSigning:
    """What the judge's NCALayer signs: `data` (detached CMS), or `digest` with `digested: true`."""

    act: JudicialAct
    prepared: pades.PreparedPdf
    signer_iin: str

    @property
    def data(self) -> bytes:
        return self.prepared.signed_content

    @property
    def digest(self) -> bytes:
        return self.prepared.digest


def _prepared_of(act: JudicialAct) -> pades.PreparedPdf | None:
    if act.prepared_pdf is None or act.prepared_reserved_start is None or act.prepared_reserved_end is None:
        return None
    return pades.PreparedPdf(
        pdf=bytes(act.prepared_pdf),
        reserved_start=act.prepared_reserved_start,
        reserved_end=act.prepared_reserved_end,
    )


@transaction.atomic
def prepare_signing(*, act: JudicialAct, user: User, now: datetime | None = None) -> PreparedSigning:
    """Render the act, add the empty signature field, keep the result; the same one while fresh."""
    require(user, Action.PREPARE_SIGNING, act=act)
    act = (
        JudicialAct.objects.select_for_update()
        .select_related("case__court", "case__category", "judge")
        .get(pk=act.pk)
    )
    _require_draft(act)
    moment = now or timezone.now()
    prepared = _prepared_of(act)
    if prepared is None or act.prepared_at is None or moment - act.prepared_at > PREPARATION_TTL:
        unsigned = render_act_pdf(act)
        prepared = pades.prepare_pdf(
            pdf=unsigned,
            signing_time=moment,
            reason=f"{act.title} — {act.case.number}",
            location=drafting.court_name(act.case, act.language),
            signer_name=act.judge.full_name,
        )
        act.prepared_pdf = prepared.pdf
        act.prepared_reserved_start = prepared.reserved_start
        act.prepared_reserved_end = prepared.reserved_end
        act.prepared_digest = prepared.digest.hex()
        act.prepared_at = moment
        act.unsigned_pdf_sha256 = hashlib.sha256(unsigned).hexdigest()
        # Not save(): updated_at records the judge's edits, not this.
        JudicialAct.objects.filter(pk=act.pk).update(
            prepared_pdf=act.prepared_pdf,
            prepared_reserved_start=act.prepared_reserved_start,
            prepared_reserved_end=act.prepared_reserved_end,
            prepared_digest=act.prepared_digest,
            prepared_at=act.prepared_at,
            unsigned_pdf_sha256=act.unsigned_pdf_sha256,
        )
    return PreparedSigning(act=act, prepared=prepared, signer_iin=signer_iin(act=act, user=user))


def sign_act(
    *,
    act: JudicialAct,
    user: User,
    cms: bytes | str,
    expected_digest: str | None = None,
    now: datetime | None = None,
    tsa_url: str | None = None,
) -> JudicialAct:
    """Accept the judge's CMS over the prepared PDF; see the module's docstring for the steps.

    `expected_digest` (hex), when the client sends it, must name the preparation it signed.
    Refusals: not_your_act, act_signed, not_prepared, act_changed (ConflictError), the
    SignatureError codes of `verify_cms` (certificate_expired, certificate_revoked, ...),
    signer_not_judge, tsa_unavailable / tsa_refused / tsa_response_invalid / tsa_untrusted,
    pdf_signature_invalid. On every refusal nothing is stored and the act stays a draft.
    """
    require(user, Action.SIGN_ACT, act=act)
    act = JudicialAct.objects.select_related("case", "judge").get(pk=act.pk)
    _require_draft(act)
    prepared = _prepared_of(act)
    if prepared is None and not expected_digest:
        raise ConflictError("not_prepared", _("Ask for the document to sign first."), field="cms")
    if prepared is None or (expected_digest and expected_digest.lower() != act.prepared_digest):
        raise ConflictError(
            "act_changed",
            _("The act was changed or prepared again after you signed it. Sign again."),
            field="cms",
        )
    if not cms:
        raise SignatureError("cms_malformed", _("No signature was sent."), field="cms")

    moment = now or timezone.now()
    verified = verify_cms(cms=cms, content=prepared.signed_content, at=moment)
    if verified.signer_iin not in judge_iins(act=act, user=user):
        raise SignatureError(
            "signer_not_judge",
            _("The act was signed with the key of %(name)s, not of the act's judge.")
            % {"name": verified.signer_name},
            field="cms",
        )
    value = pades.signature_value(verified.cms_der)
    stamp = tsa.request_timestamp(message=value, url=tsa_url)
    final_cms = pades.add_signature_timestamp(cms_der=verified.cms_der, token=stamp.token)
    signed_pdf = pades.embed_cms(prepared=prepared, cms_der=final_cms)
    report = pades.validate_pdf(pdf=signed_pdf)
    if not (report.intact and report.valid and report.covers_whole_file and report.timestamp_valid):
        log.error("signed act %s does not validate: %s", act.pk, report.summary)
        raise SignatureError(
            "pdf_signature_invalid",
            _("The signed PDF does not validate: %(problems)s") % {"problems": " ".join(report.problems)},
            field="cms",
        )
    return _store_signed(
        act=act,
        user=user,
        digest=prepared.digest.hex(),
        signed_pdf=signed_pdf,
        verified=dataclasses.replace(verified, cms_der=final_cms),
        signature_value=value,
        stamp=stamp,
        moment=moment,
    )


@transaction.atomic
def _store_signed(
    *,
    act: JudicialAct,
    user: User,
    digest: str,
    signed_pdf: bytes,
    verified: VerifiedSignature,
    signature_value: bytes,
    stamp: tsa.TimeStamp,
    moment: datetime,
) -> JudicialAct:
    locked = JudicialAct.objects.select_for_update().select_related("case").get(pk=act.pk)
    if locked.status != ActStatus.DRAFT:
        raise ConflictError("act_signed", _("The act is signed; a signed act cannot be changed."))
    if locked.prepared_digest != digest:
        raise ConflictError(
            "act_changed",
            _("The act was changed or prepared again after you signed it. Sign again."),
            field="cms",
        )
    blob = store_blob(data=signed_pdf, content_type="application/pdf")
    record = record_signature(verified=verified)
    # The PAdES signature covers the PDF's byte range, not the whole file, so the e-file's
    # check "signature over these exact bytes" does not apply to it; the signature travels
    # inside the PDF and is kept as `locked.signature`.
    entry = file_document(
        blob=blob,
        document_type=ARCHIVE_DOCUMENT_TYPES[locked.kind],
        case_number=locked.case.number,
        author=locked.judge.full_name,
    )
    locked.status = ActStatus.SIGNED
    locked.signed_at = moment
    locked.pdf = blob
    locked.signature = record
    locked.log_seq = entry.seq
    locked.signature_value_sha256 = hashlib.sha256(signature_value).hexdigest()
    locked.timestamp_at = stamp.gen_time
    locked.timestamp_authority = stamp.tsa_name[:255]
    locked.prepared_pdf = None  # the signed PDF is in the e-file now
    locked.save()
    CaseDocument.objects.create(
        case=locked.case, blob=blob, title=locked.title, filename=locked.filename, signature=record
    )
    payload = {
        "act_id": locked.pk,
        "case_number": locked.case.number,
        "kind": locked.kind,
        "language": locked.language,
        "title": locked.title,
        "sha256": blob.sha256,
        "log_seq": entry.seq,
        "certificate_serial": verified.certificate_serial,
        "timestamp": stamp.gen_time.isoformat(),
    }
    append_case_event(
        case=locked.case, kind=events.ACT_SIGNED, actor=user, occurred_at=moment, payload=payload
    )
    # Delivery to the parties (SMS, e-mail, post) belongs to the notices; they read it from here.
    enqueue_outbox(topic=topics.ACT_SIGNED, payload=payload)
    return locked
