"""Reads of the electronic case file: blobs, the log, tree heads and proofs, the document page."""

from __future__ import annotations

import base64
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from django.db import connection, models
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from torelik.archive import merkle
from torelik.archive.keys import key_dir, known_public_keys, public_pem, signature_valid
from torelik.archive.models import Blob, DocumentType, LogEntry, LogHead, MerkleNode, TreeHead
from torelik.archive.permissions import Action, require
from torelik.archive.storage import FilesystemBlobStorage, get_storage
from torelik.kernel.config import archive_root
from torelik.kernel.errors import DomainError, NotFoundError
from torelik.kernel.i18n import localized

# ---------------------------------------------------------------- blobs


def blob_path(sha256: str) -> Path:
    """Where the filesystem store keeps a blob (the default store)."""
    return FilesystemBlobStorage(archive_root()).path(sha256)


def _purged_error(blob: Blob) -> NotFoundError:
    return NotFoundError(
        "blob_purged",
        _("The stored document %(sha)s was removed when its retention period ended.") % {"sha": blob.sha256},
    )


def _missing_error(sha256: str) -> NotFoundError:
    return NotFoundError("blob_missing", _("The stored document %(sha)s is missing.") % {"sha": sha256})


def read_blob(*, blob: Blob) -> bytes:
    if blob.purged_at is not None:
        raise _purged_error(blob)
    try:
        with get_storage().open(blob.sha256) as fh:
            return fh.read()
    except FileNotFoundError:
        raise _missing_error(blob.sha256) from None


def open_blob(*, blob: Blob) -> IO[bytes]:
    """A binary file object over the blob's bytes, for streaming; the caller closes it."""
    if blob.purged_at is not None:
        raise _purged_error(blob)
    try:
        return get_storage().open(blob.sha256)
    except FileNotFoundError:
        raise _missing_error(blob.sha256) from None


# ---------------------------------------------------------------- the log


# Proofs are read on every request for them: these few reads go through plain SQL, which on a
# small machine is several times faster than building ORM queries (bench/archive.md).


def _query(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def log_size() -> int:
    rows = _query(f"SELECT size FROM {_table(LogHead)} WHERE id = 1", [])  # noqa: S608 - table names only
    return int(rows[0][0]) if rows else 0


def stored_hashes(ids: list[int]) -> dict[int, bytes]:
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    sql = f"SELECT id, hash FROM {_table(MerkleNode)} WHERE id IN ({marks})"  # noqa: S608 - placeholders only
    return {int(nid): bytes(h) for nid, h in _query(sql, list(ids))}


def _first_seq(sha256: str, below: int, seq: int | None) -> int | None:
    sql = f"SELECT seq FROM {_table(LogEntry)} WHERE blob_id = %s AND seq < %s"  # noqa: S608
    params: list[Any] = [sha256, below]
    if seq is not None:
        sql += " AND seq = %s"
        params.append(seq)
    rows = _query(sql + " ORDER BY seq LIMIT 1", params)
    return int(rows[0][0]) if rows else None


def tree_root(size: int) -> bytes:
    """MTH of the first `size` entries, from the stored subtrees."""
    if size == 0:
        return merkle.EMPTY_ROOT
    return merkle.hashes_from_store([(0, size)], stored_hashes)[0]


def document_types() -> QuerySet[DocumentType]:
    return DocumentType.objects.filter(is_active=True).order_by("position", "code")


def entry_at(*, seq: int) -> LogEntry:
    entry = LogEntry.objects.select_related("blob", "document_type").filter(seq=seq).first()
    if entry is None:
        raise NotFoundError("entry_not_found", _("The log has no entry %(seq)s.") % {"seq": seq}, field="seq")
    return entry


def entries_of(*, sha256: str) -> QuerySet[LogEntry]:
    return (
        LogEntry.objects.select_related("blob", "document_type")
        .filter(blob_id=sha256.lower())
        .order_by("seq")
    )


# ---------------------------------------------------------------- tree heads


def latest_tree_head() -> TreeHead | None:
    return TreeHead.objects.order_by("-timestamp_ms", "-id").first()


def tree_heads(*, limit: int = 100, before_timestamp_ms: int | None = None) -> list[TreeHead]:
    qs = TreeHead.objects.order_by("-timestamp_ms", "-id")
    if before_timestamp_ms is not None:
        qs = qs.filter(timestamp_ms__lt=before_timestamp_ms)
    return list(qs[:limit])


def tree_head_time(head: TreeHead) -> datetime:
    return datetime.fromtimestamp(head.timestamp_ms / 1000, tz=UTC)


def tree_head_signed_data(head: TreeHead) -> bytes:
    return merkle.tree_head_signed_data(
        timestamp_ms=head.timestamp_ms, tree_size=head.tree_size, root_hash=bytes(head.root_hash)
    )


def tree_head_signature_valid(head: TreeHead) -> bool:
    key = known_public_keys().get(head.key_id)
    return key is not None and signature_valid(key, bytes(head.signature), tree_head_signed_data(head))


def tree_head_out(head: TreeHead) -> dict[str, Any]:
    return {
        "tree_size": head.tree_size,
        "timestamp": head.timestamp_ms,
        "time": tree_head_time(head),
        "root_hash": bytes(head.root_hash).hex(),
        "signature": base64.b64encode(bytes(head.signature)).decode(),
        "key_id": head.key_id,
        "signature_algorithm": "ed25519",
    }


def archive_public_keys_pem() -> list[dict[str, str]]:
    return [{"key_id": kid, "pem": public_pem(key).decode()} for kid, key in known_public_keys().items()]


def key_directory() -> Path:
    return key_dir()


# ---------------------------------------------------------------- proofs


@dataclass(frozen=True)
class InclusionProof:
    seq: int
    tree_size: int
    leaf_hash: bytes
    path: list[bytes]
    root_hash: bytes
    tree_head: TreeHead | None


@dataclass(frozen=True)
class ConsistencyProof:
    first: int
    second: int
    first_root: bytes
    second_root: bytes
    path: list[bytes]


def _resolve_tree_size(tree_size: int | None) -> int:
    current = log_size()
    if tree_size is None:
        head = latest_tree_head()
        if head is None:
            raise NotFoundError("no_tree_head", _("No tree head has been signed yet."), field="tree_size")
        return head.tree_size
    if tree_size < 1 or tree_size > current:
        raise DomainError(
            "tree_size_out_of_range",
            _("The log has %(size)s entries; ask for a tree size from 1 to %(size)s.") % {"size": current},
            field="tree_size",
        )
    return tree_size


# created_at is left deferred: nothing on the proof path reads it.
_HEAD_FIELDS = ["id", "tree_size", "timestamp_ms", "root_hash", "signature", "key_id"]


def _tree_head_of_size(size: int) -> TreeHead | None:
    sql = (
        f"SELECT {', '.join(_HEAD_FIELDS)} FROM {_table(TreeHead)} "  # noqa: S608 - names only
        "WHERE tree_size = %s ORDER BY timestamp_ms DESC, id DESC LIMIT 1"
    )
    rows = _query(sql, [size])
    return TreeHead.from_db(connection.alias, _HEAD_FIELDS, list(rows[0])) if rows else None


def inclusion_proof(*, sha256: str, tree_size: int | None = None, seq: int | None = None) -> InclusionProof:
    """PATH(seq, D[tree_size]) for the document with this SHA-256 (its first entry, or `seq`).

    `tree_size` defaults to the latest signed tree head's size.
    """
    size = _resolve_tree_size(tree_size)
    found = _first_seq(sha256.strip().lower(), size, seq)
    if found is None:
        raise NotFoundError(
            "not_in_log",
            _("No document with SHA-256 %(sha)s is among the first %(size)s entries of the log.")
            % {"sha": sha256, "size": size},
            field="sha256",
        )
    ranges = merkle.inclusion_ranges(found, size)
    hashes = merkle.hashes_from_store([(found, found + 1), (0, size), *ranges], stored_hashes)
    return InclusionProof(
        seq=found,
        tree_size=size,
        leaf_hash=hashes[0],
        root_hash=hashes[1],
        path=hashes[2:],
        tree_head=_tree_head_of_size(size),
    )


def consistency_proof(*, first: int, second: int) -> ConsistencyProof:
    """PROOF(first, D[second]): the tree of size `first` is a prefix of the tree of size `second`."""
    current = log_size()
    if not 1 <= first <= second:
        raise DomainError(
            "tree_sizes_out_of_order", _("Ask for sizes with 1 ≤ first ≤ second."), field="first"
        )
    if second > current:
        raise DomainError(
            "tree_size_out_of_range",
            _("The log has %(size)s entries; ask for a tree size from 1 to %(size)s.") % {"size": current},
            field="second",
        )
    ranges = merkle.consistency_ranges(first, second)
    hashes = merkle.hashes_from_store([(0, first), (0, second), *ranges], stored_hashes)
    return ConsistencyProof(
        first=first, second=second, first_root=hashes[0], second_root=hashes[1], path=hashes[2:]
    )


# ---------------------------------------------------------------- the document page


def entry_out(entry: LogEntry) -> dict[str, Any]:
    data = entry.entry_bytes()
    return {
        "seq": entry.seq,
        "sha256": entry.blob_id,
        "size": entry.size,
        "document_type": entry.document_type_id,
        "document_type_name": localized(entry.document_type, "name"),
        "case_number": entry.case_number,
        "author": entry.author,
        "filed_at": entry.filed_at,
        "signature_digests": [d for d in entry.signature_digests.split(",") if d],
        "entry_base64": base64.b64encode(data).decode(),
        "leaf_hash": merkle.leaf_hash(data).hex(),
    }


def evidence_bundle(*, sha256: str, seq: int | None = None) -> dict[str, Any]:
    """Everything a party needs to check offline that the document is in the file.

    The latest signed tree head, the entry's canonical bytes and its inclusion proof against that
    head; `torelik.archive.evidence.check_evidence` (or docs/archive.md's dozen lines of Python)
    checks them with the archive's public key.
    """
    head = latest_tree_head()
    if head is None:
        raise NotFoundError("no_tree_head", _("No tree head has been signed yet."))
    proof = inclusion_proof(sha256=sha256, tree_size=head.tree_size, seq=seq)
    entry = entry_at(seq=proof.seq)
    keys = {k["key_id"]: k["pem"] for k in archive_public_keys_pem()}
    return {
        "format": "torelik-archive-evidence-v1",
        "entry": entry_out(entry) | {"filed_at": entry.filed_at.isoformat()},
        "inclusion": {
            "leaf_index": proof.seq,
            "tree_size": proof.tree_size,
            "path": [h.hex() for h in proof.path],
        },
        "tree_head": tree_head_out(head) | {"time": tree_head_time(head).isoformat()},
        "public_key_pem": keys.get(head.key_id, ""),
    }


def document_view(*, sha256: str) -> dict[str, Any]:
    """The log entries of a document, its type, storage state, signatures and inclusion, for a page."""
    from torelik.signatures.models import SignatureRecord
    from torelik.signatures.selectors import signature_summary

    sha256 = sha256.lower()
    blob = Blob.objects.filter(pk=sha256).first()
    if blob is None:
        raise NotFoundError(
            "document_not_found", _("No stored document has SHA-256 %(sha)s.") % {"sha": sha256}
        )
    entries = list(entries_of(sha256=sha256).prefetch_related("signatures"))
    records: dict[int, SignatureRecord] = {}
    for entry in entries:
        for record in entry.signatures.all():
            records[record.pk] = record
    # Signatures verified over these bytes elsewhere (e.g. at filing) belong on the page too.
    for record in SignatureRecord.objects.filter(signed_sha256=sha256):
        records.setdefault(record.pk, record)
    from torelik.archive.signature_evidence import recheck

    data: bytes | None = None
    if records and blob.purged_at is None:
        with contextlib.suppress(NotFoundError):
            data = read_blob(blob=blob)
    signatures = []
    for record in sorted(records.values(), key=lambda r: (r.signing_time or r.verified_at, r.pk)):
        summary = signature_summary(record)
        check = recheck(record=record, data=data)
        summary["still_valid"] = check.valid
        summary["problems"] = check.problems
        summary["certificate_expired_since"] = check.certificate_expired_since
        signatures.append(summary)
    head = latest_tree_head()
    inclusion: dict[str, Any] | None = None
    if head is not None and entries and entries[0].seq < head.tree_size:
        proof = inclusion_proof(sha256=sha256, tree_size=head.tree_size)
        inclusion = {
            "seq": proof.seq,
            "tree_size": proof.tree_size,
            "tree_head_time": tree_head_time(head),
            "root_hash": proof.root_hash.hex(),
            "path_length": len(proof.path),
            "path": [h.hex() for h in proof.path],
            "leaf_hash": proof.leaf_hash.hex(),
            "verified": proof.root_hash == bytes(head.root_hash)
            and merkle.verify_inclusion(
                leaf_index=proof.seq,
                tree_size=proof.tree_size,
                leaf=proof.leaf_hash,
                path=proof.path,
                root_hash=bytes(head.root_hash),
            )
            and tree_head_signature_valid(head),
        }
    storage_state = "purged" if blob.purged_at else ("stored" if get_storage().exists(sha256) else "missing")
    return {
        "sha256": sha256,
        "size": blob.size,
        "content_type": blob.content_type,
        "stored_at": blob.created_at,
        "purged_at": blob.purged_at,
        "storage_state": storage_state,
        "entries": [entry_out(e) for e in entries],
        "case_numbers": sorted({e.case_number for e in entries if e.case_number}),
        "signatures": signatures,
        "inclusion": inclusion,
        "tree_head": head,
    }


# ---------------------------------------------------------------- access


def document_for_user(*, user: Any, sha256: str) -> Blob:
    """The stored document, if it is in the file of a case open to `user`.

    Parties see the documents of their cases, court staff those of their court's cases (the
    same rule as the case page; `permissions.require`). Anything else — including a hash that
    is not stored at all — is "not found", so nothing leaks.
    """
    sha256 = sha256.strip().lower()
    require(user, Action.READ_DOCUMENT, sha256=sha256)  # the rule is in permissions.py
    blob = Blob.objects.filter(pk=sha256).first()
    if blob is None:
        raise NotFoundError(
            "document_not_found", _("No document with SHA-256 %(sha)s is open to you.") % {"sha": sha256[:64]}
        )
    return blob
