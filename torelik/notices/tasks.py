from __future__ import annotations

from django_tasks import task

from torelik.notices.services import dispatch_pending


@task()
def dispatch_outbox() -> int:
    return dispatch_pending()
