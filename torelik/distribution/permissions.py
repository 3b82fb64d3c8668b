"""Who may act in the distribution: one role -> permission map and the object checks.

Services call `require(actor, Action.X, case=...)` as their first step, before anything is
written; views and the API translate its PermissionDeniedError and use the `can_*` helpers only to
decide which links and buttons to show. The rules, in the court's words:

- Court staff read the loads, fairness and exceptions of their own court; administrators and
  auditors those of every court.
- Chairs, administrators and auditors run the verification and read the full records (a chair:
  of his court). The auditor reads everything and changes nothing.
- The chair of the case's court assigns manually, redistributes and decides recusals.
- The court office, judges and the chair of the case's court file recusals (a judge: his own
  self-recusal too); administrators in any court. Cases are linked by the office or the chair of
  the case's court, or an administrator.
- The chair of the judge's court records and cancels a judge's absences; administrators too.
- Category weights and the distribution settings are the administrators' (the admin site).
- The draw itself is nobody's decision: only the system draws (`SYSTEM`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Case
from torelik.courts.models import Court, Judge
from torelik.identity.models import STAFF_ROLES, Role, User
from torelik.identity.permissions import RoleMap, permitted
from torelik.kernel.errors import PermissionDeniedError


class Action(StrEnum):
    READ_REPORTS = "read_reports"  # loads, fairness, exceptions and alerts of a court
    READ_EVERY_COURT = "read_every_court"  # choose any court, or all of them, in the reports and records
    READ_RECORDS = "read_records"  # the full records of a court and a case's distribution page
    VERIFY = "verify"  # recompute the draws and check the chains of a period
    USE_CHAIR_FORMS = "use_chair_forms"  # open the chair's pages of exceptions
    ASSIGN_MANUALLY = "assign_manually"
    REDISTRIBUTE = "redistribute"
    FILE_RECUSAL = "file_recusal"
    DECIDE_RECUSAL = "decide_recusal"
    RECORD_ABSENCE = "record_absence"
    CANCEL_ABSENCE = "cancel_absence"
    LINK_CASES = "link_cases"
    CHANGE_WEIGHT = "change_weight"
    CHANGE_POLICY = "change_policy"
    DRAW = "draw"  # the automatic draw: at registration and for the backlog


AUDITING = frozenset({Role.CHAIR, Role.ADMIN, Role.AUDITOR})
CHAIR = frozenset({Role.CHAIR})
ADMIN = frozenset({Role.ADMIN})

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.READ_REPORTS: STAFF_ROLES,
    Action.READ_EVERY_COURT: frozenset({Role.ADMIN, Role.AUDITOR}),
    Action.READ_RECORDS: AUDITING,
    Action.VERIFY: AUDITING,
    Action.USE_CHAIR_FORMS: CHAIR,
    Action.ASSIGN_MANUALLY: CHAIR,
    Action.REDISTRIBUTE: CHAIR,
    Action.FILE_RECUSAL: frozenset({Role.CLERK, Role.JUDGE, Role.CHAIR, Role.ADMIN}),
    Action.DECIDE_RECUSAL: CHAIR,
    Action.RECORD_ABSENCE: frozenset({Role.CHAIR, Role.ADMIN}),
    Action.CANCEL_ABSENCE: frozenset({Role.CHAIR, Role.ADMIN}),
    # No rule existed (links were made only at registration): the office and the chair record
    # them like the other facts of a case; judges state their own grounds by self-recusal.
    Action.LINK_CASES: frozenset({Role.CLERK, Role.CHAIR, Role.ADMIN}),
    Action.CHANGE_WEIGHT: ADMIN,
    Action.CHANGE_POLICY: ADMIN,
    Action.DRAW: frozenset(),
}
# What the platform does by itself: the draw at registration and the backlog job (`distribution
# retry`, the benchmark). Everything else is a person's decision, on the record with their name.
SYSTEM_ACTIONS = frozenset({Action.DRAW})

_CASE_CHAIR_ONLY = ("forbidden", _("Only the chair of the case's court may do this."))
_AUDITING_ONLY = ("forbidden", _("Only court chairs, administrators and auditors may see this."))
_ROLES = RoleMap(
    permissions=PERMISSIONS,
    system=SYSTEM_ACTIONS,
    refusals={
        Action.READ_RECORDS: _AUDITING_ONLY,
        Action.VERIFY: _AUDITING_ONLY,
        Action.USE_CHAIR_FORMS: ("forbidden", _("Only the court chair may do this.")),
        Action.ASSIGN_MANUALLY: _CASE_CHAIR_ONLY,
        Action.REDISTRIBUTE: _CASE_CHAIR_ONLY,
        Action.DECIDE_RECUSAL: _CASE_CHAIR_ONLY,
        Action.CHANGE_WEIGHT: ("forbidden", _("Only an administrator may change the weights of categories.")),
        Action.CHANGE_POLICY: ("forbidden", _("Only an administrator may change the distribution settings.")),
    },
)

# The object each action is checked against; `require` refuses to be called without it, so that a
# service cannot skip the court check by forgetting an argument.
_CASE_ACTIONS = frozenset(
    {
        Action.ASSIGN_MANUALLY,
        Action.REDISTRIBUTE,
        Action.FILE_RECUSAL,
        Action.DECIDE_RECUSAL,
        Action.LINK_CASES,
    }
)
_JUDGE_ACTIONS = frozenset({Action.RECORD_ABSENCE, Action.CANCEL_ABSENCE})
_COURT_ACTIONS = frozenset({Action.READ_REPORTS, Action.READ_RECORDS})


def require_role(actor: Any, action: Action) -> User | None:
    """The role half of `action`'s rule, for pages that check it before they know the object.

    Returns the user, or None when the system acts (and may)."""
    if action is Action.USE_CHAIR_FORMS and isinstance(actor, User) and actor.role == Role.AUDITOR:
        # The auditor is told why in the auditor's terms: reading is allowed, changing is not.
        raise PermissionDeniedError(
            "read_only",
            _("An auditor reads the distribution reports and records but cannot change anything."),
        )
    return _ROLES.check(actor, action)


def require(
    actor: Any,
    action: Action,
    *,
    case: Case | None = None,
    judge: Judge | None = None,
    court: Court | None = None,
) -> None:
    """Raises PermissionDeniedError unless `actor` may take `action` (on `case`, `judge` or `court`)."""
    _check_objects(action, case=case, judge=judge, court=court)
    user = require_role(actor, action)
    if user is None:
        return  # the system, for the actions it may take; there is no court to compare
    if action in _COURT_ACTIONS:
        assert court is not None
        if court.pk != user.court_id and not _ROLES.allows(user.role, Action.READ_EVERY_COURT):
            raise PermissionDeniedError("forbidden", _("You can see the reports of your own court only."))
    elif action is Action.USE_CHAIR_FORMS:
        if user.court_id is None:
            raise PermissionDeniedError("forbidden", _("Only the court chair may do this."))
    elif action in (Action.ASSIGN_MANUALLY, Action.REDISTRIBUTE, Action.DECIDE_RECUSAL):
        assert case is not None
        if user.court_id != case.court_id:
            raise PermissionDeniedError(*_CASE_CHAIR_ONLY)
    elif action in (Action.FILE_RECUSAL, Action.LINK_CASES):
        assert case is not None
        if user.role != Role.ADMIN and user.court_id != case.court_id:
            raise PermissionDeniedError("forbidden", _("The case is in another court."))
    elif action in _JUDGE_ACTIONS:
        assert judge is not None
        if user.role != Role.ADMIN and user.court_id != judge.court_id:
            raise PermissionDeniedError("forbidden", _("Only the chair of the judge's court may do this."))


def _check_objects(action: Action, *, case: Case | None, judge: Judge | None, court: Court | None) -> None:
    needed = (
        "case"
        if action in _CASE_ACTIONS
        else "judge"
        if action in _JUDGE_ACTIONS
        else "court"
        if action in _COURT_ACTIONS
        else None
    )
    given = {"case": case, "judge": judge, "court": court}
    if needed is not None and given[needed] is None:
        raise TypeError(f"distribution permission {action} is checked against a {needed}; pass {needed}=")


def can(user: Any, action: Action, **objects: Any) -> bool:
    """Whether `user` may take `action` (on the objects given): for links and buttons."""
    return permitted(lambda: require(user, action, **objects))


def can_read_every_court(user: Any) -> bool:
    return can(user, Action.READ_EVERY_COURT)


def can_audit(user: Any) -> bool:
    """Verification and full records (of some court): chairs, administrators, auditors."""
    return permitted(lambda: require_role(user, Action.VERIFY))


def can_use_chair_forms(user: Any) -> bool:
    return can(user, Action.USE_CHAIR_FORMS)


def can_act_as_chair_of(user: Any, case: Case) -> bool:
    """The chair's actions on `case` (redistribute, recusal, manual assignment) are offered."""
    return can_use_chair_forms(user) and can(user, Action.REDISTRIBUTE, case=case)
