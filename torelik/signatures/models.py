from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrustedCertificate(models.Model):
    """A CA certificate in the trust store (NCA RK roots and intermediates, or the test CA)."""

    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    der = models.BinaryField()
    is_root = models.BooleanField(default=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trusted certificate")
        verbose_name_plural = _("trusted certificates")

    def __str__(self) -> str:
        return self.name


class SignatureRecord(models.Model):
    """A verified CMS signature over a document, kept with what re-verification needs."""

    signed_sha256 = models.CharField(max_length=64, db_index=True)
    cms = models.BinaryField()
    signer_iin = models.CharField(max_length=12, blank=True, db_index=True)
    signer_bin = models.CharField(max_length=12, blank=True)
    signer_name = models.CharField(max_length=255, blank=True)
    certificate_serial = models.CharField(max_length=64)
    certificate_issuer = models.CharField(max_length=512)
    certificate_der = models.BinaryField()
    not_before = models.DateTimeField()
    not_after = models.DateTimeField()
    signing_time = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField()
    # "good" from OCSP or CRL at verification time, with the raw evidence for later re-checks.
    revocation_status = models.CharField(max_length=16)
    revocation_source = models.CharField(max_length=8)  # "ocsp" or "crl"
    revocation_evidence = models.BinaryField(blank=True, default=b"")

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
