"""Merkle tree hashing of RFC 9162 (Certificate Transparency 2.0) §2.1, in plain Python.

No Django and no database here: a party holding a document, its log entry, a proof and a
signed tree head can check them with this file alone (and `cryptography` for the signature).

Hashing (SHA-256):
    leaf hash  = SHA-256(0x00 || entry)
    node hash  = SHA-256(0x01 || left || right)
    MTH({})    = SHA-256("")
For n > 1 leaves let k be the largest power of two smaller than n; then
    MTH(D[n]) = node hash(MTH(D[0:k]), MTH(D[k:n])).

Two families of functions:
- over a list of leaf hashes: `root`, `inclusion_path`, `consistency_proof` (RFC PATH and PROOF);
- over stored subtrees: every range the RFC recursion visits starts at a multiple of a power of
  two at least as large as the range, so its hash folds from O(log n) *complete, aligned*
  subtrees (`aligned_subtrees`). A store that keeps the hash of every complete subtree answers
  any proof with one read of O(log² n) small rows at most (`inclusion_ranges`,
  `consistency_ranges`, `fold`).
And the checks of §2.1.3.2 and §2.1.4.2: `verify_inclusion`, `verify_consistency`.

A complete subtree at `level` L and `index` i covers leaves [i·2^L, (i+1)·2^L). `node_id` numbers
it by the last leaf it covers, so that ordering by id is the order in which an append-only log
completes its subtrees (`Frontier` yields them in that order).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()
# node_id = last_leaf * NODE_ID_LEVELS + level; 64 levels cover any tree a uint64 can count.
NODE_ID_LEVELS = 64


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def largest_power_of_two_below(n: int) -> int:
    """The k of RFC 9162: the largest power of two strictly smaller than n (n > 1)."""
    if n < 2:
        raise ValueError("n must be at least 2")
    return 1 << ((n - 1).bit_length() - 1)


# ---------------------------------------------------------------- complete aligned subtrees


def node_id(level: int, index: int) -> int:
    """Stable number of the complete subtree (level, index): its last leaf, then its level."""
    last_leaf = ((index + 1) << level) - 1
    return last_leaf * NODE_ID_LEVELS + level


def node_of_id(nid: int) -> tuple[int, int]:
    last_leaf, level = divmod(nid, NODE_ID_LEVELS)
    return level, ((last_leaf + 1) >> level) - 1


def aligned_subtrees(start: int, end: int) -> list[tuple[int, int]]:
    """The complete subtrees, largest first, whose concatenation is leaves [start, end).

    `start` must be a multiple of a power of two not smaller than `end - start` (every range the
    RFC 9162 recursion visits is); the chunks then follow the binary digits of `end - start`.
    """
    size = end - start
    if size <= 0:
        raise ValueError("empty range")
    out: list[tuple[int, int]] = []
    pos = start
    for level in range(size.bit_length() - 1, -1, -1):
        width = 1 << level
        if size & width:
            if pos % width:
                raise ValueError(f"range [{start}, {end}) is not aligned")
            out.append((level, pos >> level))
            pos += width
    return out


def fold(hashes: Sequence[bytes]) -> bytes:
    """MTH of a range from the hashes of its aligned subtrees (largest first): a right fold."""
    if not hashes:
        raise ValueError("nothing to fold")
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = node_hash(h, acc)
    return acc


def inclusion_ranges(m: int, n: int) -> list[tuple[int, int]]:
    """The leaf ranges whose MTHs, in this order, form PATH(m, D[n]) (RFC 9162 §2.1.3.1)."""
    if not 0 <= m < n:
        raise ValueError("need 0 <= m < n")
    out: list[tuple[int, int]] = []
    start, end = 0, n
    while end - start > 1:
        k = largest_power_of_two_below(end - start)
        if m - start < k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start += k
    out.reverse()  # the recursion appends after the sub-path: deepest range first
    return out


def consistency_ranges(m: int, n: int) -> list[tuple[int, int]]:
    """The leaf ranges whose MTHs, in this order, form PROOF(m, D[n]) (RFC 9162 §2.1.4.1)."""
    if not 0 < m <= n:
        raise ValueError("need 0 < m <= n")
    tail: list[tuple[int, int]] = []
    start, end, complete = 0, n, True
    while True:
        if m == end - start:
            if not complete:
                tail.append((start, end))
            break
        k = largest_power_of_two_below(end - start)
        if m <= k:
            tail.append((start + k, end))
            end = start + k
        else:
            tail.append((start, start + k))
            m -= k
            start += k
            complete = False
    tail.reverse()
    return tail


def subtree_ids_for(ranges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """For each range, the node ids of its aligned subtrees (largest first)."""
    return [[node_id(level, index) for level, index in aligned_subtrees(a, b)] for a, b in ranges]


def hashes_from_store(
    ranges: Sequence[tuple[int, int]], lookup: Callable[[list[int]], dict[int, bytes]]
) -> list[bytes]:
    """MTH of every range, reading the stored subtrees with one call of `lookup(ids) -> {id: hash}`."""
    per_range = subtree_ids_for(ranges)
    wanted = sorted({nid for ids in per_range for nid in ids})
    found = lookup(wanted) if wanted else {}
    missing = [nid for nid in wanted if nid not in found]
    if missing:
        raise KeyError(f"subtree {node_of_id(missing[0])} is not stored")
    return [fold([found[nid] for nid in ids]) for ids in per_range]


# ---------------------------------------------------------------- over a list of leaf hashes


def _range_hash(leaves: Sequence[bytes], start: int, end: int) -> bytes:
    stack: list[tuple[int, bytes]] = []
    for h in leaves[start:end]:
        level = 0
        while stack and stack[-1][0] == level:
            h = node_hash(stack.pop()[1], h)
            level += 1
        stack.append((level, h))
    return fold([h for _level, h in stack])


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH of the tree whose leaf hashes are `leaves`."""
    if not leaves:
        return EMPTY_ROOT
    return _range_hash(leaves, 0, len(leaves))


def inclusion_path(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) given the n leaf hashes."""
    return [_range_hash(leaves, a, b) for a, b in inclusion_ranges(m, len(leaves))]


def consistency_proof(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) given the n leaf hashes."""
    return [_range_hash(leaves, a, b) for a, b in consistency_ranges(m, len(leaves))]


# ---------------------------------------------------------------- streaming


@dataclass
class Frontier:
    """The right edge of a growing tree: one hash per set bit of its size.

    `append` returns the complete subtrees the new leaf finishes, as (node_id, hash), leaf first.
    """

    size: int = 0
    stack: list[tuple[int, bytes]] = field(default_factory=list)

    def append(self, leaf: bytes) -> list[tuple[int, bytes]]:
        seq = self.size
        completed = [(seq * NODE_ID_LEVELS, leaf)]
        h, level = leaf, 0
        while self.stack and self.stack[-1][0] == level:
            h = node_hash(self.stack.pop()[1], h)
            level += 1
            completed.append((seq * NODE_ID_LEVELS + level, h))
        self.stack.append((level, h))
        self.size += 1
        return completed

    def root(self) -> bytes:
        if not self.stack:
            return EMPTY_ROOT
        return fold([h for _level, h in self.stack])


def completed_by(seq: int) -> Iterator[tuple[int, int]]:
    """The complete subtrees (level, index) that leaf `seq` finishes, leaf first."""
    level, index = 0, seq
    yield level, index
    while index & 1:
        index >>= 1
        level += 1
        yield level, index


# ---------------------------------------------------------------- verification (RFC 9162 §2.1.3.2, §2.1.4.2)


def verify_inclusion(
    *, leaf_index: int, tree_size: int, leaf: bytes, path: Sequence[bytes], root_hash: bytes
) -> bool:
    """True when `path` proves that the leaf hash `leaf` is leaf `leaf_index` of the tree."""
    if leaf_index < 0 or leaf_index >= tree_size:
        return False
    fn, sn, r = leaf_index, tree_size - 1, leaf
    for p in path:
        if len(p) != HASH_SIZE or sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_hash


def verify_consistency(
    *, first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """True when `proof` shows the tree of size `first` is a prefix of the tree of size `second`."""
    if first < 0 or second < first:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof and first_root == EMPTY_ROOT
    if not proof or any(len(p) != HASH_SIZE for p in proof):
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the old root is itself a node
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


# ---------------------------------------------------------------- signed tree heads (RFC 9162 §4.10)


def tree_head_signed_data(*, timestamp_ms: int, tree_size: int, root_hash: bytes) -> bytes:
    """The bytes a tree head's signature covers: TreeHeadDataV2 in TLS encoding, no extensions.

    uint64 timestamp (ms since the epoch) || uint64 tree_size || uint8 len || root_hash || uint16 0
    """
    if len(root_hash) != HASH_SIZE:
        raise ValueError("root hash must be 32 bytes")
    return struct.pack(">QQB", timestamp_ms, tree_size, HASH_SIZE) + root_hash + b"\x00\x00"
