"""`torelik run`: migrate, load the demo (demo mode only), then serve every process the platform needs.

One command for a new machine. The processes are one explicit list (`services`): the web server
(gunicorn on 127.0.0.1:8000), the background worker (the outbox, the bank's notices, tree heads)
and, in demo mode, the demo signer (a stand-in for NCALayer, holding one demo key) and the demo
time-stamping authority (RFC 3161, issued by the demo CA: judges' signatures on acts are stamped
by it). The web server and the worker are told where the signer and the TSA listen.
Demo mode (TORELIK_DEMO=1, as `make run` sets it) loads the demo country, users, keys and the
living demo; outside it nothing demo is created, and the secrets must be set (kernel.deployment).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from torelik.courts.models import Court
from torelik.demo.living.people import JUDGE_KEYS_DIR
from torelik.demo.loader import STAFF_PASSWORD, load_demo
from torelik.kernel.config import pki_dir
from torelik.kernel.deployment import check_deployment, demo_mode
from torelik.signatures.demo_identities import DEMO_IDENTITIES, DEMO_P12_PASSWORD
from torelik.signatures.ncalayer_server import DEFAULT_PORT as SIGNER_PORT
from torelik.signatures.tsa import DEFAULT_PORT as TSA_PORT
from torelik.signatures.tsa import HOST as TSA_HOST


def public_origin(base_url: str) -> str:
    """The origin (scheme://host[:port]) of the public base URL: the only page origin the signer serves."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class Service:
    """One process `torelik run` starts: its name, its command line and its environment."""

    name: str
    command: list[str]
    env: dict[str, str] = field(repr=False)


@dataclass(frozen=True)
class RunOptions:
    bind: str = "127.0.0.1:8000"
    workers: int = 3
    demo: bool = True
    signer: bool = True
    signer_key: str = "citizen"
    signer_port: int = SIGNER_PORT
    tsa: bool = True
    tsa_port: int = TSA_PORT


def signer_key_path(key: str, *, directory: Path) -> Path:
    """The key file the demo signer holds: a demo identity's (citizen, judge, ...), or a demo judge's
    account (judge-7199-03: the living demo's keys in PKI_DIR/judges/)."""
    for ident in DEMO_IDENTITIES:
        if ident.key == key:
            return directory / ident.p12_filename
    judge_key = directory / JUDGE_KEYS_DIR / f"{key}.p12"
    if judge_key.exists():
        return judge_key
    known = ", ".join(i.key for i in DEMO_IDENTITIES)
    raise CommandError(
        f"No demo key {key!r}: give one of {known}, or the username of a demo judge with a key in "
        f"{directory / JUDGE_KEYS_DIR}."
    )


def services(options: RunOptions, *, environ: Mapping[str, str], key_dir: Path) -> list[Service]:
    """Every process of the platform, in the order they start (the demo's own only in demo mode)."""
    env = dict(environ)
    env.setdefault("TORELIK_PUBLIC_BASE_URL", f"http://{options.bind}")
    with_signer = options.demo and options.signer
    with_tsa = options.demo and options.tsa
    if with_signer:
        env.setdefault("TORELIK_NCALAYER_URL", f"ws://127.0.0.1:{options.signer_port}")
    if with_tsa:
        env.setdefault("TORELIK_TSA_URL", f"http://{TSA_HOST}:{options.tsa_port}/")
    torelik = [sys.executable, "-m", "torelik.cli"]
    found = [
        Service(
            "web",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "torelik.wsgi:application",
                "--bind",
                options.bind,
                "--workers",
                str(options.workers),
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "5",
            ],
            env,
        ),
        Service("worker", [*torelik, "db_worker", "--interval", "0.5"], env),
    ]
    if with_tsa:
        found.append(Service("tsa", [*torelik, "tsa", "--port", str(options.tsa_port)], env))
    if with_signer:
        found.append(
            Service(
                "signer",
                [
                    *torelik,
                    "signer",
                    "--key",
                    str(signer_key_path(options.signer_key, directory=key_dir)),
                    "--password",
                    DEMO_P12_PASSWORD,
                    "--port",
                    str(options.signer_port),
                    "--origin",
                    public_origin(env["TORELIK_PUBLIC_BASE_URL"]),
                ],
                env,
            )
        )
    return found


class Command(BaseCommand):
    help = (
        "Serves the whole platform at http://127.0.0.1:8000: web and worker, and in demo mode the demo "
        "signer and the demo time-stamping service."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument(
            "--signer-key",
            default="citizen",
            help="whose key the demo signer holds: a demo identity (citizen, entity, lawyer, prosecutor, "
            "judge) or a demo judge's username (judge-7199-03, see `torelik demo-staff`)",
        )
        parser.add_argument("--signer-port", type=int, default=SIGNER_PORT)
        parser.add_argument("--tsa-port", type=int, default=TSA_PORT)
        parser.add_argument("--no-signer", action="store_true")
        parser.add_argument(
            "--no-tsa", action="store_true", help="use TORELIK_TSA_URL's time-stamping service"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        check_deployment()
        demo = demo_mode()
        var_dir = settings.VAR_DIR
        var_dir.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if demo:
            if not Court.objects.exists():
                self.stdout.write(
                    "Loading demo data (courts, judges, keys, users, and the living demo's cases)..."
                )
            load_demo()  # idempotent: keeps what exists, adds what is missing
        elif not Court.objects.exists():
            raise CommandError(
                _(
                    "The database has no courts. Torelik is not in demo mode, so it loads no demo "
                    "data: load your courts and staff, or set TORELIK_DEMO=1 to serve the demo."
                )
            )
        planned = services(
            RunOptions(
                bind=options["bind"],
                workers=options["workers"],
                demo=demo,
                signer=not options["no_signer"],
                signer_key=options["signer_key"],
                signer_port=options["signer_port"],
                tsa=not options["no_tsa"],
                tsa_port=options["tsa_port"],
            ),
            environ=os.environ,
            key_dir=pki_dir(),
        )
        procs: list[tuple[Service, subprocess.Popen[bytes]]] = [
            (s, subprocess.Popen(s.command, env=s.env)) for s in planned
        ]
        names = ", ".join(s.name for s in planned)
        if demo:
            self.stdout.write(
                f"Torelik is at http://{options['bind']}/  ({names}; demo mode; staff password "
                f"{STAFF_PASSWORD}; one-time code: torelik demo-totp clerk). Ctrl+C stops it."
            )
        else:
            self.stdout.write(f"Torelik is at http://{options['bind']}/ ({names}). Ctrl+C stops it.")

        stopping: list[bool] = []

        def stop(*_: Any) -> None:
            stopping.append(True)
            for _s, p in procs:
                if p.poll() is None:
                    p.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for _s, p in procs):
                time.sleep(0.5)
            ended = [s.name for s, p in procs if p.poll() is not None]
            if not stopping:
                self.stderr.write(f"{', '.join(ended)} stopped; stopping the others.")
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for _s, p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
