"""Reading courts, judges and the classifier of case categories."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from torelik.kernel.errors import DomainError, NotFoundError

from .models import CaseCategory, CaseKind, Court, CourtLevel, Instance, Judge


def courts_accepting_filings(*, level: str | None = None) -> QuerySet[Court]:
    """Active courts that accept electronic filings, ordered by code; optionally of one level."""
    courts = Court.objects.filter(is_active=True, accepts_efiling=True)
    if level is not None:
        _check_choice(level, CourtLevel.values, field="level", code="court_level_unknown")
        courts = courts.filter(level=level)
    return courts.select_related("region", "appeal_court").order_by("code")


def court_by_code(*, code: str) -> Court:
    """The court with this four-digit code, active or not (old cases keep their court)."""
    code = (code or "").strip()
    court = Court.objects.select_related("region", "appeal_court").filter(code=code).first()
    if court is None:
        raise NotFoundError(
            "court_not_found",
            _("There is no court with the code “%(code)s”.") % {"code": code},
            field="court",
        )
    return court


def categories_for_filing(
    *, kind: str | None = None, instance: str = Instance.FIRST
) -> QuerySet[CaseCategory]:
    """Active categories a filer can choose for the given instance, optionally of one kind."""
    _check_choice(instance, Instance.values, field="instance", code="instance_unknown")
    categories = CaseCategory.objects.filter(is_active=True, instance=instance)
    if kind is not None:
        _check_choice(kind, CaseKind.values, field="kind", code="case_kind_unknown")
        categories = categories.filter(kind=kind)
    return categories.order_by("kind", "code")


def category_by_code(*, code: str, include_inactive: bool = False) -> CaseCategory:
    """The category with this code; a retired (inactive) one only when `include_inactive`."""
    code = (code or "").strip()
    categories = CaseCategory.objects.select_related("parent").filter(code=code)
    if not include_inactive:
        categories = categories.filter(is_active=True)
    category = categories.first()
    if category is None:
        raise NotFoundError(
            "category_not_found",
            _("There is no case category with the code “%(code)s”.") % {"code": code},
            field="category",
        )
    return category


def active_courts(*, level: str = "", region: str = "") -> QuerySet[Court]:
    """Active courts, for the public reference list; "" means any level, any region (region code).

    Unknown values match nothing rather than fail: the list is a filter, not a form.
    """
    courts = Court.objects.filter(is_active=True).select_related("region")
    if level:
        courts = courts.filter(level=level)
    if region:
        courts = courts.filter(region__code=region)
    return courts


def active_categories(*, kind: str = "", instance: str = "") -> QuerySet[CaseCategory]:
    """Active case categories, for the public reference list; "" means any kind, any instance."""
    categories = CaseCategory.objects.filter(is_active=True)
    if kind:
        categories = categories.filter(kind=kind)
    if instance:
        categories = categories.filter(instance=instance)
    return categories


def active_judges(*, court: Court, specialisation_kind: str | None = None) -> QuerySet[Judge]:
    """Active judges of the court, optionally those with a specialisation of one kind of proceedings.

    Ordered by IIN: digits sort alike on every database engine and collation (names do not), so
    a list of candidates, e.g. for the distribution of cases, is the same wherever it is read.
    """
    judges = Judge.objects.filter(court=court, is_active=True)
    if specialisation_kind is not None:
        _check_choice(
            specialisation_kind, CaseKind.values, field="specialisation_kind", code="case_kind_unknown"
        )
        judges = judges.filter(specialisations__kind=specialisation_kind).distinct()
    return judges.select_related("court").prefetch_related("specialisations").order_by("iin")


def _check_choice(value: str, allowed: list[str], *, field: str, code: str) -> None:
    if value not in allowed:
        raise DomainError(
            code,
            _("“%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": ", ".join(allowed)},
            field=field,
        )
