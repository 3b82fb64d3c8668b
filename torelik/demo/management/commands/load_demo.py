from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from torelik.demo.loader import load_demo
from torelik.kernel.deployment import demo_mode


class Command(BaseCommand):
    help = "Loads the demo country (courts, judges), the test PKI and one demo user per role."

    def handle(self, *args: Any, **options: Any) -> None:
        if not demo_mode():
            # The demo users share a published password and one-time-code secret.
            raise CommandError(
                "Demo data is loaded only in demo mode: set TORELIK_DEMO=1 (a throw-away installation)."
            )
        summary = load_demo()
        self.stdout.write(
            f"{summary.courts} courts, {summary.judges} judges; users: {', '.join(summary.users)}"
        )
        self.stdout.write(f"demo keys in {summary.pki_dir}")
