"""The storage seam: any Django storage under STORAGES["archive"] (the S3 option in production)."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from torelik.archive import services
from torelik.archive.selectors import read_blob
from torelik.archive.storage import DjangoBlobStorage, blob_name, get_storage
from torelik.archive.verification import verify_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "archive": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    storages._storages.pop("archive", None)  # the handler caches backends by alias
    yield storages["archive"]
    storages._storages.pop("archive", None)


def test_blobs_go_to_the_configured_storage_and_verify(memory_storage, file_bytes, tmp_path):
    assert isinstance(get_storage(), DjangoBlobStorage)
    entry = file_bytes(b"%PDF in the object store")
    assert memory_storage.exists(blob_name(entry.blob_id))
    assert read_blob(blob=entry.blob) == b"%PDF in the object store"
    assert not (tmp_path / "archive" / "blobs").exists()  # nothing on the local filesystem
    services.sign_tree_head()
    assert verify_archive().ok


def test_existing_objects_are_never_replaced(memory_storage, file_bytes):
    entry = file_bytes(b"original")
    # Someone replaces the object behind the archive's back: a later upload of the same bytes
    # does not overwrite it, and verify names the change.
    memory_storage.delete(blob_name(entry.blob_id))
    memory_storage.save(blob_name(entry.blob_id), ContentFile(b"forged"))
    services.store_blob(data=b"original", content_type="application/pdf")
    with memory_storage.open(blob_name(entry.blob_id)) as fh:
        assert fh.read() == b"forged"
    report = verify_archive()
    assert [p.reason for p in report.problems] == ["hash_mismatch"]
    assert report.problems[0].sha256 == hashlib.sha256(b"original").hexdigest()
