"""/api/v1 cases: the cases open to the caller, one of them by number, its history and the
procedural steps the caller may take next; performing one."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.security import django_auth

from torelik.api.auth import acting_user
from torelik.api.idempotency import idempotent
from torelik.api.schemas import ERRORS
from torelik.cases.card import next_steps, timeline
from torelik.cases.schemas import (
    CaseOut,
    TimelineEntryOut,
    TransitionIn,
    TransitionOut,
    case_out,
    cases_out,
    timeline_out,
    transitions_out,
)
from torelik.cases.selectors import case_by_id_for_user, case_for_user, cases_visible_to
from torelik.cases.transitions import TransitionInput, perform_transition
from torelik.kernel.services import record_access

router = Router(tags=["Cases"], auth=django_auth)


# operation_id: the id published while this endpoint lived in torelik/api/intake_api.py.
@router.get("/cases", response={200: list[CaseOut], **ERRORS}, operation_id="torelik_api_intake_api_my_cases")
def my_cases(request: HttpRequest, number: str = "") -> list[dict[str, Any]]:
    user = acting_user(request)
    if number:
        case = case_for_user(user=user, number=number)
        record_access(request=request, action="case.read", object_type="case", object_id=case.number)
        return [case_out(case)]
    cases = list(cases_visible_to(user=user)[:200])
    # A list of cases is a read of each of them: one audit row naming them all.
    record_access(
        request=request,
        action="case.list",
        object_type="case",
        object_id=f"{len(cases)} cases",
        detail={"numbers": [c.number for c in cases]},
    )
    return cases_out(cases)


# Case numbers hold "/" (7140-24-00-2/15): the number is a query parameter, as in GET /cases?number=.
@router.get("/cases/timeline", response={200: list[TimelineEntryOut], **ERRORS})
def case_timeline(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    """The case's history, oldest first, each entry named in the caller's language."""
    case = case_for_user(user=acting_user(request), number=number)
    record_access(request=request, action="case.read", object_type="case", object_id=case.number)
    return timeline_out(timeline(case))


@router.get("/cases/transitions", response={200: list[TransitionOut], **ERRORS})
def case_transitions(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    """The procedural steps the caller may take next in the case, with the inputs each asks for."""
    user = acting_user(request)
    case = case_for_user(user=user, number=number)
    record_access(request=request, action="case.read", object_type="case", object_id=case.number)
    return transitions_out(next_steps(user=user, case=case))


@router.post("/cases/{case_id}/transitions/{code}", response={200: CaseOut, **ERRORS})
@idempotent
def perform_case_transition(
    request: HttpRequest, case_id: int, code: str, payload: TransitionIn
) -> dict[str, Any]:
    """Takes the procedural step `code` in the case; answers the case as it now stands.

    Send an Idempotency-Key: a retry with the same key and body answers as the first request did,
    and the step is taken once.
    """
    user = acting_user(request)
    case = case_by_id_for_user(user=user, case_id=case_id)
    moved = perform_transition(
        case=case,
        transition=code,
        actor=user,
        data=TransitionInput(
            outcome=payload.outcome, reason=payload.reason, awarded_tiyn=payload.awarded_tiyn
        ),
    )
    # Every field of the shape (defaults filled in): the Idempotency-Key record then stores what the
    # client received, and a replay answers the same body.
    return CaseOut.model_validate(case_out(moved)).model_dump()
