"""RFC 9162 hashing and proofs, checked against an independent reading of the RFC (rfc9162.py)."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from torelik.archive import merkle
from torelik.archive.tests import rfc9162

SIZES = st.integers(min_value=1, max_value=300)


def leaves(n: int) -> list[bytes]:
    return [rfc9162.leaf(f"entry {i}".encode()) for i in range(n)]


def stored_nodes(n: int) -> dict[int, bytes]:
    """The node store the archive keeps, built by appending n leaves one by one."""
    frontier = merkle.Frontier()
    store: dict[int, bytes] = {}
    for leaf in leaves(n):
        store.update(frontier.append(leaf))
    return store


def test_hashes_are_the_rfc_ones_with_domain_separation():
    entry = b'{"v":1}'
    assert merkle.leaf_hash(entry) == hashlib.sha256(b"\x00" + entry).digest()
    a, b = b"a" * 32, b"b" * 32
    assert merkle.node_hash(a, b) == hashlib.sha256(b"\x01" + a + b).digest()
    assert merkle.root([]) == hashlib.sha256(b"").digest()


@settings(max_examples=150, deadline=None)
@given(n=SIZES, data=st.data())
def test_inclusion_proofs_from_stored_subtrees_match_the_rfc_and_verify(n, data):
    m = data.draw(st.integers(min_value=0, max_value=n - 1))
    ls = leaves(n)
    store = stored_nodes(n)
    root = rfc9162.mth(ls)
    lookup = lambda ids: {i: store[i] for i in ids if i in store}  # noqa: E731
    got_root, *got_path = merkle.hashes_from_store([(0, n), *merkle.inclusion_ranges(m, n)], lookup)
    assert got_root == root
    assert got_path == rfc9162.path(m, ls)
    assert merkle.inclusion_path(m, ls) == got_path
    assert rfc9162.verify_inclusion(m, n, ls[m], got_path, root)
    assert merkle.verify_inclusion(leaf_index=m, tree_size=n, leaf=ls[m], path=got_path, root_hash=root)


@settings(max_examples=150, deadline=None)
@given(n=SIZES, data=st.data())
def test_consistency_proofs_from_stored_subtrees_match_the_rfc_and_verify(n, data):
    m = data.draw(st.integers(min_value=1, max_value=n))
    ls = leaves(n)
    store = stored_nodes(n)
    lookup = lambda ids: {i: store[i] for i in ids if i in store}  # noqa: E731
    first_root, second_root, *got = merkle.hashes_from_store(
        [(0, m), (0, n), *merkle.consistency_ranges(m, n)], lookup
    )
    assert (first_root, second_root) == (rfc9162.mth(ls[:m]), rfc9162.mth(ls))
    assert got == rfc9162.proof(m, ls)
    assert merkle.consistency_proof(m, ls) == got
    if m < n:
        assert rfc9162.verify_consistency(m, n, first_root, second_root, got)
    assert merkle.verify_consistency(
        first=m, second=n, first_root=first_root, second_root=second_root, proof=got
    )


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=2, max_value=200), data=st.data())
def test_a_changed_proof_or_leaf_fails_both_verifiers(n, data):
    m = data.draw(st.integers(min_value=0, max_value=n - 1))
    ls = leaves(n)
    root = rfc9162.mth(ls)
    path = rfc9162.path(m, ls)
    i = data.draw(st.integers(min_value=0, max_value=len(path) - 1))
    bad = [*path[:i], hashlib.sha256(path[i]).digest(), *path[i + 1 :]]
    assert not merkle.verify_inclusion(leaf_index=m, tree_size=n, leaf=ls[m], path=bad, root_hash=root)
    assert not rfc9162.verify_inclusion(m, n, ls[m], bad, root)
    other = rfc9162.leaf(b"forged")
    assert not merkle.verify_inclusion(leaf_index=m, tree_size=n, leaf=other, path=path, root_hash=root)
    assert not merkle.verify_inclusion(leaf_index=m, tree_size=n, leaf=ls[m], path=path[:-1], root_hash=root)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=2, max_value=200), data=st.data())
def test_consistency_with_a_rewritten_history_fails(n, data):
    m = data.draw(st.integers(min_value=1, max_value=n - 1))
    ls = leaves(n)
    rewritten = [*ls[: m - 1], rfc9162.leaf(b"rewritten"), *ls[m:]]
    proof = rfc9162.proof(m, rewritten)
    first_root = rfc9162.mth(ls[:m])
    second_root = rfc9162.mth(rewritten)
    assert not merkle.verify_consistency(
        first=m, second=n, first_root=first_root, second_root=second_root, proof=proof
    )
    assert not rfc9162.verify_consistency(m, n, first_root, second_root, proof)


def test_node_ids_round_trip_and_grow_in_append_order():
    ids = [nid for nid, _h in merkle.Frontier().append(b"\0" * 32)]
    assert ids == [0]
    for level in range(6):
        for index in range(40):
            assert merkle.node_of_id(merkle.node_id(level, index)) == (level, index)
    frontier = merkle.Frontier()
    seen: list[int] = []
    for leaf in leaves(64):
        seen.extend(nid for nid, _h in frontier.append(leaf))
    assert seen == sorted(seen)


def test_tree_head_signed_data_is_tree_head_data_v2():
    data = merkle.tree_head_signed_data(timestamp_ms=1, tree_size=2, root_hash=b"\x07" * 32)
    assert data == (1).to_bytes(8, "big") + (2).to_bytes(8, "big") + b"\x20" + b"\x07" * 32 + b"\x00\x00"
