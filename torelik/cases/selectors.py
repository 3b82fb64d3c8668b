from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from torelik.cases.models import Case, CaseEvent
from torelik.cases.permissions import readable_cases
from torelik.identity.models import User
from torelik.kernel.errors import NotFoundError

# What a case card and a list of cases read with the case row: its court, category, judge (who may
# perform a step) and the procedure version (its stages' names).
CARD_RELATED = ("court", "category", "judge", "procedure")


def cases_visible_to(*, user: User) -> QuerySet[Case]:
    """A party sees the cases they are a party to; court staff see their court's cases (the rule
    is `permissions.readable_cases`)."""
    return readable_cases(user, Case.objects.select_related(*CARD_RELATED))


def case_for_user(*, user: User, number: str) -> Case:
    case = cases_visible_to(user=user).filter(number=number).first()
    if case is None:
        raise NotFoundError("case_not_found", _("No case %(number)s is open to you.") % {"number": number})
    return case


def case_by_id_for_user(*, user: Any, case_id: int) -> Case:
    """The case with this id, if `user` may read it; NotFoundError otherwise (a stranger is not
    told that it exists)."""
    case = readable_cases(user, Case.objects.select_related(*CARD_RELATED)).filter(pk=case_id).first()
    if case is None:
        raise NotFoundError("case_not_found", _("No such case is open to you."))
    return case


def court_cases(*, user: User, stage: str = "") -> QuerySet[Case]:
    """The cases of the staff member's court (every court for an administrator), newest first,
    at `stage` when one is given."""
    cases = readable_cases(user, Case.objects.select_related(*CARD_RELATED)).order_by("-registered_at", "-id")
    return cases.filter(stage=stage) if stage else cases


def case_history(*, case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).order_by("seq")
