from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from torelik.archive.models import Blob
from torelik.kernel.config import archive_root
from torelik.kernel.errors import NotFoundError


def blob_path(sha256: str) -> Path:
    return archive_root() / "blobs" / sha256[:2] / sha256[2:4] / sha256


def read_blob(*, blob: Blob) -> bytes:
    path = blob_path(blob.sha256)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(
            "blob_missing", _("The stored document %(sha)s is missing.") % {"sha": blob.sha256}
        ) from None
