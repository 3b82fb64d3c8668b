"""The acts' outbox topic: declared at start-up, written when an act is signed."""

from __future__ import annotations

import pytest

from torelik.acts import services
from torelik.acts.testing import sign_as_ncalayer
from torelik.acts.topics import ACT_SIGNED, ActSignedPayload
from torelik.notices.models import OutboxMessage, OutboxStatus
from torelik.notices.outbox import get_topic

pytestmark = pytest.mark.django_db


def test_the_topics_are_registered_when_the_app_starts():
    assert get_topic("act.signed") is ACT_SIGNED


def test_signing_an_act_leaves_a_message_of_the_declared_shape(case, judge_user, tsa, trusted_pki):
    draft = services.create_draft(case=case, user=judge_user, kind="decision", language="kk")
    act = sign_as_ncalayer(act=draft, user=judge_user, key=trusted_pki.signing_key("judge"))
    message = OutboxMessage.objects.get(topic="act.signed")
    assert message.payload.keys() == ActSignedPayload.__required_keys__
    assert message.payload["act_id"] == act.pk and message.payload["case_number"] == case.number
    assert (message.payload["kind"], message.payload["language"]) == ("decision", "kk")
    assert isinstance(message.payload["log_seq"], int) and message.payload["sha256"] == act.pdf_id
    # No handler yet (the notices will deliver the act to the parties): the message waits.
    assert message.status == OutboxStatus.PENDING and message.attempts == 0
