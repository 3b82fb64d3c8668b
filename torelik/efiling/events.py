"""The case-event kinds the Judicial Office appends to a case's history."""

from __future__ import annotations

from typing import TypedDict

from django.utils.translation import gettext_lazy as _

from torelik.cases.events import register_event_kind


class SubmissionFiledPayload(TypedDict):
    submission: str  # the filing's reference
    type: str  # the submission type's key


SUBMISSION_FILED = register_event_kind(
    code="submission.filed",
    label=_("Filing added to the case"),
    payload=SubmissionFiledPayload,
    app="efiling",
).code


class ReviewDecidedPayload(TypedDict):
    case: str  # the higher court's case number
    outcome: str  # cases.outcomes.Outcome


REVIEW_DECIDED = register_event_kind(
    code="case.review_decided",
    label=_("The higher court ruled on a complaint in the case"),
    payload=ReviewDecidedPayload,
    app="efiling",
).code
