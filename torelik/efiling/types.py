"""The registry of what can be filed through the Judicial Office.

One Submission model serves every kind; a type here says which case kind and categories it
belongs to, who the parties are, and whether accepting it opens a new case. Adding a kind of
filing is adding an entry here (and its fee rule row), not a new form or model.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torelik.cases.models import PartyRole
from torelik.courts.models import CaseKind
from torelik.kernel.errors import DomainError


@dataclass(frozen=True)
class SubmissionType:
    key: str
    label: Promise
    description: Promise
    kind: str
    # Category codes the filer may choose; the first is the default.
    categories: tuple[str, ...]
    # Roles of the filer's side and of the other side; an empty other side means none is needed.
    own_role: str = PartyRole.PLAINTIFF
    other_role: str | None = PartyRole.DEFENDANT
    other_side_required: bool = True
    # Property claims carry an amount and a fee as a percentage of it.
    may_be_property: bool = False
    # Accepting it registers a new case; otherwise it joins a case already registered.
    opens_case: bool = True
    # A review of an act in a case (efiling.appeals): "appeal", "private_complaint", "cassation".
    review: str = ""


_CIVIL_CLAIM_CATEGORIES = (
    "civ.property",
    "civ.loan",
    "civ.consumer",
    "civ.housing",
    "civ.inheritance",
    "civ.divorce",
    "civ.alimony",
    "civ.paternity",
    "civ.labour",
    "civ.reinstatement",
)

SUBMISSION_TYPES: dict[str, SubmissionType] = {
    t.key: t
    for t in (
        SubmissionType(
            key="claim",
            label=gettext_lazy("Statement of claim"),
            description=gettext_lazy("A civil claim against a defendant: property or non-property."),
            kind=CaseKind.CIVIL,
            categories=_CIVIL_CLAIM_CATEGORIES,
            may_be_property=True,
        ),
        SubmissionType(
            key="administrative_claim",
            label=gettext_lazy("Claim against a state body"),
            description=gettext_lazy("An administrative claim challenging an act or action of a state body."),
            kind=CaseKind.ADMINISTRATIVE,
            categories=("adm.state_body", "adm.tax", "adm.land"),
        ),
        SubmissionType(
            key="court_order",
            label=gettext_lazy("Application for a court order"),
            description=gettext_lazy("An undisputed claim decided by a court order without a hearing."),
            kind=CaseKind.CIVIL,
            categories=("civ.court_order",),
            own_role=PartyRole.APPLICANT,
            may_be_property=True,
        ),
        SubmissionType(
            key="special_proceedings",
            label=gettext_lazy("Application in special proceedings"),
            description=gettext_lazy(
                "Establishing a fact of legal significance and other special proceedings."
            ),
            kind=CaseKind.CIVIL,
            categories=("civ.special",),
            own_role=PartyRole.APPLICANT,
            other_role=PartyRole.THIRD_PARTY,
            other_side_required=False,
        ),
        SubmissionType(
            key="simplified_cancellation",
            label=gettext_lazy("Application to cancel a decision in simplified procedure"),
            description=gettext_lazy(
                "Asks the court to cancel a decision made in simplified (written) procedure."
            ),
            kind=CaseKind.CIVIL,
            categories=("civ.simplified",),
            own_role=PartyRole.APPLICANT,
            other_role=PartyRole.THIRD_PARTY,
            other_side_required=False,
            opens_case=False,
        ),
        SubmissionType(
            key="fee_refund",
            label=gettext_lazy("Application for a refund of the state fee"),
            description=gettext_lazy("Asks for the state fee paid to be returned."),
            kind=CaseKind.CIVIL,
            categories=("civ.property",),
            own_role=PartyRole.APPLICANT,
            other_role=None,
            other_side_required=False,
            opens_case=False,
        ),
        SubmissionType(
            key="private_prosecution",
            label=gettext_lazy("Complaint of private prosecution"),
            description=gettext_lazy("A criminal complaint in a case of private prosecution."),
            kind=CaseKind.CRIMINAL,
            categories=("crim.private",),
            own_role=PartyRole.APPLICANT,
        ),
        SubmissionType(
            key="convict_meeting",
            label=gettext_lazy("Application for a meeting with a convicted person"),
            description=gettext_lazy("A meeting with a convicted person before the sentence is executed."),
            kind=CaseKind.CRIMINAL,
            categories=("crim.general",),
            own_role=PartyRole.APPLICANT,
            other_role=None,
            other_side_required=False,
            opens_case=False,
        ),
        SubmissionType(
            key="hearing_postponement",
            label=gettext_lazy("Petition to postpone a hearing"),
            description=gettext_lazy("Asks the court to postpone a scheduled hearing, with reasons."),
            kind=CaseKind.CIVIL,
            categories=_CIVIL_CLAIM_CATEGORIES,
            own_role=PartyRole.APPLICANT,
            other_role=None,
            other_side_required=False,
            opens_case=False,
        ),
        SubmissionType(
            key="security_cancellation",
            label=gettext_lazy("Application to cancel a security for the claim"),
            description=gettext_lazy("Asks the court to lift measures securing the claim."),
            kind=CaseKind.CIVIL,
            categories=_CIVIL_CLAIM_CATEGORIES,
            own_role=PartyRole.APPLICANT,
            other_role=None,
            other_side_required=False,
            opens_case=False,
        ),
        SubmissionType(
            key="appeal",
            label=gettext_lazy("Appeal against a decision"),
            description=gettext_lazy(
                "An appeal against a decision of a court of first instance, filed through that court "
                "within one month of the decision in final form."
            ),
            kind=CaseKind.CIVIL,
            categories=_CIVIL_CLAIM_CATEGORIES,
            own_role=PartyRole.APPLICANT,
            other_role=None,
            other_side_required=False,
            may_be_property=True,
            opens_case=False,
            review="appeal",
        ),
        SubmissionType(
            key="private_complaint",
            label=gettext_lazy("Private complaint"),
            description=gettext_lazy("A complaint against a ruling of the court, within ten working days."),
            kind=CaseKind.CIVIL,
            categories=_CIVIL_CLAIM_CATEGORIES,
            own_role=PartyRole.APPLICANT,
            other_role=None,
            other_side_required=False,
            opens_case=False,
            review="private_complaint",
        ),
        SubmissionType(
            key="cassation",
            label=gettext_lazy("Cassation petition"),
            description=gettext_lazy(
                "A petition to review a decision in legal force, within six months of its entry into force."
            ),
            kind=CaseKind.CIVIL,
            categories=_CIVIL_CLAIM_CATEGORIES,
            own_role=PartyRole.APPLICANT,
            other_role=None,
            other_side_required=False,
            may_be_property=True,
            opens_case=False,
            review="cassation",
        ),
        SubmissionType(
            key="petition",
            label=gettext_lazy("Petition"),
            description=gettext_lazy("Any other petition to the court in a case."),
            kind=CaseKind.CIVIL,
            categories=_CIVIL_CLAIM_CATEGORIES,
            own_role=PartyRole.APPLICANT,
            other_role=None,
            other_side_required=False,
            opens_case=False,
        ),
    )
}


def get_submission_type(key: str) -> SubmissionType:
    try:
        return SUBMISSION_TYPES[key]
    except KeyError:
        raise DomainError(
            "submission_type_unknown", _("There is no filing type “%(key)s”.") % {"key": key}, field="type"
        ) from None
