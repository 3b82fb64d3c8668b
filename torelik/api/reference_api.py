"""/api/v1 reference data: courts, case categories, kinds of filing. Public."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from torelik.api.schemas import CategoryOut, CourtOut, SubmissionTypeOut
from torelik.courts.models import CaseCategory, Court
from torelik.efiling.types import SUBMISSION_TYPES

router = Router(tags=["Reference data"])


@router.get("/courts", response=list[CourtOut])
def courts(request: HttpRequest, level: str = "", region: str = "") -> list[dict[str, Any]]:
    qs = Court.objects.filter(is_active=True).select_related("region")
    if level:
        qs = qs.filter(level=level)
    if region:
        qs = qs.filter(region__code=region)
    return [
        {
            "code": c.code,
            "name": c.name,
            "level": c.level,
            "region": c.region.code if c.region else None,
            "accepts_efiling": c.accepts_efiling,
        }
        for c in qs
    ]


@router.get("/categories", response=list[CategoryOut])
def categories(request: HttpRequest, kind: str = "", instance: str = "") -> list[dict[str, Any]]:
    qs = CaseCategory.objects.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if instance:
        qs = qs.filter(instance=instance)
    return [
        {
            "code": c.code,
            "name": c.name,
            "kind": c.kind,
            "instance": c.instance,
            "is_property": c.is_property,
            "allows_virtual_jurisdiction": c.allows_virtual_jurisdiction,
        }
        for c in qs
    ]


@router.get("/submission-types", response=list[SubmissionTypeOut])
def submission_types(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "key": t.key,
            "label": str(t.label),
            "description": str(t.description),
            "kind": t.kind,
            "categories": list(t.categories),
            "may_be_property": t.may_be_property,
            "opens_case": t.opens_case,
            "own_role": t.own_role,
            "other_role": t.other_role,
        }
        for t in SUBMISSION_TYPES.values()
    ]
