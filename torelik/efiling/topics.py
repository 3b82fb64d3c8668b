"""The outbox topics the Judicial Office publishes (registered in EfilingConfig.ready())."""

from __future__ import annotations

from typing import TypedDict

from django.utils.translation import gettext_lazy as _

from torelik.notices.outbox import OutboxTopic


class SubmissionStatusChangedPayload(TypedDict):
    """Ids and codes only: the note (a clerk's reasons, a case number) stays on the status change
    row, read by the consumer, so that no sentence is frozen in the language of the moment."""

    submission_id: int
    status_change_id: int
    status: str  # a SubmissionStatus value


# The filer is to be told; the notices capability will register the handler that does it.
SUBMISSION_STATUS_CHANGED = OutboxTopic(
    name="submission.status_changed",
    label=_("A filing's status changed (the filer is to be told)"),
    payload=SubmissionStatusChangedPayload,
)

TOPICS = (SUBMISSION_STATUS_CHANGED,)
