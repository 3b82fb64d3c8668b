"""`torelik run`: migrate, load the demo (demo mode only), then serve web, worker and signer.

One command for a new machine. The web server is gunicorn on 127.0.0.1:8000; the background
worker runs the outbox and the bank's notices; the demo signer stands in for NCALayer.
Demo mode (TORELIK_DEMO=1, as `make run` sets it) loads the demo country, users and keys;
outside it nothing demo is created, and the secrets must be set (kernel.deployment).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from torelik.courts.models import Court
from torelik.demo.loader import STAFF_PASSWORD, load_demo
from torelik.kernel.config import pki_dir
from torelik.kernel.deployment import check_deployment, demo_mode
from torelik.signatures.demo_identities import DEMO_IDENTITIES


def public_origin(base_url: str) -> str:
    """The origin (scheme://host[:port]) of the public base URL: the only page origin the signer serves."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


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
        check_deployment()
        demo = demo_mode()
        var_dir = settings.VAR_DIR
        var_dir.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if demo:
            if not Court.objects.exists():
                self.stdout.write("Loading demo data (courts, judges, keys, users)...")
            load_demo()  # idempotent: keeps what exists, adds what is missing
        elif not Court.objects.exists():
            raise CommandError(
                _(
                    "The database has no courts. Torelik is not in demo mode, so it loads no demo "
                    "data: load your courts and staff, or set TORELIK_DEMO=1 to serve the demo."
                )
            )
        # The demo signer holds the demo keys: it exists only in demo mode.
        with_signer = demo and not options["no_signer"]
        env = dict(os.environ)
        env.setdefault("TORELIK_PUBLIC_BASE_URL", f"http://{options['bind']}")
        if with_signer:
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
        if with_signer:
            ident = next(i for i in DEMO_IDENTITIES if i.key == options["signer_key"])
            key_path = pki_dir() / ident.p12_filename
            procs.append(
                subprocess.Popen(
                    [
                        *torelik,
                        "signer",
                        "--key",
                        str(key_path),
                        "--password",
                        "demo1234",
                        "--origin",
                        public_origin(env["TORELIK_PUBLIC_BASE_URL"]),
                    ],
                    env=env,
                )
            )
        if demo:
            self.stdout.write(
                f"Torelik is at http://{options['bind']}/  (demo mode; staff password {STAFF_PASSWORD}; "
                f"one-time code: torelik demo-totp clerk). Ctrl+C stops it."
            )
        else:
            self.stdout.write(f"Torelik is at http://{options['bind']}/. Ctrl+C stops it.")

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
