"""The case card: a case's procedural life as a reader sees it, in the reader's language. Reads only.

Nothing here shows a stored code to a person: a step is named from the procedure version the case
followed when it was taken, an outcome by its label, a stage by its name. The timeline of a case
costs three queries however long its history is (the entries with their authors, the procedure
versions they name, nothing per entry).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from torelik.cases import events as case_events
from torelik.cases.models import Case, CaseEvent, CaseOutcome, ProcedureVersion
from torelik.cases.outcomes import Outcome
from torelik.cases.permissions import hears_case
from torelik.cases.procedure import Procedure, Transition
from torelik.cases.procedure_store import procedure_of
from torelik.cases.transitions import available_transitions
from torelik.identity.models import STAFF_ROLES, Role, User
from torelik.identity.permissions import Actor
from torelik.kernel.money import Money


@dataclass(frozen=True)
class Named:
    code: str
    name: str


@dataclass(frozen=True)
class TimelineEntry:
    seq: int
    kind: str  # for machines (the API); pages show `label`
    when: datetime  # in the court's local time
    who: str  # "Judge ЖАНБОТАЕВ САЯТ" for court staff; "" for parties and the platform itself
    label: str
    transition: str = ""  # the step's code, for a procedural step
    outcome: Named | None = None
    reason: str = ""  # as the judge or clerk wrote it
    stage: Named | None = None  # the stage the step led to
    awarded_tiyn: int | None = None

    @property
    def awarded(self) -> str:
        return Money(self.awarded_tiyn).format() if self.awarded_tiyn is not None else ""


@dataclass(frozen=True)
class OutcomeEntry:
    outcome: Named
    step: str  # the name of the step that recorded it
    decided_at: datetime
    awarded_tiyn: int | None

    @property
    def awarded(self) -> str:
        return Money(self.awarded_tiyn).format() if self.awarded_tiyn is not None else ""


@dataclass(frozen=True)
class StepOption:
    """A step the viewer may take next, with the inputs it asks for."""

    code: str
    name: str
    requires_reason: bool
    outcomes: tuple[Named, ...]

    @property
    def records_outcome(self) -> bool:
        return bool(self.outcomes)


def outcome_label(code: str) -> str:
    return str(Outcome(code).label) if code in Outcome.values else _("Another outcome")


def _procedure(case: Case) -> Procedure | None:
    """Reads `case.procedure`: select it with the case."""
    return procedure_of(case.procedure) if case.procedure is not None else None


def procedure_name(case: Case) -> str:
    procedure = _procedure(case)
    return procedure.name if procedure is not None else ""


def stage_of(case: Case) -> Named:
    """The case's current stage; a case that follows no procedure shows its status."""
    procedure = _procedure(case)
    if procedure is not None and case.stage in procedure.stages:
        return Named(case.stage, procedure.stage(case.stage).name)
    return Named(case.stage, str(case.get_status_display()))


def stage_name(case: Case) -> str:
    return stage_of(case).name


def stage_since(case: Case) -> datetime | None:
    return timezone.localtime(case.stage_since) if case.stage_since else None


def _who(actor: User | None) -> str:
    if actor is None or actor.role not in STAFF_ROLES:
        return ""  # a party's or the platform's own entry: no name on the card
    return _("%(role)s %(name)s") % {"role": Role(actor.role).label, "name": actor.display_name}


def _versions(case: Case, events: list[CaseEvent]) -> dict[tuple[str, int], Procedure]:
    """The procedures the case's steps were taken under, in one query (none when all are the
    case's current version, which is selected with the case)."""
    found: dict[tuple[str, int], Procedure] = {}
    if case.procedure is not None:
        found[(case.procedure.code, case.procedure.version)] = procedure_of(case.procedure)
    wanted = {_version_key(e.payload) for e in events if e.kind == case_events.CASE_TRANSITION} - set(found)
    wanted.discard(None)
    if wanted:
        match = Q()
        for key in wanted:
            assert key is not None
            match |= Q(code=key[0], version=key[1])
        for version in ProcedureVersion.objects.filter(match):
            found[(version.code, version.version)] = procedure_of(version)
    return found


def _version_key(payload: Any) -> tuple[str, int] | None:
    if not isinstance(payload, dict):
        return None
    code, version = payload.get("procedure"), payload.get("version")
    if isinstance(code, str) and isinstance(version, int):
        return (code, version)
    return None


def _stage(procedure: Procedure | None, code: Any) -> Named | None:
    if procedure is None or not isinstance(code, str) or code not in procedure.stages:
        return None
    return Named(code, procedure.stage(code).name)


def _step_entry(event: CaseEvent, procedures: dict[tuple[str, int], Procedure], who: str) -> TimelineEntry:
    payload = event.payload if isinstance(event.payload, dict) else {}
    key = _version_key(payload)
    procedure = procedures.get(key) if key else None
    raw_code = payload.get("transition")
    code = raw_code if isinstance(raw_code, str) else ""
    step: Transition | None = procedure.any_transition(code) if procedure and code else None
    outcome = payload.get("outcome") or ""
    awarded = payload.get("awarded_tiyn")
    return TimelineEntry(
        seq=event.seq,
        kind=event.kind,
        when=timezone.localtime(event.occurred_at),
        who=who,
        label=step.name if step else case_events.event_label(event.kind),
        transition=code,
        outcome=Named(outcome, outcome_label(outcome)) if isinstance(outcome, str) and outcome else None,
        reason=payload["reason"] if isinstance(payload.get("reason"), str) else "",
        stage=_stage(procedure, payload.get("to")),
        awarded_tiyn=awarded if isinstance(awarded, int) and not isinstance(awarded, bool) else None,
    )


def _label(kind: str, declared: dict[str, case_events.EventKind]) -> str:
    if kind in declared:
        return str(declared[kind].label)
    # A kind retired since the entry was written: the reader is not shown its stored code.
    return _("Entry of the case history")


def timeline(case: Case) -> list[TimelineEntry]:
    """Every entry of the case's history, oldest first, as the reader's language names it.

    Reads `case.procedure`: select it with the case.
    """
    events = list(CaseEvent.objects.filter(case=case).select_related("actor").order_by("seq"))
    procedures = _versions(case, events)
    declared = case_events.registered_kinds()
    entries: list[TimelineEntry] = []
    for event in events:
        who = _who(event.actor)
        if event.kind == case_events.CASE_TRANSITION:
            entries.append(_step_entry(event, procedures, who))
            continue
        entries.append(
            TimelineEntry(
                seq=event.seq,
                kind=event.kind,
                when=timezone.localtime(event.occurred_at),
                who=who,
                label=_label(event.kind, declared),
            )
        )
    return entries


def outcomes(case: Case) -> list[OutcomeEntry]:
    """How the case ended at each instance it went through, oldest first (one query)."""
    procedure = _procedure(case)
    rows: Iterable[CaseOutcome] = CaseOutcome.objects.filter(case=case).order_by("event_seq")
    result = []
    for row in rows:
        step = procedure.any_transition(row.transition) if procedure else None
        result.append(
            OutcomeEntry(
                outcome=Named(row.outcome, outcome_label(row.outcome)),
                step=step.name if step else "",
                decided_at=timezone.localtime(row.decided_at),
                awarded_tiyn=row.awarded_tiyn,
            )
        )
    return result


def next_steps(*, user: Actor, case: Case) -> list[StepOption]:
    """What `user` may do next with the case, each step with the inputs it asks for.

    Reads `case.judge` and `case.procedure`: select them with the case.
    """
    return [step_option(t) for t in available_transitions(user=user, case=case)]


def step_option(step: Transition) -> StepOption:
    return StepOption(
        code=step.code,
        name=step.name,
        requires_reason=step.requires_reason,
        outcomes=tuple(Named(code, outcome_label(code)) for code in step.outcomes),
    )


def stage_choices(cases: QuerySet[Case]) -> list[Named]:
    """The stages of the procedures `cases` follow, named, each code once (one query): the
    choices of a filter by stage."""
    seen: dict[str, str] = {}
    for version in ProcedureVersion.objects.filter(pk__in=cases.values("procedure_id")).order_by("code"):
        for code, stage in procedure_of(version).stages.items():
            seen.setdefault(code, stage.name)
    return [Named(code, name) for code, name in seen.items()]


@dataclass(frozen=True)
class CaseCard:
    """What the card of one case shows besides its parties and documents."""

    procedure: str
    stage: Named
    stage_since: datetime | None
    timeline: list[TimelineEntry]
    outcomes: list[OutcomeEntry]
    steps: list[StepOption]  # what the viewer may do next; none for a party
    viewer_hears_case: bool


def case_card(*, case: Case, viewer: Actor) -> CaseCard:
    """Reads `case.judge` and `case.procedure`: select them with the case (`selectors.CARD_RELATED`)."""
    return CaseCard(
        procedure=procedure_name(case),
        stage=stage_of(case),
        stage_since=stage_since(case),
        timeline=timeline(case),
        outcomes=outcomes(case),
        steps=next_steps(user=viewer, case=case),
        viewer_hears_case=hears_case(viewer, case),
    )


@dataclass(frozen=True)
class CaseRow:
    case: Case
    stage: Named


def case_rows(cases: Iterable[Case]) -> list[CaseRow]:
    """Cases of a list with their stage named (select the procedure with the cases)."""
    return [CaseRow(case, stage_of(case)) for case in cases]
