"""Is a certificate revoked? OCSP first (NCA RK runs one), the CA's CRL when no responder answers.

The answer comes with its evidence (the DER OCSP response or CRL), kept with the signature so
anyone can later see what the decision rested on.
"""

from __future__ import annotations

import logging
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from torelik.signatures import algorithms, conf
from torelik.signatures.certificates import ocsp_urls

log = logging.getLogger(__name__)

GOOD = "good"
REVOKED = "revoked"
UNKNOWN = "unknown"
OCSP = "ocsp"
CRL = "crl"

MAX_OCSP_RESPONSE_BYTES = 1024 * 1024
# Clocks of responders and of this server differ a little.
CLOCK_SKEW = timedelta(minutes=5)
# An OCSP answer that does not echo our nonce is trusted only if produced this recently.
MAX_OCSP_AGE = timedelta(minutes=15)

_CRL_CACHE: dict[tuple[str, int, int], x509.CertificateRevocationList | None] = {}


@dataclass(frozen=True)
class RevocationResult:
    status: str  # good, revoked or unknown
    source: str  # ocsp, crl or "" when nothing answered
    evidence: bytes
    revoked_at: datetime | None = None
    reason: str = ""


def check_revocation(cert: x509.Certificate, issuer: x509.Certificate, *, at: datetime) -> RevocationResult:
    """Status of `cert` at the moment `at`: OCSP when a responder answers, else the CRL."""
    for url in _responders(cert):
        result = query_ocsp(url, cert, issuer, at=at)
        if result is not None:
            return result
    return check_crl(cert, issuer, at=at)


def _responders(cert: x509.Certificate) -> list[str]:
    configured = conf.ocsp_url()
    urls = [configured] if configured else []
    return [u for u in dict.fromkeys([*urls, *ocsp_urls(cert)]) if urlparse(u).scheme in ("http", "https")]


def query_ocsp(
    url: str, cert: x509.Certificate, issuer: x509.Certificate, *, at: datetime
) -> RevocationResult | None:
    """Ask one responder; None when it cannot be reached or its answer cannot be relied on."""
    nonce = os.urandom(16)
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(cert, issuer, hashes.SHA1())  # noqa: S303 - CertID hash NCA responders expect
        .add_extension(x509.OCSPNonce(nonce), critical=False)
        .build()
    )
    http_request = urllib.request.Request(  # noqa: S310 - scheme limited to http(s) by _responders
        url,
        data=request.public_bytes(serialization.Encoding.DER),
        headers={"Content-Type": "application/ocsp-request", "Accept": "application/ocsp-response"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(http_request, timeout=conf.ocsp_timeout()) as reply:  # noqa: S310
            body = reply.read(MAX_OCSP_RESPONSE_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        log.warning("OCSP responder %s unreachable: %s", url, exc)
        return None
    if len(body) > MAX_OCSP_RESPONSE_BYTES:
        return None
    try:
        response = ocsp.load_der_ocsp_response(body)
    except ValueError:
        log.warning("OCSP responder %s sent a malformed response", url)
        return None
    return _judge_ocsp(response, body, cert, issuer, nonce=nonce, at=at, url=url)


def _judge_ocsp(
    response: ocsp.OCSPResponse,
    body: bytes,
    cert: x509.Certificate,
    issuer: x509.Certificate,
    *,
    nonce: bytes,
    at: datetime,
    url: str,
) -> RevocationResult | None:
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        log.warning("OCSP responder %s answered %s", url, response.response_status.name)
        return None
    responder = _responder_certificate(response, issuer)
    if responder is None or not algorithms.ocsp_signed_by(response, responder):
        log.warning("OCSP response from %s is not signed by the CA or its delegated responder", url)
        return None
    try:
        echoed = response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
    except x509.ExtensionNotFound:
        echoed = None
    if echoed is not None and echoed != nonce:
        log.warning("OCSP response from %s answers another request (nonce)", url)
        return None
    now = datetime.now(UTC)
    for single in response.responses:
        if single.serial_number != cert.serial_number:
            continue
        if single.this_update_utc > now + CLOCK_SKEW:
            return None
        if single.next_update_utc is not None and single.next_update_utc < now - CLOCK_SKEW:
            return None
        # A response is fresh when it echoes our nonce; without the nonce it could be replayed,
        # so it must be recent (RFC 6960 §4.4.1 / 5019): thisUpdate no older than MAX_OCSP_AGE.
        if echoed is None and single.this_update_utc < now - MAX_OCSP_AGE:
            log.warning("OCSP response from %s has no nonce and is %s old", url, now - single.this_update_utc)
            return None
        if single.certificate_status == ocsp.OCSPCertStatus.GOOD:
            return RevocationResult(GOOD, OCSP, body)
        if single.certificate_status == ocsp.OCSPCertStatus.REVOKED:
            revoked_at = single.revocation_time_utc
            reason = single.revocation_reason.name if single.revocation_reason else ""
            if revoked_at is not None and revoked_at > at:
                return RevocationResult(GOOD, OCSP, body, revoked_at=revoked_at, reason=reason)
            return RevocationResult(REVOKED, OCSP, body, revoked_at=revoked_at, reason=reason)
        return None  # "unknown": let the CRL decide
    return None


def _responder_certificate(response: ocsp.OCSPResponse, issuer: x509.Certificate) -> x509.Certificate | None:
    """The CA itself, or a certificate the CA issued for OCSP signing and sent along."""
    key_hash = x509.SubjectKeyIdentifier.from_public_key(issuer.public_key()).digest
    if response.responder_name == issuer.subject or response.responder_key_hash == key_hash:
        return issuer
    for delegated in response.certificates:
        try:
            eku = delegated.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except x509.ExtensionNotFound:
            continue
        if x509.oid.ExtendedKeyUsageOID.OCSP_SIGNING in eku and algorithms.issued_by(delegated, issuer):
            return delegated
    return None


def check_crl(cert: x509.Certificate, issuer: x509.Certificate, *, at: datetime) -> RevocationResult:
    """Look the certificate up in the newest CRL of its issuer found in PKI_DIR."""
    best: tuple[x509.CertificateRevocationList, bytes] | None = None
    for crl, der in _crls():
        if not algorithms.crl_signed_by(crl, issuer):
            continue
        if best is None or crl.last_update_utc > best[0].last_update_utc:
            best = (crl, der)
    if best is None:
        return RevocationResult(UNKNOWN, "", b"", reason="no_crl")
    crl, der = best
    next_update = crl.next_update_utc
    if next_update is not None and next_update < datetime.now(UTC) - CLOCK_SKEW:
        return RevocationResult(UNKNOWN, CRL, der, reason="crl_stale")
    entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
    if entry is None:
        return RevocationResult(GOOD, CRL, der)
    reason = ""
    try:
        flag = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
        reason = flag.name
    except x509.ExtensionNotFound:
        pass
    revoked_at = entry.revocation_date_utc
    # Revoked after the moment asked about: the certificate was still good then.
    status = GOOD if revoked_at > at else REVOKED
    return RevocationResult(status, CRL, der, revoked_at=revoked_at, reason=reason)


def _crls() -> list[tuple[x509.CertificateRevocationList, bytes]]:
    pki_dir = conf.pki_dir()
    found: list[tuple[x509.CertificateRevocationList, bytes]] = []
    paths = sorted([*pki_dir.glob("*.crl"), *pki_dir.glob("crl/*.crl")]) if pki_dir.is_dir() else []
    for path in paths:
        try:
            stat = path.stat()
            cache_key = (str(path), stat.st_mtime_ns, stat.st_size)
            if cache_key not in _CRL_CACHE:
                _CRL_CACHE[cache_key] = _load_crl(path.read_bytes())
        except OSError:
            continue
        crl = _CRL_CACHE[cache_key]
        if crl is not None:
            found.append((crl, crl.public_bytes(serialization.Encoding.DER)))
    return found


def _load_crl(data: bytes) -> x509.CertificateRevocationList | None:
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_crl(data)
        return x509.load_der_x509_crl(data)
    except ValueError:
        return None
