"""The outbox: side effects are written in the deciding transaction and carried out after it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from torelik.notices.models import OutboxMessage

Handler = Callable[[dict[str, Any]], None]
_HANDLERS: dict[str, list[Handler]] = {}


def register_handler(topic: str, handler: Handler) -> None:
    _HANDLERS.setdefault(topic, []).append(handler)


def enqueue_outbox(*, topic: str, payload: dict[str, Any]) -> OutboxMessage:
    message = OutboxMessage.objects.create(topic=topic, payload=payload)
    # Wake the worker once the deciding transaction has committed; the sweep also finds it later.
    transaction.on_commit(_schedule_dispatch)
    return message


def _schedule_dispatch() -> None:
    from torelik.notices.tasks import dispatch_outbox

    dispatch_outbox.enqueue()


def dispatch_pending(*, limit: int = 100) -> int:
    """Carries out pending messages in order; a failing handler leaves its message for a retry."""
    done = 0
    ids = list(
        OutboxMessage.objects.filter(dispatched_at__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for message_id in ids:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update()
                .filter(pk=message_id, dispatched_at__isnull=True)
                .first()
            )
            if message is None:
                continue  # another worker took it
            try:
                for handler in _HANDLERS.get(message.topic, []):
                    handler(message.payload)
            except Exception as exc:
                message.attempts += 1
                message.last_error = repr(exc)[:2000]
                message.save(update_fields=["attempts", "last_error"])
                continue
            message.dispatched_at = timezone.now()
            message.attempts += 1
            message.save(update_fields=["dispatched_at", "attempts"])
            done += 1
    return done
