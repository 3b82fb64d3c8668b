"""API shapes of a case, its parties and documents; reads only.

PartyIn sits here with PartyOut, which extends it: the Judicial Office's drafts (efiling.schemas)
take parties in the shape a case shows them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from ninja import Schema

from torelik.cases.models import Case, CaseDocument, Party
from torelik.courts.schemas import NamedCode, category_brief, court_brief


class PartyIn(Schema):
    role: str
    person_kind: str
    name: str
    iin: str = ""
    bin: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


class PartyOut(PartyIn):
    pass


class DocumentOut(Schema):
    id: int
    filename: str
    title: str
    sha256: str
    size: int
    signed: bool
    signer_iin: str | None = None


class CaseOut(Schema):
    id: int
    number: str
    court: NamedCode
    category: NamedCode
    status: str
    status_label: str
    registered_at: datetime
    parties: list[PartyOut]
    documents: list[DocumentOut]


def case_card_prefetches() -> list[Prefetch[Any]]:
    """What case_out reads besides the case row (select court and category with the case).

    Fresh objects each call: a Prefetch keeps state while it runs.
    """
    return [
        # Parties in the order they were named (the table has no ordering of its own).
        Prefetch("parties", queryset=Party.objects.order_by("id")),
        Prefetch("documents", queryset=CaseDocument.objects.select_related("blob", "signature")),
    ]


def cases_out(cases: Iterable[Case]) -> list[dict[str, Any]]:
    """case_out of many cases in a fixed number of queries, however many cases, parties, documents."""
    rows = list(cases)
    prefetch_related_objects(rows, *case_card_prefetches())
    return [case_out(c) for c in rows]


def case_out(case: Case) -> dict[str, Any]:
    # A no-op for cases that cases_out (or a selector) prefetched; two queries for a lone case.
    prefetch_related_objects([case], *case_card_prefetches())
    return {
        "id": case.pk,
        "number": case.number,
        "court": court_brief(case.court),
        "category": category_brief(case.category),
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "registered_at": case.registered_at,
        "parties": [
            {
                "role": p.role,
                "person_kind": p.person_kind,
                "name": p.name,
                "iin": p.iin,
                "bin": p.bin,
                "address": p.address,
            }
            for p in case.parties.all()
        ],
        "documents": [
            {
                "id": d.pk,
                "filename": d.filename,
                "title": d.title,
                "sha256": d.blob_id,
                "size": d.blob.size,
                "signed": d.signature_id is not None,
                "signer_iin": d.signature.signer_iin if d.signature else None,
            }
            for d in case.documents.all()
        ],
    }
