"""The outbox's worker task, and the one place that schedules it."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django_tasks import task

from torelik.notices.dispatch import dispatch_due


@task()
def dispatch_outbox() -> dict[str, int]:
    """Carries out due outbox messages; returns how many were dispatched, postponed and failed."""
    outcome = dispatch_due()
    retry_at = outcome.next_retry_at
    if retry_at is not None:
        transaction.on_commit(lambda: schedule_dispatch(retry_at))
    return outcome.counts()


def schedule_dispatch(run_after: datetime | None = None) -> None:
    """Wakes the worker now (after a commit) or at `run_after` (a retry)."""
    if run_after is None:
        dispatch_outbox.enqueue()
    elif dispatch_outbox.get_backend().supports_defer:
        dispatch_outbox.using(run_after=run_after).enqueue()
    # A backend without deferred tasks leaves the retry to `torelik outbox dispatch` from cron.
