"""`torelik distribution verify|commit|reveal|retry`: the operator's side of the distribution."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from torelik.distribution import days, services, verification
from torelik.identity.permissions import SYSTEM


class Command(BaseCommand):
    help = "Verify distribution records, commit and reveal day secrets, retry cases awaiting distribution."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="Recompute every draw of a period and check the chain.")
        check.add_argument("--from", dest="start", required=True, type=date.fromisoformat)
        check.add_argument("--to", dest="end", required=True, type=date.fromisoformat)
        check.add_argument("--json", action="store_true", help="Print the full report as JSON.")
        sub.add_parser("commit", help="Commit to the secrets of the coming days.")
        sub.add_parser("reveal", help="Reveal the secrets of the days that ended.")
        sub.add_parser("retry", help="Distribute again every case awaiting distribution.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify":
            self._verify(options["start"], options["end"], as_json=options["json"])
        elif action == "commit":
            created = days.commit_days(now=timezone.now())
            self.stdout.write(f"committed: {', '.join(d.day.isoformat() for d in created) or 'nothing new'}")
        elif action == "reveal":
            revealed = days.reveal_days(now=timezone.now())
            self.stdout.write(f"revealed: {', '.join(d.day.isoformat() for d in revealed) or 'nothing new'}")
        elif action == "retry":
            # The operator's retry is the system's backlog job, not a person's decision.
            report = services.distribute_pending(actor=SYSTEM)
            self.stdout.write(
                f"cases tried: {report.tried}, assigned: {len(report.assigned)}, "
                f"still waiting: {len(report.waiting)}"
            )

    def _verify(self, start: date, end: date, *, as_json: bool) -> None:
        if end < start:
            raise CommandError("--to is before --from")
        report = verification.verify(start=start, end=end)
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        if report.ok:
            self.stdout.write(f"OK: {report.checked} records from {start} to {end} verified")
            return
        for finding in report.findings:
            self.stderr.write(finding.label)
        first = report.first
        assert first is not None
        raise CommandError(f"verification failed; first mismatch: {first.label}", returncode=1)
