"""PAdES signatures on PDFs, with the signer's key outside the server (NCALayer).

Signing is split in two, so the judge's key never leaves the judge's token:

1. `prepare_pdf` adds an empty signature field to the PDF (a certification signature that allows
   no later changes, sub-filter ETSI.CAdES.detached) and reserves room for the CMS; the bytes the
   signature must cover are everything but that room (`PreparedPdf.signed_content`, the
   /ByteRange), with SHA-256 `PreparedPdf.digest`.
2. The browser has NCALayer sign those bytes as a detached CMS (or their digest, with
   `signingParams.digested`). The server checks the CMS (`verification.verify_cms` over
   `signed_content`), asks a time-stamping authority to stamp the signature value and adds the
   token as the signature-time-stamp unsigned attribute (`add_signature_timestamp`: PAdES B-T),
   then writes the CMS into the reserved room (`embed_cms`).

`validate_pdf` checks a signed PDF with pyHanko against the court's trust store and the CRLs in
PKI_DIR: integrity, the signature, the chain, revocation, the time-stamp, and whether the
signature covers the whole file or something was changed or appended after signing.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import io
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import cms as acms
from asn1crypto import core
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.utils.translation import gettext as _

from torelik.signatures import conf
from torelik.signatures.certificates import subject_info
from torelik.signatures.errors import SignatureError
from torelik.signatures.truststore import load_trust_store

log = logging.getLogger(__name__)

FIELD_NAME = "Signature1"
SUBFILTER = "/ETSI.CAdES.detached"
DIGEST_ALGORITHM = "sha256"
# Room for the CMS, in hex digits (two per byte): the signer's chain plus a time-stamp token with
# the TSA's certificate fit in 16 KiB several times over; NCA chains are longer than the demo's.
RESERVED_HEX_DIGITS = 64 * 1024

T = TypeVar("T")


@dataclass(frozen=True)
class PreparedPdf:
    """A PDF in its final state before signing, with the room for the CMS left empty."""

    pdf: bytes
    reserved_start: int  # the '<' of /Contents
    reserved_end: int  # one past its '>'

    @property
    def signed_content(self) -> bytes:
        """The bytes the signature covers: the whole file but the reserved /Contents."""
        return self.pdf[: self.reserved_start] + self.pdf[self.reserved_end :]

    @property
    def digest(self) -> bytes:
        return hashlib.sha256(self.signed_content).digest()

    @property
    def byte_range(self) -> tuple[int, int, int, int]:
        return (0, self.reserved_start, self.reserved_end, len(self.pdf) - self.reserved_end)


def prepare_pdf(
    *,
    pdf: bytes,
    signing_time: datetime,
    reason: str = "",
    location: str = "",
    signer_name: str = "",
    certify: bool = True,
) -> PreparedPdf:
    """Add an empty PAdES signature to `pdf` (as an incremental update) and reserve its room.

    With `certify` the signature is a certification signature whose DocMDP permissions allow no
    change at all after signing, as befits a judicial act.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.sign.fields import MDPPerm, SigFieldSpec
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.signers.cms_embedder import PdfCMSEmbedder, SigIOSetup, SigMDPSetup, SigObjSetup
    from pyhanko.sign.signers.pdf_byterange import SignatureObject
    from pyhanko.sign.signers.pdf_byterange import SigSeedSubFilter as SubFilter

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        embedder = PdfCMSEmbedder(new_field_spec=SigFieldSpec(sig_field_name=FIELD_NAME)).write_cms(
            field_name=FIELD_NAME, writer=writer
        )
        next(embedder)
        placeholder = SignatureObject(
            timestamp=signing_time.astimezone(UTC),
            subfilter=SubFilter.PADES,
            name=signer_name or None,
            reason=reason or None,
            location=location or None,
            bytes_reserved=RESERVED_HEX_DIGITS,
        )
        mdp = (
            SigMDPSetup(md_algorithm=DIGEST_ALGORITHM, certify=True, docmdp_perms=MDPPerm.NO_CHANGES)
            if certify
            else None
        )
        embedder.send(SigObjSetup(sig_placeholder=placeholder, mdp_setup=mdp))
        prepared, output = embedder.send(SigIOSetup(md_algorithm=DIGEST_ALGORITHM, in_place=False))
    except (PdfReadError, SigningError, ValueError, KeyError, TypeError) as exc:
        raise SignatureError(
            "pdf_unreadable", _("The PDF cannot be prepared for signing: %(detail)s") % {"detail": exc}
        ) from exc
    output.seek(0)
    data = output.read()
    result = PreparedPdf(
        pdf=bytes(data),
        reserved_start=prepared.reserved_region_start,
        reserved_end=prepared.reserved_region_end,
    )
    if result.digest != prepared.document_digest:  # our idea of the byte range must be pyHanko's
        raise RuntimeError("byte range mismatch while preparing the PDF")
    return result


def signature_value(cms_der: bytes) -> bytes:
    """The SignerInfo's signature value: what the signature time-stamp covers (RFC 5126 / CAdES-T)."""
    signer_info = _signer_info(acms.ContentInfo.load(cms_der))
    return bytes(signer_info["signature"].native)


def add_signature_timestamp(*, cms_der: bytes, token: acms.ContentInfo | bytes) -> bytes:
    """The CMS with `token` added as its signature-time-stamp unsigned attribute.

    Only the unsigned attributes change: every other byte of the SignerInfo (the signed
    attributes and the signature among them) keeps its original encoding, so the signature still
    verifies. The new DER is spliced from the original's elements rather than re-encoded by
    asn1crypto, whose encoder re-encodes nested structures again and again once one of them
    changed (minutes for one CMS whose signer's name holds Kazakh letters).
    """
    info = acms.ContentInfo.load(cms_der)
    _signer_info(info)  # one SignerInfo of a SignedData, or SignatureError
    token_der = token.dump() if isinstance(token, acms.ContentInfo) else bytes(token)
    try:
        acms.ContentInfo.load(token_der)
        return _spliced(cms_der, token_der)
    except (ValueError, TypeError, IndexError) as exc:
        raise SignatureError(
            "cms_malformed", _("The signature is not a readable CMS: %(detail)s") % {"detail": exc}
        ) from None


_TIMESTAMP_ATTRIBUTE_OID = "1.2.840.113549.1.9.16.2.14"  # id-aa-signatureTimeStampToken
_UNSIGNED_ATTRS_TAG = 0xA1  # [1] IMPLICIT SET OF Attribute


def _spliced(cms_der: bytes, token_der: bytes) -> bytes:
    """ContentInfo { OID, [0] SignedData { ..., SignerInfos { SignerInfo } } } with the SignerInfo's
    unsigned attributes replaced: the old ones but a signature time-stamp, plus the new one."""
    outer_tag, outer = _der_children(cms_der)
    content_type, explicit = outer
    explicit_tag, (signed_data,) = _der_children(explicit)
    sd_tag, sd_children = _der_children(signed_data)
    infos_tag, (signer_info,) = _der_children(sd_children[-1])
    si_tag, si_children = _der_children(signer_info)
    kept = [c for c in si_children if c[0] != _UNSIGNED_ATTRS_TAG]
    attributes: list[bytes] = []
    for child in si_children:
        if child[0] == _UNSIGNED_ATTRS_TAG:
            _tag, found = _der_children(child)
            attributes += [a for a in found if _attribute_oid(a) != _TIMESTAMP_ATTRIBUTE_OID]
    oid = core.ObjectIdentifier(_TIMESTAMP_ATTRIBUTE_OID).dump()
    attributes.append(_der(0x30, oid + _der(0x31, token_der)))
    unsigned = _der(_UNSIGNED_ATTRS_TAG, b"".join(sorted(attributes)))  # DER orders a SET OF
    new_info = _der(si_tag, b"".join(kept) + unsigned)
    new_sd = _der(sd_tag, b"".join(sd_children[:-1]) + _der(infos_tag, new_info))
    return _der(outer_tag, content_type + _der(explicit_tag, new_sd))


def _attribute_oid(attribute_der: bytes) -> str:
    _tag, (oid, *_values) = _der_children(attribute_der)
    return str(core.ObjectIdentifier.load(oid).dotted)


def _der_children(element: bytes) -> tuple[int, list[bytes]]:
    """The tag of a constructed DER element and its children, each as its whole encoding."""
    tag, start, end = _der_header(element, 0)
    if end != len(element) or not tag & 0x20:
        raise ValueError("not one constructed DER element")
    children: list[bytes] = []
    offset = start
    while offset < end:
        _child_tag, _child_start, child_end = _der_header(element, offset)
        children.append(element[offset:child_end])
        offset = child_end
    return tag, children


def _der_header(data: bytes, offset: int) -> tuple[int, int, int]:
    """(tag, start of contents, end of the element) of the element at `offset` (one-byte tags)."""
    tag = data[offset]
    if tag & 0x1F == 0x1F:
        raise ValueError("multi-byte tags are not used in CMS")
    first = data[offset + 1]
    if first < 0x80:
        length, start = first, offset + 2
    else:
        count = first & 0x7F
        if count == 0 or count > 4:
            raise ValueError("not a DER length")
        length = int.from_bytes(data[offset + 2 : offset + 2 + count], "big")
        start = offset + 2 + count
    if start + length > len(data):
        raise ValueError("truncated DER element")
    return tag, start, start + length


def _der(tag: int, contents: bytes) -> bytes:
    n = len(contents)
    if n < 0x80:
        return bytes([tag, n]) + contents
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + contents


def embed_cms(*, prepared: PreparedPdf, cms_der: bytes) -> bytes:
    """Write the CMS (hex) into the reserved room; the rest of the file is left as it was."""
    hex_digits = cms_der.hex().encode("ascii")
    room = prepared.reserved_end - prepared.reserved_start - 2
    if len(hex_digits) > room:
        raise SignatureError(
            "signature_too_large",
            _("The signature (%(size)d bytes) does not fit the room reserved in the PDF.")
            % {"size": len(cms_der)},
        )
    contents = b"<" + hex_digits + b"0" * (room - len(hex_digits)) + b">"
    return prepared.pdf[: prepared.reserved_start] + contents + prepared.pdf[prepared.reserved_end :]


def _signer_info(info: acms.ContentInfo) -> acms.SignerInfo:
    try:
        if info["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signer_infos = info["content"]["signer_infos"]
        if len(signer_infos) != 1:
            raise ValueError("one SignerInfo expected")
        signer_info: acms.SignerInfo = signer_infos[0]
        return signer_info
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise SignatureError(
            "cms_malformed", _("The signature is not a readable CMS: %(detail)s") % {"detail": exc}
        ) from None


# --- validation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfSignatureReport:
    """What pyHanko found in a PDF's first signature; `problems` in words for people."""

    signed: bool
    signatures: int = 0
    intact: bool = False  # the signed bytes are unchanged
    valid: bool = False  # the signature value verifies with the certificate
    trusted: bool = False  # the certificate chains to a trusted CA, unrevoked
    revoked: bool = False
    covers_whole_file: bool = False
    modified_after_signing: bool = False
    docmdp_ok: bool | None = None
    signer_name: str = ""
    signer_iin: str = ""
    certificate_serial: str = ""
    signing_time: datetime | None = None
    timestamp: datetime | None = None
    timestamp_valid: bool = False
    timestamp_trusted: bool = False
    summary: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.signed
            and self.intact
            and self.valid
            and self.trusted
            and self.covers_whole_file
            and not self.modified_after_signing
            and self.timestamp_valid
        )


def validate_pdf(
    *,
    pdf: bytes,
    trust_roots: Sequence[x509.Certificate] | None = None,
    crls: Sequence[bytes] | None = None,
) -> PdfSignatureReport:
    """Validate the first signature of `pdf` with pyHanko, now, offline.

    Trust: the court's trust store unless `trust_roots`; revocation: the CRLs in PKI_DIR unless
    `crls` (no network fetching). The signature time-stamp is validated against the same roots.
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        log.info("unreadable PDF: %s", exc)
        return PdfSignatureReport(signed=False, problems=[_("The file is not a readable PDF.")])
    if not signatures:
        return PdfSignatureReport(signed=False, problems=[_("The PDF carries no digital signature.")])
    roots = list(trust_roots) if trust_roots is not None else list(load_trust_store().certificates)
    crl_list = list(crls) if crls is not None else default_crls()
    embedded = signatures[0]
    try:
        status = _run(lambda: _validate(embedded, roots, crl_list))
    except Exception as exc:  # pyHanko raises many kinds for a broken signature
        log.info("PDF signature validation failed: %s", exc)
        return PdfSignatureReport(
            signed=True,
            signatures=len(signatures),
            problems=[_("The signature cannot be checked: %(detail)s") % {"detail": exc}],
        )
    return _report(status, count=len(signatures))


async def _validate(embedded: Any, roots: list[x509.Certificate], crls: list[bytes]) -> Any:
    from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    anchors = [ax509.Certificate.load(c.public_bytes(Encoding.DER)) for c in roots]
    context = ValidationContext(
        trust_roots=anchors, crls=crls, allow_fetching=False, revocation_mode="soft-fail"
    )
    return await async_validate_pdf_signature(
        embedded, signer_validation_context=context, ts_validation_context=context
    )


def _report(status: Any, *, count: int) -> PdfSignatureReport:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    subject = subject_info(cert)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    level = status.modification_level
    modified = not whole and (level is None or level > ModificationLevel.LTA_UPDATES)
    if status.docmdp_ok is False:
        modified = True
    ts = status.timestamp_validity
    problems: list[str] = []
    if not status.intact:
        problems.append(_("The document was changed after signing: the signed bytes differ."))
    elif not status.valid:
        problems.append(_("The signature value does not verify."))
    if status.intact and modified:
        problems.append(_("Something was added to or changed in the document after it was signed."))
    if status.revoked:
        problems.append(_("The signer's certificate is revoked."))
    elif not status.trusted:
        problems.append(_("The signer's certificate does not chain to a trusted certification authority."))
    if ts is None:
        problems.append(_("The signature carries no time-stamp."))
    elif not (ts.intact and ts.valid):
        problems.append(_("The signature's time-stamp does not verify."))
    elif not ts.trusted:
        problems.append(_("The time-stamping authority is not trusted."))
    return PdfSignatureReport(
        signed=True,
        signatures=count,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        revoked=bool(status.revoked),
        covers_whole_file=whole,
        modified_after_signing=modified,
        docmdp_ok=status.docmdp_ok,
        signer_name=subject.full_name,
        signer_iin=subject.iin,
        certificate_serial=format(cert.serial_number, "x"),
        signing_time=status.signer_reported_dt,
        timestamp=ts.timestamp if ts is not None else None,
        timestamp_valid=bool(ts is not None and ts.intact and ts.valid),
        timestamp_trusted=bool(ts is not None and ts.trusted),
        summary=str(status.summary()),
        problems=problems,
    )


def default_crls() -> list[bytes]:
    """DER CRLs found in PKI_DIR (*.crl and crl/*.crl), as revocation.check_crl reads them."""
    from cryptography.hazmat.primitives.serialization import Encoding as Enc

    pki_dir = conf.pki_dir()
    paths: list[Path] = (
        sorted([*pki_dir.glob("*.crl"), *pki_dir.glob("crl/*.crl")]) if pki_dir.is_dir() else []
    )
    found: list[bytes] = []
    for path in paths:
        try:
            data = path.read_bytes()
            crl = (
                x509.load_pem_x509_crl(data)
                if data.lstrip().startswith(b"-----BEGIN")
                else x509.load_der_x509_crl(data)
            )
        except (OSError, ValueError):
            continue
        found.append(crl.public_bytes(Enc.DER))
    return found


def _run(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to completion from synchronous code, even under a running event loop."""

    async def main() -> T:
        return await factory()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(main())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


def first_signature_value(pdf: bytes) -> bytes | None:
    """The signature value of the PDF's first signature, or None when there is none to read."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
        if not signatures:
            return None
        return bytes(signatures[0].signer_info["signature"].native)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
