"""/api/v1 reference data: courts and case categories. Public.

The kinds of filing (/submission-types) are reference data too, but they are the Judicial
Office's: that endpoint is in efiling.api, as courts sits below efiling.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from torelik.courts.schemas import CategoryOut, CourtOut, category_out, court_out
from torelik.courts.selectors import active_categories, active_courts

router = Router(tags=["Reference data"])

# operation_id: the ids published while these endpoints lived in torelik/api/reference_api.py;
# generated clients name their methods after them, so the move keeps them.


@router.get("/courts", response=list[CourtOut], operation_id="torelik_api_reference_api_courts")
def courts(request: HttpRequest, level: str = "", region: str = "") -> list[dict[str, Any]]:
    return [court_out(c) for c in active_courts(level=level, region=region)]


@router.get("/categories", response=list[CategoryOut], operation_id="torelik_api_reference_api_categories")
def categories(request: HttpRequest, kind: str = "", instance: str = "") -> list[dict[str, Any]]:
    return [category_out(c) for c in active_categories(kind=kind, instance=instance)]
