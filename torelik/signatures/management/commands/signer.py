"""`torelik signer`: an NCALayer-compatible local signer holding one demo key."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.signatures import conf
from torelik.signatures.demo_identities import DEMO_P12_PASSWORD, demo_identity
from torelik.signatures.errors import SignatureError
from torelik.signatures.ncalayer_server import DEFAULT_PORT, HOST, serve_signer, tls_context
from torelik.signatures.signing import load_p12
from torelik.signatures.testca import TLS_CERT_FILE, TLS_KEY_FILE


class Command(BaseCommand):
    help = (
        f"Serves the NCALayer WebSocket protocol on {HOST}:{DEFAULT_PORT} and signs every request with "
        "one PKCS#12 key, without asking (a demo and test stand-in for NCALayer)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=DEFAULT_PORT)
        parser.add_argument(
            "--key", type=Path, default=None, help="PKCS#12 file (default: the demo citizen's)"
        )
        parser.add_argument("--password", default=DEMO_P12_PASSWORD)
        parser.add_argument(
            "--tls", action="store_true", help="serve wss:// with the test CA's TLS certificate"
        )
        parser.add_argument("--tls-cert", type=Path, default=None)
        parser.add_argument("--tls-key", type=Path, default=None)
        parser.add_argument(
            "--origin",
            action="append",
            default=None,
            help="accept only pages from this origin (repeatable); default: any, like NCALayer",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pki_dir = conf.pki_dir()
        key_path = options["key"] or pki_dir / demo_identity("citizen").p12_filename
        try:
            key = load_p12(key_path, options["password"])
        except SignatureError as exc:
            raise CommandError(f"{exc.message} (run `torelik demo-keys` for the demo keys)") from exc
        context = None
        if options["tls"]:
            cert = options["tls_cert"] or pki_dir / TLS_CERT_FILE
            tls_key = options["tls_key"] or pki_dir / TLS_KEY_FILE
            try:
                context = tls_context(str(cert), str(tls_key))
            except OSError as exc:
                raise CommandError(f"TLS certificate: {exc}") from exc
        scheme = "wss" if context else "ws"
        subject = key.subject
        numbers = f"IIN {subject.iin}" + (f", BIN {subject.bin}" if subject.bin else "")

        def ready(port: int) -> None:
            self.stdout.write(f"Signer for {subject.full_name} ({numbers}) on {scheme}://{HOST}:{port}.")
            self.stdout.write("Ctrl+C stops it.")
            self.stdout.flush()

        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(
                serve_signer(
                    key, port=options["port"], ssl_context=context, origins=options["origin"], ready=ready
                )
            )
