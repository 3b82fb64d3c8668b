from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from torelik.efiling.models import Submission, SubmissionStatus, SubmissionStatusChange
from torelik.efiling.permissions import sees_every_court
from torelik.identity.models import User
from torelik.kernel.errors import NotFoundError


def submissions_of(*, filer: User) -> QuerySet[Submission]:
    return Submission.objects.filter(filer=filer).select_related("court", "category")


def submission_for_filer(*, filer: User, submission_id: int) -> Submission:
    submission = submissions_of(filer=filer).filter(pk=submission_id).first()
    if submission is None:
        raise NotFoundError("submission_not_found", _("No such filing of yours."))
    return submission


def intake_queue(*, clerk: User) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(
            court=clerk.court, status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.UNDER_REVIEW]
        )
        .select_related("court", "category", "filer")
        .order_by("submitted_at", "id")
    )


def submission_for_staff(*, user: User, submission_id: int) -> Submission:
    qs = Submission.objects.select_related("court", "category", "filer").exclude(
        status=SubmissionStatus.DRAFT
    )
    if not sees_every_court(user):
        qs = qs.filter(court=user.court)
    submission = qs.filter(pk=submission_id).first()
    if submission is None:
        raise NotFoundError("submission_not_found", _("No such filing in your court."))
    return submission


def status_history(*, submission: Submission) -> QuerySet[SubmissionStatusChange]:
    return submission.status_changes.order_by("at", "id")
