"""An OCSP answer must echo our nonce or be recent: an old, replayed "good" is not trusted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509 import ocsp

from torelik.signatures.revocation import GOOD, _judge_ocsp
from torelik.signatures.signing import load_p12

NONCE = b"0123456789abcdef"


def _response(pki, cert, *, age: timedelta, nonce: bytes | None) -> ocsp.OCSPResponse:
    ca_cert, ca_key = pki.ca_certificate(), pki.ca_private_key()
    this_update = datetime.now(UTC).replace(microsecond=0) - age
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response(
            cert=cert,
            issuer=ca_cert,
            algorithm=hashes.SHA1(),
            cert_status=ocsp.OCSPCertStatus.GOOD,
            this_update=this_update,
            next_update=None,
            revocation_time=None,
            revocation_reason=None,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, ca_cert)
    )
    if nonce is not None:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    return builder.sign(ca_key, hashes.SHA256())


def _judge(pki, response):
    cert = load_p12(pki.p12_path("citizen"), pki.password).certificate
    return _judge_ocsp(
        response,
        b"der",
        cert,
        pki.ca_certificate(),
        nonce=NONCE,
        at=datetime.now(UTC),
        url="http://ocsp.test",
    )


def _cert(pki):
    return load_p12(pki.p12_path("citizen"), pki.password).certificate


def test_an_old_answer_without_nonce_or_next_update_is_not_trusted(demo_pki):
    assert _judge(demo_pki, _response(demo_pki, _cert(demo_pki), age=timedelta(hours=2), nonce=None)) is None


def test_a_recent_answer_without_nonce_is_trusted(demo_pki):
    result = _judge(demo_pki, _response(demo_pki, _cert(demo_pki), age=timedelta(minutes=1), nonce=None))
    assert result is not None and result.status == GOOD


def test_an_answer_echoing_our_nonce_is_trusted(demo_pki):
    result = _judge(demo_pki, _response(demo_pki, _cert(demo_pki), age=timedelta(hours=2), nonce=NONCE))
    assert result is not None and result.status == GOOD


def test_an_answer_to_another_request_is_not_trusted(demo_pki):
    other = _response(demo_pki, _cert(demo_pki), age=timedelta(minutes=1), nonce=b"another-request!")
    assert _judge(demo_pki, other) is None
