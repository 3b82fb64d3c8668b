"""Who may read and register cases: the role -> permission map of the cases app.

- Reading a case: a party reads the cases they are a party to (by their account, as the filer,
  or named by their IIN/BIN); court staff read their court's cases; administrators every case.
  The acts, the e-file and the portal apply the same rule (`readable_cases`).
- Registering a case: the court's intake staff (clerk, judge, chair) in their own court, after
  accepting a filing; the system for the demo and for cases set up by tests.
- Procedural steps: who may perform each is data, the step's roles in its procedure
  (`cases.procedures`); a judge only in the case they hear, court staff only in their court, the
  platform (SYSTEM) only the steps that name "system". A sealed case refuses everyone but its
  court's clerks, judges and chair.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torelik.cases.models import Case
from torelik.cases.parties import own_parties_q
from torelik.cases.procedure import SYSTEM as SYSTEM_ROLE
from torelik.cases.procedure import Transition
from torelik.courts.models import Court
from torelik.identity.models import Role
from torelik.identity.permissions import Actor, RoleMap, System, is_logged_in, permitted
from torelik.kernel.errors import NotFoundError, PermissionDeniedError


class Action(StrEnum):
    READ_CASE = "read_case"
    REGISTER_CASE = "register_case"


PERMISSIONS: dict[Action, frozenset[Role]] = {
    # Every role may read some case; which ones is the object check (`readable_cases`).
    Action.READ_CASE: frozenset(Role),
    Action.REGISTER_CASE: frozenset({Role.CLERK, Role.JUDGE, Role.CHAIR}),
}
SYSTEM_ACTIONS = frozenset({Action.REGISTER_CASE})

_ROLES = RoleMap(permissions=PERMISSIONS, system=SYSTEM_ACTIONS)


def readable_cases(user: Any, cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases` narrowed to those `user` may read."""
    if not is_logged_in(user):
        return cases.none()
    if user.role == Role.ADMIN:
        return cases
    if user.is_court_staff:
        return cases.filter(court=user.court)
    # A party named by number sees the case too: a lawyer's client, a defendant who logs in
    # (the one rule of `cases.parties.is_own_party`).
    mine = Q(parties__user=user) | Q(submission__filer=user) | own_parties_q(user, prefix="parties__")
    return cases.filter(mine).distinct()


def require(actor: Any, action: Action, *, case: Case | None = None, court: Court | None = None) -> None:
    """Raises unless `actor` may take `action`: PermissionDeniedError, or for a case `user` may not
    read NotFoundError (a stranger is not told that the case exists)."""
    # The object is required: a caller that forgot it must not pass on the role alone.
    if action is Action.READ_CASE and case is None:
        raise TypeError("cases permission read_case is checked against a case; pass case=")
    if action is Action.REGISTER_CASE and court is None:
        raise TypeError("cases permission register_case is checked against a court; pass court=")
    user = _ROLES.check(actor, action)
    if user is None:
        return  # the system
    if action is Action.REGISTER_CASE:
        assert court is not None
        if user.court_id != court.pk:
            raise PermissionDeniedError(
                "forbidden", gettext_lazy("You can register cases of your own court only.")
            )
    elif action is Action.READ_CASE:
        assert case is not None
        if not readable_cases(user, Case.objects.filter(pk=case.pk)).exists():
            raise NotFoundError(
                "case_not_found", _("No case %(number)s is open to you.") % {"number": case.number}
            )


def can_read_case(user: Any, case: Case) -> bool:
    try:
        require(user, Action.READ_CASE, case=case)
    except (NotFoundError, PermissionDeniedError):
        return False
    return True


def can_register_case(user: Any, court: Court) -> bool:
    return permitted(lambda: require(user, Action.REGISTER_CASE, court=court))


def may_perform(*, user: Actor, case: Case, transition: Transition) -> bool:
    """Whether `user` (or the platform itself, SYSTEM) may perform the procedural step."""
    if isinstance(user, System):
        return SYSTEM_ROLE in transition.roles
    if not is_logged_in(user) or user.role == Role.AUDITOR:
        return False
    if user.role == Role.ADMIN:
        return "admin" in transition.roles
    if user.role not in transition.roles or user.court_id != case.court_id:
        return False
    if user.role == Role.JUDGE:
        return hears_case(user, case)
    return True


def hears_case(user: Any, case: Case) -> bool:
    """Whether `user` is the judge who hears the case (the presiding or reporting judge of a
    panel); reads `case.judge`: select it with the case."""
    return (
        is_logged_in(user)
        and case.judge_id is not None
        and case.judge is not None
        and case.judge.user_id == user.pk
    )


def require_step(actor: Actor, *, case: Case, transition: Transition) -> None:
    if not may_perform(user=actor, case=case, transition=transition):
        raise PermissionDeniedError(
            "forbidden",
            _("You may not perform “%(transition)s” in this case.") % {"transition": transition.name},
        )
    if (
        case.is_sealed
        and not isinstance(actor, System)
        and actor.role not in (Role.JUDGE, Role.CHAIR, Role.CLERK)
    ):
        raise PermissionDeniedError("case_sealed", _("The case is sealed."))
