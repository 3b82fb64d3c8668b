"""Reads of the outbox for operators: what is waiting, for how long, and what keeps failing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q

from torelik.notices.models import OutboxMessage, OutboxStatus
from torelik.notices.outbox import handlers_for, registered_topics


@dataclass(frozen=True)
class TopicReport:
    topic: str
    label: str
    registered: bool  # False: messages of a topic no app declares any more
    handlers: tuple[str, ...]
    pending: int
    retrying: int  # pending messages that have already failed at least once
    failed: int
    oldest_pending_at: datetime | None

    @property
    def unhandled(self) -> int:
        """Pending messages that wait for a handler to be registered at all."""
        return 0 if self.handlers else self.pending

    def oldest_pending_age(self, now: datetime) -> timedelta | None:
        return None if self.oldest_pending_at is None else now - self.oldest_pending_at


@dataclass(frozen=True)
class FailingMessage:
    id: int
    topic: str
    status: str
    attempts: int
    last_error: str
    last_attempt_at: datetime | None
    next_attempt_at: datetime


@dataclass(frozen=True)
class OutboxReport:
    topics: list[TopicReport]
    failing: list[FailingMessage]

    @property
    def has_problems(self) -> bool:
        return any(t.failed or t.unhandled or not t.registered for t in self.topics)


def outbox_report(*, failing_limit: int = 50) -> OutboxReport:
    """One row per declared topic (and per stray topic found in the table), then failing messages.

    Dispatched messages are not counted: the table grows with them and the report must stay cheap.
    """
    open_messages = OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED])
    pending = Q(status=OutboxStatus.PENDING)
    rows = {
        row["topic"]: row
        for row in open_messages.values("topic")
        .order_by("topic")
        .annotate(
            pending=Count("id", filter=pending),
            retrying=Count("id", filter=pending & Q(attempts__gt=0)),
            failed=Count("id", filter=Q(status=OutboxStatus.FAILED)),
            oldest=Min("created_at", filter=pending),
        )
    }
    declared = {t.name: str(t.label) for t in registered_topics()}
    topics = []
    for name in sorted(declared.keys() | rows.keys()):
        row = rows.get(name, {})
        topics.append(
            TopicReport(
                topic=name,
                label=declared.get(name, ""),
                registered=name in declared,
                handlers=tuple(h.name for h in handlers_for(name)),
                pending=row.get("pending", 0),
                retrying=row.get("retrying", 0),
                failed=row.get("failed", 0),
                oldest_pending_at=row.get("oldest"),
            )
        )
    # Failed messages first ("failed" < "pending"), then the ones being retried, oldest first.
    failing = [
        FailingMessage(
            id=m.pk,
            topic=m.topic,
            status=m.status,
            attempts=m.attempts,
            last_error=m.last_error,
            last_attempt_at=m.last_attempt_at,
            next_attempt_at=m.next_attempt_at,
        )
        for m in open_messages.filter(attempts__gt=0).order_by("status", "id")[:failing_limit]
    ]
    return OutboxReport(topics=topics, failing=failing)
