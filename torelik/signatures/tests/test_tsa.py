"""The RFC 3161 time-stamping authority and the court's client, over HTTP on 127.0.0.1."""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from asn1crypto import tsp
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from torelik.signatures import tsa
from torelik.signatures.errors import SignatureError
from torelik.signatures.testca import DemoPki

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def tsa_url(demo_pki: DemoPki) -> Iterator[str]:
    url, stop = tsa.start_tsa_in_thread(demo_pki)
    yield url
    stop()


def _post(url: str, body: bytes, content_type: str = tsa.CONTENT_TYPE_QUERY) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_the_tsa_certificate_is_issued_by_the_demo_ca_for_time_stamping_only(demo_pki: DemoPki) -> None:
    identity = tsa.ensure_tsa_identity(demo_pki)
    cert = identity.certificate
    assert cert.issuer == demo_pki.ca_certificate().subject
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert eku.critical
    assert list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    # Made once: a second call returns the same certificate.
    assert tsa.ensure_tsa_identity(demo_pki).certificate == cert


def test_a_time_stamp_over_http_is_checked_and_chains_to_the_trusted_ca(
    trusted_pki: DemoPki, tsa_url: str
) -> None:
    stamp = tsa.request_timestamp(message=b"signature value", url=tsa_url)
    assert stamp.tsa_certificate == tsa.ensure_tsa_identity(trusted_pki).certificate
    info = tsp.TSTInfo.load(bytes(stamp.token["content"]["encap_content_info"]["content"].contents))
    assert (
        bytes(info["message_imprint"]["hashed_message"].native) == hashlib.sha256(b"signature value").digest()
    )
    assert info["policy"].native == tsa.DEMO_POLICY
    assert "Torelik Test TSA" in stamp.tsa_name


def test_the_client_refuses_a_tsa_the_trust_store_does_not_hold(
    demo_pki: DemoPki, tsa_url: str, db: None
) -> None:
    # No CA in the trust store: the token's signature verifies but its certificate is not trusted.
    with pytest.raises(SignatureError) as err:
        tsa.request_timestamp(message=b"x", url=tsa_url)
    assert err.value.code == "tsa_untrusted"


def test_the_client_refuses_a_token_over_other_data(trusted_pki: DemoPki, tsa_url: str) -> None:
    stamp = tsa.request_timestamp(message=b"one", url=tsa_url)
    with pytest.raises(SignatureError) as err:
        tsa.check_timestamp_token(token=stamp.token_der, message_imprint=hashlib.sha256(b"two").digest())
    assert err.value.code == "tsa_response_invalid"


def test_an_unreachable_tsa_is_reported(trusted_pki: DemoPki) -> None:
    server = tsa.make_server(tsa.TimeStampAuthority(tsa.ensure_tsa_identity(trusted_pki)))
    port = server.server_address[1]
    server.server_close()  # the port is free again: nothing answers there
    with pytest.raises(SignatureError) as err:
        tsa.request_timestamp(message=b"x", url=f"http://127.0.0.1:{port}/", timeout=2)
    assert err.value.code == "tsa_unavailable"


def test_bad_requests_get_rfc3161_refusals_or_http_errors(tsa_url: str) -> None:
    status, body = _post(tsa_url, b"not DER")
    assert status == 200
    reply: Any = tsa._TimeStampResp.load(body)
    assert reply["status"]["status"].native == "rejection"
    assert reply["status"]["fail_info"].native == {"bad_data_format"}

    md5 = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {"hash_algorithm": {"algorithm": "md5"}, "hashed_message": b"\0" * 16},
            "cert_req": True,
        }
    )
    status, body = _post(tsa_url, md5.dump())
    assert tsa._TimeStampResp.load(body)["status"]["fail_info"].native == {"bad_alg"}

    status, _body = _post(tsa_url, b"x", content_type="text/plain")
    assert status == 415


def test_pyhanko_s_http_timestamper_gets_tokens_pyhanko_validates(trusted_pki: DemoPki, tsa_url: str) -> None:
    """Interoperability: pyHanko signs a PDF with our TSA, and its validator accepts the time-stamp."""
    import io

    from asn1crypto import x509 as ax509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.timestamps import HTTPTimeStamper
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from torelik.efiling.testing import make_pdf

    signer = signers.SimpleSigner.load_pkcs12(str(trusted_pki.p12_path("judge")), passphrase=b"demo1234")
    assert signer is not None
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(make_pdf())),
        signers.PdfSignatureMetadata(field_name="Sig", subfilter=SigSeedSubFilter.PADES),
        signer=signer,
        timestamper=HTTPTimeStamper(tsa_url),
    )
    root = ax509.Certificate.load(trusted_pki.ca_der())
    context = ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail")
    sig = PdfFileReader(out).embedded_signatures[0]
    status = validate_pdf_signature(sig, signer_validation_context=context, ts_validation_context=context)
    assert status.intact and status.valid and status.trusted
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.valid and status.timestamp_validity.trusted
