from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from torelik.cases.models import Case, CaseEvent
from torelik.cases.parties import own_parties_q
from torelik.identity.models import Role, User
from torelik.kernel.errors import NotFoundError


def cases_visible_to(*, user: User) -> QuerySet[Case]:
    """A party sees the cases they are a party to; court staff see their court's cases."""
    qs = Case.objects.select_related("court", "category")
    if user.role == Role.ADMIN:
        return qs
    if user.is_court_staff:
        return qs.filter(court=user.court)
    # A party named by number sees the case too: a lawyer's client, a defendant who logs in
    # (the one rule of `cases.parties.is_own_party`).
    mine = Q(parties__user=user) | Q(submission__filer=user) | own_parties_q(user, prefix="parties__")
    return qs.filter(mine).distinct()


def case_for_user(*, user: User, number: str) -> Case:
    case = cases_visible_to(user=user).filter(number=number).first()
    if case is None:
        raise NotFoundError("case_not_found", _("No case %(number)s is open to you.") % {"number": number})
    return case


def case_history(*, case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).order_by("seq")
