"""Writes of the signatures app: the trust store and the record of verified signatures."""

from __future__ import annotations

import hashlib

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torelik.signatures import algorithms
from torelik.signatures.certificates import dn_string, is_ca
from torelik.signatures.errors import SignatureError
from torelik.signatures.models import SignatureRecord, TrustedCertificate
from torelik.signatures.verification import VerifiedSignature


def record_signature(*, verified: VerifiedSignature) -> SignatureRecord:
    """Keep a verified signature with everything a later re-check needs (CMS, certificate, evidence)."""
    return SignatureRecord.objects.create(
        signed_sha256=verified.content_sha256,
        cms=verified.cms_der,
        signer_iin=verified.signer_iin,
        signer_bin=verified.signer_bin,
        signer_name=verified.signer_name[:255],
        certificate_serial=verified.certificate_serial,
        certificate_issuer=verified.issuer[:512],
        certificate_der=verified.certificate_der,
        not_before=verified.not_before,
        not_after=verified.not_after,
        signing_time=verified.signing_time,
        verified_at=timezone.now(),
        revocation_status=verified.revocation_status,
        revocation_source=verified.revocation_source,
        revocation_evidence=verified.revocation_evidence,
    )


@transaction.atomic
def trust_certificate(*, der: bytes, name: str) -> TrustedCertificate:
    """Add a CA certificate to the trust store; adding one already there changes nothing."""
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        raise SignatureError(
            "certificate_malformed", _("This is not an X.509 certificate in DER form."), field="certificate"
        ) from None
    if not is_ca(cert):
        raise SignatureError(
            "certificate_not_ca",
            _("“%(subject)s” is not a certification authority's certificate.")
            % {"subject": dn_string(cert.subject)},
            field="certificate",
        )
    der = cert.public_bytes(Encoding.DER)
    sha256 = hashlib.sha256(der).hexdigest()
    trusted, _created = TrustedCertificate.objects.get_or_create(
        sha256=sha256,
        defaults={
            "name": (name or dn_string(cert.subject))[:255],
            "der": der,
            "is_root": cert.issuer == cert.subject and algorithms.issued_by(cert, cert),
        },
    )
    return trusted
