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

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from torelik.notices.models import OutboxDelivery, OutboxMessage, OutboxStatus
from torelik.notices.outbox import OutboxTopic, get_topic, handled_topics, handlers_for

logger = logging.getLogger(__name__)

# Defaults, overridable in settings.TORELIK: ten attempts spread over about three hours
# (30 s, 1 min, 2 min, … capped at 1 h) outlast a provider's typical outage, then a person looks.
MAX_ATTEMPTS = 10
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600
ERROR_MAX_CHARS = 2000


def _setting(name: str, default: int) -> int:
    return int(settings.TORELIK.get(name, default))


def max_attempts() -> int:
    return _setting("OUTBOX_MAX_ATTEMPTS", MAX_ATTEMPTS)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: base · 2^(attempts-1), at most the cap."""
    base = _setting("OUTBOX_BACKOFF_BASE_SECONDS", BACKOFF_BASE_SECONDS)
    cap = _setting("OUTBOX_BACKOFF_CAP_SECONDS", BACKOFF_CAP_SECONDS)
    return timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


def enqueue_outbox(*, topic: OutboxTopic[Any] | str, payload: Mapping[str, Any]) -> OutboxMessage:
    """Writes a message in the caller's transaction; raises UnknownTopicError or PayloadShapeError."""
    declared = get_topic(topic if isinstance(topic, str) else topic.name)
    declared.check_payload(payload)
    message = OutboxMessage.objects.create(topic=declared.name, payload=dict(payload))
    if handlers_for(declared.name):
        # Wake the worker once the deciding transaction has committed; the sweep also finds it later.
        transaction.on_commit(_schedule_dispatch)
    return message


def _schedule_dispatch(run_after: datetime | None = None) -> None:
    # The task module imports this one; importing it here keeps the modules free of a cycle.
    from torelik.notices.tasks import dispatch_outbox

    if run_after is None:
        dispatch_outbox.enqueue()
    elif dispatch_outbox.get_backend().supports_defer:
        dispatch_outbox.using(run_after=run_after).enqueue()
    # A backend without deferred tasks leaves the retry to `torelik outbox dispatch` from cron.


@dataclass(frozen=True)
class DispatchOutcome:
    dispatched: int = 0
    retrying: int = 0
    failed: int = 0

    def __add__(self, other: DispatchOutcome) -> DispatchOutcome:
        return DispatchOutcome(
            self.dispatched + other.dispatched, self.retrying + other.retrying, self.failed + other.failed
        )


def dispatch_pending(*, limit: int = 100, now: datetime | None = None) -> DispatchOutcome:
    """Carries out up to `limit` due messages, oldest first, one transaction per message."""
    topics = handled_topics()
    outcome = DispatchOutcome()
    if not topics:
        return outcome  # nothing can be carried out; unhandled messages wait, pending
    earliest_retry: datetime | None = None
    for _ in range(limit):
        moment = now or timezone.now()
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(status=OutboxStatus.PENDING, topic__in=topics, next_attempt_at__lte=moment)
                .order_by("id")
                .first()
            )
            if message is None:
                break
            step = _dispatch_one(message, moment)
        outcome += step
        if step.retrying and (earliest_retry is None or message.next_attempt_at < earliest_retry):
            earliest_retry = message.next_attempt_at
    if earliest_retry is not None:
        transaction.on_commit(lambda: _schedule_dispatch(earliest_retry))
    return outcome


def _dispatch_one(message: OutboxMessage, moment: datetime) -> DispatchOutcome:
    delivered = set(message.deliveries.values_list("handler", flat=True))
    errors: list[str] = []
    for registered in handlers_for(message.topic):
        if registered.name in delivered:
            continue  # succeeded on an earlier attempt; handlers are not run twice on purpose
        try:
            # A savepoint: a failing handler's writes roll back alone and, on PostgreSQL, the
            # transaction stays usable for the next handler and the message's own update.
            with transaction.atomic():
                registered.handler(dict(message.payload))
                OutboxDelivery.objects.create(message=message, handler=registered.name, delivered_at=moment)
        except Exception as exc:
            logger.warning("Outbox message %s: handler %s failed", message.pk, registered.name, exc_info=True)
            errors.append(f"{registered.name}: {exc!r}")
    message.attempts += 1
    message.last_attempt_at = moment
    if not errors:
        message.status = OutboxStatus.DISPATCHED
        message.dispatched_at = moment
        message.save(update_fields=["status", "dispatched_at", "attempts", "last_attempt_at"])
        return DispatchOutcome(dispatched=1)
    message.last_error = "\n".join(errors)[:ERROR_MAX_CHARS]
    if message.attempts >= max_attempts():
        message.status = OutboxStatus.FAILED
        result = DispatchOutcome(failed=1)
    else:
        message.next_attempt_at = moment + backoff(message.attempts)
        result = DispatchOutcome(retrying=1)
    message.save(update_fields=["status", "next_attempt_at", "attempts", "last_attempt_at", "last_error"])
    return result


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
        transaction.on_commit(_schedule_dispatch)
    return count
