"""`torelik tsa`: the demo RFC 3161 time-stamping authority on 127.0.0.1 (the court's TSA_URL)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from torelik.signatures import conf
from torelik.signatures.testca import ensure_demo_pki
from torelik.signatures.tsa import DEFAULT_PORT, HOST, TimeStampAuthority, ensure_tsa_identity, make_server


class Command(BaseCommand):
    help = (
        f"Serves RFC 3161 time-stamps over HTTP on {HOST}:{DEFAULT_PORT}, signed with a key whose "
        "certificate the demo CA in PKI_DIR issues (extended key usage timeStamping)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=DEFAULT_PORT)

    def handle(self, *args: Any, **options: Any) -> None:
        pki = ensure_demo_pki(conf.pki_dir())
        identity = ensure_tsa_identity(pki)
        server = make_server(TimeStampAuthority(identity), port=options["port"])
        host, port = server.server_address[:2]
        self.stdout.write(f"TSA {identity.certificate.subject.rfc4514_string()} on http://{host!s}:{port}/")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
