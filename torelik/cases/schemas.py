"""API shapes of a case, its parties, documents, stage and history, and of a procedural step.

PartyIn sits here with PartyOut, which extends it: the Judicial Office's drafts (efiling.schemas)
take parties in the shape a case shows them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from ninja import Schema

from torelik.cases.card import Named, StepOption, TimelineEntry, stage_of
from torelik.cases.models import Case, CaseDocument, Party
from torelik.cases.procedure_store import procedure_of
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


class ProcedureOut(Schema):
    code: str
    version: int
    name: str


class CaseOut(Schema):
    id: int
    number: str
    court: NamedCode
    category: NamedCode
    status: str
    status_label: str
    registered_at: datetime
    # Where the case stands in its procedure: the stage's code and its name in the caller's language.
    stage: NamedCode
    stage_since: datetime | None = None
    procedure: ProcedureOut | None = None
    parties: list[PartyOut]
    documents: list[DocumentOut]


class OutcomeOut(Schema):
    code: str
    label: str


class TimelineEntryOut(Schema):
    seq: int
    kind: str
    occurred_at: datetime
    who: str | None = None  # the court official who acted; none for a party or the platform
    label: str  # in the caller's language
    transition: str | None = None  # the step's code, for a procedural step
    outcome: OutcomeOut | None = None
    reason: str = ""
    stage: NamedCode | None = None  # the stage the step led to
    awarded_tiyn: int | None = None


class TransitionOut(Schema):
    code: str
    name: str
    requires_reason: bool
    outcomes: list[OutcomeOut]


class TransitionIn(Schema):
    outcome: str = ""
    reason: str = ""
    awarded_tiyn: int | None = None


def _named(value: Named | None) -> dict[str, str] | None:
    return {"code": value.code, "name": value.name} if value is not None else None


def timeline_out(entries: Iterable[TimelineEntry]) -> list[dict[str, Any]]:
    return [
        {
            "seq": e.seq,
            "kind": e.kind,
            "occurred_at": e.when,
            "who": e.who or None,
            "label": e.label,
            "transition": e.transition or None,
            "outcome": {"code": e.outcome.code, "label": e.outcome.name} if e.outcome else None,
            "reason": e.reason,
            "stage": _named(e.stage),
            "awarded_tiyn": e.awarded_tiyn,
        }
        for e in entries
    ]


def transitions_out(steps: Iterable[StepOption]) -> list[dict[str, Any]]:
    return [
        {
            "code": s.code,
            "name": s.name,
            "requires_reason": s.requires_reason,
            "outcomes": [{"code": o.code, "label": o.name} for o in s.outcomes],
        }
        for s in steps
    ]


def case_card_prefetches() -> list[Prefetch[Any]]:
    """What case_out reads besides the case row (select court, category and procedure with the case:
    `selectors.CARD_RELATED`).

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
        "stage": _named(stage_of(case)),
        "stage_since": case.stage_since,
        "procedure": (
            {
                "code": case.procedure.code,
                "version": case.procedure.version,
                "name": procedure_of(case.procedure).name,
            }
            if case.procedure is not None
            else None
        ),
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
