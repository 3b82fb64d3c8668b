"""Who may act in the Judicial Office and the court's intake: the role -> permission map.

- Filers (citizens, organisations' representatives, lawyers, prosecutors, PSC operators) open
  drafts; only the filer of a submission edits it, signs and submits it, and pays its fee.
- Court staff read the filings addressed to their court (administrators: to every court).
- The court's intake staff (clerk, judge, chair) take a filing for review, decide on the fee
  relief, accept, return or leave it without motion: staff of the submission's court only.

The bank's signed payment notices and the return of filings whose deadline to fix passed are
the system's work and take no acting user (`services.handle_payment_callback`,
`intake.return_expired_filings`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from torelik.efiling.models import Submission
from torelik.identity.models import FILER_ROLES, STAFF_ROLES, Role, User
from torelik.identity.permissions import RoleMap, permitted
from torelik.kernel.errors import PermissionDeniedError


class Action(StrEnum):
    CREATE_DRAFT = "create_draft"
    EDIT_DRAFT = "edit_draft"  # the text, the parties and the attached documents
    SUBMIT = "submit"
    PAY_FEE = "pay_fee"
    READ_SUBMISSIONS = "read_submissions"  # the intake queue and a filing under review
    TAKE_FOR_REVIEW = "take_for_review"
    DECIDE_FEE_RELIEF = "decide_fee_relief"
    ACCEPT = "accept"
    RETURN = "return"
    LEAVE_WITHOUT_MOTION = "leave_without_motion"


INTAKE_ROLES = frozenset({Role.CLERK, Role.JUDGE, Role.CHAIR})

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.CREATE_DRAFT: FILER_ROLES,
    Action.EDIT_DRAFT: FILER_ROLES,
    Action.SUBMIT: FILER_ROLES,
    Action.PAY_FEE: FILER_ROLES,
    Action.READ_SUBMISSIONS: STAFF_ROLES,
    Action.TAKE_FOR_REVIEW: INTAKE_ROLES,
    Action.DECIDE_FEE_RELIEF: INTAKE_ROLES,
    Action.ACCEPT: INTAKE_ROLES,
    Action.RETURN: INTAKE_ROLES,
    Action.LEAVE_WITHOUT_MOTION: INTAKE_ROLES,
}
FILER_ACTIONS = frozenset({Action.EDIT_DRAFT, Action.SUBMIT, Action.PAY_FEE})
INTAKE_ACTIONS = frozenset(
    {
        Action.TAKE_FOR_REVIEW,
        Action.DECIDE_FEE_RELIEF,
        Action.ACCEPT,
        Action.RETURN,
        Action.LEAVE_WITHOUT_MOTION,
    }
)

_NOT_YOURS = ("forbidden", _("This filing is not yours."))
_ROLES = RoleMap(
    permissions=PERMISSIONS,
    refusals={
        Action.CREATE_DRAFT: ("forbidden", _("Only citizens, organisations and their lawyers file here.")),
        # A filing of someone else's is "not yours" whatever the role: say no more than that.
        **{action: _NOT_YOURS for action in FILER_ACTIONS},
        **{
            action: ("forbidden", _("Only court staff handle incoming filings.")) for action in INTAKE_ACTIONS
        },
    },
)


def require(actor: Any, action: Action, *, submission: Submission | None = None) -> None:
    """Raises PermissionDeniedError unless `actor` may take `action` (on `submission`)."""
    if (action in FILER_ACTIONS or action in INTAKE_ACTIONS) and submission is None:
        raise TypeError(f"efiling permission {action} is checked against a submission; pass submission=")
    user = _ROLES.check(actor, action)
    assert user is not None  # no efiling action is the system's
    if action in FILER_ACTIONS:
        assert submission is not None
        if submission.filer_id != user.pk:
            raise PermissionDeniedError(*_NOT_YOURS)
    elif action in INTAKE_ACTIONS:
        assert submission is not None
        require_staff_of_court(user, submission)


def require_staff_of_court(user: User, submission: Submission) -> None:
    """The object check of the intake: `user` works in the court the filing is addressed to.

    Intake checks it once more on the locked row: a filing left without motion may have been
    readdressed and submitted again meanwhile."""
    if submission.court_id != user.court_id:
        raise PermissionDeniedError("forbidden", _("This filing is addressed to another court."))


def sees_every_court(user: Any) -> bool:
    """Administrators read the filings of every court; other staff those of their own court."""
    return isinstance(user, User) and user.role == Role.ADMIN


def can(user: Any, action: Action, **objects: Any) -> bool:
    return permitted(lambda: require(user, action, **objects))


def can_handle(user: Any, submission: Submission) -> bool:
    """The intake buttons (take, accept, return, ...) are offered on `submission`."""
    return can(user, Action.TAKE_FOR_REVIEW, submission=submission)
