"""The case's procedural life: moving a case from stage to stage by the transitions of its procedure.

One function, `perform_transition`, for every transition of every procedure: the procedure's data
says who may perform it, from where, with what. Locks: the case row (`FOR UPDATE`), the same lock
that numbers its history; two transitions of one case at the same moment are serialised and the
second finds the case already moved (on SQLite the write transaction serialises them anyway).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from torelik.cases import events as case_events
from torelik.cases.models import Case, CaseEvent, CaseOutcome, CaseStatus
from torelik.cases.outcomes import Outcome
from torelik.cases.permissions import may_perform, require_step
from torelik.cases.procedure import ACT_KIND_LABELS, Transition
from torelik.cases.procedure_store import procedure_of
from torelik.cases.services import append_case_event
from torelik.identity.permissions import Actor, acting_user
from torelik.kernel.calendar import WorkingCalendar
from torelik.kernel.errors import ConflictError, DomainError
from torelik.kernel.models import DayOffTransfer

MAX_REASON_CHARS = 5_000
# Far above any award (a trillion tenge), well inside the 64-bit column.
MAX_AWARD_TIYN = 10**17

# ---------------------------------------------------------------- transitions


@dataclass(frozen=True)
class TransitionInput:
    outcome: str = ""
    reason: str = ""
    awarded_tiyn: int | None = None


# Higher apps (hearings, deadlines, the appeal path) react to a transition in its transaction:
# they register here in their AppConfig.ready(); cases never imports them.
TransitionHandler = Callable[[Case, Transition, CaseEvent], None]
_after_transition: list[TransitionHandler] = []


def on_transition(handler: TransitionHandler) -> None:
    if handler not in _after_transition:
        _after_transition.append(handler)


def available_transitions(*, user: Actor, case: Case) -> list[Transition]:
    """What the viewer may do next with the case, in the procedure's order."""
    if case.procedure_id is None:
        return []
    procedure = procedure_of(case.procedure)  # type: ignore[arg-type]
    return [
        t
        for t in procedure.transitions_from(case.stage)
        if t.by_people and may_perform(user=user, case=case, transition=t)
    ]


@transaction.atomic
def perform_transition(
    *,
    case: Case,
    transition: str,
    actor: Actor,
    data: TransitionInput | None = None,
    now: datetime | None = None,
) -> Case:
    """Moves `case` by `transition` of its procedure; `actor` SYSTEM is the platform itself.

    Refused, with nothing written: a transition the case's stage does not allow, by someone the
    procedure does not name, without a required input or act, before its term, on a closed case.
    """
    data = data or TransitionInput()
    moment = now or timezone.now()
    # The judge (who hears the case) and the procedure version (its number; the definition is
    # parsed once per version and cached, so its JSON is not read here: `procedure_of` loads it
    # on a cache miss).
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("judge", "procedure")
        .defer("procedure__definition")
        .get(pk=case.pk)
    )
    if locked.procedure is None:
        raise ConflictError("procedure_missing", _("The case follows no procedure."))
    procedure = procedure_of(locked.procedure)
    step = procedure.transition(locked.stage, transition)
    if step is None:
        known = procedure.any_transition(transition)
        stage_name = procedure.stage(locked.stage).name if locked.stage in procedure.stages else locked.stage
        if known is None:
            raise DomainError(
                "transition_unknown",
                _("The procedure has no step “%(transition)s”.") % {"transition": transition},
                field="transition",
            )
        if procedure.stage(locked.stage).closed and not procedure.transitions_from(locked.stage):
            raise ConflictError("case_closed", _("The case is closed (%(stage)s).") % {"stage": stage_name})
        raise ConflictError(
            "transition_not_allowed",
            _("“%(transition)s” is not possible while the case is at the stage “%(stage)s”.")
            % {"transition": known.name, "stage": stage_name},
        )
    require_step(actor, case=locked, transition=step)
    reason, outcome = _checked_inputs(step, data)
    if step.after_months and locked.stage_since is not None:
        # The term's last day (moved to the next working day when it falls on a day off); the
        # step is possible from the day after it.
        start = timezone.localdate(locked.stage_since)
        today = timezone.localdate(moment)
        last_day = _term_end(start, step.after_months)
        if today <= last_day:
            raise ConflictError(
                "term_running",
                _("“%(transition)s” is possible only after the term ends on %(date)s.")
                % {"transition": step.name, "date": last_day.strftime("%d.%m.%Y")},
            )
    act_id = _required_act(locked, step)
    source = locked.stage
    event = case_events_append(
        locked,
        step,
        actor=actor,
        moment=moment,
        payload={
            "procedure": procedure.code,
            "version": locked.procedure.version,
            "transition": step.code,
            "from": source,
            "to": step.target,
            "outcome": outcome,
            "reason": reason,
            "awarded_tiyn": data.awarded_tiyn,
            "act_id": act_id,
            "terms": {effect: list(codes) for effect, codes in step.terms.items()},
        },
    )
    locked.stage = step.target
    locked.stage_since = moment
    locked.stage_seq = event.seq
    closed = procedure.stage(step.target).closed
    if closed:
        locked.status = CaseStatus.CLOSED
    elif locked.status == CaseStatus.CLOSED:
        locked.status = CaseStatus.ASSIGNED if locked.judge_id else CaseStatus.AWAITING_DISTRIBUTION
    locked.save(update_fields=["stage", "stage_since", "stage_seq", "status"])
    if outcome:
        CaseOutcome.objects.create(
            case=locked,
            outcome=outcome,
            awarded_tiyn=data.awarded_tiyn,
            decided_at=moment,
            event_seq=event.seq,
            transition=step.code,
        )
    for handler in list(_after_transition):
        handler(locked, step, event)
    case.stage, case.stage_since, case.stage_seq, case.status = (
        locked.stage,
        locked.stage_since,
        locked.stage_seq,
        locked.status,
    )
    return locked


# Calendars by the day-off transfers they were built with: building one computes the public
# holidays of its years (about 1.3 ms), reading the transfers is one small query. The transfers
# are read for every term, so an edit in the admin counts at once.
_calendars: dict[tuple[tuple[date, date], ...], WorkingCalendar] = {}
_calendar_lock = threading.Lock()  # the holidays package fills in a year on first use


def _term_end(start: date, months: int) -> date:
    years = [start.year, start.year + 1]
    transfers = tuple(
        sorted(
            DayOffTransfer.objects.filter(
                Q(working_day__year__in=years) | Q(day_off__year__in=years)
            ).values_list("working_day", "day_off")
        )
    )
    with _calendar_lock:
        calendar = _calendars.get(transfers)
        if calendar is None:
            if len(_calendars) >= 64:
                _calendars.clear()
            calendar = _calendars[transfers] = WorkingCalendar(transfers=transfers)
        return calendar.add_months(start, months)


def case_events_append(
    case: Case, step: Transition, *, actor: Actor, moment: datetime, payload: dict[str, object]
) -> CaseEvent:
    author = acting_user(actor)
    event = append_case_event(
        case=case, kind=case_events.CASE_TRANSITION, actor=author, occurred_at=moment, payload=payload
    )
    for kind in step.events:
        append_case_event(case=case, kind=kind, actor=author, occurred_at=moment, payload=payload)
    return event


def _checked_inputs(step: Transition, data: TransitionInput) -> tuple[str, str]:
    reason = " ".join(data.reason.split()) if data.reason else ""
    if step.requires_reason and not reason:
        raise DomainError(
            "reason_required",
            _("Give the reasons for “%(transition)s”.") % {"transition": step.name},
            field="reason",
        )
    if len(reason) > MAX_REASON_CHARS:
        raise DomainError("reason_too_long", _("The reasons are too long."), field="reason")
    outcome = data.outcome
    if step.outcomes:
        if outcome not in step.outcomes:
            choices = ", ".join(str(Outcome(o).label) for o in step.outcomes)
            raise DomainError(
                "outcome_required",
                _("Choose the outcome of “%(transition)s”: %(choices)s.")
                % {"transition": step.name, "choices": choices},
                field="outcome",
            )
    elif outcome:
        raise DomainError(
            "outcome_not_expected",
            _("“%(transition)s” records no outcome.") % {"transition": step.name},
            field="outcome",
        )
    if data.awarded_tiyn is not None:
        if data.awarded_tiyn < 0:
            raise DomainError(
                "awarded_negative", _("The amount awarded cannot be negative."), field="awarded_tiyn"
            )
        if data.awarded_tiyn > MAX_AWARD_TIYN:
            raise DomainError(
                "awarded_too_large", _("The amount awarded is too large."), field="awarded_tiyn"
            )
        if not step.outcomes:
            raise DomainError(
                "outcome_not_expected",
                _("“%(transition)s” records no outcome.") % {"transition": step.name},
                field="awarded_tiyn",
            )
    return reason, outcome


def _required_act(case: Case, step: Transition) -> int | None:
    """The signed act of the required kind, signed since the case entered its stage."""
    if not step.act:
        return None
    signed = (
        CaseEvent.objects.filter(case=case, kind="act.signed", seq__gt=case.stage_seq, payload__kind=step.act)
        .order_by("-seq")
        .values_list("payload", flat=True)
        .first()
    )
    if signed is None:
        raise ConflictError(
            "act_required",
            _("“%(transition)s” needs a signed act of the kind “%(act)s” first.")
            % {"transition": step.name, "act": ACT_KIND_LABELS[step.act]},
            field="act",
        )
    act_id = signed.get("act_id") if isinstance(signed, dict) else None
    return int(act_id) if act_id is not None else None
