"""Several workers share the outbox (PostgreSQL, real connections): a locked message is skipped,
not waited for, and every message is carried out exactly once."""

from __future__ import annotations

import threading
from collections import Counter
from typing import TypedDict

import pytest
from django.conf import settings
from django.db import connection, transaction

from torelik.notices import outbox
from torelik.notices.models import OutboxMessage, OutboxStatus
from torelik.notices.outbox import OutboxTopic, register_handler
from torelik.notices.services import DispatchOutcome, dispatch_pending, enqueue_outbox

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        "postgresql" not in str(settings.DATABASES["default"]["ENGINE"]), reason="needs PostgreSQL row locks"
    ),
    pytest.mark.django_db(transaction=True),
]


class CountPayload(TypedDict):
    n: int


COUNT = OutboxTopic(name="test.count", label="Count", payload=CountPayload)


@pytest.fixture(autouse=True)
def registry(monkeypatch, settings):
    # Without a test transaction, the wake-up after each enqueue would run the immediate
    # backend's dispatch before the workers below get a chance: keep the tasks queued instead.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(outbox, "_TOPICS", dict(outbox._TOPICS))
    monkeypatch.setattr(outbox, "_HANDLERS", {k: list(v) for k, v in outbox._HANDLERS.items()})


def test_a_message_locked_by_another_worker_is_skipped_not_waited_for():
    seen: list[int] = []
    register_handler(COUNT, lambda payload: seen.append(payload["n"]), name="test.seen")
    first = enqueue_outbox(topic=COUNT, payload={"n": 1})
    enqueue_outbox(topic=COUNT, payload={"n": 2})
    locked, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=first.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        assert dispatch_pending() == DispatchOutcome(dispatched=1)
        assert seen == [2]
    finally:
        release.set()
        thread.join(timeout=30)
    assert dispatch_pending() == DispatchOutcome(dispatched=1)
    assert seen == [2, 1]


def test_two_workers_carry_out_every_message_exactly_once():
    calls: Counter[int] = Counter()
    lock = threading.Lock()

    def count(payload: CountPayload) -> None:
        with lock:
            calls[payload["n"]] += 1

    register_handler(COUNT, count, name="test.count")
    for n in range(40):
        enqueue_outbox(topic=COUNT, payload={"n": n})
    barrier = threading.Barrier(2)
    outcomes: list[DispatchOutcome] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            outcomes.append(dispatch_pending(limit=100))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert calls == Counter(range(40))
    assert sum(o.dispatched for o in outcomes) == 40
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.DISPATCHED).exists()
