"""Retention: bytes whose period ended are purged; the log leaf stays, with a tombstone."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from torelik.archive import services
from torelik.archive.models import Blob, LogEntry, Tombstone
from torelik.archive.selectors import blob_path, read_blob
from torelik.archive.verification import verify_archive
from torelik.identity.permissions import SYSTEM
from torelik.kernel.errors import ConflictError, NotFoundError

pytestmark = pytest.mark.django_db
SIX_YEARS = timedelta(days=6 * 366)


def test_only_blobs_whose_every_period_ended_are_purged(file_bytes):
    audio = file_bytes(b"audio", document_type="hearing.audio")  # 5 years
    decision = file_bytes(b"decision", document_type="act.decision")  # permanent
    shared = file_bytes(b"shared", document_type="hearing.audio")
    file_bytes(b"shared", document_type="evidence", case_number="7140-26-00-2/9")  # 10 years
    results = services.purge_expired(actor=SYSTEM, now=timezone.now() + SIX_YEARS)
    assert [r.sha256 for r in results] == [audio.blob_id]
    assert results[0].document_types == ("hearing.audio",)
    assert not blob_path(audio.blob_id).exists()
    assert blob_path(decision.blob_id).exists() and blob_path(shared.blob_id).exists()
    tomb = Tombstone.objects.get()
    assert tomb.blob_id == audio.blob_id and tomb.document_types == "hearing.audio"
    assert LogEntry.objects.filter(blob_id=audio.blob_id).exists()  # the leaf stays
    with pytest.raises(NotFoundError) as err:
        read_blob(blob=Blob.objects.get(pk=audio.blob_id))
    assert err.value.code == "blob_purged"
    report = verify_archive()
    assert report.ok and report.purged == [(audio.seq, audio.blob_id)]


def test_nothing_is_purged_before_the_period_ends(file_bytes):
    file_bytes(b"audio", document_type="hearing.audio")
    assert services.purge_expired(actor=SYSTEM, now=timezone.now() + timedelta(days=4 * 365)) == []
    assert not Tombstone.objects.exists()


def test_dry_run_and_the_command(file_bytes):
    audio = file_bytes(b"audio", document_type="hearing.audio")
    assert [
        r.sha256 for r in services.purge_expired(actor=SYSTEM, now=timezone.now() + SIX_YEARS, dry_run=True)
    ] == [audio.blob_id]
    assert blob_path(audio.blob_id).exists() and not Tombstone.objects.exists()
    out = io.StringIO()
    call_command("archive", "purge", "--dry-run", stdout=out)
    assert "Would purge 0 blob(s)." in out.getvalue()  # today nothing has expired


def test_a_purged_document_cannot_be_filed_again_until_its_bytes_are_stored_again(file_bytes):
    audio = file_bytes(b"audio", document_type="hearing.audio")
    services.purge_expired(actor=SYSTEM, now=timezone.now() + SIX_YEARS)
    blob = Blob.objects.get(pk=audio.blob_id)
    with pytest.raises(ConflictError) as err:
        services.file_document(blob=blob, document_type="evidence", case_number="x")
    assert err.value.code == "blob_purged"
    again = services.store_blob(data=b"audio", content_type="application/pdf")
    assert again.purged_at is None and blob_path(audio.blob_id).read_bytes() == b"audio"
    assert Tombstone.objects.get().restored_at is not None
    services.file_document(blob=again, document_type="evidence", case_number="x")
    assert verify_archive().ok
