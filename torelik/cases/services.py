"""Writes to cases: registration with a number, parties, documents and the append-only history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from torelik.archive.models import Blob
from torelik.cases.models import Case, CaseDocument, CaseEvent, CaseNumberSequence, Party
from torelik.cases.permissions import Action, require
from torelik.courts.models import CaseCategory, Court
from torelik.identity.models import User
from torelik.identity.permissions import Actor, acting_user
from torelik.kernel import sql
from torelik.signatures.models import SignatureRecord


@dataclass(frozen=True)
class PartyData:
    role: str
    person_kind: str
    name: str
    iin: str = ""
    bin: str = ""
    address: str = ""
    user: User | None = None


@dataclass(frozen=True)
class DocumentData:
    blob: Blob
    title: str
    filename: str
    signature: SignatureRecord | None = None


def _next_serial(*, court: Court, year: int, number_code: str) -> int:
    """Takes the next serial for the court, year and category code; safe under concurrency.

    The UPDATE locks the counter row until the surrounding transaction ends, so two
    registrations can never read the same serial.
    """
    lookup = {"court": court, "year": year, "number_code": number_code}
    for _attempt in range(3):
        if CaseNumberSequence.objects.filter(**lookup).update(last_serial=F("last_serial") + 1):
            return CaseNumberSequence.objects.get(**lookup).last_serial
        try:
            with transaction.atomic():
                CaseNumberSequence.objects.create(**lookup, last_serial=1)
            return 1
        except IntegrityError:
            continue  # another transaction created the row first; increment it instead
    raise RuntimeError("could not allocate a case number")


def format_case_number(*, court: Court, category: CaseCategory, year: int, serial: int) -> str:
    return court.case_number_template.format(
        court=court.code, yy=f"{year % 100:02d}", yyyy=year, category=category.number_code, serial=serial
    )


@transaction.atomic
def append_case_event(
    *, case: Case, kind: str, actor: User | None, occurred_at: datetime, payload: dict[str, Any] | None = None
) -> CaseEvent:
    # The case row's lock serialises appends to one history: two writers never read the same
    # Max(seq). (SQLite takes the database lock at BEGIN IMMEDIATE, to the same effect.)
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()
    last = CaseEvent.objects.filter(case=case).aggregate(m=Max("seq"))["m"] or 0
    return CaseEvent.objects.create(
        case=case, seq=last + 1, kind=kind, actor=actor, occurred_at=occurred_at, payload=payload or {}
    )


@dataclass(frozen=True)
class NewCaseEvent:
    case_id: int
    kind: str
    actor: User | None
    occurred_at: datetime
    payload: dict[str, Any]


def append_case_events(*, events: list[NewCaseEvent], cases_locked: bool = False) -> None:
    """`append_case_event` for many events at once (a batch of draws): three statements in all.

    Events of one case are numbered in the order given. `cases_locked`: the caller's transaction
    already holds the rows of these cases locked (`SELECT … FOR UPDATE`).
    """
    if not events:
        return
    ids = sorted({e.case_id for e in events})
    if not cases_locked:
        # The same lock as `append_case_event`, on every case at once, in id order (no deadlocks).
        list(Case.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    last = dict(
        CaseEvent.objects.filter(case_id__in=ids)
        .values("case_id")
        .annotate(m=Max("seq"))
        .values_list("case_id", "m")
    )
    rows: list[tuple[Any, ...]] = []
    for event in events:
        seq = last[event.case_id] = (last.get(event.case_id) or 0) + 1
        actor_id = event.actor.pk if event.actor else None
        rows.append((event.case_id, seq, event.kind, actor_id, event.occurred_at, event.payload))
    sql.insert_rows(CaseEvent, _EVENT_FIELDS, rows)


_EVENT_FIELDS = ("case_id", "seq", "kind", "actor_id", "occurred_at", "payload")


@transaction.atomic
def register_case(
    *,
    court: Court,
    category: CaseCategory,
    registered_at: datetime,
    actor: Actor,
    parties: list[PartyData],
    documents: list[DocumentData],
    claim_amount_tiyn: int | None = None,
    submission_id: int | None = None,
) -> Case:
    require(actor, Action.REGISTER_CASE, court=court)
    year = timezone.localtime(registered_at).year  # the court's year (Almaty), not UTC's
    serial = _next_serial(court=court, year=year, number_code=category.number_code)
    number = format_case_number(court=court, category=category, year=year, serial=serial)
    case = Case.objects.create(
        number=number,
        court=court,
        category=category,
        year=year,
        serial=serial,
        registered_at=registered_at,
        submission_id=submission_id,
        claim_amount_tiyn=claim_amount_tiyn,
    )
    Party.objects.bulk_create(
        [
            Party(
                case=case,
                role=p.role,
                person_kind=p.person_kind,
                name=p.name,
                iin=p.iin,
                bin=p.bin,
                address=p.address,
                user=p.user,
            )
            for p in parties
        ]
    )
    CaseDocument.objects.bulk_create(
        [
            CaseDocument(case=case, blob=d.blob, title=d.title, filename=d.filename, signature=d.signature)
            for d in documents
        ]
    )
    # Each document also enters the electronic file's log, in this same transaction.
    from torelik.archive.services import FiledDocument, file_case_documents

    submission = case.submission if case.submission_id else None
    file_case_documents(
        case_number=number,
        submission_type=submission.type_key if submission else None,
        documents=[
            FiledDocument(
                blob=d.blob,
                signature=d.signature,
                is_body=submission is not None and d.blob.sha256 == submission.body_sha256,
            )
            for d in documents
        ],
    )
    append_case_event(
        case=case,
        kind="case.registered",
        actor=acting_user(actor),
        occurred_at=registered_at,
        payload={
            "number": number,
            "court": court.code,
            "category": category.code,
            "submission_id": submission_id,
            "documents": [d.blob.sha256 for d in documents],
        },
    )
    append_case_event(case=case, kind="case.awaiting_distribution", actor=None, occurred_at=registered_at)
    # Distribution runs in this transaction: registration and assignment commit together, and a
    # case with no eligible judge stays awaiting distribution with an alert (it never raises).
    from torelik.distribution.services import distribute_registered_case

    distribute_registered_case(case=case, actor=acting_user(actor))
    return case
