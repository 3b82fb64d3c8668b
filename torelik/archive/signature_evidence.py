"""Keeping and re-checking the CMS signatures that came with filed documents.

At filing, `capture_evidence` stores the certificate chain (signer → trusted CA) beside the
SignatureRecord, which already holds the CMS, the signer's certificate and the OCSP response
or CRL seen at signing time. `recheck` then decides, offline and without asking any responder,
whether the signature still holds over the bytes in the archive:

1. the CMS signature verifies over the stored bytes (messageDigest and the signature value);
2. every link of the kept chain is signed by the next, and the chain ends at a CA that is in
   the trust store today;
3. every certificate was within its validity period at signing time;
4. the revocation evidence kept from signing time is signed by the CA (or its delegated OCSP
   responder) and says the certificate was not revoked then.

A certificate that expired *after* signing does not invalidate the signature; the page says so.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from django.utils import timezone
from django.utils.translation import gettext as _

from torelik.archive.models import SignatureEvidence
from torelik.signatures import algorithms
from torelik.signatures.errors import SignatureError
from torelik.signatures.models import SignatureRecord
from torelik.signatures.truststore import build_chain, load_trust_store

# The CMS parsing helpers of the signatures app; the archive re-checks with the same code
# that verified the signature at filing, minus the live revocation query.
from torelik.signatures.verification import (
    _certificates,
    _check_signed_attributes,
    _parse,
)


def _pem_chain(chain: list[x509.Certificate]) -> str:
    return "".join(c.public_bytes(Encoding.PEM).decode("ascii") for c in chain)


def capture_evidence(*, record: SignatureRecord) -> SignatureEvidence:
    """The evidence record of a signature, made from its CMS and today's trust store if absent."""
    existing = SignatureEvidence.objects.filter(record=record).first()
    if existing is not None:
        return existing
    signed_data, signer_info = _parse(bytes(record.cms))
    cert, others = _certificates(signed_data, signer_info)
    chain = build_chain(cert, intermediates=others, store=load_trust_store()) or [cert]
    return SignatureEvidence.objects.create(
        record=record, chain_pem=_pem_chain(chain), captured_at=timezone.now()
    )


@dataclass
class SignatureCheck:
    valid: bool
    problems: list[str] = field(default_factory=list)
    signed_at: datetime | None = None
    certificate_expired_since: bool = False


def _load_chain(evidence: SignatureEvidence | None, record: SignatureRecord) -> list[x509.Certificate]:
    if evidence is None:
        return [x509.load_der_x509_certificate(bytes(record.certificate_der))]
    return x509.load_pem_x509_certificates(evidence.chain_pem.encode("ascii"))


def _revocation_ok(record: SignatureRecord, cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    evidence = bytes(record.revocation_evidence)
    if record.revocation_status != "good" or not evidence:
        return False
    if record.revocation_source == "ocsp":
        try:
            response = ocsp.load_der_ocsp_response(evidence)
        except ValueError:
            return False
        if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
            return False
        responders = [issuer, *response.certificates]
        if not any(
            (r is issuer or algorithms.issued_by(r, issuer)) and algorithms.ocsp_signed_by(response, r)
            for r in responders
        ):
            return False
        return any(
            s.serial_number == cert.serial_number and s.certificate_status == ocsp.OCSPCertStatus.GOOD
            for s in response.responses
        ) or any(
            s.serial_number == cert.serial_number
            and s.certificate_status == ocsp.OCSPCertStatus.REVOKED
            and s.revocation_time_utc is not None
            and record.signing_time is not None
            and s.revocation_time_utc > record.signing_time
            for s in response.responses
        )
    if record.revocation_source == "crl":
        try:
            crl = x509.load_der_x509_crl(evidence)
        except ValueError:
            return False
        if not algorithms.crl_signed_by(crl, issuer):
            return False
        entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
        moment = record.signing_time or record.verified_at
        return entry is None or entry.revocation_date_utc > moment
    return False


def recheck(*, record: SignatureRecord, data: bytes | None) -> SignatureCheck:
    """Does the signature still hold over `data` (the stored bytes; None when purged)? Offline."""
    evidence = SignatureEvidence.objects.filter(record=record).first()
    moment = record.signing_time or record.verified_at
    check = SignatureCheck(
        valid=False, signed_at=moment, certificate_expired_since=record.not_after < timezone.now()
    )
    problems = check.problems
    try:
        signed_data, signer_info = _parse(bytes(record.cms))
        cert, _others = _certificates(signed_data, signer_info)
    except SignatureError as exc:
        problems.append(str(exc.message))
        return check
    if data is None:
        problems.append(_("The document's bytes are no longer stored, so the signature cannot be checked."))
    else:
        digest_algorithm = str(signer_info["digest_algorithm"]["algorithm"].native)
        signature_algorithm = str(signer_info["signature_algorithm"]["algorithm"].native)
        try:
            signed_bytes, _time = _check_signed_attributes(
                signer_info, signed_data, data, algorithms.digest(digest_algorithm, data)
            )
            crypto_ok = algorithms.verify(
                cert.public_key(),
                signature_algorithm=signature_algorithm,
                digest_algorithm=digest_algorithm,
                signature=bytes(signer_info["signature"].native),
                data=signed_bytes,
            )
        except (SignatureError, ValueError, KeyError):
            crypto_ok = False
        if not crypto_ok:
            problems.append(_("The signature does not match the stored document."))
    chain = _load_chain(evidence, record)
    if chain[0] != cert:
        problems.append(_("The kept certificate chain does not start with the signer's certificate."))
    if len(chain) < 2 or any(not algorithms.issued_by(c, p) for c, p in itertools.pairwise(chain)):
        problems.append(_("The certificate chain kept at signing time is incomplete or broken."))
    elif chain[-1] not in load_trust_store():
        problems.append(_("The certification authority of the signature is no longer trusted."))
    if any(moment < c.not_valid_before_utc or moment > c.not_valid_after_utc for c in chain):
        problems.append(_("A certificate of the chain was not valid at signing time."))
    if len(chain) >= 2 and not _revocation_ok(record, chain[0], chain[1]):
        problems.append(
            _("The revocation evidence kept from signing time does not show the certificate as valid.")
        )
    check.valid = not problems
    return check
