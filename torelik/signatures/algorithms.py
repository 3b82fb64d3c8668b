"""Digest and signature algorithms: the only module that knows which ones exist.

Today RSA with SHA-256 (sha256WithRSAEncryption, NCA RK's "RSA256" keys). The GOST backend
(GOST 34.310-2004 and 34.10-2015 with their hashes) registers here later, behind the same
functions, so CMS building, verification, CRL and OCSP code never branch on an algorithm.
Names are asn1crypto's (`sha256`, `sha256_rsa`, `rsassa_pkcs1v15`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from asn1crypto import core
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes, PrivateKeyTypes
from cryptography.x509 import ocsp

SHA256 = "sha256"

_DIGESTS: dict[str, Callable[[], Any]] = {SHA256: hashlib.sha256}
_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {SHA256: hashes.SHA256}

# sha256WithRSAEncryption names its hash; bare rsaEncryption (what OpenSSL writes) takes the
# hash from the SignerInfo's digestAlgorithm.
_RSA_PKCS1_WITH_HASH = {"sha256_rsa": SHA256}
_RSA_PKCS1_BARE = "rsassa_pkcs1v15"


def is_supported_digest(algorithm: str) -> bool:
    return algorithm in _DIGESTS


def digest(algorithm: str, data: bytes) -> bytes:
    """Hash `data`; KeyError for an algorithm nobody registered (callers check first)."""
    h = _DIGESTS[algorithm]()
    h.update(data)
    return bytes(h.digest())


def is_supported_signature(signature_algorithm: str, digest_algorithm: str) -> bool:
    if signature_algorithm in _RSA_PKCS1_WITH_HASH:
        return _RSA_PKCS1_WITH_HASH[signature_algorithm] == digest_algorithm
    return signature_algorithm == _RSA_PKCS1_BARE and digest_algorithm in _HASHES


def verify(
    public_key: CertificatePublicKeyTypes,
    *,
    signature_algorithm: str,
    digest_algorithm: str,
    signature: bytes,
    data: bytes,
) -> bool:
    """True if `signature` over `data` verifies with `public_key` under the named algorithms."""
    if not is_supported_signature(signature_algorithm, digest_algorithm):
        return False
    if not isinstance(public_key, rsa.RSAPublicKey):
        return False
    try:
        public_key.verify(signature, data, padding.PKCS1v15(), _HASHES[digest_algorithm]())
    except InvalidSignature:
        return False
    return True


def signing_algorithms(private_key: PrivateKeyTypes) -> tuple[str, str]:
    """(digest algorithm, signature algorithm) a CMS made with this key declares."""
    if isinstance(private_key, rsa.RSAPrivateKey):
        return SHA256, "sha256_rsa"
    raise UnsupportedAlgorithm(f"no signing backend for {type(private_key).__name__}")


def signature_parameters(signature_algorithm: str) -> core.Asn1Value | None:
    """AlgorithmIdentifier parameters: NULL for the RSA PKCS#1 family (RFC 4055), else absent."""
    if signature_algorithm in _RSA_PKCS1_WITH_HASH or signature_algorithm == _RSA_PKCS1_BARE:
        return core.Null()
    return None


def sign(private_key: PrivateKeyTypes, data: bytes) -> bytes:
    """Sign `data` (the DER of the signed attributes) with the key's algorithm."""
    if isinstance(private_key, rsa.RSAPrivateKey):
        return private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    raise UnsupportedAlgorithm(f"no signing backend for {type(private_key).__name__}")


def issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """True if `issuer` names and signed `cert`."""
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def crl_signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    if crl.issuer != issuer.subject:
        return False
    try:
        return crl.is_signature_valid(issuer.public_key())  # type: ignore[arg-type]
    except (TypeError, UnsupportedAlgorithm):
        return False


def ocsp_signed_by(response: ocsp.OCSPResponse, responder: x509.Certificate) -> bool:
    """True if the basic OCSP response was signed by `responder`'s key."""
    public_key = responder.public_key()
    hash_algorithm = response.signature_hash_algorithm
    if not isinstance(public_key, rsa.RSAPublicKey) or hash_algorithm is None:
        return False
    try:
        public_key.verify(response.signature, response.tbs_response_bytes, padding.PKCS1v15(), hash_algorithm)
    except InvalidSignature:
        return False
    return True
