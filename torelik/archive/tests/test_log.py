"""Filing documents into the log; signed tree heads; proofs through /api/v1/archive, checked
with the independent RFC 9162 verifier."""

from __future__ import annotations

import base64
import hashlib
import stat

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.test import Client

from torelik.archive import services
from torelik.archive.entries import parse_entry
from torelik.archive.keys import PRIVATE_KEY_FILE, key_dir
from torelik.archive.models import Blob, DocumentType, LogEntry, MerkleNode, TreeHead
from torelik.archive.selectors import blob_path, consistency_proof, inclusion_proof, log_size
from torelik.archive.tests import rfc9162
from torelik.kernel.errors import ConflictError, DomainError

pytestmark = pytest.mark.django_db


def test_the_classification_of_document_types_is_seeded_in_three_languages():
    claim = DocumentType.objects.get(code="claim")
    assert (claim.name_kk, claim.name_ru, claim.name_en) == (
        "Талап арыз",
        "Исковое заявление",
        "Statement of claim",
    )
    assert claim.retention_years == 10
    assert DocumentType.objects.get(code="act.decision").retention_years is None  # kept permanently
    assert DocumentType.objects.count() >= 15
    assert not DocumentType.objects.filter(name_kk="").exists()


def test_a_filed_document_is_stored_under_its_hash_with_its_metadata(file_bytes):
    data = b"%PDF-1.7 claim"
    entry = file_bytes(data, document_type="claim", author="880101300123 ИВАНОВ")
    sha = hashlib.sha256(data).hexdigest()
    assert blob_path(sha).read_bytes() == data
    assert blob_path(sha).parent.parent.name == sha[:2]
    assert (entry.seq, entry.blob_id, entry.size, entry.document_type_id) == (0, sha, len(data), "claim")
    assert entry.case_number == "7140-26-00-2/1" and entry.author == "880101300123 ИВАНОВ"
    # The leaf is SHA-256(0x00 || canonical entry), and the entry names all the metadata.
    fields = parse_entry(entry.entry_bytes())
    assert (fields.sha256, fields.document_type, fields.case_number) == (sha, "claim", "7140-26-00-2/1")
    assert bytes(MerkleNode.objects.get(id=0).hash) == rfc9162.leaf(entry.entry_bytes())


def test_a_tree_head_is_signed_when_the_filing_commits(file_bytes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        file_bytes(b"one")
        file_bytes(b"two")
    head = TreeHead.objects.order_by("-tree_size").first()
    assert head is not None and head.tree_size == 2
    leaves = [rfc9162.leaf(e.entry_bytes()) for e in LogEntry.objects.order_by("seq")]
    assert bytes(head.root_hash) == rfc9162.mth(leaves)


def test_the_key_is_made_on_first_use_and_tree_heads_verify_with_the_published_key(file_bytes):
    assert not (key_dir() / PRIVATE_KEY_FILE).exists()
    file_bytes(b"doc")
    head = services.sign_tree_head()
    path = key_dir() / PRIVATE_KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    client = Client()
    keys = client.get("/api/v1/archive/public-keys").json()
    latest = client.get("/api/v1/archive/tree-heads/latest").json()
    assert latest["tree_size"] == 1 and latest["key_id"] == keys[0]["key_id"] == head.key_id
    public = load_pem_public_key(keys[0]["pem"].encode())
    signed = (
        latest["timestamp"].to_bytes(8, "big")
        + latest["tree_size"].to_bytes(8, "big")
        + b"\x20"
        + bytes.fromhex(latest["root_hash"])
        + b"\x00\x00"
    )
    public.verify(base64.b64decode(latest["signature"]), signed)  # raises if invalid


def test_every_inclusion_and_consistency_proof_matches_the_rfc(file_bytes, docs):
    entries = [file_bytes(d) for d in docs(13)]
    leaves = [rfc9162.leaf(e.entry_bytes()) for e in entries]
    for n in range(1, 14):
        root = rfc9162.mth(leaves[:n])
        for m in range(n):
            proof = inclusion_proof(sha256=entries[m].blob_id, tree_size=n)
            assert proof.root_hash == root and proof.leaf_hash == leaves[m]
            assert proof.path == rfc9162.path(m, leaves[:n])
            assert rfc9162.verify_inclusion(m, n, leaves[m], proof.path, root)
        for m in range(1, n):
            cons = consistency_proof(first=m, second=n)
            assert cons.path == rfc9162.proof(m, leaves[:n])
            assert rfc9162.verify_consistency(m, n, rfc9162.mth(leaves[:m]), root, cons.path)


def test_the_api_proves_inclusion_against_a_signed_head_and_consistency_between_heads(file_bytes, docs):
    client = Client()
    first = [file_bytes(d) for d in docs(5)]
    old = services.sign_tree_head()
    later = [file_bytes(d) for d in docs(8)]
    new = services.sign_tree_head()
    leaves = [rfc9162.leaf(e.entry_bytes()) for e in [*first, *later]]
    target = later[3]
    body = client.get("/api/v1/archive/proofs/inclusion", {"sha256": target.blob_id}).json()
    assert body["tree_size"] == new.tree_size == 13 and body["leaf_index"] == target.seq
    assert body["tree_head"]["root_hash"] == bytes(new.root_hash).hex()
    assert rfc9162.verify_inclusion(
        body["leaf_index"],
        body["tree_size"],
        leaves[target.seq],
        [bytes.fromhex(p) for p in body["path"]],
        bytes(new.root_hash),
    )
    cons = client.get(
        "/api/v1/archive/proofs/consistency", {"first": old.tree_size, "second": new.tree_size}
    ).json()
    assert rfc9162.verify_consistency(
        old.tree_size,
        new.tree_size,
        bytes(old.root_hash),
        bytes(new.root_hash),
        [bytes.fromhex(p) for p in cons["path"]],
    )
    bad = client.get("/api/v1/archive/proofs/consistency", {"first": 1, "second": 99})
    assert bad.status_code == 400 and bad.json()["code"] == "tree_size_out_of_range"
    unknown = client.get("/api/v1/archive/proofs/inclusion", {"sha256": "0" * 64})
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_in_log"


def test_bytes_that_do_not_match_the_declared_hash_are_refused_and_nothing_is_written(file_bytes):
    file_bytes(b"earlier")
    before = (Blob.objects.count(), LogEntry.objects.count(), log_size())
    with pytest.raises(DomainError) as err:
        services.store_blob(data=b"tampered", content_type="application/pdf", declared_sha256="ab" * 32)
    assert err.value.code == "hash_mismatch"
    assert not blob_path(hashlib.sha256(b"tampered").hexdigest()).exists()
    assert (Blob.objects.count(), LogEntry.objects.count(), log_size()) == before


def test_a_duplicate_is_detected_and_leaves_what_is_stored_untouched(file_bytes):
    entry = file_bytes(b"same bytes", document_type="evidence")
    path = blob_path(entry.blob_id)
    before = path.stat()
    again = services.store_blob(data=b"same bytes", content_type="application/pdf")
    assert again.pk == entry.blob_id and Blob.objects.count() == 1
    assert path.stat().st_ino == before.st_ino and path.stat().st_mtime_ns == before.st_mtime_ns
    with pytest.raises(ConflictError) as err:
        services.file_document(blob=again, document_type="evidence", case_number=entry.case_number)
    assert err.value.code == "document_already_filed"
    assert log_size() == 1 and MerkleNode.objects.count() == 1
    # The same bytes in another case are a new entry: the log records both filings.
    other = services.file_document(blob=again, document_type="evidence", case_number="7140-26-00-2/2")
    assert other.seq == 1


def test_an_unknown_document_type_is_refused_and_nothing_changes(file_bytes):
    blob = services.store_blob(data=b"x", content_type="application/pdf")
    with pytest.raises(DomainError) as err:
        services.file_document(blob=blob, document_type="no-such-type", case_number="1")
    assert err.value.code == "document_type_unknown"
    assert log_size() == 0 and not LogEntry.objects.exists()


def test_log_rows_are_append_only(file_bytes):
    from torelik.archive.models import AppendOnlyError

    entry = file_bytes(b"x")
    entry.author = "someone else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
