"""The Judicial Office's outbox topics: declared at start-up, written in the real service path."""

from __future__ import annotations

import pytest

from torelik.efiling import intake, services
from torelik.efiling.models import SubmissionStatus, SubmissionStatusChange
from torelik.efiling.tests.test_filing import claim_input, signed_submit
from torelik.efiling.topics import SUBMISSION_STATUS_CHANGED, SubmissionStatusChangedPayload
from torelik.notices.models import OutboxMessage, OutboxStatus
from torelik.notices.outbox import get_topic

pytestmark = pytest.mark.django_db


def test_the_topics_are_registered_when_the_app_starts():
    assert get_topic("submission.status_changed") is SUBMISSION_STATUS_CHANGED


def test_a_status_change_leaves_a_message_of_the_declared_shape(demo_court, citizen, clerk, sign):
    sub = services.create_draft(
        filer=citizen, data=claim_input(category_code="civ.alimony", fee_exemption="alimony")
    )
    sub = signed_submit(sub, citizen, sign)
    intake.return_submission(submission=sub, clerk=clerk, reasons="Иск подсуден другому суду.")
    messages = list(OutboxMessage.objects.filter(topic="submission.status_changed").order_by("id"))
    # The draft's creation is recorded without a message: nobody needs telling about it.
    changes = list(SubmissionStatusChange.objects.filter(submission=sub).order_by("id"))[1:]
    assert [c.status for c in changes] == [SubmissionStatus.SUBMITTED, SubmissionStatus.RETURNED]
    for message, change in zip(messages, changes, strict=True):
        assert message.payload.keys() == SubmissionStatusChangedPayload.__required_keys__
        assert message.payload == {
            "submission_id": sub.pk,
            "status_change_id": change.pk,
            "status": change.status,
        }
        # No handler yet (the notices will tell the filer): the message waits.
        assert message.status == OutboxStatus.PENDING
    # The clerk's words stay on the status change; the message carries only its id.
    assert "Иск подсуден" in changes[-1].note
