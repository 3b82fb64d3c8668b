"""The electronic case file: content-addressed blobs, the append-only Merkle log over them,
signed tree heads, the classification of document types and tombstones of purged blobs.

How the pieces fit (see docs/archive.md):
- `Blob`: bytes stored under their SHA-256 (the storage, not the database, holds the bytes);
  written and flushed to disk before the row exists, never overwritten.
- `LogEntry`: one leaf of the log per document that entered the file; its canonical bytes
  (torelik.archive.entries) hash to the leaf. Rows are appended, never changed.
- `MerkleNode`: the hash of every complete subtree, leaves included, so that any inclusion or
  consistency proof reads O(log n) rows. `id` = last leaf covered × 64 + level
  (torelik.archive.merkle.node_id).
- `LogHead`: one row, the log's size; appends lock it, so there is one writer at a time.
- `TreeHead`: a signed tree head (RFC 9162 §4.10): size, root, time, Ed25519 signature.
- `Tombstone`: the record that a blob's bytes were removed when its retention period ended.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.archive.entries import EntryFields
from torelik.courts.models import TrilingualName


class AppendOnlyError(RuntimeError):
    pass


class DocumentType(TrilingualName):
    """A kind of document in the case file, with how long its bytes are kept."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    retention_years = models.PositiveSmallIntegerField(
        _("retention period, years"),
        null=True,
        blank=True,
        help_text=_("Counted from the time the document entered the file. Empty: kept permanently."),
    )
    retention_confirmed = models.BooleanField(
        _("retention period confirmed"),
        default=False,
        help_text=_("Unticked: the period is a starting value not yet confirmed from a primary source."),
    )
    position = models.PositiveIntegerField(_("position in lists"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")


class Blob(models.Model):
    """One stored document, addressed by the SHA-256 of its bytes; never overwritten."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, primary_key=True)
    size = models.BigIntegerField(_("size, bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the bytes were removed by the retention policy (see Tombstone).
    purged_at = models.DateTimeField(_("purged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stored document")
        verbose_name_plural = _("stored documents")

    def __str__(self) -> str:
        return self.sha256


class _AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


class LogEntry(_AppendOnly):
    """One leaf of the Merkle log: a document that entered the file, with its metadata."""

    seq = models.BigIntegerField(_("position in the log"), primary_key=True)
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="log_entries")
    size = models.BigIntegerField(_("size, bytes"))
    document_type = models.ForeignKey(
        DocumentType,
        to_field="code",
        db_column="document_type",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("document type"),
    )
    case_number = models.CharField(_("case number"), max_length=40, blank=True, db_index=True)
    author = models.CharField(_("author"), max_length=255, blank=True)
    filed_at = models.DateTimeField(_("entered the file at"))
    # Comma-separated, sorted: SHA-256 of each CMS signature over the document (part of the leaf).
    signature_digests = models.TextField(blank=True, default="")
    signatures = models.ManyToManyField("signatures.SignatureRecord", blank=True, related_name="+")

    class Meta:
        ordering = ["seq"]
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")

    def __str__(self) -> str:
        return f"#{self.seq} {self.blob_id}"

    def fields(self) -> EntryFields:
        return EntryFields(
            seq=self.seq,
            sha256=self.blob_id,
            size=self.size,
            document_type=self.document_type_id,
            case_number=self.case_number,
            author=self.author,
            filed_at=self.filed_at,
            signature_digests=tuple(d for d in self.signature_digests.split(",") if d),
        )

    def entry_bytes(self) -> bytes:
        return self.fields().canonical_bytes()


class MerkleNode(_AppendOnly):
    """The hash of one complete subtree of the log (level 0: a leaf)."""

    id = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = _("Merkle tree node")
        verbose_name_plural = _("Merkle tree nodes")


class LogHead(models.Model):
    """The log's size; the row lock serialises appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)


class TreeHead(_AppendOnly):
    """A signed tree head: the archive's signature over (time, size, root)."""

    tree_size = models.BigIntegerField(_("tree size"), db_index=True)
    timestamp_ms = models.BigIntegerField(_("time, ms since 1970-01-01 UTC"))
    root_hash = models.BinaryField(_("root hash"), max_length=32)
    signature = models.BinaryField(_("signature"))
    key_id = models.CharField(_("key ID"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-timestamp_ms", "-id"]
        verbose_name = _("signed tree head")
        verbose_name_plural = _("signed tree heads")

    def __str__(self) -> str:
        return f"{self.tree_size} @ {self.timestamp_ms}"


class Tombstone(models.Model):
    """A blob whose bytes were removed because the retention period of every entry had ended.

    The log entries stay, so the tree still verifies; `torelik archive verify` reports the
    blob as "purged by policy", not as missing.
    """

    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="tombstones")
    purged_at = models.DateTimeField(_("purged at"))
    retention_until = models.DateTimeField(_("retention ended at"))
    document_types = models.CharField(_("document types"), max_length=255)
    # Set if the same bytes were filed again later and stored anew.
    restored_at = models.DateTimeField(_("stored again at"), null=True, blank=True)

    class Meta:
        ordering = ["-purged_at"]
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")


class SignatureEvidence(models.Model):
    """What re-verifying a filed CMS signature later needs, beside the SignatureRecord itself.

    The record keeps the CMS, the signer's certificate and the OCSP response or CRL seen at
    signing time; this adds the certificate chain up to the trusted CA as it was then, so the
    signature can be checked after the CA rotates or leaves the trust store.
    """

    record = models.OneToOneField(
        "signatures.SignatureRecord", on_delete=models.PROTECT, related_name="archive_evidence"
    )
    # PEM certificates, the signer's first, ending with the trust anchor.
    chain_pem = models.TextField(_("certificate chain"))
    captured_at = models.DateTimeField(_("captured at"))

    class Meta:
        verbose_name = _("signature evidence")
        verbose_name_plural = _("signature evidence")
