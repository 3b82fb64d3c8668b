from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from torelik.cases.models import Case, CaseEvent, PersonKind
from torelik.identity.models import Role, User
from torelik.kernel.errors import NotFoundError


def cases_visible_to(*, user: User) -> QuerySet[Case]:
    """A party sees the cases they are a party to; court staff see their court's cases."""
    qs = Case.objects.select_related("court", "category")
    if user.role == Role.ADMIN:
        return qs
    if user.is_court_staff:
        return qs.filter(court=user.court)
    mine = Q(parties__user=user) | Q(submission__filer=user)
    # A party named by number sees the case too: a lawyer's client, a defendant who logs in.
    # An organisation's account is the organisation (its BIN); a person's account is their IIN.
    # An empty number never matches (parties named by address only have none).
    if user.bin:
        mine |= Q(parties__bin=user.bin, parties__person_kind=PersonKind.LEGAL_ENTITY)
    elif user.iin:
        mine |= Q(parties__iin=user.iin, parties__person_kind=PersonKind.INDIVIDUAL)
    return qs.filter(mine).distinct()


def case_for_user(*, user: User, number: str) -> Case:
    case = cases_visible_to(user=user).filter(number=number).first()
    if case is None:
        raise NotFoundError("case_not_found", _("No case %(number)s is open to you.") % {"number": number})
    return case


def case_history(*, case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).order_by("seq")
