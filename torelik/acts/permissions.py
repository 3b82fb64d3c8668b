"""Who may draft and sign judicial acts: the role -> permission map of the acts app.

- A judge (or a chair who sits as a judge) with an active entry in the register of judges works on
  the acts of the cases of the judge's court that are assigned to the judge, or to nobody yet
  (distribution comes later): `judged_cases`.
- An act is changed, prepared for signing and signed only by the judge who drafted it, while the
  case is still the judge's.
- Parties and court staff read the signed acts of the cases open to them (the cases app's rule);
  drafts stay with their judge (`selectors.visible_acts`, `selectors.act_for_reader`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from torelik.acts.models import JudicialAct
from torelik.cases.models import Case
from torelik.courts.models import Judge
from torelik.identity.models import Role, User
from torelik.identity.permissions import RoleMap, is_logged_in, permitted
from torelik.kernel.errors import PermissionDeniedError


class Action(StrEnum):
    OPEN_JUDGE_PAGES = "open_judge_pages"  # the judge's list of cases and a case's acts
    DRAFT_ACT = "draft_act"
    EDIT_ACT = "edit_act"
    PREPARE_SIGNING = "prepare_signing"
    SIGN_ACT = "sign_act"


JUDGE_ROLES = frozenset({Role.JUDGE, Role.CHAIR})

PERMISSIONS: dict[Action, frozenset[Role]] = {action: JUDGE_ROLES for action in Action}
_ACT_ACTIONS = frozenset({Action.EDIT_ACT, Action.PREPARE_SIGNING, Action.SIGN_ACT})

_NOT_A_JUDGE = ("not_a_judge", _("Only a judge may draft and sign judicial acts."))
_ROLES = RoleMap(permissions=PERMISSIONS, refusals=dict.fromkeys(Action, _NOT_A_JUDGE))


def judge_of(*, user: Any) -> Judge | None:
    """The active judge an account belongs to, if it is a judge's account."""
    if not is_logged_in(user) or user.role not in JUDGE_ROLES:
        return None
    return Judge.objects.filter(user=user, is_active=True).select_related("court").first()


def judged_cases(*, judge: Judge) -> QuerySet[Case]:
    """Cases whose acts `judge` may draft: in the judge's court, assigned to the judge or to nobody."""
    return (
        Case.objects.filter(court=judge.court)
        .filter(Q(judge__isnull=True) | Q(judge=judge))
        .select_related("court", "category")
        .order_by("-registered_at")
    )


def require_role(actor: Any, action: Action) -> User:
    """The role half of `action`'s rule (the judge's pages check it before they know the case)."""
    user = _ROLES.check(actor, action)
    assert user is not None  # no act is the system's: a judge signs it
    return user


def require(actor: Any, action: Action, *, case: Case | None = None, act: JudicialAct | None = None) -> Judge:
    """Raises PermissionDeniedError unless `actor` may take `action` on `case` or `act`; returns
    the acting judge (the register's entry of the account)."""
    # The object is required: a caller that forgot it must not pass on the role alone.
    if action is Action.DRAFT_ACT and case is None:
        raise TypeError("acts permission draft_act is checked against a case; pass case=")
    if action in _ACT_ACTIONS and act is None:
        raise TypeError(f"acts permission {action} is checked against an act; pass act=")
    user = require_role(actor, action)
    judge = judge_of(user=user)
    if judge is None:
        # A judge's role without an active entry in the register: not (or no longer) a judge.
        raise PermissionDeniedError(*_NOT_A_JUDGE)
    if action is Action.DRAFT_ACT:
        assert case is not None
        if not judged_cases(judge=judge).filter(pk=case.pk).exists():
            raise PermissionDeniedError("not_your_case", _("Only the judge of this case may write its acts."))
    elif action in _ACT_ACTIONS:
        assert act is not None
        if act.judge_id != judge.pk or not judged_cases(judge=judge).filter(pk=act.case_id).exists():
            raise PermissionDeniedError(
                "not_your_act", _("Only the judge who drafted this act may change or sign it.")
            )
    return judge


def can(user: Any, action: Action, **objects: Any) -> bool:
    return permitted(lambda: require(user, action, **objects))


def can_draft(user: Any, case: Case) -> bool:
    return can(user, Action.DRAFT_ACT, case=case)


def can_sign(user: Any, act: JudicialAct) -> bool:
    return can(user, Action.SIGN_ACT, act=act)
