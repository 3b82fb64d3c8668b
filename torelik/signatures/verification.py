"""Checking a CMS signature the way a court must before it accepts a signed document.

Every refusal is a SignatureError whose code names the failed check: cms_malformed,
signature_content_missing, signature_content_mismatch, signature_algorithm_unsupported,
signer_certificate_missing, certificate_malformed, signature_invalid, certificate_untrusted,
certificate_expired, certificate_not_yet_valid, certificate_key_usage, certificate_revoked,
revocation_unknown, certificate_no_iin.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asn1crypto import cms as acms
from asn1crypto import core
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from torelik.signatures import algorithms
from torelik.signatures.certificates import dn_string, key_usage_allows_signing, subject_info
from torelik.signatures.errors import SignatureError
from torelik.signatures.revocation import GOOD, REVOKED, check_revocation
from torelik.signatures.truststore import build_chain, load_trust_store

_PEM_ARMOUR = re.compile(r"-----(BEGIN|END) [A-Z0-9 ]+-----")


@dataclass(frozen=True)
class VerifiedSignature:
    cms_der: bytes
    content: bytes
    content_sha256: str
    signer_iin: str
    signer_bin: str
    signer_name: str
    organisation: str
    certificate_der: bytes
    certificate_serial: str  # hex, lower case
    issuer: str
    not_before: datetime
    not_after: datetime
    signing_time: datetime | None
    revocation_status: str
    revocation_source: str
    revocation_evidence: bytes


def verify_cms(
    *, cms: bytes | str, content: bytes | None = None, at: datetime | None = None
) -> VerifiedSignature:
    """Verify a CMS SignedData (DER, or base64 as NCALayer returns it).

    With `content` None the CMS must carry the signed bytes (attached); with `content` given a
    detached CMS is checked against it, and an attached one must carry exactly those bytes.
    `at` (default now) is the moment the certificate must be valid and unrevoked.
    """
    moment = _aware(at or timezone.now())
    der = _decode(cms)
    signed_data, signer_info = _parse(der)

    encapsulated = _encapsulated(signed_data)
    if content is None:
        if encapsulated is None:
            raise SignatureError(
                "signature_content_missing",
                _("The signature does not contain the document, and the document was not supplied."),
            )
        content = encapsulated
    elif encapsulated is not None and encapsulated != content:
        raise SignatureError(
            "signature_content_mismatch", _("The signature was made over a different document than this one.")
        )

    digest_algorithm = str(signer_info["digest_algorithm"]["algorithm"].native)
    signature_algorithm = str(signer_info["signature_algorithm"]["algorithm"].native)
    if not algorithms.is_supported_digest(digest_algorithm) or not algorithms.is_supported_signature(
        signature_algorithm, digest_algorithm
    ):
        raise SignatureError(
            "signature_algorithm_unsupported",
            _("The signature uses an algorithm this court does not accept (%(alg)s with %(digest)s).")
            % {"alg": signature_algorithm, "digest": digest_algorithm},
        )

    signed_bytes, signing_time = _check_signed_attributes(
        signer_info, signed_data, content, algorithms.digest(digest_algorithm, content)
    )
    cert, others = _certificates(signed_data, signer_info)
    if not algorithms.verify(
        cert.public_key(),
        signature_algorithm=signature_algorithm,
        digest_algorithm=digest_algorithm,
        signature=bytes(signer_info["signature"].native),
        data=signed_bytes,
    ):
        raise SignatureError(
            "signature_invalid", _("The signature value does not match: the signature is damaged or forged.")
        )

    chain = build_chain(cert, intermediates=others, store=load_trust_store())
    if chain is None:
        raise SignatureError(
            "certificate_untrusted",
            _("The certificate was issued by “%(issuer)s”, which is not a trusted certification authority.")
            % {"issuer": dn_string(cert.issuer)},
        )
    for link in chain:
        _check_validity(link, moment, is_signer=link is cert)
    if not key_usage_allows_signing(cert):
        raise SignatureError(
            "certificate_key_usage", _("The certificate's key may not be used for signatures.")
        )

    revocation = check_revocation(cert, chain[1], at=moment)
    if revocation.status == REVOKED:
        when = revocation.revoked_at
        raise SignatureError(
            "certificate_revoked",
            _("The certificate was revoked on %(date)s.") % {"date": _when(when)}
            if when
            else _("The certificate was revoked."),
        )
    if revocation.status != GOOD:
        raise SignatureError(
            "revocation_unknown",
            _("Whether the certificate is revoked cannot be checked now: no OCSP answer and no current CRL."),
        )

    subject = subject_info(cert)
    if not subject.iin:
        raise SignatureError(
            "certificate_no_iin", _("The certificate does not name its holder's IIN (SERIALNUMBER=IIN…).")
        )
    return VerifiedSignature(
        cms_der=der,
        content=content,
        content_sha256=hashlib.sha256(content).hexdigest(),
        signer_iin=subject.iin,
        signer_bin=subject.bin,
        signer_name=subject.full_name,
        organisation=subject.organisation,
        certificate_der=cert.public_bytes(Encoding.DER),
        certificate_serial=format(cert.serial_number, "x"),
        issuer=dn_string(cert.issuer),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        signing_time=signing_time,
        revocation_status=revocation.status,
        revocation_source=revocation.source,
        revocation_evidence=revocation.evidence,
    )


def _malformed(detail: str) -> SignatureError:
    return SignatureError(
        "cms_malformed", _("The signature is not a readable CMS: %(detail)s") % {"detail": detail}
    )


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if timezone.is_naive(moment) else moment


def _decode(cms: bytes | str) -> bytes:
    """DER as is; base64 text (with or without PEM armour) decoded."""
    if isinstance(cms, bytes) and cms[:1] == b"\x30":
        return cms
    try:
        text = cms.decode("ascii") if isinstance(cms, bytes) else cms
        der = base64.b64decode("".join(_PEM_ARMOUR.sub("", text).split()), validate=True)
    except (UnicodeDecodeError, binascii.Error, ValueError):
        raise _malformed(_("neither DER nor base64.")) from None
    if not der:
        raise _malformed(_("it is empty."))
    return der


def _parse(der: bytes) -> tuple[acms.SignedData, acms.SignerInfo]:
    try:
        info = acms.ContentInfo.load(der, strict=True)
        if info["content_type"].native != "signed_data":
            raise _malformed(_("it is not SignedData."))
        signed_data = info["content"]
        signer_infos = signed_data["signer_infos"]
        # Parse what the checks read now, so a broken structure fails as malformed here.
        # (Certificates are left to _certificates: asn1crypto cannot parse every key type.)
        signer_infos.native  # noqa: B018
        signed_data["encap_content_info"].native  # noqa: B018
    except SignatureError:
        raise
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise _malformed(str(exc)) from None
    if len(signer_infos) != 1:
        raise _malformed(_("it must carry exactly one signature, it has %(n)d.") % {"n": len(signer_infos)})
    return signed_data, signer_infos[0]


def _encapsulated(signed_data: acms.SignedData) -> bytes | None:
    econtent = signed_data["encap_content_info"]["content"]
    if econtent is None or isinstance(econtent, core.Void):
        return None
    value: Any = econtent.native
    if isinstance(value, bytes):
        return value
    return bytes(econtent.contents or b"")


def _check_signed_attributes(
    signer_info: acms.SignerInfo, signed_data: acms.SignedData, content: bytes, content_digest: bytes
) -> tuple[bytes, datetime | None]:
    """The bytes the signature covers, and the signing time; checks messageDigest and contentType."""
    signed_attrs = signer_info["signed_attrs"]
    if isinstance(signed_attrs, core.Void) or len(signed_attrs) == 0:
        return content, None  # no attributes: the signature is over the content itself
    values: dict[str, list[Any]] = {}
    for attr in signed_attrs:
        values.setdefault(str(attr["type"].native), []).extend(attr["values"])
    digests = values.get("message_digest", [])
    if len(digests) != 1:
        raise _malformed(_("the signed attributes must hold one message digest."))
    if bytes(digests[0].native) != content_digest:
        raise SignatureError(
            "signature_content_mismatch", _("The signature was made over a different document than this one.")
        )
    content_types = values.get("content_type", [])
    econtent_type = signed_data["encap_content_info"]["content_type"].native
    if len(content_types) != 1 or content_types[0].native != econtent_type:
        raise _malformed(_("the signed content type does not match the content."))
    signing_time = None
    times = values.get("signing_time", [])
    if times:
        native = times[0].native
        signing_time = native if isinstance(native, datetime) else None
    # The signature covers the attributes as a SET (tag 0x31), not as the [0] they are stored in.
    dumped = signed_attrs.dump()
    return b"\x31" + dumped[1:], signing_time


def _certificates(
    signed_data: acms.SignedData, signer_info: acms.SignerInfo
) -> tuple[x509.Certificate, list[x509.Certificate]]:
    """The signer's certificate (matched by the SignerIdentifier) and the other certificates sent."""
    try:
        return _find_certificates(signed_data, signer_info)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise _malformed(str(exc)) from None


def identifies(sid: acms.SignerIdentifier, acert: Any) -> bool:
    """Whether a CMS SignerIdentifier names this certificate (issuer + serial, or key identifier)."""
    if sid.name == "issuer_and_serial_number":
        return bool(
            acert.serial_number == sid.chosen["serial_number"].native and acert.issuer == sid.chosen["issuer"]
        )
    return bool(acert.key_identifier == sid.chosen.native)


def _find_certificates(
    signed_data: acms.SignedData, signer_info: acms.SignerInfo
) -> tuple[x509.Certificate, list[x509.Certificate]]:
    sid = signer_info["sid"]
    signer = None
    others: list[x509.Certificate] = []
    certificates = signed_data["certificates"]
    for choice in [] if isinstance(certificates, core.Void) else certificates:
        if choice.name != "certificate":
            continue
        acert = choice.chosen
        match = identifies(sid, acert)
        try:
            cert = x509.load_der_x509_certificate(acert.dump())
        except ValueError:
            if match:
                raise SignatureError(
                    "certificate_malformed", _("The signer's certificate in the signature cannot be read.")
                ) from None
            continue
        if match and signer is None:
            signer = cert
        else:
            others.append(cert)
    if signer is None:
        raise SignatureError(
            "signer_certificate_missing", _("The signature does not include the signer's certificate.")
        )
    return signer, others


def _check_validity(cert: x509.Certificate, moment: datetime, *, is_signer: bool) -> None:
    whose = _("The signer's certificate") if is_signer else _("The issuing authority's certificate")
    if moment < cert.not_valid_before_utc:
        raise SignatureError(
            "certificate_not_yet_valid",
            _("%(whose)s is valid only from %(date)s.")
            % {"whose": whose, "date": _when(cert.not_valid_before_utc)},
        )
    if moment > cert.not_valid_after_utc:
        raise SignatureError(
            "certificate_expired",
            _("%(whose)s expired on %(date)s.") % {"whose": whose, "date": _when(cert.not_valid_after_utc)},
        )
