"""`torelik archive verify`: recompute the whole log and check every blob and tree head.

What is checked, in one pass over the log in order of `seq`:
- each entry's canonical bytes are recomputed from its row and hashed to a leaf, which must
  equal the stored leaf (else "log row altered"); the CMS signatures it names must still hash
  to the digests in the entry; the sequence must have no gaps;
- the tree is rebuilt from those recomputed leaves; every complete subtree must equal the
  stored node, and at every signed tree head's size the root must equal the signed root;
- every tree head's Ed25519 signature must verify with the archive's key (or a retired one);
- every blob's bytes are read and hashed (threads: hashlib releases the GIL) and must match
  their address; a blob purged by the retention policy is reported as such, not as missing,
  and only if its retention period had ended;
- blobs stored but not yet in the log are hashed too; files in the store with no blob row
  (an upload interrupted before its row committed) are listed as harmless orphans.
The first problem — the lowest log position, then tree heads — is what the command names.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils.translation import gettext as _

from torelik.archive import merkle
from torelik.archive.document_types import add_years
from torelik.archive.entries import EntryFields
from torelik.archive.keys import known_public_keys, signature_valid
from torelik.archive.models import Blob, DocumentType, LogEntry, LogHead, MerkleNode, TreeHead
from torelik.archive.storage import BlobStorage, get_storage

PAGE = 5000
READ_CHUNK = 1 << 20
_local = threading.local()


@dataclass(frozen=True)
class Problem:
    reason: str  # stable code, e.g. "hash_mismatch"
    message: str  # translated
    seq: int | None = None
    sha256: str = ""
    tree_size: int | None = None

    def sort_key(self) -> tuple[int, int, int]:
        if self.seq is not None:
            return (0, self.seq, 0)
        return (1, self.tree_size or 0, 0)


@dataclass
class VerifyReport:
    entries: int = 0
    blobs_hashed: int = 0
    bytes_hashed: int = 0
    seconds: float = 0.0
    tree_heads: int = 0
    unfiled_blobs: int = 0
    purged: list[tuple[int, str]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    incoming: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def first_problem(self) -> Problem | None:
        return min(self.problems, key=Problem.sort_key) if self.problems else None

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=Problem.sort_key)


def hash_stream(fh: object) -> tuple[str, int]:
    """SHA-256 and length of a binary file object, read in 1 MiB chunks into a reused buffer."""
    buf = getattr(_local, "buf", None)
    if buf is None:
        buf = _local.buf = bytearray(READ_CHUNK)
    view = memoryview(buf)
    h = hashlib.sha256()
    total = 0
    readinto = getattr(fh, "readinto", None)
    if readinto is not None:
        while n := readinto(buf):
            h.update(view[:n])
            total += n
    else:
        read = fh.read  # type: ignore[attr-defined]
        while chunk := read(READ_CHUNK):
            h.update(chunk)
            total += len(chunk)
    return h.hexdigest(), total


def _check_blob(storage: BlobStorage, sha256: str) -> tuple[str, int] | None:
    """(hexdigest, size) of the stored bytes, or None when they are absent."""
    try:
        fh = storage.open(sha256)
    except FileNotFoundError:
        return None
    with fh:
        fileno = getattr(fh, "fileno", None)
        if fileno is not None and hasattr(os, "posix_fadvise"):
            with contextlib.suppress(OSError, ValueError):
                os.posix_fadvise(fileno(), 0, 0, os.POSIX_FADV_SEQUENTIAL)
        return hash_stream(fh)


class _Verifier:
    def __init__(
        self,
        *,
        from_seq: int,
        workers: int,
        extra_keys: dict[str, Ed25519PublicKey],
        progress: Callable[[VerifyReport], None] | None,
    ) -> None:
        self.from_seq = max(from_seq, 0)
        self.workers = max(workers, 1)
        self.keys = {**known_public_keys(), **extra_keys}
        self.progress = progress
        self.report = VerifyReport()
        self.storage = get_storage()
        self.retention = dict(DocumentType.objects.values_list("code", "retention_years"))
        self.seen: set[bytes] = set()
        self.entry_altered = False
        self._last_progress = time.monotonic()

    def problem(self, reason: str, message: str, **where: object) -> None:
        self.report.problems.append(Problem(reason=reason, message=message, **where))  # type: ignore[arg-type]

    # ---------------------------------------------------------------- tree heads

    def load_tree_heads(self) -> dict[int, list[TreeHead]]:
        by_size: dict[int, list[TreeHead]] = {}
        for head in TreeHead.objects.order_by("tree_size", "timestamp_ms", "id"):
            self.report.tree_heads += 1
            key = self.keys.get(head.key_id)
            root = bytes(head.root_hash)
            if key is None:
                self.problem(
                    "tree_head_unknown_key",
                    _("Tree head of size %(size)s is signed by an unknown key %(key)s.")
                    % {"size": head.tree_size, "key": head.key_id[:16]},
                    tree_size=head.tree_size,
                )
            elif len(root) != merkle.HASH_SIZE or not signature_valid(
                key,
                bytes(head.signature),
                merkle.tree_head_signed_data(
                    timestamp_ms=head.timestamp_ms, tree_size=head.tree_size, root_hash=root
                ),
            ):
                self.problem(
                    "tree_head_signature_invalid",
                    _("The signature of the tree head of size %(size)s (time %(ts)s) is invalid.")
                    % {"size": head.tree_size, "ts": head.timestamp_ms},
                    tree_size=head.tree_size,
                )
            by_size.setdefault(head.tree_size, []).append(head)
        return by_size

    def check_roots(self, size: int, root: bytes, heads: dict[int, list[TreeHead]]) -> None:
        for head in heads.get(size, []):
            if bytes(head.root_hash) != root:
                self.problem(
                    "root_mismatch",
                    _(
                        "The log's first %(size)s entries do not hash to the root signed in the tree head "
                        "of that size: the log was changed after it was signed."
                    )
                    % {"size": size},
                    tree_size=size,
                )

    # ---------------------------------------------------------------- the log

    def pages(self) -> Iterator[list[Any]]:
        cursor = -1
        while True:
            rows = list(
                LogEntry.objects.filter(seq__gt=cursor)
                .order_by("seq")
                .values_list(
                    "seq",
                    "blob_id",
                    "size",
                    "document_type_id",
                    "case_number",
                    "author",
                    "filed_at",
                    "signature_digests",
                    "blob__size",
                    "blob__purged_at",
                )[:PAGE]
            )
            if not rows:
                return
            yield rows
            cursor = int(rows[-1][0])

    def signature_digests(self, seqs: list[int]) -> dict[int, set[str]]:
        through = LogEntry.signatures.through
        out: dict[int, set[str]] = {}
        for seq, cms in through.objects.filter(logentry_id__in=seqs).values_list(
            "logentry_id", "signaturerecord__cms"
        ):
            out.setdefault(seq, set()).add(hashlib.sha256(bytes(cms)).hexdigest())
        return out

    def check_purged(
        self, seq: int, sha256: str, doc_type: str, filed_at: datetime, purged_at: datetime
    ) -> None:
        years = self.retention.get(doc_type)
        if years is None or add_years(filed_at, years) > purged_at:
            self.problem(
                "purged_early",
                _("Entry %(seq)s: the bytes were purged before the retention period of its type ended.")
                % {"seq": seq},
                seq=seq,
                sha256=sha256,
            )
        else:
            self.report.purged.append((seq, sha256))

    def blob_result(self, seq: int, sha256: str, size: int, result: tuple[str, int] | None) -> None:
        if result is None:
            self.problem(
                "missing",
                _("Entry %(seq)s: the stored document %(sha)s is missing.") % {"seq": seq, "sha": sha256},
                seq=seq,
                sha256=sha256,
            )
            return
        digest, length = result
        self.report.blobs_hashed += 1
        self.report.bytes_hashed += length
        if digest != sha256:
            self.problem(
                "hash_mismatch",
                _("Entry %(seq)s: the bytes stored as %(sha)s hash to %(actual)s.")
                % {"seq": seq, "sha": sha256, "actual": digest},
                seq=seq,
                sha256=sha256,
            )
        elif length != size:
            self.problem(
                "size_mismatch",
                _("Entry %(seq)s: %(sha)s has %(actual)s bytes, the log says %(size)s.")
                % {"seq": seq, "sha": sha256, "actual": length, "size": size},
                seq=seq,
                sha256=sha256,
            )

    def tick(self) -> None:
        if self.progress is not None and time.monotonic() - self._last_progress >= 2:
            self._last_progress = time.monotonic()
            self.progress(self.report)

    def run(self) -> VerifyReport:
        started = time.perf_counter()
        heads = self.load_tree_heads()
        self.check_roots(0, merkle.EMPTY_ROOT, heads)
        frontier = merkle.Frontier()
        pending: deque[tuple[int, str, int, Future[tuple[str, int] | None]]] = deque()
        window = self.workers * 4
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="verify") as pool:

            def drain(limit: int) -> None:
                while len(pending) > limit:
                    seq, sha, size, fut = pending.popleft()
                    self.blob_result(seq, sha, size, fut.result())

            expected = 0
            for rows in self.pages():
                first, last = int(rows[0][0]), int(rows[-1][0])
                stored = dict(
                    MerkleNode.objects.filter(
                        id__gte=first * merkle.NODE_ID_LEVELS, id__lt=(last + 1) * merkle.NODE_ID_LEVELS
                    ).values_list("id", "hash")
                )
                sig_seqs = [int(r[0]) for r in rows if r[7]]
                sigs = self.signature_digests(sig_seqs) if sig_seqs else {}
                for row in rows:
                    seq, sha, size, doc_type, case, author, filed_at, digests, blob_size, purged_at = row
                    assert isinstance(seq, int) and isinstance(sha, str) and isinstance(size, int)
                    assert isinstance(filed_at, datetime) and isinstance(digests, str)
                    if seq != expected:
                        self.problem(
                            "entry_missing",
                            _("Log entries %(first)s to %(last)s are missing.")
                            % {"first": expected, "last": seq - 1},
                            seq=expected,
                        )
                    expected = seq + 1
                    self.report.entries += 1
                    digest_list = tuple(d for d in digests.split(",") if d)
                    fields = EntryFields(
                        seq=seq,
                        sha256=sha,
                        size=size,
                        document_type=str(doc_type),
                        case_number=str(case),
                        author=str(author),
                        filed_at=filed_at,
                        signature_digests=digest_list,
                    )
                    leaf = merkle.leaf_hash(fields.canonical_bytes())
                    stored_leaf = stored.get(seq * merkle.NODE_ID_LEVELS)
                    if stored_leaf is None or bytes(stored_leaf) != leaf or blob_size != size:
                        self.entry_altered = True
                        self.problem(
                            "entry_altered",
                            _("Entry %(seq)s: the log row was changed after it was appended.") % {"seq": seq},
                            seq=seq,
                            sha256=sha,
                        )
                    elif set(digest_list) != sigs.get(seq, set()):
                        self.problem(
                            "signature_altered",
                            _("Entry %(seq)s: its signature records no longer match the signed entry.")
                            % {"seq": seq},
                            seq=seq,
                            sha256=sha,
                        )
                    for nid, h in frontier.append(leaf)[1:]:
                        got = stored.get(nid)
                        if (got is None or bytes(got) != h) and not self.entry_altered:
                            level, index = merkle.node_of_id(nid)
                            self.problem(
                                "node_mismatch",
                                _("Entry %(seq)s: the stored tree node %(level)s/%(index)s is wrong.")
                                % {"seq": seq, "level": level, "index": index},
                                seq=seq,
                            )
                    if frontier.size in heads:
                        self.check_roots(frontier.size, frontier.root(), heads)
                    # The bytes.
                    if seq < self.from_seq:
                        continue
                    key = bytes.fromhex(sha)
                    if key in self.seen:
                        continue
                    self.seen.add(key)
                    if isinstance(purged_at, datetime):
                        self.check_purged(seq, sha, str(doc_type), filed_at, purged_at)
                        continue
                    pending.append((seq, sha, size, pool.submit(_check_blob, self.storage, sha)))
                    drain(window)
                self.tick()
            drain(0)
            self.check_tail(frontier.size, heads)
            if self.from_seq == 0:
                self.check_unfiled(pool)
        if self.from_seq == 0:
            self.scan_orphans()
        self.report.seconds = time.perf_counter() - started
        return self.report

    def check_tail(self, size: int, heads: dict[int, list[TreeHead]]) -> None:
        head_size = LogHead.objects.filter(pk=1).values_list("size", flat=True).first()
        if (head_size or 0) != size:
            self.problem(
                "head_mismatch",
                _("The log head says %(head)s entries, but %(size)s are in the log.")
                % {"head": head_size or 0, "size": size},
                tree_size=size,
            )
        for tree_size in sorted(s for s in heads if s > size):
            self.problem(
                "tree_head_beyond_log",
                _(
                    "A tree head was signed for %(signed)s entries, but the log has only %(size)s: "
                    "entries were removed."
                )
                % {"signed": tree_size, "size": size},
                seq=size,
                tree_size=tree_size,
            )

    def check_unfiled(self, pool: ThreadPoolExecutor) -> None:
        """Blobs stored (e.g. uploads of a draft filing) but not in the log: bytes must match too."""
        cursor = ""
        while True:
            rows = list(
                Blob.objects.filter(sha256__gt=cursor, purged_at__isnull=True)
                .order_by("sha256")
                .values_list("sha256", "size")[:PAGE]
            )
            if not rows:
                return
            cursor = rows[-1][0]
            batch = [(sha, size) for sha, size in rows if bytes.fromhex(sha) not in self.seen]
            futures = [(sha, size, pool.submit(_check_blob, self.storage, sha)) for sha, size in batch]
            for sha, size, fut in futures:
                self.report.unfiled_blobs += 1
                result = fut.result()
                if result is None:
                    self.problem(
                        "missing",
                        _("The stored document %(sha)s (not yet in the log) is missing.") % {"sha": sha},
                        sha256=sha,
                    )
                elif result[0] != sha or result[1] != size:
                    self.report.blobs_hashed += 1
                    self.report.bytes_hashed += result[1]
                    self.problem(
                        "hash_mismatch",
                        _("The bytes stored as %(sha)s (not yet in the log) hash to %(actual)s.")
                        % {"sha": sha, "actual": result[0]},
                        sha256=sha,
                    )
                else:
                    self.report.blobs_hashed += 1
                    self.report.bytes_hashed += result[1]

    def scan_orphans(self) -> None:
        candidates: list[str] = []

        def flush() -> None:
            known = set(Blob.objects.filter(pk__in=candidates).values_list("sha256", flat=True))
            self.report.orphans.extend(sorted(s for s in candidates if s not in known))
            candidates.clear()

        for kind, name in self.storage.iter_names():
            if kind == "incoming":
                self.report.incoming.append(name)
            elif bytes.fromhex(name) not in self.seen:
                candidates.append(name)
                if len(candidates) >= 1000:
                    flush()
        flush()


def verify_archive(
    *,
    from_seq: int = 0,
    workers: int = 2,
    extra_public_keys: dict[str, Ed25519PublicKey] | None = None,
    progress: Callable[[VerifyReport], None] | None = None,
) -> VerifyReport:
    """Check the whole electronic file; see the module's docstring. Reads only, changes nothing.

    `from_seq`: hash the bytes of entries from this position on (the tree, which needs only the
    database, is always recomputed whole; unfiled blobs and orphans are then skipped).
    """
    return _Verifier(
        from_seq=from_seq, workers=workers, extra_keys=extra_public_keys or {}, progress=progress
    ).run()
