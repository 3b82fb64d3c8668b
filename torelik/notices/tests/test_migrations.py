"""The retries migration reopens the messages that the old dispatcher dropped without a handler."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("notices", "0001_initial")]
AFTER = [("notices", "0002_outbox_retries_and_deliveries")]


@pytest.mark.django_db(transaction=True)
def test_messages_marked_dispatched_without_a_handler_are_pending_again():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("notices", "OutboxMessage")
    dropped = old.objects.create(topic="act.signed", payload={}, dispatched_at=timezone.now(), attempts=1)
    waiting = old.objects.create(topic="act.signed", payload={})
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("notices", "OutboxMessage")
    assert {m.pk: (m.status, m.dispatched_at) for m in new.objects.all()} == {
        dropped.pk: ("pending", None),
        waiting.pk: ("pending", None),
    }
