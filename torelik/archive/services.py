"""Writes to the electronic case file: blobs, log entries, signed tree heads, retention purges.

Crash safety, in the order things happen during an ingest:
1. the bytes are written to a temporary file, fsynced, hard-linked under their SHA-256 (never
   replacing a file already there) and the directory fsynced — only then
2. the `Blob` row is created, and, in the caller's transaction,
3. `file_document` appends the `LogEntry` and its Merkle nodes and moves the log head.
A crash before 2 leaves an unreferenced file (reported as "orphan, harmless" by verify and reused
by the next upload of the same bytes); a crash before 3 commits leaves a blob not yet in the log.
A log entry therefore never exists without its blob row, nor a blob row without durable bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from torelik.archive import merkle
from torelik.archive.document_types import add_years, filing_document_type
from torelik.archive.models import Blob, DocumentType, LogEntry, LogHead, MerkleNode, Tombstone
from torelik.archive.permissions import Action, require
from torelik.archive.selectors import stored_hashes
from torelik.archive.signature_evidence import capture_evidence
from torelik.archive.storage import get_storage
from torelik.archive.tasks import sign_tree_head_if_grown
from torelik.archive.tree_heads import sign_tree_head, tree_head_interval
from torelik.identity.permissions import Actor
from torelik.kernel.errors import ConflictError, DomainError

if TYPE_CHECKING:
    from torelik.signatures.models import SignatureRecord

logger = logging.getLogger(__name__)

__all__ = ["sign_tree_head"]  # re-exported: the command and the benchmark sign through services

STREAM_CHUNK = 1 << 20


# ---------------------------------------------------------------- blobs


def _check_declared(digest: str, declared_sha256: str | None) -> None:
    if declared_sha256 is not None and declared_sha256.strip().lower() != digest:
        raise DomainError(
            "hash_mismatch",
            _("The file's SHA-256 is %(actual)s, not the declared %(declared)s.")
            % {"actual": digest, "declared": declared_sha256[:80]},
            field="sha256",
        )


def _check_content_type(content_type: str) -> None:
    if not content_type or len(content_type) > 100:
        raise DomainError(
            "content_type_invalid",
            _("Give the document's content type (at most 100 characters)."),
            field="file",
        )


def _restore_if_purged(blob: Blob) -> None:
    now = timezone.now()
    Blob.objects.filter(pk=blob.pk).update(purged_at=None)
    Tombstone.objects.filter(blob=blob, restored_at__isnull=True).update(restored_at=now)
    blob.purged_at = None


def _link_blob(*, digest: str, size: int, content_type: str, put: Callable[[], object]) -> Blob:
    """Make the bytes durable (via `put()`), then the row; shared by the two store functions."""
    storage = get_storage()
    blob = Blob.objects.filter(pk=digest).first()
    if blob is None:
        put()
        with transaction.atomic():
            blob, _created = Blob.objects.get_or_create(
                sha256=digest, defaults={"size": size, "content_type": content_type}
            )
        return blob
    if blob.purged_at is None and storage.exists(digest):
        return blob  # the same bytes again: nothing is written, nothing replaced
    with transaction.atomic():
        blob = Blob.objects.select_for_update().get(pk=digest)
        if blob.purged_at is None:
            logger.warning("archive: blob %s was missing from storage and is stored again", digest)
        put()
        if blob.purged_at is not None:
            _restore_if_purged(blob)
    return blob


def store_blob(*, data: bytes, content_type: str, declared_sha256: str | None = None) -> Blob:
    """Store bytes under their SHA-256 and return the Blob; the same bytes again return the same Blob.

    A declared hash that does not match raises DomainError("hash_mismatch") before anything is
    written. Existing bytes are never replaced.
    """
    digest = hashlib.sha256(data).hexdigest()
    _check_declared(digest, declared_sha256)
    _check_content_type(content_type)
    storage = get_storage()
    return _link_blob(
        digest=digest, size=len(data), content_type=content_type, put=lambda: storage.put_bytes(digest, data)
    )


def store_blob_stream(
    *, stream: IO[bytes], content_type: str, declared_sha256: str | None = None, max_bytes: int | None = None
) -> Blob:
    """As `store_blob`, for bytes too large to hold in memory (recordings): read in 1 MiB chunks.

    The bytes go to a temporary file while being hashed; on a hash mismatch or an oversize
    stream the temporary file is removed and nothing else is touched.
    """
    _check_content_type(content_type)
    storage = get_storage()
    fd, tmp_name = tempfile.mkstemp(dir=storage.scratch_dir(), prefix=".incoming-")
    tmp = Path(tmp_name)
    try:
        hasher = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(STREAM_CHUNK):
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise DomainError(
                        "file_too_large",
                        _("The file is larger than %(limit)s bytes.") % {"limit": max_bytes},
                        field="file",
                    )
                hasher.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        digest = hasher.hexdigest()
        _check_declared(digest, declared_sha256)
        return _link_blob(
            digest=digest, size=size, content_type=content_type, put=lambda: storage.put_file(digest, tmp)
        )
    finally:
        tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------- the log


@dataclass(frozen=True)
class FiledDocument:
    blob: Blob
    signature: SignatureRecord | None = None
    is_body: bool = False


class DuplicateDocumentError(ConflictError):
    """The same bytes are already in the file as the same type of document of the same case."""

    def __init__(self, entry: LogEntry) -> None:
        super().__init__(
            "document_already_filed",
            _("This document is already in the file (log entry %(seq)s).") % {"seq": entry.seq},
            field="sha256",
        )
        self.entry = entry


def _check_text(value: str, *, field: str, max_length: int) -> str:
    if len(value) > max_length:
        raise DomainError(
            "too_long", _("At most %(n)s characters are allowed.") % {"n": max_length}, field=field
        )
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise DomainError("control_characters", _("Control characters are not allowed."), field=field)
    return value


def _lock_head() -> LogHead:
    """The log head row, locked until the transaction ends: appends happen one at a time."""
    head = LogHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        with contextlib.suppress(IntegrityError), transaction.atomic():
            last = LogEntry.objects.aggregate(m=Max("seq"))["m"]
            LogHead.objects.create(pk=1, size=0 if last is None else last + 1)
        head = LogHead.objects.select_for_update().get(pk=1)
    return head


def signature_digest(record: SignatureRecord) -> str:
    return hashlib.sha256(bytes(record.cms)).hexdigest()


@transaction.atomic
def file_document(
    *,
    blob: Blob,
    document_type: str,
    case_number: str = "",
    author: str = "",
    signatures: Sequence[SignatureRecord] = (),
) -> LogEntry:
    """Append a document to the log: the leaf of its canonical entry, and the subtrees it completes.

    `document_type` is a DocumentType code; `signatures` are verified SignatureRecords over
    the same bytes. Filing the same bytes as the same type into the same case again raises
    DuplicateDocumentError (its `.entry` is the existing entry); nothing changes.
    A signed tree head covering the entry follows within the tree-head interval.
    """
    case_number = _check_text(case_number.strip(), field="case_number", max_length=40)
    author = _check_text(author.strip(), field="author", max_length=255)
    dtype = DocumentType.objects.filter(code=document_type, is_active=True).first()
    if dtype is None:
        raise DomainError(
            "document_type_unknown",
            _("“%(code)s” is not a document type of the classification.") % {"code": document_type[:40]},
            field="document_type",
        )
    for record in signatures:
        if record.signed_sha256 != blob.sha256:
            raise DomainError(
                "signature_not_for_document",
                _("Signature %(id)s was made over other bytes, not this document.") % {"id": record.pk},
                field="signatures",
            )
    head = _lock_head()
    locked = Blob.objects.select_for_update().filter(pk=blob.pk).first()
    if locked is None:
        raise DomainError("blob_unknown", _("The document was not stored first."), field="blob")
    if locked.purged_at is not None:
        raise ConflictError(
            "blob_purged", _("The document's bytes were purged; store them again first."), field="blob"
        )
    if not get_storage().exists(locked.sha256):
        raise DomainError(
            "blob_missing",
            _("The stored document %(sha)s is missing.") % {"sha": locked.sha256},
            field="blob",
        )
    existing = LogEntry.objects.filter(blob=locked, case_number=case_number, document_type=dtype).first()
    if existing is not None:
        raise DuplicateDocumentError(existing)

    seq = head.size
    entry = LogEntry(
        seq=seq,
        blob=locked,
        size=locked.size,
        document_type=dtype,
        case_number=case_number,
        author=author,
        filed_at=timezone.now(),
        signature_digests=",".join(sorted({signature_digest(r) for r in signatures})),
    )
    entry.save(force_insert=True)
    if signatures:
        entry.signatures.set(signatures)
        for record in signatures:
            capture_evidence(record=record)
    _append_nodes(seq=seq, leaf=merkle.leaf_hash(entry.entry_bytes()))
    head.size = seq + 1
    head.save(update_fields=["size"])
    transaction.on_commit(schedule_tree_head)
    return entry


def file_case_documents(
    *, case_number: str, submission_type: str | None, documents: Sequence[FiledDocument]
) -> list[LogEntry]:
    """File the documents a case was registered with; a document listed twice is filed once.

    Called in the registration's transaction (efiling's intake): a failure here leaves no case behind.
    """
    entries: list[LogEntry] = []
    for doc in documents:
        signatures = [doc.signature] if doc.signature is not None else []
        author = ""
        if doc.signature is not None:
            author = " ".join(p for p in (doc.signature.signer_iin, doc.signature.signer_name) if p)
        try:
            entries.append(
                file_document(
                    blob=doc.blob,
                    document_type=filing_document_type(submission_type=submission_type, is_body=doc.is_body),
                    case_number=case_number,
                    author=author,
                    signatures=signatures,
                )
            )
        except DuplicateDocumentError as dup:
            entries.append(dup.entry)
    return entries


def _append_nodes(*, seq: int, leaf: bytes) -> None:
    completed = list(merkle.completed_by(seq))
    # Left siblings of each node on the way up: they are complete and stored already.
    siblings = [merkle.node_id(level, index - 1) for level, index in completed[:-1]]
    found = stored_hashes(siblings) if siblings else {}
    nodes = [MerkleNode(id=merkle.node_id(0, seq), hash=leaf)]
    h = leaf
    for (level, index), sibling in zip(completed[:-1], siblings, strict=True):
        if sibling not in found:
            raise RuntimeError(f"Merkle node {level}/{index - 1} is missing; run `torelik archive verify`")
        h = merkle.node_hash(found[sibling], h)
        nodes.append(MerkleNode(id=merkle.node_id(level + 1, index >> 1), hash=h))
    MerkleNode.objects.bulk_create(nodes)


# ---------------------------------------------------------------- signed tree heads


_scheduled_boundaries: set[int] = set()


def schedule_tree_head() -> None:
    """After an append commits: have the worker sign a tree head at the next interval boundary.

    One task per interval per process (a boundary already scheduled is skipped); the task signs
    only if the log grew. A backend that cannot defer tasks (the tests' immediate backend) signs
    at once.
    """
    backend = sign_tree_head_if_grown.get_backend()
    if not backend.supports_defer:
        sign_tree_head_if_grown.enqueue()
        return
    interval = max(tree_head_interval(), 1)
    now = timezone.now().timestamp()
    boundary = (int(now) // interval + 1) * interval
    if boundary in _scheduled_boundaries:
        return
    _scheduled_boundaries.intersection_update({b for b in _scheduled_boundaries if b > boundary})
    _scheduled_boundaries.add(boundary)
    run_after = datetime.fromtimestamp(boundary, tz=timezone.get_current_timezone())
    try:
        sign_tree_head_if_grown.using(run_after=run_after).enqueue()
    except Exception:  # the append is committed; the periodic command still signs later
        _scheduled_boundaries.discard(boundary)
        logger.exception("archive: could not schedule the tree head")


# ---------------------------------------------------------------- retention


@dataclass(frozen=True)
class PurgeResult:
    sha256: str
    size: int
    retention_until: datetime
    document_types: tuple[str, ...]


def _not_expired(now: datetime) -> Q:
    """Entries whose retention period has not ended at `now` (permanent types never end)."""
    keep = Q(pk__in=[])
    for code, years in DocumentType.objects.values_list("code", "retention_years"):
        if years is None:
            keep |= Q(document_type_id=code)
        else:
            keep |= Q(document_type_id=code, filed_at__gt=add_years(now, -years))
    return keep


def _expired(shas: list[str] | None, now: datetime) -> list[str]:
    """Stored blobs in the log whose every entry's retention period has ended at `now`."""
    in_log = LogEntry.objects.filter(blob=OuterRef("pk"))
    qs = Blob.objects.filter(purged_at__isnull=True)
    if shas is not None:
        qs = qs.filter(pk__in=shas)
    return list(
        qs.filter(Exists(in_log))
        .exclude(Exists(in_log.filter(_not_expired(now))))
        .order_by("sha256")
        .values_list("sha256", flat=True)
    )


def expired_blobs(*, now: datetime | None = None) -> list[str]:
    return _expired(None, now or timezone.now())


def purge_expired(*, actor: Actor, now: datetime | None = None, dry_run: bool = False) -> list[PurgeResult]:
    """Remove the bytes of blobs whose retention ended; each keeps its log entries and gets a tombstone.

    `actor`: an administrator, or `SYSTEM` for the operator's `torelik archive purge`.
    The tombstone commits before the bytes are deleted: a crash in between leaves bytes that the
    next run deletes, never a blob that verify would report as missing.
    """
    require(actor, Action.PURGE_EXPIRED)
    now = now or timezone.now()
    years = dict(DocumentType.objects.values_list("code", "retention_years"))
    results: list[PurgeResult] = []
    storage = get_storage()
    for sha256 in expired_blobs(now=now):
        with transaction.atomic():
            blob = Blob.objects.select_for_update().filter(pk=sha256, purged_at__isnull=True).first()
            if blob is None or not _expired([sha256], now):
                continue  # filed again or purged by another run meanwhile
            entries = list(LogEntry.objects.filter(blob=blob).values_list("document_type_id", "filed_at"))
            until = max(add_years(filed, years[str(code)] or 0) for code, filed in entries)
            types = tuple(sorted({str(code) for code, _filed in entries}))
            results.append(
                PurgeResult(sha256=sha256, size=blob.size, retention_until=until, document_types=types)
            )
            if dry_run:
                continue
            Tombstone.objects.create(
                blob=blob, purged_at=now, retention_until=until, document_types=",".join(types)[:255]
            )
            Blob.objects.filter(pk=sha256).update(purged_at=now)
        if not dry_run:
            storage.delete(sha256)
    if not dry_run:
        # Bytes left behind by an interrupted earlier run.
        for sha256 in Blob.objects.filter(purged_at__isnull=False).values_list("sha256", flat=True):
            if storage.exists(sha256):
                storage.delete(sha256)
    return results
