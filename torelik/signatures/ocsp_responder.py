"""A small OCSP responder (RFC 6960 over HTTP POST) for the test CA.

It stands in for NCA RK's responder in tests and on a developer's machine: it answers from the
CA's CRL in PKI_DIR, signs with the CA key, and echoes the request nonce. Loopback only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from torelik.signatures.demo_identities import DEMO_IDENTITIES
from torelik.signatures.signing import load_p12
from torelik.signatures.testca import DemoPki

MAX_REQUEST_BYTES = 64 * 1024


class _Responder:
    def __init__(self, pki: DemoPki) -> None:
        self.ca_cert = pki.ca_certificate()
        self.ca_key = pki.ca_private_key()
        self.crl = pki.crl()
        # The responder knows what its CA issued; anything else is "unknown", as at NCA.
        self.issued = {
            load_p12(pki.p12_path(i.key), pki.password).certificate.serial_number
            for i in DEMO_IDENTITIES
            if i.key != "foreign"
        }

    def answer(self, body: bytes) -> bytes:
        try:
            request = ocsp.load_der_ocsp_request(body)
        except ValueError:
            return self._unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
        key_hash = hashes.Hash(request.hash_algorithm)
        key_hash.update(
            self.ca_cert.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.PKCS1
            )
        )
        if request.issuer_key_hash != key_hash.finalize():
            return self._unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
        now = datetime.now(UTC).replace(microsecond=0)
        status, revoked_at, reason = ocsp.OCSPCertStatus.UNKNOWN, None, None
        entry = self.crl.get_revoked_certificate_by_serial_number(request.serial_number)
        if entry is not None:
            status, revoked_at = ocsp.OCSPCertStatus.REVOKED, entry.revocation_date_utc
            reason = x509.ReasonFlags.key_compromise
        elif request.serial_number in self.issued:
            status = ocsp.OCSPCertStatus.GOOD
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response_by_hash(
                issuer_name_hash=request.issuer_name_hash,
                issuer_key_hash=request.issuer_key_hash,
                serial_number=request.serial_number,
                algorithm=request.hash_algorithm,
                cert_status=status,
                this_update=now,
                next_update=now + timedelta(hours=1),
                revocation_time=revoked_at,
                revocation_reason=reason,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, self.ca_cert)
        )
        try:
            nonce = request.extensions.get_extension_for_class(x509.OCSPNonce).value
            builder = builder.add_extension(nonce, critical=False)
        except x509.ExtensionNotFound:
            pass
        response = builder.sign(self.ca_key, hashes.SHA256())
        return response.public_bytes(serialization.Encoding.DER)

    @staticmethod
    def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
        return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)


def start_ocsp_responder_in_thread(pki: DemoPki, port: int = 0) -> tuple[str, Callable[[], None]]:
    """Serve OCSP for the test CA on 127.0.0.1; returns (url, stop)."""
    responder = _Responder(pki)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length <= 0 or length > MAX_REQUEST_BYTES:
                self.send_error(400)
                return
            body = responder.answer(self.rfile.read(length))
            self.send_response(200)
            self.send_header("Content-Type", "application/ocsp-response")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet in tests
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, name="ocsp-responder", daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return f"http://127.0.0.1:{server.server_address[1]}/", stop
