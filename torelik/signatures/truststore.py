"""The trust store: CA certificates an administrator chose to trust, kept in the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from torelik.signatures import algorithms
from torelik.signatures.certificates import is_ca
from torelik.signatures.models import TrustedCertificate

# NCA RK chains are root -> issuing CA -> holder; a little room beyond that, no more.
MAX_CHAIN_LENGTH = 6

_PARSED: dict[str, x509.Certificate] = {}


@dataclass(frozen=True)
class TrustStore:
    certificates: tuple[x509.Certificate, ...]

    def anchors_for(self, cert: x509.Certificate) -> list[x509.Certificate]:
        return [
            ca for ca in self.certificates if ca.subject == cert.issuer and algorithms.issued_by(cert, ca)
        ]

    def __contains__(self, cert: object) -> bool:
        return isinstance(cert, x509.Certificate) and any(cert == ca for ca in self.certificates)


def load_trust_store() -> TrustStore:
    """Every TrustedCertificate, parsed once per process."""
    certs: list[x509.Certificate] = []
    for sha256, der in TrustedCertificate.objects.values_list("sha256", "der"):
        if sha256 not in _PARSED:
            _PARSED[sha256] = x509.load_der_x509_certificate(bytes(der))
        certs.append(_PARSED[sha256])
    return TrustStore(certificates=tuple(certs))


def build_chain(
    leaf: x509.Certificate, *, intermediates: Sequence[x509.Certificate], store: TrustStore
) -> list[x509.Certificate] | None:
    """[leaf, ..., trusted CA] with every link's signature checked, or None.

    Intermediates may come from the CMS itself; only a certificate in the trust store ends a chain.
    """
    chain = [leaf]
    while len(chain) < MAX_CHAIN_LENGTH:
        current = chain[-1]
        anchors = store.anchors_for(current)
        if anchors:
            return [*chain, anchors[0]]
        parent = next(
            (
                c
                for c in intermediates
                if c not in chain
                and c.subject == current.issuer
                and is_ca(c)
                and algorithms.issued_by(current, c)
            ),
            None,
        )
        if parent is None:
            return None
        chain.append(parent)
    return None


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(Encoding.DER)
