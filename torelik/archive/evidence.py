"""Checking an evidence bundle (selectors.evidence_bundle) the way a party would, offline.

A bundle holds a log entry's canonical bytes, its inclusion proof and a signed tree head. The
check needs only merkle.py, entries.py and the archive's public key — preferably a copy obtained
independently of the bundle (GET /api/v1/archive/public-keys, published by the court).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils.translation import gettext as _

from torelik.archive import merkle
from torelik.archive.entries import EntryFields, parse_entry
from torelik.archive.keys import key_id, load_public_key, signature_valid


class EvidenceError(ValueError):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class CheckedEvidence:
    entry: EntryFields
    tree_size: int
    timestamp_ms: int
    key_id: str


def _hex(value: Any, what: str) -> bytes:
    try:
        raw = bytes.fromhex(str(value))
    except ValueError:
        raise EvidenceError("malformed", _("%(what)s is not hexadecimal.") % {"what": what}) from None
    if len(raw) != merkle.HASH_SIZE:
        raise EvidenceError("malformed", _("%(what)s is not a SHA-256 value.") % {"what": what})
    return raw


def check_evidence(
    *, bundle: dict[str, Any], document: bytes | None = None, public_key: Ed25519PublicKey | None = None
) -> CheckedEvidence:
    """Raise EvidenceError unless the bundle proves the entry (and `document`) is in the signed log."""
    try:
        entry_bytes = base64.b64decode(bundle["entry"]["entry_base64"], validate=True)
        inclusion = bundle["inclusion"]
        head = bundle["tree_head"]
        path = [_hex(h, _("A proof hash")) for h in inclusion["path"]]
        root = _hex(head["root_hash"], _("The root hash"))
        signature = base64.b64decode(head["signature"], validate=True)
        tree_size, timestamp_ms = int(head["tree_size"]), int(head["timestamp"])
        leaf_index = int(inclusion["leaf_index"])
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        if isinstance(exc, EvidenceError):
            raise
        raise EvidenceError("malformed", _("The evidence file is incomplete or malformed.")) from None
    try:
        entry = parse_entry(entry_bytes)
    except (ValueError, KeyError, UnicodeDecodeError):
        raise EvidenceError("entry_malformed", _("The log entry is not in the canonical form.")) from None
    if document is not None and (
        hashlib.sha256(document).hexdigest() != entry.sha256 or len(document) != entry.size
    ):
        raise EvidenceError("document_mismatch", _("The document is not the one the log entry names."))
    if entry.seq != leaf_index or int(inclusion.get("tree_size", tree_size)) != tree_size:
        raise EvidenceError("proof_mismatch", _("The proof is for another entry or another tree size."))
    if not merkle.verify_inclusion(
        leaf_index=leaf_index,
        tree_size=tree_size,
        leaf=merkle.leaf_hash(entry_bytes),
        path=path,
        root_hash=root,
    ):
        raise EvidenceError("proof_invalid", _("The inclusion proof does not lead to the signed root."))
    if public_key is None:
        try:
            public_key = load_public_key(str(bundle.get("public_key_pem", "")).encode())
        except ValueError:
            raise EvidenceError(
                "key_missing", _("No public key of the archive to check the signature.")
            ) from None
    if key_id(public_key) != head.get("key_id"):
        raise EvidenceError("key_mismatch", _("The tree head was signed with another key."))
    data = merkle.tree_head_signed_data(timestamp_ms=timestamp_ms, tree_size=tree_size, root_hash=root)
    if not signature_valid(public_key, signature, data):
        raise EvidenceError("signature_invalid", _("The tree head's signature is invalid."))
    return CheckedEvidence(
        entry=entry, tree_size=tree_size, timestamp_ms=timestamp_ms, key_id=key_id(public_key)
    )
