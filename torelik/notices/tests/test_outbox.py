"""The outbox: declared topics only; unhandled messages wait; failures back off, fail and are requeued."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import TypedDict

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from django.utils import timezone

from torelik.notices import outbox, selectors, services
from torelik.notices.models import OutboxDelivery, OutboxMessage, OutboxStatus
from torelik.notices.outbox import (
    OutboxTopic,
    PayloadShapeError,
    RegistryConflictError,
    UnknownTopicError,
    register_handler,
    register_topic,
)
from torelik.notices.services import dispatch_pending, enqueue_outbox
from torelik.notices.tasks import dispatch_outbox

pytestmark = pytest.mark.django_db


class PingPayload(TypedDict):
    n: int


PING = OutboxTopic(name="test.ping", label="Ping", payload=PingPayload)


@pytest.fixture(autouse=True)
def registry(monkeypatch):
    """The apps' registrations stay; what a test adds disappears after it."""
    monkeypatch.setattr(outbox, "_TOPICS", dict(outbox._TOPICS))
    monkeypatch.setattr(outbox, "_HANDLERS", {k: list(v) for k, v in outbox._HANDLERS.items()})
    register_topic(PING)


class Recorder:
    """A handler that fails its first `failures` calls, then records what it was given."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.calls: list[dict] = []

    def __call__(self, payload: PingPayload) -> None:
        self.calls.append(dict(payload))
        if len(self.calls) <= self.failures:
            raise RuntimeError(f"provider down (call {len(self.calls)})")


def report_text(*args: str) -> str:
    out = StringIO()
    call_command("outbox", "report", *args, stdout=out)
    return out.getvalue()


# ---------------------------------------------------------------- the registry


def test_an_unregistered_topic_is_refused():
    with pytest.raises(UnknownTopicError, match=r"act\.signd"):
        enqueue_outbox(topic="act.signd", payload={})
    undeclared = OutboxTopic(name="test.undeclared", label="?", payload=PingPayload)
    with pytest.raises(UnknownTopicError):
        enqueue_outbox(topic=undeclared, payload={"n": 1})
    assert not OutboxMessage.objects.exists()


def test_a_payload_not_of_the_declared_shape_is_refused():
    with pytest.raises(PayloadShapeError, match=r"missing: \['n'\]"):
        enqueue_outbox(topic=PING, payload={})
    with pytest.raises(PayloadShapeError, match=r"unexpected: \['note'\]"):
        enqueue_outbox(topic=PING, payload={"n": 1, "note": "A sentence in one language."})
    assert not OutboxMessage.objects.exists()


def test_registering_again_is_harmless_and_a_different_declaration_is_refused():
    register_topic(PING)
    with pytest.raises(RegistryConflictError):
        register_topic(OutboxTopic(name="test.ping", label="Ping", payload=dict))
    handler = Recorder()
    register_handler(PING, handler)
    register_handler(PING, handler)
    assert [h.handler for h in outbox.handlers_for("test.ping")] == [handler]
    with pytest.raises(RegistryConflictError):
        register_handler(PING, Recorder(), name=outbox.handlers_for("test.ping")[0].name)


def test_a_handler_declares_its_topic_when_the_publisher_has_not_yet():
    late = OutboxTopic(name="test.late", label="Late", payload=PingPayload)
    register_handler(late, Recorder())
    assert enqueue_outbox(topic="test.late", payload={"n": 1}).topic == "test.late"


# ---------------------------------------------------------------- no handler


def test_a_message_without_a_handler_stays_pending_and_is_reported():
    message = enqueue_outbox(topic=PING, payload={"n": 1})
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(hours=3))
    assert dispatch_pending() == services.DispatchOutcome()
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 0 and message.dispatched_at is None

    row = next(t for t in selectors.outbox_report().topics if t.topic == "test.ping")
    assert (row.pending, row.unhandled, row.handlers) == (1, 1, ())
    assert row.oldest_pending_age(timezone.now()) >= timedelta(hours=3)
    line = next(line for line in report_text().splitlines() if line.startswith("test.ping"))
    assert line.split() == ["test.ping", "1", "3h", "0m", "1", "0", "0", "none"]
    with pytest.raises(CommandError) as err:
        report_text("--check")
    assert err.value.returncode == 1


def test_the_report_lists_every_declared_topic_and_stray_ones():
    OutboxMessage.objects.create(topic="old.removed_topic", payload={})
    report = selectors.outbox_report()
    names = {t.topic: t for t in report.topics}
    assert {"act.signed", "submission.status_changed", "test.ping"} <= names.keys()
    assert names["act.signed"].pending == 0
    assert not names["old.removed_topic"].registered and report.has_problems
    assert "old.removed_topic (not declared)" in report_text()


# ---------------------------------------------------------------- handlers


def test_a_succeeding_handler_marks_the_message_dispatched_once():
    handler = Recorder()
    register_handler(PING, handler)
    message = enqueue_outbox(topic=PING, payload={"n": 7})
    assert dispatch_pending() == services.DispatchOutcome(dispatched=1)
    message.refresh_from_db()
    assert message.status == OutboxStatus.DISPATCHED and message.dispatched_at is not None
    assert message.attempts == 1 and message.last_error == ""
    assert handler.calls == [{"n": 7}]
    assert list(message.deliveries.values_list("handler", flat=True)) == [
        outbox.handlers_for("test.ping")[0].name
    ]
    assert dispatch_pending() == services.DispatchOutcome()
    assert handler.calls == [{"n": 7}]


def test_a_failing_handler_is_retried_with_backoff_and_reported():
    handler = Recorder(failures=2)
    register_handler(PING, handler)
    message = enqueue_outbox(topic=PING, payload={"n": 1})
    t0 = timezone.now()

    assert dispatch_pending(now=t0) == services.DispatchOutcome(retrying=1)
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    assert "provider down (call 1)" in message.last_error
    assert message.next_attempt_at == t0 + timedelta(seconds=30)

    # Not due yet: the backoff is respected.
    assert dispatch_pending(now=t0 + timedelta(seconds=29)) == services.DispatchOutcome()
    assert len(handler.calls) == 1

    t1 = t0 + timedelta(seconds=30)
    assert dispatch_pending(now=t1) == services.DispatchOutcome(retrying=1)
    message.refresh_from_db()
    assert message.attempts == 2 and "call 2" in message.last_error
    assert message.next_attempt_at == t1 + timedelta(seconds=60)

    row = next(t for t in selectors.outbox_report().topics if t.topic == "test.ping")
    assert (row.pending, row.retrying, row.failed, row.unhandled) == (1, 1, 0, 0)
    text = report_text()
    assert f"#{message.pk} test.ping pending: 2 attempt(s)" in text and "provider down (call 2)" in text

    assert dispatch_pending(now=t1 + timedelta(seconds=60)) == services.DispatchOutcome(dispatched=1)
    message.refresh_from_db()
    assert message.status == OutboxStatus.DISPATCHED and message.attempts == 3


def test_the_backoff_doubles_up_to_its_cap(settings):
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert services.backoff(20) == timedelta(hours=1)
    settings.TORELIK = {
        **settings.TORELIK,
        "OUTBOX_BACKOFF_BASE_SECONDS": 5,
        "OUTBOX_BACKOFF_CAP_SECONDS": 12,
    }
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3)] == [5, 10, 12]


def test_after_the_last_attempt_the_message_is_failed_until_requeued(settings):
    settings.TORELIK = {**settings.TORELIK, "OUTBOX_MAX_ATTEMPTS": 2}
    handler = Recorder(failures=2)
    register_handler(PING, handler)
    message = enqueue_outbox(topic=PING, payload={"n": 1})
    t0 = timezone.now()
    dispatch_pending(now=t0)
    assert dispatch_pending(now=t0 + timedelta(hours=1)) == services.DispatchOutcome(failed=1)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and message.attempts == 2
    assert dispatch_pending(now=t0 + timedelta(days=1)) == services.DispatchOutcome()
    assert len(handler.calls) == 2

    assert f"#{message.pk} test.ping failed: 2 attempt(s)" in report_text()
    with pytest.raises(CommandError):
        report_text("--check")

    out = StringIO()
    call_command("outbox", "requeue", "--topic", "test.ping", stdout=out)
    assert out.getvalue().strip() == "requeued: 1"
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 0
    assert "call 2" in message.last_error  # why it failed stays visible until the next attempt
    out = StringIO()
    call_command("outbox", "dispatch", stdout=out)
    assert out.getvalue().strip() == "dispatched: 1, to retry: 0, failed: 0"
    report_text("--check")  # nothing needs a person any more


def test_a_poisoned_message_does_not_hold_up_the_others():
    def handler(payload: PingPayload) -> None:
        if payload["n"] == 1:
            raise ValueError("poison")

    register_handler(PING, handler)
    first = enqueue_outbox(topic=PING, payload={"n": 1})
    second = enqueue_outbox(topic=PING, payload={"n": 2})
    assert dispatch_pending() == services.DispatchOutcome(dispatched=1, retrying=1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (OutboxStatus.PENDING, OutboxStatus.DISPATCHED)


def test_when_one_of_two_handlers_fails_only_that_one_runs_again():
    ok, flaky = Recorder(), Recorder(failures=1)
    register_handler(PING, ok, name="test.ok")
    register_handler(PING, flaky, name="test.flaky")
    message = enqueue_outbox(topic=PING, payload={"n": 1})
    t0 = timezone.now()
    dispatch_pending(now=t0)
    assert list(OutboxDelivery.objects.values_list("handler", flat=True)) == ["test.ok"]
    message.refresh_from_db()
    assert message.last_error.startswith("test.flaky: RuntimeError(")
    dispatch_pending(now=t0 + timedelta(minutes=1))
    assert (len(ok.calls), len(flaky.calls)) == (1, 2)
    assert sorted(OutboxDelivery.objects.values_list("handler", flat=True)) == ["test.flaky", "test.ok"]
    message.refresh_from_db()
    assert message.status == OutboxStatus.DISPATCHED


def test_a_failing_handlers_writes_roll_back_alone():
    """A database error inside one handler (an aborted statement on PostgreSQL) neither keeps its
    writes nor spoils the writes of the next handler or the message's own update."""
    Group.objects.create(name="taken")

    def clashing(payload: PingPayload) -> None:
        Group.objects.create(name=f"half-done {payload['n']}")
        Group.objects.create(name="taken")

    def writer(payload: PingPayload) -> None:
        Group.objects.create(name=f"written {payload['n']}")

    register_handler(PING, clashing, name="test.clashing")
    register_handler(PING, writer, name="test.writer")
    message = enqueue_outbox(topic=PING, payload={"n": 1})
    assert dispatch_pending() == services.DispatchOutcome(retrying=1)
    assert sorted(Group.objects.values_list("name", flat=True)) == ["taken", "written 1"]
    message.refresh_from_db()
    assert message.attempts == 1 and IntegrityError.__name__ in message.last_error


# ---------------------------------------------------------------- the worker task


def test_the_worker_task_dispatches_after_the_commit(django_capture_on_commit_callbacks):
    handler = Recorder()
    register_handler(PING, handler)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = enqueue_outbox(topic=PING, payload={"n": 3})
    assert len(callbacks) == 1  # the tests' immediate backend ran dispatch_outbox then
    message.refresh_from_db()
    assert message.status == OutboxStatus.DISPATCHED and handler.calls == [{"n": 3}]
    enqueue_outbox(topic=PING, payload={"n": 4})
    result = dispatch_outbox.enqueue()
    assert result.return_value == {"dispatched": 1, "retrying": 0, "failed": 0}


def test_no_worker_is_woken_for_a_topic_without_a_handler(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue_outbox(topic=PING, payload={"n": 1})
    assert callbacks == []


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks
def test_the_database_worker_runs_the_task_and_schedules_the_retry(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    handler = Recorder(failures=1)
    register_handler(PING, handler)
    message = enqueue_outbox(topic=PING, payload={"n": 5})  # autocommit: the wake-up is queued now
    assert DBTaskResult.objects.get().task_path == "torelik.notices.tasks.dispatch_outbox"
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    message.refresh_from_db()
    assert message.attempts == 1 and message.status == OutboxStatus.PENDING
    # The failure left a deferred wake-up at the message's next attempt.
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == message.next_attempt_at
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    message.refresh_from_db()
    assert message.status == OutboxStatus.DISPATCHED and len(handler.calls) == 2
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


# ---------------------------------------------------------------- the admin


def test_staff_see_the_outbox_in_the_admin_and_requeue_failed_messages(admin_client):
    from django.urls import reverse

    failed = OutboxMessage.objects.create(
        topic="test.ping", payload={"n": 1}, status=OutboxStatus.FAILED, attempts=10, last_error="boom"
    )
    response = admin_client.get(reverse("admin:notices_outboxmessage_changelist"), {"status": "failed"})
    assert response.status_code == 200 and b"test.ping" in response.content
    response = admin_client.get(reverse("admin:notices_outboxmessage_change", args=[failed.pk]))
    assert response.status_code == 200 and b"boom" in response.content
    response = admin_client.post(
        reverse("admin:notices_outboxmessage_changelist"),
        {"action": "requeue", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.PENDING and failed.attempts == 0
