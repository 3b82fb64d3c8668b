"""/api/v1 case look-ups: the cases open to the caller, or one of them by number."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.security import django_auth

from torelik.api.auth import acting_user
from torelik.api.schemas import ERRORS
from torelik.cases.schemas import CaseOut, case_out, cases_out
from torelik.cases.selectors import case_for_user, cases_visible_to
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
