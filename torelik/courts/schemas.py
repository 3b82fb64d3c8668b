"""API shapes of the reference data (courts, case categories) and the brief forms other apps embed."""

from __future__ import annotations

from typing import Any

from ninja import Schema

from torelik.courts.models import CaseCategory, Court


class NamedCode(Schema):
    code: str
    name: str


class CourtOut(NamedCode):
    level: str
    region: str | None = None
    accepts_efiling: bool


class CategoryOut(NamedCode):
    kind: str
    instance: str
    is_property: bool
    allows_virtual_jurisdiction: bool


def court_brief(court: Court) -> dict[str, str]:
    return {"code": court.code, "name": court.name}


def category_brief(category: CaseCategory | None) -> dict[str, str] | None:
    return {"code": category.code, "name": category.name} if category else None


def court_out(court: Court) -> dict[str, Any]:
    """Reads court.region: select it with the court."""
    return {
        "code": court.code,
        "name": court.name,
        "level": court.level,
        "region": court.region.code if court.region else None,
        "accepts_efiling": court.accepts_efiling,
    }


def category_out(category: CaseCategory) -> dict[str, Any]:
    return {
        "code": category.code,
        "name": category.name,
        "kind": category.kind,
        "instance": category.instance,
        "is_property": category.is_property,
        "allows_virtual_jurisdiction": category.allows_virtual_jurisdiction,
    }
