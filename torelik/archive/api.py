"""/api/v1/archive endpoints: signed tree heads, inclusion and consistency proofs, evidence.

Tree heads, the archive's public keys and consistency proofs are public: they reveal only
hashes, and anyone may check that the file only grew. An inclusion proof reveals the leaf
index and path of a document's hash (a holder of the document knows the hash); the entry itself
(case, author, signatures) comes only with the evidence bundle, to parties and court staff.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.security import django_auth

from torelik.api.auth import acting_user
from torelik.api.schemas import ErrorOut
from torelik.archive import selectors
from torelik.kernel.errors import NotFoundError
from torelik.kernel.i18n import localized
from torelik.kernel.services import record_access

router = Router(tags=["Electronic file"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class TreeHeadOut(Schema):
    tree_size: int
    timestamp: int
    time: datetime
    root_hash: str
    signature: str
    key_id: str
    signature_algorithm: str


class PublicKeyOut(Schema):
    key_id: str
    pem: str


class InclusionOut(Schema):
    sha256: str
    leaf_index: int
    tree_size: int
    leaf_hash: str
    path: list[str]
    root_hash: str
    tree_head: TreeHeadOut | None = None


class ConsistencyOut(Schema):
    first: int
    second: int
    first_root: str
    second_root: str
    path: list[str]


class DocumentTypeOut(Schema):
    code: str
    name: str
    retention_years: int | None
    retention_confirmed: bool


class InclusionQuery(Schema):
    sha256: str
    tree_size: int | None = None
    seq: int | None = None


class ConsistencyQuery(Schema):
    first: int
    second: int


@router.get("/archive/tree-heads/latest", response={200: TreeHeadOut, **ERRORS})
def latest_tree_head(request: HttpRequest) -> dict[str, Any]:
    head = selectors.latest_tree_head()
    if head is None:
        raise NotFoundError("no_tree_head", _("No tree head has been signed yet."))
    return selectors.tree_head_out(head)


@router.get("/archive/tree-heads", response={200: list[TreeHeadOut], **ERRORS})
def tree_heads(request: HttpRequest, limit: int = 100, before: int | None = None) -> list[dict[str, Any]]:
    heads = selectors.tree_heads(limit=max(1, min(limit, 1000)), before_timestamp_ms=before)
    return [selectors.tree_head_out(h) for h in heads]


@router.get("/archive/public-keys", response={200: list[PublicKeyOut]})
def public_keys(request: HttpRequest) -> list[dict[str, str]]:
    return selectors.archive_public_keys_pem()


@router.get("/archive/document-types", response={200: list[DocumentTypeOut]})
def document_types(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": t.code,
            "name": localized(t, "name"),
            "retention_years": t.retention_years,
            "retention_confirmed": t.retention_confirmed,
        }
        for t in selectors.document_types()
    ]


@router.get("/archive/proofs/inclusion", response={200: InclusionOut, **ERRORS})
def inclusion_proof(request: HttpRequest, query: Query[InclusionQuery]) -> dict[str, Any]:
    """PATH(leaf_index, D[tree_size]) of RFC 9162 §2.1.3; tree_size defaults to the latest tree head."""
    proof = selectors.inclusion_proof(sha256=query.sha256, tree_size=query.tree_size, seq=query.seq)
    return {
        "sha256": query.sha256.lower(),
        "leaf_index": proof.seq,
        "tree_size": proof.tree_size,
        "leaf_hash": proof.leaf_hash.hex(),
        "path": [h.hex() for h in proof.path],
        "root_hash": proof.root_hash.hex(),
        "tree_head": selectors.tree_head_out(proof.tree_head) if proof.tree_head else None,
    }


@router.get("/archive/proofs/consistency", response={200: ConsistencyOut, **ERRORS})
def consistency_proof(request: HttpRequest, query: Query[ConsistencyQuery]) -> dict[str, Any]:
    """PROOF(first, D[second]) of RFC 9162 §2.1.4."""
    proof = selectors.consistency_proof(first=query.first, second=query.second)
    return {
        "first": proof.first,
        "second": proof.second,
        "first_root": proof.first_root.hex(),
        "second_root": proof.second_root.hex(),
        "path": [h.hex() for h in proof.path],
    }


@router.get(
    "/archive/documents/{sha256}/evidence", response={200: dict[str, Any], **ERRORS}, auth=django_auth
)
def evidence(request: HttpRequest, sha256: str) -> dict[str, Any]:
    """Everything needed to check offline that the document is in the file (docs/archive.md)."""
    blob = selectors.document_for_user(user=acting_user(request), sha256=sha256)
    record_access(request=request, action="archive.evidence", object_type="blob", object_id=blob.sha256)
    return selectors.evidence_bundle(sha256=blob.sha256)
