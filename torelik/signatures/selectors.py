"""Reads of the signatures app, shaped for pages."""

from __future__ import annotations

import contextlib
from typing import Any

from cryptography import x509
from django.utils.translation import gettext as _

from torelik.signatures.certificates import subject_info
from torelik.signatures.models import SignatureRecord


def signature_summary(record: SignatureRecord) -> dict[str, Any]:
    """Who signed, when, and how the certificate's status was checked, for a template."""
    organisation = ""
    with contextlib.suppress(ValueError):
        organisation = subject_info(
            x509.load_der_x509_certificate(bytes(record.certificate_der))
        ).organisation
    source = {"ocsp": _("OCSP"), "crl": _("revocation list (CRL)")}.get(record.revocation_source, "")
    valid = record.revocation_status == "good"
    if valid:
        status_label = _(
            "Signature verified; the certificate was valid and not revoked (checked by %(source)s)."
        ) % {"source": source}
    else:
        status_label = _("The certificate's status was “%(status)s” when the signature was checked.") % {
            "status": record.revocation_status
        }
    return {
        "id": record.pk,
        "signer_name": record.signer_name,
        "signer_iin": record.signer_iin,
        "signer_bin": record.signer_bin,
        "organisation": organisation,
        "signed_at": record.signing_time or record.verified_at,
        "signing_time": record.signing_time,
        "verified_at": record.verified_at,
        "status": "valid" if valid else "invalid",
        "status_label": status_label,
        "revocation_source": record.revocation_source,
        "certificate_serial": record.certificate_serial,
        "issuer": record.certificate_issuer,
        "valid_from": record.not_before,
        "valid_until": record.not_after,
        "sha256": record.signed_sha256,
    }
