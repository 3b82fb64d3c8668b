"""Appeals, private complaints and cassation petitions through the Judicial Office.

A party files one against a signed act in their case, as a submission of a review type
(`efiling.types`), with its fee rule. It is received by the court that decided (a cassation
petition by the cassation court). After the appeal term the case goes up: the appellate court
registers a case of its own (its own number format), the distribution draws the panel and excludes
the judges who heard the case below (the link `lower_instance`), and the appellate ruling comes
back to the first-instance case and moves its stage (into legal force, or back for a new hearing).

efiling orchestrates: it is the one app above cases, acts and distribution. Its hooks run in the
transaction of the step that triggers them (`cases.transitions.on_transition`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from torelik.acts.models import ActKind, ActStatus, JudicialAct
from torelik.cases.models import Case, CaseEvent, CaseOutcome
from torelik.cases.outcomes import REVIEW_IN_FORCE, Outcome
from torelik.cases.parties import PartyDetails
from torelik.cases.procedure import Transition
from torelik.cases.selectors import cases_visible_to
from torelik.cases.services import DocumentData, append_case_event
from torelik.cases.transitions import TransitionInput, perform_transition
from torelik.courts.models import CaseCategory, Court, CourtLevel
from torelik.distribution.models import CaseLink, CaseRelation
from torelik.efiling.events import REVIEW_DECIDED
from torelik.efiling.models import Submission, SubmissionStatus
from torelik.efiling.registration import register_and_distribute
from torelik.efiling.types import SUBMISSION_TYPES, SubmissionType
from torelik.identity.models import User
from torelik.identity.permissions import SYSTEM
from torelik.kernel.calendar import WorkingCalendar
from torelik.kernel.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError

# The acts each review is against.
REVIEWABLE_ACTS = {
    "appeal": frozenset({ActKind.DECISION}),
    "private_complaint": frozenset({ActKind.RULING}),
    "cassation": frozenset({ActKind.DECISION, ActKind.ORDER}),
}
# Where the case stands when each review may be filed in time.
OPEN_STAGES = {
    "appeal": frozenset({"appeal_term", "appealed"}),
    "cassation": frozenset({"in_force", "enforcement"}),
}
INSTANCE_OF = {"appeal": "appeal", "private_complaint": "appeal", "cassation": "cassation"}
CLOSED_STATUSES = (SubmissionStatus.RETURNED,)
MAX_REASON_CHARS = 5_000


@dataclass(frozen=True)
class ReviewTarget:
    case: Case
    act: JudicialAct
    court: Court
    term_ends: date | None


def review_target(
    *,
    filer: User,
    stype: SubmissionType,
    case_number: str,
    act_id: int | None,
    restore_term_reason: str,
    draft: Submission | None = None,
    today: date | None = None,
) -> ReviewTarget:
    """Checks an appeal (or complaint, or petition) before it is saved; raises naming the field."""
    day = today or timezone.localdate()
    case = (
        cases_visible_to(user=filer)
        .filter(number=case_number.strip())
        .select_related("court", "category")
        .first()
    )
    if case is None:
        raise NotFoundError(
            "case_not_found",
            _("No case %(number)s is open to you.") % {"number": case_number.strip() or "—"},
            field="appealed_case",
        )
    is_party = any(PartyDetails.of_record(p).belongs_to(filer) for p in case.parties.all()) or (
        case.submission_id is not None
        and case.submission is not None
        and case.submission.filer_id == filer.pk
    )
    if not is_party:
        raise PermissionDeniedError(
            "not_a_party", _("Only a party to the case may file this."), field="appealed_case"
        )
    act = (
        JudicialAct.objects.filter(pk=act_id, case=case, status=ActStatus.SIGNED).first() if act_id else None
    )
    if act is None:
        raise DomainError(
            "act_required",
            _("Choose the signed act of the case you are appealing against."),
            field="appealed_act",
        )
    if act.kind not in REVIEWABLE_ACTS[stype.review]:
        raise DomainError(
            "act_not_appealable",
            _("“%(filing)s” cannot be filed against an act of this kind (%(act)s).")
            % {"act": act.get_kind_display().lower(), "filing": stype.label},
            field="appealed_act",
        )
    term_ends = _term_end(case=case, act=act, review=stype.review)
    reason = restore_term_reason.strip()
    if len(reason) > MAX_REASON_CHARS:
        raise DomainError("reasons_too_long", _("The reasons are too long."), field="restore_term_reason")
    in_time = (
        term_ends is not None
        and day <= term_ends
        and case.stage in OPEN_STAGES.get(stype.review, {case.stage})
    )
    if not in_time and not reason:
        raise ConflictError(
            "term_passed",
            _("The term to file this ended on %(date)s. Add a motion to restore the term, with its reasons.")
            % {"date": term_ends.strftime("%d.%m.%Y") if term_ends else "—"},
            field="restore_term_reason",
        )
    others = Submission.objects.filter(filer=filer, appealed_act=act, type_key=stype.key).exclude(
        status__in=CLOSED_STATUSES
    )
    if draft is not None:
        others = others.exclude(pk=draft.pk)
    if others.exists():
        raise ConflictError(
            "appeal_already_filed",
            _("You have already filed “%(filing)s” against this act.") % {"filing": stype.label},
            field="appealed_act",
        )
    return ReviewTarget(case=case, act=act, court=_receiving_court(case, stype.review), term_ends=term_ends)


def _term_end(*, case: Case, act: JudicialAct, review: str) -> date | None:
    """The last day to file: appeal 1 month from the decision in final form, private complaint
    10 working days from the ruling, cassation 6 months from the entry into legal force."""
    calendar = WorkingCalendar.load(
        years=[timezone.localdate().year - 1, timezone.localdate().year, timezone.localdate().year + 1]
    )
    if review == "private_complaint":
        start = timezone.localdate(act.signed_at) if act.signed_at else act.act_date
        return calendar.add_working_days(start, 10)
    target = "appeal_term" if review == "appeal" else "in_force"
    entered = _entered(case, target)
    if entered is None:
        return None
    return calendar.add_months(timezone.localdate(entered), 1 if review == "appeal" else 6)


def _entered(case: Case, stage: str) -> datetime | None:
    return (
        CaseEvent.objects.filter(case=case, kind="case.transition", payload__to=stage)
        .order_by("-seq")
        .values_list("occurred_at", flat=True)
        .first()
    )


def _receiving_court(case: Case, review: str) -> Court:
    if review != "cassation":
        return case.court  # filed through the court that decided
    return _higher_court(case, review)


def _higher_court(case: Case, review: str) -> Court:
    if INSTANCE_OF[review] == "appeal":
        court = case.court.appeal_court
    else:
        court = (
            Court.objects.filter(
                level=CourtLevel.CASSATION, is_active=True, judges__specialisations__kind=case.category.kind
            )
            .distinct()
            .order_by("code")
            .first()
        ) or Court.objects.filter(level=CourtLevel.SUPREME, is_active=True).order_by("code").first()
    if court is None:
        raise ConflictError(
            "no_higher_court", _("No higher court is configured for %(court)s.") % {"court": case.court}
        )
    return court


# ---------------------------------------------------------------- receiving the review


def receive_review(
    *, submission: Submission, stype: SubmissionType, documents: list[DocumentData], now: datetime
) -> Case:
    """The court accepts the review (intake's accept): it joins the case below; an appeal moves it
    to "appeal filed"; a private complaint or a cassation petition goes up at once."""
    case = submission.appealed_case
    if case is None:
        raise DomainError("related_case_required", _("Name the case of this court the filing belongs to."))
    if stype.review == "appeal":
        if case.stage == "appeal_term" or (case.stage == "in_force" and submission.restore_term_reason):
            # Accepting an appeal whose term was missed grants the motion to restore it.
            perform_transition(case=case, transition="appeal_filed", actor=SYSTEM, now=now)
        return case
    return send_up(lower=case, review=stype.review, documents=documents, now=now)


def send_up(*, lower: Case, review: str, documents: list[DocumentData], now: datetime) -> Case:
    """Registers the higher court's case reviewing `lower`; its panel is drawn without the judges
    who heard `lower`."""
    court = _higher_court(lower, review)
    category = (
        CaseCategory.objects.filter(kind=lower.category.kind, instance=INSTANCE_OF[review], is_active=True)
        .order_by("code")
        .first()
    )
    if category is None:
        raise ConflictError("no_review_category", _("The classifier has no category for this review."))
    return register_and_distribute(
        court=court,
        category=category,
        registered_at=now,
        actor=SYSTEM,
        parties=[PartyDetails.of_record(p) for p in lower.parties.order_by("id")],
        documents=documents,
        claim_amount_tiyn=lower.claim_amount_tiyn,
        lower_instance=lower,
    )


# ---------------------------------------------------------------- hooks on procedural steps


def after_transition(case: Case, step: Transition, event: CaseEvent) -> None:
    """Registered in EfilingConfig.ready(): the case goes up when the clerk sends it; the higher
    court's ruling in final form comes back down."""
    if step.code == "send_up":
        send_up(lower=case, review="appeal", documents=_appeal_documents(case), now=event.occurred_at)
    elif step.code == "ruling_in_full":
        _ruling_comes_down(higher=case, event=event)


def _appeal_documents(case: Case) -> list[DocumentData]:
    """The appeals' own documents (body and attachments) go up with the case."""
    shas = set(
        Submission.objects.filter(
            appealed_case=case, type_key="appeal", status=SubmissionStatus.REGISTERED
        ).values_list("documents__blob_id", flat=True)
    ) | set(
        Submission.objects.filter(
            appealed_case=case, type_key="appeal", status=SubmissionStatus.REGISTERED
        ).values_list("body_sha256", flat=True)
    )
    return [
        DocumentData(blob=d.blob, title=d.title, filename=d.filename, signature=d.signature)
        for d in case.documents.select_related("blob", "signature").filter(blob_id__in=[s for s in shas if s])
    ]


def _ruling_comes_down(*, higher: Case, event: CaseEvent) -> None:
    link = (
        CaseLink.objects.filter(case=higher, relation=CaseRelation.LOWER_INSTANCE)
        .select_related("related")
        .first()
    )
    outcome = (
        CaseOutcome.objects.filter(case=higher)
        .order_by("-event_seq")
        .values_list("outcome", flat=True)
        .first()
    )
    if link is None or outcome is None:
        return
    lower = link.related
    if lower.stage == "on_appeal":
        step = "sent_back" if outcome == Outcome.SENT_BACK else "review_decided"
        if step == "sent_back" or outcome in REVIEW_IN_FORCE:
            perform_transition(
                case=lower,
                transition=step,
                actor=SYSTEM,
                data=TransitionInput(outcome=outcome),
                now=event.occurred_at,
            )
            return
    # A private complaint or a cassation: the case below keeps its stage; its history says so.
    append_case_event(
        case=lower,
        kind=REVIEW_DECIDED,
        actor=None,
        occurred_at=event.occurred_at,
        payload={"case": higher.number, "outcome": outcome},
    )


# ---------------------------------------------------------------- what a party may file


@dataclass(frozen=True)
class ReviewChoice:
    act: JudicialAct
    type_keys: tuple[str, ...]  # the review types that may be filed against it


def review_choices(*, case: Case) -> list[ReviewChoice]:
    """The case's signed acts that can be challenged, each with the kinds of filing that fit it
    (the term and the filer are checked when the filing is saved)."""
    reviews = [t for t in SUBMISSION_TYPES.values() if t.review]
    choices = []
    for act in JudicialAct.objects.filter(case=case, status=ActStatus.SIGNED).order_by("signed_at", "pk"):
        keys = tuple(t.key for t in reviews if act.kind in REVIEWABLE_ACTS[t.review])
        if keys:
            choices.append(ReviewChoice(act=act, type_keys=keys))
    return choices
