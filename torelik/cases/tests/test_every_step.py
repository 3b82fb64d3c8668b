"""A test per step of every shipped procedure: the case is brought by the shortest path to a stage
the step leaves from, then the step is performed by someone it names, with the inputs it needs."""

from __future__ import annotations

import datetime as dt
from collections import deque

import pytest
from django.utils import timezone

from torelik.cases.events import registered_kinds
from torelik.cases.models import Case, CaseEvent
from torelik.cases.outcomes import OUTCOME_CODES
from torelik.cases.procedure import Procedure, Transition, parse
from torelik.cases.procedures import DEFINITIONS
from torelik.cases.services import register_case
from torelik.cases.tests.conftest import sign_act
from torelik.cases.transitions import TransitionInput, perform_transition
from torelik.identity.permissions import SYSTEM

pytestmark = pytest.mark.django_db

CATEGORY = {
    "civil_claim": "civ.loan",
    "special_proceedings": "civ.special",
    "court_order": "civ.court_order",
    "administrative": "adm.tax",
    "criminal": "crim.general",
    "admin_offence": "aoff.general",
    "appeal": "civ.appeal",
    "cassation": "civ.cassation",
}


def _procedures() -> list[Procedure]:
    return [parse(d, outcomes=OUTCOME_CODES, event_kinds=frozenset(registered_kinds())) for d in DEFINITIONS]


def _steps() -> list[tuple[str, str, str]]:
    return [(p.code, source, t.code) for p in _procedures() for t in p.transitions for source in t.sources]


def _path(procedure: Procedure, start: str, goal: str) -> list[Transition]:
    """The shortest sequence of steps from `start` to `goal`."""
    queue: deque[tuple[str, list[Transition]]] = deque([(start, [])])
    seen = {start}
    while queue:
        stage, path = queue.popleft()
        if stage == goal:
            return path
        for t in procedure.transitions_from(stage):
            if t.target not in seen:
                seen.add(t.target)
                queue.append((t.target, [*path, t]))
    raise AssertionError(f"{goal} is not reachable in {procedure.code}")


class Clock:
    def __init__(self) -> None:
        self.now = timezone.now()


def _perform(case: Case, step: Transition, *, judge, clerk, clock: Clock) -> Case:
    if step.act:
        sign_act(case, step.act)
    if step.after_months:
        clock.now += dt.timedelta(days=31 * step.after_months + 10)
    actor = judge if "judge" in step.roles else clerk if "clerk" in step.roles else SYSTEM
    data = TransitionInput(
        reason="Основания изложены" if step.requires_reason else "",
        outcome=step.outcomes[0] if step.outcomes else "",
    )
    return perform_transition(case=case, transition=step.code, actor=actor, data=data, now=clock.now)


@pytest.mark.parametrize(("procedure_code", "source", "code"), _steps())
def test_every_step(procedure_code, source, code, new_case, judge, clerk):
    procedure = next(p for p in _procedures() if p.code == procedure_code)
    case = new_case(CATEGORY[procedure_code])
    assert case.procedure.code == procedure_code
    clock = Clock()
    for step in _path(procedure, case.stage, source) if source != "registered" else []:
        case = _perform(case, step, judge=judge, clerk=clerk, clock=clock)
    if source == "registered":
        # Only the draw leaves "registered": a case registered and not drawn yet.
        case = register_case(
            court=case.court,
            category=case.category,
            registered_at=timezone.now(),
            actor=SYSTEM,
            parties=[],
            documents=[],
        )
    assert case.stage == source
    step = procedure.transition(source, code)
    assert step is not None
    before = CaseEvent.objects.filter(case=case).count()
    case = _perform(case, step, judge=judge, clerk=clerk, clock=clock)
    assert case.stage == step.target
    last = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert (last.kind, last.payload["transition"], last.payload["from"]) == ("case.transition", code, source)
    # The step's entry, and the act.signed entry made just before it when the step needs an act.
    assert CaseEvent.objects.filter(case=case).count() == before + 1 + (1 if step.act else 0)
