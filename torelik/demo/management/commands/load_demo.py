from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from torelik.demo.loader import load_demo


class Command(BaseCommand):
    help = "Loads the demo country (courts, judges), the test PKI and one demo user per role."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo()
        self.stdout.write(
            f"{summary.courts} courts, {summary.judges} judges; users: {', '.join(summary.users)}"
        )
        self.stdout.write(f"demo keys in {summary.pki_dir}")
