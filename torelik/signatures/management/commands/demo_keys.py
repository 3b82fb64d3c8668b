"""`torelik demo-keys`: write the test CA, the demo keys and the CRL into PKI_DIR."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from torelik.signatures import conf
from torelik.signatures.demo_identities import DEMO_IDENTITIES, DEMO_P12_PASSWORD
from torelik.signatures.testca import ensure_demo_pki


class Command(BaseCommand):
    help = (
        "Creates the built-in test CA, demo PKCS#12 keys for every role (password "
        f"{DEMO_P12_PASSWORD}) and the CA's CRL in PKI_DIR. Keeps existing files unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=None, help="directory (default: settings PKI_DIR)")
        parser.add_argument("--force", action="store_true", help="make a new CA and new keys")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["dir"]) if options["dir"] else conf.pki_dir()
        pki = ensure_demo_pki(directory, force=options["force"])
        self.stdout.write(f"Test CA and demo keys in {pki.directory} (password {pki.password}):")
        for ident in DEMO_IDENTITIES:
            bin_ = f" BIN {ident.bin}" if ident.bin else ""
            self.stdout.write(f"  {ident.p12_filename:<24} IIN {ident.iin}{bin_}  {ident.full_name}")
        self.stdout.write(f"Trust the CA with: torelik trust-ca {pki.ca_cert_path}")
