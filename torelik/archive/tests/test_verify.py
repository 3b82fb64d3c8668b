"""`torelik archive verify`: a clean archive passes; each kind of damage is named, first entry first."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from torelik.archive import merkle, services
from torelik.archive.models import Blob, LogEntry, MerkleNode, TreeHead
from torelik.archive.selectors import blob_path
from torelik.archive.verification import verify_archive
from torelik.identity.permissions import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run_verify() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("archive", "verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing_verify() -> tuple[str, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("archive", "verify", stdout=io.StringIO(), stderr=err)
    assert exc.value.returncode == 1
    return str(exc.value), err.getvalue()


@pytest.fixture
def archive(file_bytes, docs):
    entries = [file_bytes(d) for d in docs(6, size=300_000)]
    services.sign_tree_head()
    entries += [file_bytes(d) for d in docs(3)]
    services.sign_tree_head()
    return entries


def test_a_clean_archive_verifies(archive):
    out, _err = run_verify()
    assert "9 log entries, 2 tree heads, 9 blobs" in out
    assert "OK: the log, its tree heads and the stored documents agree." in out
    report = verify_archive()
    assert report.ok and report.bytes_hashed == sum(e.size for e in archive)


def test_a_blob_changed_on_disk_is_named(archive):
    path = blob_path(archive[4].blob_id)
    data = bytearray(path.read_bytes())
    data[1000] ^= 1
    path.write_bytes(bytes(data))
    message, _err = failing_verify()
    assert f"Entry 4: the bytes stored as {archive[4].blob_id} hash to" in message


def test_the_first_bad_entry_is_the_one_named(archive):
    for e in (archive[7], archive[2]):
        blob_path(e.blob_id).write_bytes(b"replaced")
    message, err = failing_verify()
    assert message.startswith("Verification failed: Entry 2:")
    assert "Entry 7:" in err


def test_a_missing_blob_is_reported_as_missing(archive):
    blob_path(archive[5].blob_id).unlink()
    message, _err = failing_verify()
    assert f"Entry 5: the stored document {archive[5].blob_id} is missing." in message


def test_a_tree_head_with_a_bad_signature_is_reported(archive):
    good = TreeHead.objects.order_by("tree_size").first()
    assert good is not None
    forged = bytearray(bytes(good.signature))
    forged[0] ^= 0xFF
    TreeHead.objects.create(
        tree_size=good.tree_size,
        timestamp_ms=good.timestamp_ms + 5,
        root_hash=bytes(good.root_hash),
        signature=bytes(forged),
        key_id=good.key_id,
    )
    message, _err = failing_verify()
    assert f"The signature of the tree head of size {good.tree_size}" in message
    assert "is invalid" in message


def test_a_log_row_changed_in_the_database_is_named(archive):
    LogEntry.objects.filter(seq=3).update(author="someone else")
    message, _err = failing_verify()
    assert "Entry 3: the log row was changed after it was appended." in message


def test_a_rewritten_history_does_not_match_the_signed_root(archive):
    # Rewrite an entry and recompute its leaf and the nodes over it consistently: the stored
    # tree is self-consistent again, but no longer hashes to the signed roots.
    LogEntry.objects.filter(seq=1).update(author="forger")
    MerkleNode.objects.filter(id__gte=64).delete()  # bypasses the model's append-only guard
    frontier = merkle.Frontier()
    for entry in LogEntry.objects.order_by("seq"):
        completed = frontier.append(merkle.leaf_hash(entry.entry_bytes()))
        MerkleNode.objects.bulk_create([MerkleNode(id=nid, hash=h) for nid, h in completed if nid >= 64])
    message, err = failing_verify()
    assert "do not hash to the root signed in the tree head" in message + err


def test_a_blob_purged_by_policy_is_told_apart_from_a_missing_one(file_bytes):
    old = file_bytes(b"old hearing audio", document_type="hearing.audio")
    kept = file_bytes(b"a decision", document_type="act.decision")
    purged = services.purge_expired(actor=SYSTEM, now=timezone.now() + timedelta(days=6 * 366))
    assert [p.sha256 for p in purged] == [old.blob_id]
    assert not blob_path(old.blob_id).exists() and blob_path(kept.blob_id).exists()
    out, _err = run_verify()
    assert f"Entry 0: {old.blob_id} purged by policy (tombstone)." in out
    assert "OK:" in out
    # Bytes of an unpurged blob deleted by hand are "missing", not "purged".
    blob_path(kept.blob_id).unlink()
    message, _err = failing_verify()
    assert f"Entry 1: the stored document {kept.blob_id} is missing." in message


def test_verify_changes_nothing(archive):
    before = (
        Blob.objects.count(),
        LogEntry.objects.count(),
        TreeHead.objects.count(),
        MerkleNode.objects.count(),
    )
    blob_path(archive[0].blob_id).write_bytes(b"bad")
    failing_verify()
    assert blob_path(archive[0].blob_id).read_bytes() == b"bad"
    after = (
        Blob.objects.count(),
        LogEntry.objects.count(),
        TreeHead.objects.count(),
        MerkleNode.objects.count(),
    )
    assert after == before
