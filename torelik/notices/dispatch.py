"""Carrying out due outbox messages (the semantics are in `services`' docstring).

Apart from `services` so that the worker's task can import it: `services` schedules that task,
and a module that both imports and is imported by the task module would be an import cycle.
Scheduling the retries is the caller's (`services.dispatch_pending`, the task).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from torelik.notices.models import OutboxDelivery, OutboxMessage, OutboxStatus
from torelik.notices.outbox import handled_topics, handlers_for

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


@dataclass(frozen=True)
class DispatchOutcome:
    dispatched: int = 0
    retrying: int = 0
    failed: int = 0
    # The earliest retry due, for the caller to schedule; not part of what an outcome counts.
    next_retry_at: datetime | None = field(default=None, compare=False)

    def __add__(self, other: DispatchOutcome) -> DispatchOutcome:
        retries = [t for t in (self.next_retry_at, other.next_retry_at) if t is not None]
        return DispatchOutcome(
            self.dispatched + other.dispatched,
            self.retrying + other.retrying,
            self.failed + other.failed,
            min(retries) if retries else None,
        )

    def counts(self) -> dict[str, int]:
        return {"dispatched": self.dispatched, "retrying": self.retrying, "failed": self.failed}


def dispatch_due(*, limit: int = 100, now: datetime | None = None) -> DispatchOutcome:
    """Carries out up to `limit` due messages, oldest first, one transaction per message."""
    topics = handled_topics()
    outcome = DispatchOutcome()
    if not topics:
        return outcome  # nothing can be carried out; unhandled messages wait, pending
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
        result = DispatchOutcome(retrying=1, next_retry_at=message.next_attempt_at)
    message.save(update_fields=["status", "next_attempt_at", "attempts", "last_attempt_at", "last_error"])
    return result
