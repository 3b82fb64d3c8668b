from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# 20 random bytes, URL-safe: the code in an act's QR link cannot be guessed or enumerated.
VERIFICATION_CODE_BYTES = 20


def new_verification_code() -> str:
    return secrets.token_urlsafe(VERIFICATION_CODE_BYTES)


class ActKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    RULING = "ruling", _("Ruling")
    ORDER = "order", _("Order")
    COURT_ORDER = "court_order", _("Court order")


class ActLanguage(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")


class ActStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


class JudicialAct(models.Model):
    """A judge's decision, ruling, order or court order in a case: drafted, then signed (PAdES).

    A draft holds its text; signing renders it to PDF, the judge signs the PDF with NCALayer and
    the signed PDF goes into the e-file (`pdf`). A signed act never changes again.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="acts", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ActKind.choices)
    language = models.CharField(_("language"), max_length=2, choices=ActLanguage.choices)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"))
    act_date = models.DateField(_("date of the act"))
    status = models.CharField(_("status"), max_length=8, choices=ActStatus.choices, default=ActStatus.DRAFT)
    judge = models.ForeignKey(
        "courts.Judge", on_delete=models.PROTECT, related_name="acts", verbose_name=_("judge")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    verification_code = models.CharField(max_length=40, unique=True, default=new_verification_code)

    # The PDF prepared for signing (an empty PAdES signature field, room reserved for the CMS),
    # kept between "give me what to sign" and "here is the signature"; cleared by any edit.
    prepared_pdf = models.BinaryField(null=True, blank=True, editable=False)
    prepared_reserved_start = models.PositiveIntegerField(null=True, blank=True)
    prepared_reserved_end = models.PositiveIntegerField(null=True, blank=True)
    prepared_digest = models.CharField(max_length=64, blank=True)  # SHA-256 of the signed byte range
    prepared_at = models.DateTimeField(null=True, blank=True)
    unsigned_pdf_sha256 = models.CharField(max_length=64, blank=True)

    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    pdf = models.ForeignKey(
        "archive.Blob",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("PDF"),
    )
    signature = models.ForeignKey(
        "signatures.SignatureRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The act's entry in the e-file's Merkle log (archive.LogEntry.seq): its inclusion proof.
    log_seq = models.BigIntegerField(_("position in the e-file log"), null=True, blank=True)
    # SHA-256 of the signature value: finds the act behind a PDF that was changed after signing.
    signature_value_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    timestamp_at = models.DateTimeField(_("time-stamped at"), null=True, blank=True)
    timestamp_authority = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = _("judicial act")
        verbose_name_plural = _("judicial acts")
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.case_id})"

    @property
    def is_signed(self) -> bool:
        return self.status == ActStatus.SIGNED

    @property
    def filename(self) -> str:
        safe_number = self.case.number.replace("/", "_")
        return f"{self.kind}-{safe_number}-{self.pk}.pdf"
