"""Where blob bytes live: the filesystem by default, any Django storage as the production seam.

`get_storage()` returns a `FilesystemBlobStorage` under TORELIK_ARCHIVE_ROOT unless
settings.STORAGES has an "archive" alias, in which case that Django storage backend is wrapped
in `DjangoBlobStorage`. The documented production option is an S3-compatible object store
through django-storages (docs/archive.md); that path is documented, not tested here — the
adapter itself is tested against Django's in-memory storage.

Rules every backend keeps:
- `put` returns only once the bytes are durable (file: written, fsynced, linked into place and
  the directory fsynced), and never replaces existing bytes at the same name;
- names are content addresses, `blobs/ab/cd/abcd…` (the SHA-256 in hex), so a file that exists
  under its name is either the right bytes or evidence of tampering that `verify` reports.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO, Protocol

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages

from torelik.kernel.config import archive_root

INCOMING_DIR = "incoming"
BLOBS_DIR = "blobs"


def blob_name(sha256: str) -> str:
    return f"{BLOBS_DIR}/{sha256[:2]}/{sha256[2:4]}/{sha256}"


class BlobStorage(Protocol):
    def exists(self, sha256: str) -> bool: ...

    def put_bytes(self, sha256: str, data: bytes) -> bool:
        """Store `data` under its hash; False if bytes were already there (left untouched)."""
        ...

    def put_file(self, sha256: str, path: Path) -> bool:
        """Store the (already hashed and fsynced) temporary file at `path`; it is consumed."""
        ...

    def open(self, sha256: str) -> IO[bytes]:
        """Open for reading; raises FileNotFoundError when absent."""
        ...

    def delete(self, sha256: str) -> None: ...

    def scratch_dir(self) -> Path:
        """A local directory for a streamed upload being hashed before it has a name."""
        ...

    def iter_names(self) -> Iterator[tuple[str, str]]:
        """(kind, name) of every stored object: ("blob", sha256) or ("incoming", file name)."""
        ...


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _is_hex64(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


class FilesystemBlobStorage:
    """Blobs as files under `root`/blobs/ab/cd/<sha256>; temporary files in `root`/incoming/."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / blob_name(sha256)

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def _make_shard(self, directory: Path) -> None:
        """Create blobs/ab/cd and make each new directory entry durable too."""
        if directory.is_dir():
            return
        created: list[Path] = []
        self.root.mkdir(parents=True, exist_ok=True)
        for d in (directory.parent.parent, directory.parent, directory):
            try:
                d.mkdir()
                created.append(d)
            except FileExistsError:
                pass
        for d in created:
            _fsync_dir(d.parent)

    def scratch_dir(self) -> Path:
        directory = self.root / INCOMING_DIR
        directory.mkdir(parents=True, exist_ok=True)
        return directory

    def put_bytes(self, sha256: str, data: bytes) -> bool:
        if self.exists(sha256):
            return False
        fd, tmp = tempfile.mkstemp(dir=self.scratch_dir(), prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return self.put_file(sha256, Path(tmp))

    def put_file(self, sha256: str, path: Path) -> bool:
        """Link the temporary file (the caller wrote and fsynced it) into place; never replaces a file."""
        target = self.path(sha256)
        try:
            self._make_shard(target.parent)
            try:
                os.link(path, target)
                created = True
            except FileExistsError:
                created = False
            except OSError as exc:  # a filesystem without hard links: rename, unless present
                if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV):
                    raise
                created = not target.exists()
                if created:
                    os.rename(path, target)
            if created:
                _fsync_dir(target.parent)
            return created
        finally:
            path.unlink(missing_ok=True)

    def open(self, sha256: str) -> IO[bytes]:
        return open(self.path(sha256), "rb", buffering=0)

    def delete(self, sha256: str) -> None:
        target = self.path(sha256)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
            _fsync_dir(target.parent)

    def iter_names(self) -> Iterator[tuple[str, str]]:
        incoming = self.root / INCOMING_DIR
        if incoming.is_dir():
            for entry in os.scandir(incoming):
                yield "incoming", entry.name
        blobs = self.root / BLOBS_DIR
        if not blobs.is_dir():
            return
        for first in sorted(os.scandir(blobs), key=lambda e: e.name):
            if not first.is_dir():
                continue
            for second in sorted(os.scandir(first.path), key=lambda e: e.name):
                if not second.is_dir():
                    continue
                for entry in os.scandir(second.path):
                    if _is_hex64(entry.name):
                        yield "blob", entry.name
                    else:
                        yield "incoming", f"{first.name}/{second.name}/{entry.name}"


class DjangoBlobStorage:
    """Any Django storage backend (e.g. django-storages' S3Storage) as a blob store.

    Durability is the backend's: an S3 PUT is durable when it returns. `put_*` checks `exists`
    first and refuses a backend that renames on collision, so bytes are never replaced.
    """

    def __init__(self, storage: Storage, scratch: Path) -> None:
        self.storage = storage
        self._scratch = Path(scratch)

    def exists(self, sha256: str) -> bool:
        return bool(self.storage.exists(blob_name(sha256)))

    def scratch_dir(self) -> Path:
        self._scratch.mkdir(parents=True, exist_ok=True)
        return self._scratch

    def _save(self, sha256: str, content: File[bytes]) -> bool:
        name = blob_name(sha256)
        if self.storage.exists(name):
            return False
        saved = self.storage.save(name, content)
        if saved != name:
            # The backend kept both under different names: ours must be the only copy.
            self.storage.delete(saved)
            return False
        return True

    def put_bytes(self, sha256: str, data: bytes) -> bool:
        return self._save(sha256, ContentFile(data))

    def put_file(self, sha256: str, path: Path) -> bool:
        try:
            with open(path, "rb") as fh:
                return self._save(sha256, File(fh))
        finally:
            path.unlink(missing_ok=True)

    def open(self, sha256: str) -> IO[bytes]:
        name = blob_name(sha256)
        if not self.storage.exists(name):
            raise FileNotFoundError(name)
        handle: BinaryIO = self.storage.open(name, "rb")  # type: ignore[assignment]
        return handle

    def delete(self, sha256: str) -> None:
        self.storage.delete(blob_name(sha256))

    def iter_names(self) -> Iterator[tuple[str, str]]:
        for first in self.storage.listdir(BLOBS_DIR)[0]:
            for second in self.storage.listdir(f"{BLOBS_DIR}/{first}")[0]:
                for name in self.storage.listdir(f"{BLOBS_DIR}/{first}/{second}")[1]:
                    yield ("blob", name) if _is_hex64(name) else ("incoming", f"{first}/{second}/{name}")


ARCHIVE_STORAGE_ALIAS = "archive"


def get_storage() -> BlobStorage:
    if ARCHIVE_STORAGE_ALIAS in getattr(settings, "STORAGES", {}):
        return DjangoBlobStorage(storages[ARCHIVE_STORAGE_ALIAS], archive_root() / INCOMING_DIR)
    return FilesystemBlobStorage(archive_root())
