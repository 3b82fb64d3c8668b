"""Writes to the content-addressed document store.

A blob's file is written to a temporary name, flushed to disk and renamed into place before the
database row is created, so a row never points at bytes that are not durable. A crash between
the two leaves at most an unreferenced file, which the same content simply reuses later.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from torelik.archive.models import Blob
from torelik.archive.selectors import blob_path
from torelik.kernel.errors import DomainError


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store_blob(*, data: bytes, content_type: str, declared_sha256: str | None = None) -> Blob:
    digest = hashlib.sha256(data).hexdigest()
    if declared_sha256 is not None and declared_sha256.lower() != digest:
        raise DomainError(
            "hash_mismatch",
            _("The file's SHA-256 is %(actual)s, not the declared %(declared)s.")
            % {"actual": digest, "declared": declared_sha256},
            field="sha256",
        )
    path = blob_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)
    blob, _created = Blob.objects.get_or_create(
        sha256=digest, defaults={"size": len(data), "content_type": content_type}
    )
    return blob
