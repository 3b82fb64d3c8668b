"""The stored procedures: which version a case follows, parsed once per version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from torelik.cases import events as case_events
from torelik.cases.models import ProcedureVersion
from torelik.cases.outcomes import OUTCOME_CODES
from torelik.cases.procedure import Procedure, parse
from torelik.cases.procedure_choice import choose
from torelik.cases.procedures import DEFINITIONS
from torelik.courts.models import CaseCategory
from torelik.kernel.errors import ConflictError

_parsed: dict[int, Procedure] = {}  # by ProcedureVersion pk: versions never change once written


def procedure_of(version: ProcedureVersion) -> Procedure:
    found = _parsed.get(version.pk)
    if found is None:
        found = _parsed[version.pk] = parse(
            version.definition,
            outcomes=OUTCOME_CODES,
            event_kinds=frozenset(case_events.registered_kinds()),
        )
    return found


def seed_procedures(*, now: datetime | None = None) -> None:
    """The first version of every procedure that has none (the data migration does the same;
    tests that flush the database call it again)."""
    moment = now or timezone.now()
    for definition in DEFINITIONS:
        ProcedureVersion.objects.get_or_create(
            code=definition["code"],
            version=1,
            defaults={"definition": definition, "reason": "First version", "created_at": moment},
        )


def current_version(code: str) -> ProcedureVersion:
    version = ProcedureVersion.objects.filter(code=code).order_by("-version").first()
    if version is None:
        seed_procedures()
        version = ProcedureVersion.objects.filter(code=code).order_by("-version").first()
    if version is None:
        raise ConflictError("procedure_missing", _("No procedure “%(code)s” is defined.") % {"code": code})
    return version


def procedure_for_category(category: CaseCategory) -> ProcedureVersion:
    """The latest version of the procedure a new case of `category` follows."""
    code = choose(
        [(d["code"], d.get("applies_to") or {}) for d in _latest_definitions()],
        kind=category.kind,
        instance=category.instance,
        category=category.code,
    )
    if code is None:
        raise ConflictError(
            "procedure_missing",
            _("No procedure applies to cases of the category “%(category)s”.") % {"category": category.code},
        )
    return current_version(code)


def _latest_definitions() -> list[dict[str, Any]]:
    latest: dict[str, ProcedureVersion] = {}
    for version in ProcedureVersion.objects.order_by("code", "version"):
        latest[version.code] = version
    if not latest:
        seed_procedures()
        return _latest_definitions()
    return [v.definition for v in latest.values()]
