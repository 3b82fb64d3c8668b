from __future__ import annotations

from typing import Any

import pyotp
from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.identity.models import User


class Command(BaseCommand):
    help = "Prints the current one-time code of a demo staff user (the demo's authenticator app)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None or not user.totp_secret:
            raise CommandError(f"No staff user {options['username']!r} with a one-time-code secret.")
        self.stdout.write(pyotp.TOTP(user.totp_secret).now())
