"""`torelik trust-ca FILE`: add CA certificates (PEM or DER) to the trust store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.signatures.errors import SignatureError
from torelik.signatures.services import trust_certificate


class Command(BaseCommand):
    help = "Trusts the CA certificate(s) in FILE (PEM, possibly several, or DER) for signature checks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--name", default="", help="name shown in the admin (default: the subject)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        try:
            certs = (
                x509.load_pem_x509_certificates(data)
                if b"-----BEGIN" in data
                else [x509.load_der_x509_certificate(data)]
            )
        except ValueError as exc:
            raise CommandError(f"{path}: not a certificate ({exc})") from exc
        for cert in certs:
            name = options["name"] or _common_name(cert)
            try:
                trusted = trust_certificate(der=cert.public_bytes(Encoding.DER), name=name)
            except SignatureError as exc:
                raise CommandError(str(exc.message)) from exc
            self.stdout.write(f"Trusted: {trusted.name} (sha256 {trusted.sha256})")


def _common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()
