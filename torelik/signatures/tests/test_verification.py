from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import cms as acms
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from torelik.signatures.demo_identities import DEMO_IDENTITIES
from torelik.signatures.errors import SignatureError
from torelik.signatures.revocation import CRL
from torelik.signatures.signing import SigningKey, sign_cms
from torelik.signatures.verification import verify_cms

DOC = "Исковое заявление о взыскании долга — 1 250 000 тенге".encode()
GOOD_KEYS = ["citizen", "entity", "lawyer", "prosecutor", "clerk", "judge"]


def _code(exc: pytest.ExceptionInfo[SignatureError]) -> str:
    return exc.value.code


@pytest.mark.parametrize("key", GOOD_KEYS)
@pytest.mark.parametrize("detached", [True, False])
def test_good_signature_of_every_demo_key(trusted_pki, key, detached):
    ident = trusted_pki.identity(key)
    cms = sign_cms(key=trusted_pki.signing_key(key), data=DOC, detached=detached)

    verified = verify_cms(cms=cms, content=DOC if detached else None)

    assert verified.content == DOC
    assert verified.content_sha256 == hashlib.sha256(DOC).hexdigest()
    assert verified.signer_iin == ident.iin
    assert verified.signer_bin == ident.bin
    assert verified.signer_name == ident.full_name
    assert verified.organisation == ident.organisation
    assert verified.issuer.startswith("CN=Torelik Test CA")
    assert verified.revocation_status == "good"
    assert verified.revocation_source == CRL
    assert x509.load_der_x509_crl(verified.revocation_evidence).issuer == trusted_pki.ca_certificate().subject
    assert verified.signing_time is not None
    assert abs(verified.signing_time - datetime.now(UTC)) < timedelta(minutes=1)
    cert = x509.load_der_x509_certificate(verified.certificate_der)
    assert verified.certificate_serial == format(cert.serial_number, "x")
    assert verified.not_before < datetime.now(UTC) < verified.not_after
    assert verified.cms_der == cms


def test_attached_signature_may_be_checked_against_the_same_content(trusted_pki):
    cms = sign_cms(key=trusted_pki.signing_key("citizen"), data=DOC, detached=False)
    assert verify_cms(cms=cms, content=DOC).content == DOC


def test_base64_input_as_str_and_bytes_and_pem(trusted_pki):
    cms = sign_cms(key=trusted_pki.signing_key("citizen"), data=DOC, detached=True)
    b64 = base64.b64encode(cms).decode()
    wrapped = "\n".join(b64[i : i + 64] for i in range(0, len(b64), 64))
    pem = f"-----BEGIN CMS-----\n{wrapped}\n-----END CMS-----\n"

    for form in (b64, b64.encode(), wrapped, pem):
        assert verify_cms(cms=form, content=DOC).signer_iin == trusted_pki.identity("citizen").iin


def test_signature_over_other_bytes(trusted_pki):
    cms = sign_cms(key=trusted_pki.signing_key("citizen"), data=DOC, detached=True)
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=cms, content=DOC + b" ")
    assert _code(exc) == "signature_content_mismatch"
    assert exc.value.field == "signature"


def test_attached_signature_with_other_content(trusted_pki):
    cms = sign_cms(key=trusted_pki.signing_key("citizen"), data=DOC, detached=False)
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=cms, content=b"another document")
    assert _code(exc) == "signature_content_mismatch"


def test_detached_signature_without_content(trusted_pki):
    cms = sign_cms(key=trusted_pki.signing_key("citizen"), data=DOC, detached=True)
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=cms)
    assert _code(exc) == "signature_content_missing"


def _tamper_signature(cms: bytes) -> bytes:
    info = acms.ContentInfo.load(cms)
    signer_info = info["content"]["signer_infos"][0]
    sig = bytearray(signer_info["signature"].native)
    sig[10] ^= 0x01
    signer_info["signature"] = bytes(sig)
    return info.dump(force=True)


def test_tampered_signature_value(trusted_pki):
    cms = sign_cms(key=trusted_pki.signing_key("citizen"), data=DOC, detached=True)
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=_tamper_signature(cms), content=DOC)
    assert _code(exc) == "signature_invalid"


def test_tampered_encapsulated_content(trusted_pki):
    cms = sign_cms(key=trusted_pki.signing_key("citizen"), data=DOC, detached=False)
    tampered = cms.replace(b"1 250 000", b"9 250 000")
    assert tampered != cms
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=tampered)
    assert _code(exc) == "signature_content_mismatch"


def test_foreign_ca_is_untrusted(trusted_pki):
    cms = sign_cms(key=trusted_pki.signing_key("foreign"), data=DOC, detached=True)
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=cms, content=DOC)
    assert _code(exc) == "certificate_untrusted"
    assert "Foreign CA" in str(exc.value.message)


def test_nothing_is_trusted_without_trust_store(demo_pki, settings, db):
    settings.TORELIK = {**settings.TORELIK, "PKI_DIR": demo_pki.directory, "OCSP_URL": ""}
    cms = sign_cms(key=demo_pki.signing_key("citizen"), data=DOC, detached=True)
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=cms, content=DOC)
    assert _code(exc) == "certificate_untrusted"


def test_expired_certificate(trusted_pki):
    cms = sign_cms(key=trusted_pki.signing_key("expired"), data=DOC, detached=True)
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=cms, content=DOC)
    assert _code(exc) == "certificate_expired"


def test_expired_certificate_was_valid_when_it_was_valid(trusted_pki):
    key = trusted_pki.signing_key("expired")
    cms = sign_cms(key=key, data=DOC, detached=True)
    at = key.certificate.not_valid_after_utc - timedelta(days=10)
    assert verify_cms(cms=cms, content=DOC, at=at).signer_iin == trusted_pki.identity("expired").iin


def test_not_yet_valid(trusted_pki):
    key = trusted_pki.signing_key("citizen")
    cms = sign_cms(key=key, data=DOC, detached=True)
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=cms, content=DOC, at=key.certificate.not_valid_before_utc - timedelta(hours=1))
    assert _code(exc) == "certificate_not_yet_valid"


def test_revoked_certificate(trusted_pki):
    cms = sign_cms(key=trusted_pki.signing_key("citizen_revoked"), data=DOC, detached=True)
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=cms, content=DOC)
    assert _code(exc) == "certificate_revoked"


def test_revoked_certificate_was_good_before_revocation(trusted_pki):
    cms = sign_cms(key=trusted_pki.signing_key("citizen_revoked"), data=DOC, detached=True)
    entry = trusted_pki.crl().get_revoked_certificate_by_serial_number(
        trusted_pki.signing_key("citizen_revoked").certificate.serial_number
    )
    assert entry is not None
    at = entry.revocation_date_utc - timedelta(hours=1)
    assert verify_cms(cms=cms, content=DOC, at=at).revocation_status == "good"


def test_no_crl_and_no_ocsp_means_revocation_unknown(trusted_pki, settings, tmp_path):
    settings.TORELIK = {**settings.TORELIK, "PKI_DIR": tmp_path}
    cms = sign_cms(key=trusted_pki.signing_key("citizen"), data=DOC, detached=True)
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=cms, content=DOC)
    assert _code(exc) == "revocation_unknown"


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"garbage",
        b"\x30\x03\x02\x01\x01",
        "not base64 at all!",
        base64.b64encode(b"\x30\x80garbage").decode(),
    ],
)
def test_malformed_input(trusted_pki, garbage):
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=garbage, content=DOC)
    assert _code(exc) == "cms_malformed"


def _issue(pki, *, subject: x509.Name, key_usage: x509.KeyUsage) -> SigningKey:
    """A certificate from the test CA with a chosen subject and key usage."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(pki.ca_certificate().subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(key_usage, critical=True)
        .sign(pki.ca_private_key(), hashes.SHA256())
    )
    return SigningKey(private_key=private, certificate=cert)


def _usage(**on: bool) -> x509.KeyUsage:
    names = [
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    ]
    return x509.KeyUsage(**{n: on.get(n, False) for n in names})


def test_certificate_without_iin(trusted_pki):
    key = _issue(
        trusted_pki,
        subject=x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, "NO IIN"),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
            ]
        ),
        key_usage=_usage(digital_signature=True),
    )
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=sign_cms(key=key, data=DOC, detached=True), content=DOC)
    assert _code(exc) == "certificate_no_iin"


def test_key_usage_must_allow_signing(trusted_pki):
    key = _issue(
        trusted_pki,
        subject=x509.Name([x509.NameAttribute(NameOID.SERIAL_NUMBER, "IIN850314312344")]),
        key_usage=_usage(key_encipherment=True),
    )
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=sign_cms(key=key, data=DOC, detached=True), content=DOC)
    assert _code(exc) == "certificate_key_usage"


def test_chain_through_an_intermediate_sent_in_the_cms(trusted_pki):
    """A root -> issuing CA -> holder chain, the issuing CA carried in the CMS (as NCA's are)."""
    root_key, root = trusted_pki.ca_private_key(), trusted_pki.ca_certificate()
    inter_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    inter_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Torelik Test Issuing CA")])
    inter = (
        x509.CertificateBuilder()
        .subject_name(inter_name)
        .issuer_name(root.subject)
        .public_key(inter_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    holder_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    holder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.SERIAL_NUMBER, "IIN850314312344")]))
        .issuer_name(inter_name)
        .public_key(holder_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(inter_key, hashes.SHA256())
    )
    cms = sign_cms(key=SigningKey(private_key=holder_key, certificate=holder), data=DOC, detached=True)
    # Add the issuing CA's certificate to the CMS.
    info = acms.ContentInfo.load(cms)
    from asn1crypto import x509 as ax509

    info["content"]["certificates"].append(
        acms.CertificateChoices(
            name="certificate", value=ax509.Certificate.load(inter.public_bytes(serialization.Encoding.DER))
        )
    )
    with_chain = info.dump(force=True)

    # The issuing CA publishes no CRL in PKI_DIR: the chain is trusted, the status unknown.
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=cms, content=DOC)
    assert _code(exc) == "certificate_untrusted"
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=with_chain, content=DOC)
    assert _code(exc) == "revocation_unknown"


def test_ocsp_answers_good_and_revoked(trusted_pki, settings, ocsp_url):
    settings.TORELIK = {**settings.TORELIK, "OCSP_URL": ocsp_url}
    good = verify_cms(
        cms=sign_cms(key=trusted_pki.signing_key("judge"), data=DOC, detached=True), content=DOC
    )
    assert good.revocation_source == "ocsp"
    assert good.revocation_status == "good"
    from cryptography.x509 import ocsp

    response = ocsp.load_der_ocsp_response(good.revocation_evidence)
    assert response.certificate_status == ocsp.OCSPCertStatus.GOOD

    with pytest.raises(SignatureError) as exc:
        verify_cms(
            cms=sign_cms(key=trusted_pki.signing_key("citizen_revoked"), data=DOC, detached=True), content=DOC
        )
    assert _code(exc) == "certificate_revoked"


def test_unreachable_ocsp_falls_back_to_crl(trusted_pki, settings):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.TORELIK = {
        **settings.TORELIK,
        "OCSP_URL": f"http://127.0.0.1:{port}/",
        "OCSP_TIMEOUT_SECONDS": 1,
    }
    verified = verify_cms(
        cms=sign_cms(key=trusted_pki.signing_key("citizen"), data=DOC, detached=True), content=DOC
    )
    assert verified.revocation_source == "crl"


def test_every_demo_identity_is_checked():
    assert {i.key for i in DEMO_IDENTITIES} == {*GOOD_KEYS, "citizen_revoked", "expired", "foreign"}


def test_cms_without_the_signers_certificate(trusted_pki):
    info = acms.ContentInfo.load(sign_cms(key=trusted_pki.signing_key("citizen"), data=DOC, detached=True))
    del info["content"]["certificates"]
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=info.dump(force=True), content=DOC)
    assert _code(exc) == "signer_certificate_missing"


def test_cms_with_two_signers_is_refused(trusted_pki):
    info = acms.ContentInfo.load(sign_cms(key=trusted_pki.signing_key("citizen"), data=DOC, detached=True))
    other = acms.ContentInfo.load(sign_cms(key=trusted_pki.signing_key("judge"), data=DOC, detached=True))
    info["content"]["signer_infos"].append(other["content"]["signer_infos"][0])
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=info.dump(force=True), content=DOC)
    assert _code(exc) == "cms_malformed"
