"""Writes to cases: registration with a number, parties, documents, the judge who hears the case and
the append-only history. The only writer of a case's state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from torelik.cases import events as case_events
from torelik.cases.models import Case, CaseDocument, CaseEvent, CaseNumberSequence, CaseStatus, Party
from torelik.cases.parties import PartyDetails
from torelik.cases.permissions import Action, require
from torelik.cases.procedure_store import procedure_for_category, procedure_of
from torelik.courts.models import CaseCategory, Court
from torelik.identity.models import User
from torelik.identity.permissions import Actor, acting_user
from torelik.kernel import sql
from torelik.signatures.models import SignatureRecord

if TYPE_CHECKING:  # the e-file (archive) depends on cases, not the other way round
    from torelik.archive.models import Blob


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
    case_events.require_declared(kind)
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
    for kind in {e.kind for e in events}:
        case_events.require_declared(kind)
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
    parties: list[PartyDetails],
    documents: list[DocumentData],
    claim_amount_tiyn: int | None = None,
    submission_id: int | None = None,
    filer: User | None = None,
    filer_role: str | None = None,
) -> Case:
    """Numbers a new case and records its parties, documents and first history entries.

    The filer's own party in `filer_role` (`cases.parties.is_own_party`) is linked to their
    account, so the case shows on their page.

    Only that: filing the documents into the electronic file and drawing the judge are the
    orchestrator's (efiling's intake), in the same transaction.
    """
    require(actor, Action.REGISTER_CASE, court=court)
    year = timezone.localtime(registered_at).year  # the court's year (Almaty), not UTC's
    serial = _next_serial(court=court, year=year, number_code=category.number_code)
    number = format_case_number(court=court, category=category, year=year, serial=serial)
    version = procedure_for_category(category)
    case = Case.objects.create(
        number=number,
        court=court,
        category=category,
        year=year,
        serial=serial,
        registered_at=registered_at,
        submission_id=submission_id,
        claim_amount_tiyn=claim_amount_tiyn,
        procedure=version,
        stage=procedure_of(version).initial,
        stage_since=registered_at,
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
                user=filer if filer is not None and p.role == filer_role and p.belongs_to(filer) else None,
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
    append_case_event(
        case=case,
        kind=case_events.CASE_REGISTERED,
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
    append_case_event(
        case=case, kind=case_events.CASE_AWAITING_DISTRIBUTION, actor=None, occurred_at=registered_at
    )
    return case


def add_case_documents(*, case: Case, documents: list[DocumentData]) -> None:
    """Documents filed later into a registered case (an appeal and its attachments); the
    orchestrator files them into the electronic file in the same transaction."""
    CaseDocument.objects.bulk_create(
        [
            CaseDocument(case=case, blob=d.blob, title=d.title, filename=d.filename, signature=d.signature)
            for d in documents
        ]
    )


# ---------------------------------------------------------------- who hears the case


# Every procedure starts at "registered" and its `assign` step leads to "assigned".
REGISTERED, ASSIGNED = "registered", "assigned"


def record_assignment(*, case: Case, judge_id: int) -> None:
    """The case is heard by `judge_id` (the presiding or sole judge): the only writer of the
    case's judge. Distribution decides who, records why, and calls this in its transaction."""
    record_assignments(case_judges={case.pk: judge_id})
    case.judge_id = judge_id
    case.status = CaseStatus.ASSIGNED
    if case.stage == REGISTERED:
        case.stage = ASSIGNED


def record_assignments(*, case_judges: dict[int, int]) -> None:
    """`record_assignment` for a batch of draws: {case id: judge id}, in one statement on
    PostgreSQL. The caller holds the cases' rows locked (distribution's `lock_cases`)."""
    if not case_judges:
        return
    judge, status, pk = sql.column(Case, "judge_id"), sql.column(Case, "status"), sql.column(Case, "id")
    stage = sql.column(Case, "stage")
    # A first assignment moves a registered case to "assigned" (every procedure's `assign`); a
    # redistribution changes only the judge. Status: distribution's view of the case.
    stage_sql = f"{stage} = CASE WHEN {stage} = %s THEN %s ELSE {stage} END"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {sql.table(Case)} SET {judge} = v.judge, {status} = %s, {stage_sql} "  # noqa: S608
                f"FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, judge) "
                f"WHERE {sql.table(Case)}.{pk} = v.id",
                [
                    CaseStatus.ASSIGNED.value,
                    REGISTERED,
                    ASSIGNED,
                    list(case_judges),
                    list(case_judges.values()),
                ],
            )
            return
        cursor.executemany(
            f"UPDATE {sql.table(Case)} SET {judge} = %s, {status} = %s, {stage_sql} WHERE {pk} = %s",  # noqa: S608
            [(jid, CaseStatus.ASSIGNED.value, REGISTERED, ASSIGNED, cid) for cid, jid in case_judges.items()],
        )
