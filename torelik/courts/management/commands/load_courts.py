"""`torelik load-courts [--seed N] [--replace]`: the demo country of courts and judges."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from torelik.courts.demo import DEFAULT_SEED, generate_country
from torelik.kernel.errors import DomainError


class Command(BaseCommand):
    help = "Generates the demo regions, courts and judges (deterministic for a seed)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)"
        )
        parser.add_argument(
            "--replace", action="store_true", help="delete the existing regions, courts and judges first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            summary = generate_country(seed=options["seed"], replace=options["replace"])
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        if not summary.created:
            self.stdout.write(
                _("Courts already exist (%(courts)d courts, %(judges)d judges); use --replace to regenerate.")
                % {"courts": summary.courts, "judges": summary.judges}
            )
            return
        levels = ", ".join(f"{level}: {count}" for level, count in summary.courts_by_level.items())
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(regions)d regions, %(courts)d courts (%(levels)s), "
                    "%(judges)d judges in %(seconds).1f s."
                )
                % {
                    "regions": summary.regions,
                    "courts": summary.courts,
                    "levels": levels,
                    "judges": summary.judges,
                    "seconds": time.perf_counter() - started,
                }
            )
        )
        self.stdout.write(_("Digest: %(digest)s") % {"digest": summary.digest})
