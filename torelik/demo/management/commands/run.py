"""`torelik run`: migrate, load the demo if the database is empty, then serve web, worker and signer.

One command for a new machine. The web server is gunicorn on 127.0.0.1:8000; the background
worker runs the outbox and the bank's notices; the demo signer stands in for NCALayer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from torelik.courts.models import Court
from torelik.demo.loader import STAFF_PASSWORD, load_demo
from torelik.kernel.config import pki_dir
from torelik.signatures.demo_identities import DEMO_IDENTITIES


class Command(BaseCommand):
    help = "Serves the whole platform with demo data at http://127.0.0.1:8000 (web, worker, demo signer)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument(
            "--signer-key",
            default="citizen",
            help="demo identity whose key the demo signer holds (citizen, entity, lawyer, ...)",
        )
        parser.add_argument("--no-signer", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        var_dir = settings.VAR_DIR
        var_dir.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if not Court.objects.exists():
            self.stdout.write("Loading demo data (courts, judges, keys, users)...")
            load_demo()
        else:
            load_demo()  # idempotent: keeps what exists, adds what is missing
        env = dict(os.environ)
        env.setdefault("TORELIK_PUBLIC_BASE_URL", f"http://{options['bind']}")
        if not options["no_signer"]:
            env.setdefault("TORELIK_NCALAYER_URL", "ws://127.0.0.1:13579")
        torelik = [sys.executable, "-m", "torelik.cli"]
        procs: list[subprocess.Popen[bytes]] = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "torelik.wsgi:application",
                    "--bind",
                    options["bind"],
                    "--workers",
                    str(options["workers"]),
                    "--access-logfile",
                    "-",
                    "--graceful-timeout",
                    "5",
                ],
                env=env,
            ),
            subprocess.Popen([*torelik, "db_worker", "--interval", "0.5"], env=env),
        ]
        if not options["no_signer"]:
            ident = next(i for i in DEMO_IDENTITIES if i.key == options["signer_key"])
            key_path = pki_dir() / ident.p12_filename
            procs.append(
                subprocess.Popen(
                    [*torelik, "signer", "--key", str(key_path), "--password", "demo1234"], env=env
                )
            )
        self.stdout.write(
            f"Torelik is at http://{options['bind']}/  (staff password {STAFF_PASSWORD}; "
            f"one-time code: torelik demo-totp clerk). Ctrl+C stops it."
        )

        def stop(*_: Any) -> None:
            for p in procs:
                if p.poll() is None:
                    p.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
