from __future__ import annotations

from dataclasses import asdict

from django_tasks import task


@task()
def dispatch_outbox() -> dict[str, int]:
    """Carries out due outbox messages; returns how many were dispatched, postponed and failed."""
    # Imported here: the services module schedules this task, so a top-level import would be a cycle.
    from torelik.notices.services import dispatch_pending

    return asdict(dispatch_pending())
