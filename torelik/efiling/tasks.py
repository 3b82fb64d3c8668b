"""Background tasks of the filing path."""

from __future__ import annotations

from django_tasks import task

from torelik.efiling.intake import return_expired_filings


@task()
def return_expired_filings_task() -> int:
    """Returns the filings whose deadline to fix has passed; the count returned.

    Enqueue it once a day, e.g. from cron: torelik shell -c "from torelik.efiling.tasks import
    return_expired_filings_task as t; t.enqueue()"; the background worker runs it.
    """
    return len(return_expired_filings())
