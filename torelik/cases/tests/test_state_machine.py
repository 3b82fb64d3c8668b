"""The civil case's procedural life as a state machine (Hypothesis): random walks through the
procedure, with refused steps in between, and the history's invariants after every step.

Each run of the machine registers its own case (a new number, its own history), so runs do not
interfere; they share the test's transaction and its users (judge, clerk, chair and outsiders).
The clock is the machine's own: it moves a minute per step, and past the term (40–120 days) before
a step that needs the term to have run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from torelik.cases import events as case_events
from torelik.cases.models import Case, CaseEvent, CaseOutcome, CaseStatus
from torelik.cases.procedure import ACT_KINDS, Procedure, Transition
from torelik.cases.procedure_store import procedure_of
from torelik.cases.services import append_case_event
from torelik.cases.tests.conftest import make_judge_user
from torelik.cases.transitions import TransitionInput, perform_transition
from torelik.identity.models import Role
from torelik.identity.permissions import SYSTEM
from torelik.identity.services import create_staff_user
from torelik.kernel.errors import DomainError

pytestmark = pytest.mark.django_db

REASONS = st.text(alphabet="Экспертиза неявка  \t\nabc", min_size=1, max_size=40).filter(lambda s: s.split())
AMOUNTS = st.none() | st.integers(min_value=0, max_value=10**12)
UNKNOWN_STEPS = ("fly_to_the_moon", "Accept", "")
# The civil path up to the higher court, each step from the stage the one before leads to.
HEAD_START = (
    "accept",
    "schedule_hearing",
    "announce_decision",
    "decision_in_full",
    "appeal_filed",
    "send_up",
)
History = list[tuple[int, str, Any]]


def _history(case: Case, *, after: int = 0) -> History:
    rows = CaseEvent.objects.filter(case=case, seq__gt=after).order_by("seq")
    return list(rows.values_list("seq", "kind", "payload"))


class CivilCaseLife(RuleBasedStateMachine):
    """One civil case, from "assigned" to wherever the random walk takes it."""

    # Set by the test before the machine runs: a factory of fresh cases and the people who act.
    new_case: Any = None
    people: dict[str, Any] = {}

    def __init__(self) -> None:
        super().__init__()
        self.case: Case = type(self).new_case()
        assert self.case.procedure is not None
        self.procedure: Procedure = procedure_of(self.case.procedure)
        assert self.procedure.code == "civil_claim"
        self.now: dt.datetime = timezone.now() + dt.timedelta(minutes=1)
        self.stage = self.case.stage
        self.stage_since = self.case.stage_since
        self.history: History = _history(self.case)  # the machine's copy: what must never change
        self.outcomes: list[tuple[str, int | None, int, str]] = []
        self.signed_here: set[str] = set()  # kinds of act signed since the case entered its stage
        self.steps_done: list[str] = []

    # ---------------------------------------------------------------- what the procedure allows

    def allowed(self) -> list[Transition]:
        return self.procedure.transitions_from(self.stage)

    def draw_transition(self, choices: list[Transition], data: st.DataObject) -> Transition:
        # Drawn by code: a failing example reads as the steps' codes.
        code = data.draw(st.sampled_from([t.code for t in choices]), label="transition")
        return next(t for t in choices if t.code == code)

    def actors_who_may(self, t: Transition) -> list[str]:
        return sorted(t.roles)  # the people are named by their roles ("system": the platform)

    def actors_who_may_not(self, t: Transition) -> list[str]:
        # Never: a party, an administrator and an auditor (no civil step names them), another judge
        # of the court (not this case's), a clerk of another court.
        never = ["citizen", "admin", "auditor", "other_judge", "clerk_elsewhere"]
        return never + sorted({"judge", "clerk", "chair", "system"} - t.roles)

    def actor(self, name: str) -> Any:
        return SYSTEM if name == "system" else self.people[name]

    def valid_inputs(self, t: Transition, data: st.DataObject) -> TransitionInput:
        reason = data.draw(REASONS) if t.requires_reason else data.draw(st.just("") | REASONS)
        if t.outcomes:
            return TransitionInput(
                outcome=data.draw(st.sampled_from(t.outcomes)), reason=reason, awarded_tiyn=data.draw(AMOUNTS)
            )
        return TransitionInput(reason=reason)

    def sign_act(self, kind: str) -> None:
        """What the acts app appends when the judge signs an act."""
        append_case_event(
            case=self.case,
            kind="act.signed",
            actor=self.people["judge"],
            occurred_at=self.now,
            payload={"act_id": len(self.history) + 1, "case_number": self.case.number, "kind": kind},
        )
        self.sync_history(["act.signed"])
        self.signed_here.add(kind)

    def sync_history(self, kinds: list[str]) -> History:
        """Reads what was appended since the machine's copy and checks it is `kinds`."""
        new = _history(self.case, after=len(self.history))
        assert [kind for _seq, kind, _payload in new] == kinds, (self.steps_done, new)
        self.history.extend(new)
        return new

    # ---------------------------------------------------------------- performing a step

    def perform(self, t: Transition, actor_name: str, inputs: TransitionInput, data: st.DataObject) -> None:
        if t.act:
            self.sign_act(t.act)
        if t.after_months:
            self.now += dt.timedelta(days=data.draw(st.integers(min_value=40, max_value=120)))
        source = self.stage
        perform_transition(
            case=self.case, transition=t.code, actor=self.actor(actor_name), data=inputs, now=self.now
        )
        self.steps_done.append(f"{t.code} by {actor_name}")
        (event, *_rest) = self.sync_history([case_events.CASE_TRANSITION, *t.events])
        seq, _kind, payload = event
        assert (payload["transition"], payload["from"], payload["to"]) == (t.code, source, t.target)
        assert payload["outcome"] == inputs.outcome
        assert payload["reason"] == " ".join(inputs.reason.split())
        assert payload["awarded_tiyn"] == inputs.awarded_tiyn
        assert (payload["act_id"] is not None) == bool(t.act)
        if inputs.outcome:
            self.outcomes.append((inputs.outcome, inputs.awarded_tiyn, seq, t.code))
        self.moved_to(t.target)

    def moved_to(self, stage: str) -> None:
        self.stage, self.stage_since = stage, self.now
        self.signed_here = set()
        self.now += dt.timedelta(minutes=1)

    def refused(self, code: str, transition: str, actor_name: str, inputs: TransitionInput) -> None:
        """The step is refused with `code`; the invariants then check that it wrote nothing (the
        history is the machine's copy, the stage and the outcomes are as they were)."""
        try:
            perform_transition(
                case=self.case, transition=transition, actor=self.actor(actor_name), data=inputs, now=self.now
            )
        except DomainError as exc:
            assert exc.code == code, (transition, actor_name, self.stage, exc.code, str(exc.message))
        else:
            raise AssertionError(f"{transition} by {actor_name} at {self.stage} was not refused")
        assert self.case.stage == self.stage  # the caller's object is left as it was too

    # ---------------------------------------------------------------- rules

    @initialize(data=st.data())
    def head_start(self, data: st.DataObject) -> None:
        """Some way along the main path first, so that walks start from every part of it."""
        for code in HEAD_START[
            : data.draw(st.integers(min_value=0, max_value=len(HEAD_START)), label="head start")
        ]:
            t = self.procedure.transition(self.stage, code)
            assert t is not None, (self.stage, code)
            self.perform_one_of([t], data)

    @precondition(lambda self: bool(self.allowed()))
    @rule(data=st.data())
    def step(self, data: st.DataObject) -> None:
        """Any step the stage allows, by someone who may, with what it needs."""
        self.perform_one_of(self.allowed(), data)

    def onwards(self) -> list[Transition]:
        """The steps that take the case further along its path (the procedure lists its stages in
        that order) without closing it."""
        order = list(self.procedure.stages)
        return [
            t
            for t in self.allowed()
            if not self.procedure.stage(t.target).closed and order.index(t.target) > order.index(self.stage)
        ]

    @precondition(lambda self: bool(self.onwards()))
    @rule(data=st.data())
    def step_onwards(self, data: st.DataObject) -> None:
        """So that the walks reach the appeal, the review and legal force too."""
        self.perform_one_of(self.onwards(), data)

    def perform_one_of(self, choices: list[Transition], data: st.DataObject) -> None:
        t = self.draw_transition(choices, data)
        actor_name = data.draw(st.sampled_from(self.actors_who_may(t)), label="actor")
        self.perform(t, actor_name, self.valid_inputs(t, data), data)

    @rule(data=st.data())
    def refused_step(self, data: st.DataObject) -> None:
        """A step that must be refused, writing nothing."""
        kinds = ["not_from_here"]
        if self.allowed():
            kinds.append("wrong_person")
        if any(self.missing_inputs(t) for t in self.allowed()):
            kinds.append("missing_input")
        kind = data.draw(st.sampled_from(kinds), label="refusal")
        if kind == "not_from_here":
            self.step_the_stage_does_not_allow(data)
        elif kind == "wrong_person":
            self.step_by_someone_the_procedure_does_not_name(data)
        else:
            self.step_without_what_it_needs(data)

    def step_the_stage_does_not_allow(self, data: st.DataObject) -> None:
        allowed = {t.code for t in self.allowed()}
        others = sorted({t.code for t in self.procedure.transitions} - allowed)
        code = data.draw(st.sampled_from([*others, *UNKNOWN_STEPS]), label="transition")
        actor_name = data.draw(
            st.sampled_from(["judge", "clerk", "chair", "system", "citizen"]), label="actor"
        )
        if self.procedure.any_transition(code) is None:
            expected = "transition_unknown"
        elif self.procedure.stage(self.stage).closed and not allowed:
            expected = "case_closed"
        else:
            expected = "transition_not_allowed"
        self.refused(expected, code, actor_name, TransitionInput())

    def step_by_someone_the_procedure_does_not_name(self, data: st.DataObject) -> None:
        t = self.draw_transition(self.allowed(), data)
        actor_name = data.draw(st.sampled_from(self.actors_who_may_not(t)), label="actor")
        self.refused("forbidden", t.code, actor_name, self.valid_inputs(t, data))

    def missing_inputs(self, t: Transition) -> list[str]:
        """What `t` needs that a caller could leave out (an act only while none is signed)."""
        needs = (
            ("reason", t.requires_reason),
            ("outcome", bool(t.outcomes)),
            ("term", bool(t.after_months)),
            ("act", bool(t.act) and t.act not in self.signed_here),
        )
        return [name for name, needed in needs if needed]

    def step_without_what_it_needs(self, data: st.DataObject) -> None:
        """One requirement missing, the others met: reasons, the outcome, the term, the signed act."""
        t = self.draw_transition([t for t in self.allowed() if self.missing_inputs(t)], data)
        actor_name = data.draw(st.sampled_from(self.actors_who_may(t)), label="actor")
        inputs = self.valid_inputs(t, data)
        what = data.draw(st.sampled_from(self.missing_inputs(t)), label="missing")
        if what != "term" and t.after_months:
            self.now += dt.timedelta(days=40)  # the term has run: only `what` is missing
        if what != "act" and t.act and t.act not in self.signed_here:
            self.sign_act(t.act)
        if what == "reason":
            inputs = TransitionInput(
                reason=data.draw(st.sampled_from(["", "  \n\t "])),
                outcome=inputs.outcome,
                awarded_tiyn=inputs.awarded_tiyn,
            )
            self.refused("reason_required", t.code, actor_name, inputs)
        elif what == "outcome":
            others = ["", "granted", "upheld", "sent_back", "convicted", "no_such_outcome"]
            wrong = data.draw(st.sampled_from([o for o in others if o not in t.outcomes]), label="outcome")
            inputs = TransitionInput(reason=inputs.reason, outcome=wrong, awarded_tiyn=inputs.awarded_tiyn)
            self.refused("outcome_required", t.code, actor_name, inputs)
        elif what == "term":
            assert self.now - self.stage_since < dt.timedelta(days=28)  # the machine's clock is before it
            self.refused("term_running", t.code, actor_name, inputs)
        else:
            self.refused("act_required", t.code, actor_name, inputs)

    @rule(data=st.data())
    def an_act_no_step_here_needs_is_signed(self, data: st.DataObject) -> None:
        """A ruling or order signed in passing: it does not stand for the decision."""
        needed = {t.act for t in self.allowed()}
        self.sign_act(data.draw(st.sampled_from(sorted(ACT_KINDS - needed)), label="act"))

    @precondition(lambda self: self.stage == "appeal_term")
    @rule()
    def appeal_filed_twice(self) -> None:
        """At most one open appeal per act: the second "appeal received" finds the case moved."""
        t = self.procedure.transition("appeal_term", "appeal_filed")
        assert t is not None
        perform_transition(case=self.case, transition=t.code, actor=SYSTEM, now=self.now)
        self.steps_done.append("appeal_filed by system")
        self.sync_history([case_events.CASE_TRANSITION])
        self.moved_to(t.target)
        self.refused("transition_not_allowed", "appeal_filed", "system", TransitionInput())

    # ---------------------------------------------------------------- invariants

    @invariant()
    def the_history_holds(self) -> None:
        case = Case.objects.get(pk=self.case.pk)
        history = _history(case)
        # Numbered 1..n without gaps, and append-only: what was there is there unchanged (the
        # machine's copy is synchronised only by the steps that succeed).
        assert [seq for seq, _kind, _payload in history] == list(range(1, len(history) + 1))
        assert history == self.history, self.steps_done
        # The stage is one of the procedure's, the one the last transition led to.
        assert case.stage in self.procedure.stages
        moves = [(seq, payload) for seq, kind, payload in history if kind == case_events.CASE_TRANSITION]
        if moves:
            assert case.stage == moves[-1][1]["to"]
            assert case.stage_seq == moves[-1][0]
            assert case.stage_since == self.stage_since
        else:
            assert case.stage == ("assigned" if case.judge_id else "registered")
            assert case.stage_seq == 0
        assert case.stage == self.stage
        # Closed exactly when the stage is a closed one.
        assert (case.status == CaseStatus.CLOSED) == self.procedure.stage(case.stage).closed
        if case.status != CaseStatus.CLOSED:
            assert case.status == CaseStatus.ASSIGNED
        # The outcome rows are those of the transitions that carried an outcome.
        from_events = [
            (p["outcome"], p["awarded_tiyn"], seq, p["transition"]) for seq, p in moves if p["outcome"]
        ]
        rows = list(
            CaseOutcome.objects.filter(case=case)
            .order_by("event_seq")
            .values_list("outcome", "awarded_tiyn", "event_seq", "transition")
        )
        assert rows == from_events == self.outcomes


@pytest.fixture
def people(demo_court: Any, judge: Any, clerk: Any, citizen: Any) -> dict[str, Any]:
    def staff(username: str, role: str, court: Any) -> Any:
        return create_staff_user(
            username=username,
            password="staff-password-1",
            role=role,
            court=court,
            full_name=username.upper(),
            totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        )

    return {
        "judge": judge,
        "clerk": clerk,
        "chair": staff("chair", Role.CHAIR, demo_court),
        "citizen": citizen,
        "admin": staff("root", Role.ADMIN, None),
        "auditor": staff("auditor", Role.AUDITOR, None),
        "other_judge": make_judge_user(demo_court, username="judge2", iin="061211600012"),
        "clerk_elsewhere": staff("clerk2", Role.CLERK, demo_court.appeal_court),
    }


def test_the_civil_procedure_as_a_state_machine(new_case: Any, people: dict[str, Any]) -> None:
    class Machine(CivilCaseLife):
        pass

    Machine.new_case = staticmethod(new_case)
    Machine.people = people
    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=20,
            stateful_step_count=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
