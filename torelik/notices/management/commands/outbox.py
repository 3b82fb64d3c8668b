"""`torelik outbox …`: the operator's view of the outbox.

    torelik outbox report [--check] [--failing N]   per topic: pending, oldest, unhandled, failing
    torelik outbox dispatch [--limit N]             carry out due messages now (the cron sweep)
    torelik outbox requeue (--all | --topic T | --id N …)   give failed messages new attempts

`report --check` exits with status 1 when a message failed for good, waits for a handler that
no app registered, or belongs to a topic no app declares, so monitoring can alert on it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from torelik.notices import selectors, services


def _age(age: timedelta | None) -> str:
    if age is None:
        return "-"
    seconds = max(int(age.total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {seconds}s"


def _when(moment: datetime | None) -> str:
    return "-" if moment is None else timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


class Command(BaseCommand):
    help = "The outbox: report what is pending or failing, dispatch due messages, requeue failed ones."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        report = sub.add_parser("report", help="Per topic: pending, oldest pending, unhandled, failing.")
        report.add_argument("--check", action="store_true", help="Exit 1 if a message needs a person.")
        report.add_argument("--failing", type=int, default=50, help="List at most N failing messages.")
        dispatch = sub.add_parser("dispatch", help="Carry out due messages now.")
        dispatch.add_argument("--limit", type=int, default=1000, help="At most N messages (default 1000).")
        requeue = sub.add_parser("requeue", help="Give failed messages a new series of attempts.")
        which = requeue.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="Every failed message.")
        which.add_argument("--topic", help="The failed messages of one topic.")
        which.add_argument("--id", dest="ids", type=int, nargs="+", help="These failed messages.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "report":
            self._report(check=options["check"], failing_limit=options["failing"])
        elif action == "dispatch":
            outcome = services.dispatch_pending(limit=options["limit"])
            self.stdout.write(
                f"dispatched: {outcome.dispatched}, to retry: {outcome.retrying}, failed: {outcome.failed}"
            )
        elif action == "requeue":
            count = services.requeue_failed(topic=options["topic"], ids=options["ids"])
            self.stdout.write(f"requeued: {count}")

    def _report(self, *, check: bool, failing_limit: int) -> None:
        now = timezone.now()
        report = selectors.outbox_report(failing_limit=failing_limit)
        header = ("topic", "pending", "oldest pending", "no handler", "retrying", "failed", "handlers")
        rows = [header]
        for t in report.topics:
            name = t.topic if t.registered else f"{t.topic} (not declared)"
            rows.append(
                (
                    name,
                    str(t.pending),
                    _age(t.oldest_pending_age(now)),
                    str(t.unhandled),
                    str(t.retrying),
                    str(t.failed),
                    ", ".join(t.handlers) or "none",
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if report.failing:
            self.stdout.write("")
            self.stdout.write("failing messages:")
        for m in report.failing:
            nxt = "" if m.status == "failed" else f", next attempt {_when(m.next_attempt_at)}"
            self.stdout.write(
                f"#{m.id} {m.topic} {m.status}: {m.attempts} attempt(s), last {_when(m.last_attempt_at)}{nxt}"
            )
            for line in m.last_error.splitlines():  # one line per failed handler
                self.stdout.write(f"    {line}")
        if check and report.has_problems:
            raise CommandError("the outbox has messages that need attention", returncode=1)
