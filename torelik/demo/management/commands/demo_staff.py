"""`torelik demo-staff [COURT]`: the demo's court staff accounts, and which ones open with the password."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from torelik.demo.living.people import JUDGE_KEYS_DIR
from torelik.identity.models import User
from torelik.kernel.config import pki_dir


class Command(BaseCommand):
    help = (
        "Lists the demo's court staff (username, role, court, name): those marked * log in with the "
        "demo's published password and `torelik demo-totp USERNAME`; `key` names a judge's key file "
        "for `torelik run --signer-key USERNAME`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("court", nargs="?", default="", help="only this court's staff (its code)")

    def handle(self, *args: Any, **options: Any) -> None:
        users = User.objects.filter(role__in=["clerk", "judge", "chair", "auditor", "admin"]).select_related(
            "court"
        )
        if options["court"]:
            users = users.filter(court__code=options["court"])
        keys = pki_dir() / JUDGE_KEYS_DIR
        for user in users.order_by("court__code", "username"):
            opens = "*" if user.has_usable_password() else " "
            key = " key" if (keys / f"{user.username}.p12").exists() or user.username == "judge" else ""
            court = user.court.code if user.court else "—"
            self.stdout.write(
                f"{opens} {user.username:<18} {user.role:<8} {court:<5} {user.display_name}{key}"
            )
