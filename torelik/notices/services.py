"""The outbox: side effects are written in the deciding transaction and carried out after it.

Semantics (docs/operations.md, "Outbox"):
- `enqueue_outbox` refuses a topic nobody declared, and a payload not of the declared shape.
- `dispatch_pending` runs each due message's handlers in one transaction that holds the
  message's row lock (skip-locked on PostgreSQL, so several workers take different messages;
  SQLite has a single writer). Each handler runs in its own savepoint and, when it succeeds,
  its delivery record commits with its writes, so a retry re-runs only the handlers that failed.
- A failure counts an attempt, keeps the error and postpones the message by an exponential
  backoff (capped); after the last attempt the message is failed until `requeue_failed`.
- A message whose topic has no handler is never touched: it stays pending for the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from torelik.notices import dispatch
from torelik.notices.dispatch import DispatchOutcome, backoff, max_attempts
from torelik.notices.models import OutboxMessage, OutboxStatus
from torelik.notices.outbox import OutboxTopic, get_topic, handlers_for
from torelik.notices.tasks import schedule_dispatch

__all__ = [
    "DispatchOutcome",
    "backoff",
    "dispatch_pending",
    "enqueue_outbox",
    "max_attempts",
    "requeue_failed",
]


def enqueue_outbox(*, topic: OutboxTopic[Any] | str, payload: Mapping[str, Any]) -> OutboxMessage:
    """Writes a message in the caller's transaction; raises UnknownTopicError or PayloadShapeError."""
    declared = get_topic(topic if isinstance(topic, str) else topic.name)
    declared.check_payload(payload)
    message = OutboxMessage.objects.create(topic=declared.name, payload=dict(payload))
    if handlers_for(declared.name):
        # Wake the worker once the deciding transaction has committed; the sweep also finds it later.
        transaction.on_commit(schedule_dispatch)
    return message


def dispatch_pending(*, limit: int = 100, now: datetime | None = None) -> DispatchOutcome:
    """Carries out up to `limit` due messages, oldest first, one transaction per message, and
    has the worker woken for the earliest retry."""
    outcome = dispatch.dispatch_due(limit=limit, now=now)
    retry_at = outcome.next_retry_at
    if retry_at is not None:
        transaction.on_commit(lambda: schedule_dispatch(retry_at))
    return outcome


def requeue_failed(
    *, topic: str | None = None, ids: Sequence[int] | None = None, now: datetime | None = None
) -> int:
    """Gives failed messages a fresh series of attempts, due now; returns how many."""
    failed = OutboxMessage.objects.filter(status=OutboxStatus.FAILED)
    if topic is not None:
        failed = failed.filter(topic=topic)
    if ids is not None:
        failed = failed.filter(pk__in=ids)
    # The last error stays until the next attempt replaces it: the operator still sees why.
    count = failed.update(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now or timezone.now())
    if count:
        transaction.on_commit(schedule_dispatch)
    return count
