"""`{% load acts_tags %}{% case_acts case %}`: the signed acts of a case, for the parties' case page."""

from __future__ import annotations

from typing import Any

from django import template

from torelik.acts.selectors import acts_for_case
from torelik.cases.models import Case

register = template.Library()


@register.inclusion_tag("acts/_case_acts_list.html")
def case_acts(case: Case) -> dict[str, Any]:
    return {"acts": list(acts_for_case(case=case))}
