"""Every step of the civil first-instance path, and each refusal leaving nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from torelik.cases.models import CaseEvent, CaseOutcome, CaseStatus
from torelik.cases.tests.conftest import make_judge_user, sign_act, step
from torelik.cases.transitions import available_transitions
from torelik.identity.permissions import SYSTEM
from torelik.kernel.errors import DomainError

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(days=40)  # past the one-month appeal term


def _events(case):
    return list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("kind", "payload"))


def _to_decided(case, judge):
    step(case, "accept", judge)
    step(case, "schedule_hearing", judge)
    return step(case, "announce_decision", judge, outcome="partly_granted", awarded_tiyn=30_000_000)


def _to_appeal_term(case, judge):
    _to_decided(case, judge)
    sign_act(case, "decision")
    return step(case, "decision_in_full", judge)


def test_a_registered_case_starts_at_registered_and_its_draw_assigns_it(case):
    assert (case.procedure.code, case.stage, case.status) == ("civil_claim", "assigned", CaseStatus.ASSIGNED)


def test_accept_into_proceedings_starts_preparation(case, judge):
    case = step(case, "accept", judge)
    assert case.stage == "preparation"
    kind, payload = _events(case)[-1]
    assert kind == "case.transition"
    assert (
        payload["transition"] == "accept" and payload["from"] == "assigned" and payload["to"] == "preparation"
    )
    assert payload["terms"] == {"start": ["first_instance"]}


def test_return_of_the_claim_needs_reasons_and_closes_the_case(case, judge):
    case = step(case, "return_claim", judge, reason="Не подсудно", outcome="returned")
    assert (case.stage, case.status) == ("returned", CaseStatus.CLOSED)
    assert CaseOutcome.objects.get(case=case).outcome == "returned"


def test_schedule_and_postpone_a_hearing(case, judge, clerk):
    step(case, "accept", judge)
    case = step(case, "schedule_hearing", clerk)  # the clerk schedules too
    assert case.stage == "scheduled"
    case = step(case, "postpone_hearing", judge, reason="Неявка ответчика")
    assert case.stage == "preparation"
    assert _events(case)[-1][1]["reason"] == "Неявка ответчика"


def test_suspend_and_resume_with_reasons_pause_and_resume_the_term(case, judge):
    step(case, "accept", judge)
    case = step(case, "suspend", judge, reason="Экспертиза")
    assert case.stage == "suspended"
    assert _events(case)[-1][1]["terms"] == {"pause": ["first_instance"]}
    case = step(case, "resume", judge, reason="Экспертиза окончена")
    assert case.stage == "preparation"
    assert _events(case)[-1][1]["terms"] == {"resume": ["first_instance"]}


def test_left_without_consideration(case, judge):
    step(case, "accept", judge)
    case = step(
        case,
        "leave_without_consideration",
        judge,
        reason="Повторная неявка истца",
        outcome="left_without_consideration",
    )
    assert (case.stage, case.status) == ("left_without_consideration", CaseStatus.CLOSED)


def test_terminated_by_a_settlement(case, judge):
    step(case, "accept", judge)
    case = step(case, "terminate", judge, reason="Мировое соглашение утверждено", outcome="settled")
    assert case.stage == "terminated"
    assert CaseOutcome.objects.get(case=case).outcome == "settled"


def test_decision_announced_records_the_outcome_and_amount(case, judge):
    case = _to_decided(case, judge)
    assert case.stage == "decided"
    outcome = CaseOutcome.objects.get(case=case)
    assert (outcome.outcome, outcome.awarded_tiyn, outcome.transition) == (
        "partly_granted",
        30_000_000,
        "announce_decision",
    )


def test_decision_in_full_needs_the_signed_decision_and_starts_the_appeal_term(case, judge):
    _to_decided(case, judge)
    with pytest.raises(DomainError) as err:
        step(case, "decision_in_full", judge)
    assert err.value.code == "act_required"
    sign_act(case, "ruling", act_id=7)  # a ruling is not the decision
    with pytest.raises(DomainError):
        step(case, "decision_in_full", judge)
    sign_act(case, "decision", act_id=8)
    case = step(case, "decision_in_full", judge)
    assert case.stage == "appeal_term"
    payload = _events(case)[-1][1]
    assert payload["act_id"] == 8 and payload["terms"] == {"stop": ["decision_in_full"], "start": ["appeal"]}


def test_legal_force_only_after_the_appeal_term(case, judge, clerk):
    _to_appeal_term(case, judge)
    before = CaseEvent.objects.filter(case=case).count()
    with override("en"), pytest.raises(DomainError) as err:
        step(case, "enter_into_force", clerk)
    assert err.value.code == "term_running"
    assert "only after the term ends on" in str(err.value.message)
    assert CaseEvent.objects.filter(case=case).count() == before
    case = step(case, "enter_into_force", clerk, now=timezone.now() + LATER)
    assert (case.stage, case.status) == ("in_force", CaseStatus.CLOSED)


def test_the_platform_puts_a_decision_into_force_when_nobody_appealed(case, judge):
    _to_appeal_term(case, judge)
    case = step(case, "enter_into_force", SYSTEM, now=timezone.now() + LATER)
    assert case.stage == "in_force"
    assert CaseEvent.objects.filter(case=case).order_by("-seq").first().actor is None


def test_appeal_send_up_and_the_higher_courts_ruling(case, judge, clerk):
    _to_appeal_term(case, judge)
    case = step(case, "appeal_filed", SYSTEM)
    assert case.stage == "appealed"
    with pytest.raises(DomainError):
        step(case, "send_up", clerk)  # the appeal term still runs for the other parties
    case = step(case, "send_up", clerk, now=timezone.now() + LATER)
    assert case.stage == "on_appeal"
    case = step(case, "review_decided", SYSTEM, outcome="changed")
    assert case.stage == "in_force"
    assert list(CaseOutcome.objects.filter(case=case).values_list("outcome", flat=True)) == [
        "partly_granted",
        "changed",
    ]


def test_sent_back_for_a_new_hearing_reopens_the_case(case, judge):
    _to_appeal_term(case, judge)
    step(case, "appeal_filed", SYSTEM)
    step(case, "send_up", SYSTEM, now=timezone.now() + LATER)
    case = step(case, "sent_back", SYSTEM, outcome="sent_back")
    assert (case.stage, case.status) == ("preparation", CaseStatus.ASSIGNED)
    assert _events(case)[-1][1]["terms"] == {"start": ["first_instance"]}


def test_enforcement_then_archive_then_nothing_more(case, judge, clerk):
    _to_appeal_term(case, judge)
    step(case, "enter_into_force", clerk, now=timezone.now() + LATER)
    case = step(case, "send_for_enforcement", clerk)
    assert case.stage == "enforcement"
    case = step(case, "archive", clerk)
    assert case.stage == "archived"
    before = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(DomainError) as err:
        step(case, "archive", clerk)
    assert err.value.code == "case_closed"
    assert CaseEvent.objects.filter(case=case).count() == before


# ---------------------------------------------------------------- refusals write nothing


def _unchanged(case, action):
    before = (
        case.stage,
        CaseEvent.objects.filter(case=case).count(),
        CaseOutcome.objects.filter(case=case).count(),
    )
    with pytest.raises(DomainError) as err:
        action()
    case.refresh_from_db()
    after = (
        case.stage,
        CaseEvent.objects.filter(case=case).count(),
        CaseOutcome.objects.filter(case=case).count(),
    )
    assert after == before
    return err.value


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "“Schedule a hearing” is not possible while the case is at the stage “Assigned to a judge”."),
        ("ru", "«Назначить судебное заседание» невозможно, пока дело на стадии «Распределено судье»."),
    ],
)
def test_a_step_the_stage_does_not_allow(case, judge, language, message):
    with override(language):
        error = _unchanged(case, lambda: step(case, "schedule_hearing", judge))
        assert error.code == "transition_not_allowed"
        assert str(error.message) == message


def test_a_role_the_procedure_does_not_name(case, judge, clerk, citizen, demo_court):
    assert _unchanged(case, lambda: step(case, "accept", clerk)).code == "forbidden"
    assert _unchanged(case, lambda: step(case, "accept", citizen)).code == "forbidden"
    other = make_judge_user(demo_court, username="judge2", iin="061211600012")
    assert _unchanged(case, lambda: step(case, "accept", other)).code == "forbidden"  # not this case's judge
    assert _unchanged(case, lambda: step(case, "accept", SYSTEM)).code == "forbidden"  # not a system step


def test_missing_or_wrong_inputs(case, judge):
    step(case, "accept", judge)
    assert _unchanged(case, lambda: step(case, "suspend", judge)).field == "reason"
    assert _unchanged(case, lambda: step(case, "suspend", judge, reason="   ")).code == "reason_required"
    step(case, "schedule_hearing", judge)
    assert _unchanged(case, lambda: step(case, "announce_decision", judge)).code == "outcome_required"
    assert (
        _unchanged(case, lambda: step(case, "announce_decision", judge, outcome="upheld")).code
        == "outcome_required"
    )
    error = _unchanged(
        case, lambda: step(case, "announce_decision", judge, outcome="granted", awarded_tiyn=-1)
    )
    assert error.field == "awarded_tiyn"
    assert (
        _unchanged(case, lambda: step(case, "postpone_hearing", judge, reason="x", outcome="granted")).field
        == "outcome"
    )
    assert _unchanged(case, lambda: step(case, "fly_to_the_moon", judge)).code == "transition_unknown"


def test_a_sealed_case_refuses_the_parties(case, judge, citizen):
    case.is_sealed = True
    case.save(update_fields=["is_sealed"])
    assert _unchanged(case, lambda: step(case, "accept", citizen)).code == "forbidden"
    assert step(case, "accept", judge).stage == "preparation"


def test_what_each_viewer_may_do_next(case, judge, clerk, citizen):
    with override("en"):
        assert [t.name for t in available_transitions(user=judge, case=case)] == [
            "Accept into proceedings",
            "Return the claim",
        ]
    assert available_transitions(user=clerk, case=case) == []
    assert available_transitions(user=citizen, case=case) == []
    step(case, "accept", judge)
    assert [t.code for t in available_transitions(user=clerk, case=case)] == ["schedule_hearing"]
