from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.demo.living import DEFAULT_SIZE
from torelik.demo.loader import load_demo
from torelik.kernel.deployment import demo_mode


class Command(BaseCommand):
    help = (
        "Loads the demo country (courts, judges), the test PKI, one demo user per role and, on a "
        "database without cases, the living demo (cases at every stage, made by the services)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases",
            type=int,
            default=DEFAULT_SIZE,
            help=f"about how many cases the living demo plans (default {DEFAULT_SIZE}; 0: none)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not demo_mode():
            # The demo users share a published password and one-time-code secret.
            raise CommandError(
                "Demo data is loaded only in demo mode: set TORELIK_DEMO=1 (a throw-away installation)."
            )
        started = time.perf_counter()
        summary = load_demo(living_size=options["cases"])
        self.stdout.write(
            f"{summary.courts} courts, {summary.judges} judges; users: {', '.join(summary.users)}"
        )
        self.stdout.write(f"demo keys in {summary.pki_dir}")
        living = summary.living
        if living is not None and living.made and living.summary is not None:
            figures = living.summary
            self.stdout.write(
                f"living demo: {sum(figures.cases.values())} cases from {living.first_day} to "
                f"{living.last_day}, {figures.acts} signed acts, {figures.appeals} appeals; "
                f"{time.perf_counter() - started:.0f} s"
            )
            for key, count in sorted(figures.cases.items()):
                self.stdout.write(f"  {key}: {count}")
            for key, count in sorted(figures.appellate.items()):
                self.stdout.write(f"  appellate/{key}: {count}")
            if figures.off_course:
                self.stdout.write(f"  not where the plan put them: {', '.join(figures.off_course)}")
            if figures.cut_short:
                self.stdout.write(f"  cut short by the end of the history: {', '.join(figures.cut_short)}")
        elif living is not None and not living.made:
            self.stdout.write(f"living demo not made: {living.reason}")
