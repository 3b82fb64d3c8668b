"""The canonical bytes of a log entry: what a leaf of the Merkle log hashes.

Version 1 of the format, fixed so that anyone can recompute a leaf hash from the entry's fields:

    entry = UTF-8 of the JSON object below, keys sorted, no insignificant whitespace,
            non-ASCII characters as themselves (RFC 8785 canonical JSON for these value types)
    leaf  = SHA-256(0x00 || entry)

    {"author": str, "case": str, "seq": int, "sha256": str, "signatures": [str, ...],
     "size": int, "time": str, "type": str, "v": 1}

- seq: the entry's 0-based index in the log (its leaf index);
- sha256: lower-case hex SHA-256 of the document's bytes; size: their length;
- type: the code of the document type (classification of document types);
- case: the case number, or "" for a document not yet in a case;
- author: who filed it (IIN/BIN and name of a party, or the staff member's user name);
- time: when it entered the file, UTC, "YYYY-MM-DDTHH:MM:SS.ffffffZ";
- signatures: lower-case hex SHA-256 of each CMS signature (DER) over the document, sorted.

Example (Python): json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

ENTRY_VERSION = 1


def format_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("entry times must be aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


@dataclass(frozen=True)
class EntryFields:
    seq: int
    sha256: str
    size: int
    document_type: str
    case_number: str
    author: str
    filed_at: datetime
    signature_digests: tuple[str, ...] = ()

    def as_json_object(self) -> dict[str, Any]:
        return {
            "v": ENTRY_VERSION,
            "seq": self.seq,
            "sha256": self.sha256,
            "size": self.size,
            "type": self.document_type,
            "case": self.case_number,
            "author": self.author,
            "time": format_time(self.filed_at),
            "signatures": sorted(self.signature_digests),
        }

    def canonical_bytes(self) -> bytes:
        return canonical_json(self.as_json_object())


def canonical_json(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def parse_entry(data: bytes) -> EntryFields:
    """The fields of canonical entry bytes; raises ValueError unless `data` is canonical v1."""
    obj = json.loads(data.decode("utf-8"))
    if not isinstance(obj, dict) or obj.get("v") != ENTRY_VERSION:
        raise ValueError("not a version 1 log entry")
    fields = EntryFields(
        seq=int(obj["seq"]),
        sha256=str(obj["sha256"]),
        size=int(obj["size"]),
        document_type=str(obj["type"]),
        case_number=str(obj["case"]),
        author=str(obj["author"]),
        filed_at=parse_time(str(obj["time"])),
        signature_digests=tuple(str(s) for s in obj["signatures"]),
    )
    if fields.canonical_bytes() != data:
        raise ValueError("the entry is not in canonical form")
    return fields
