from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from torelik.cases.models import Case, CaseEvent
from torelik.cases.permissions import readable_cases
from torelik.identity.models import User
from torelik.kernel.errors import NotFoundError


def cases_visible_to(*, user: User) -> QuerySet[Case]:
    """A party sees the cases they are a party to; court staff see their court's cases (the rule
    is `permissions.readable_cases`)."""
    return readable_cases(user, Case.objects.select_related("court", "category"))


def case_for_user(*, user: User, number: str) -> Case:
    case = cases_visible_to(user=user).filter(number=number).first()
    if case is None:
        raise NotFoundError("case_not_found", _("No case %(number)s is open to you.") % {"number": number})
    return case


def case_history(*, case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).order_by("seq")
