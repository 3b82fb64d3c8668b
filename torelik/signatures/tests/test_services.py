from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from django.core.management import CommandError, call_command

from torelik.signatures.errors import SignatureError
from torelik.signatures.models import SignatureRecord, TrustedCertificate
from torelik.signatures.selectors import signature_summary
from torelik.signatures.services import record_signature, trust_certificate
from torelik.signatures.signing import sign_cms
from torelik.signatures.testca import CA_NAME, install_demo_trust
from torelik.signatures.truststore import load_trust_store
from torelik.signatures.verification import verify_cms

DOC = b"%PDF-1.7 statement of claim"


def test_record_signature_keeps_what_reverification_needs(trusted_pki):
    ident = trusted_pki.identity("entity")
    cms = sign_cms(key=trusted_pki.signing_key("entity"), data=DOC, detached=True)
    verified = verify_cms(cms=cms, content=DOC)

    record = record_signature(verified=verified)
    record = SignatureRecord.objects.get(pk=record.pk)

    assert record.signed_sha256 == hashlib.sha256(DOC).hexdigest()
    assert (record.signer_iin, record.signer_bin, record.signer_name) == (
        ident.iin,
        ident.bin,
        ident.full_name,
    )
    assert record.revocation_status == "good" and record.revocation_source == "crl"
    assert bytes(record.revocation_evidence) == trusted_pki.crl_path.read_bytes()
    assert record.certificate_serial == verified.certificate_serial
    assert record.certificate_issuer.startswith("CN=Torelik Test CA")
    assert record.signing_time == verified.signing_time
    # The stored CMS and certificate are enough to check the signature again.
    again = verify_cms(cms=bytes(record.cms), content=DOC)
    assert again.certificate_der == bytes(record.certificate_der)
    assert again.content_sha256 == record.signed_sha256


def test_signature_summary(trusted_pki):
    ident = trusted_pki.identity("entity")
    cms = sign_cms(key=trusted_pki.signing_key("entity"), data=DOC, detached=False)
    record = record_signature(verified=verify_cms(cms=cms))

    summary = signature_summary(record)

    assert summary["signer_name"] == ident.full_name
    assert summary["signer_iin"] == ident.iin
    assert summary["signer_bin"] == ident.bin
    assert summary["organisation"] == ident.organisation
    assert summary["status"] == "valid"
    assert "CRL" in str(summary["status_label"])
    assert summary["signed_at"] == record.signing_time


def test_trust_certificate_is_idempotent(demo_pki, db):
    first = install_demo_trust(demo_pki)
    second = trust_certificate(der=demo_pki.ca_der(), name="again")
    assert first.pk == second.pk
    assert first.name == CA_NAME and first.is_root
    assert TrustedCertificate.objects.count() == 1
    assert [c.subject for c in load_trust_store().certificates] == [demo_pki.ca_certificate().subject]


def test_trust_certificate_refuses_a_holder_certificate_and_garbage(demo_pki, db):
    holder = demo_pki.signing_key("citizen").certificate.public_bytes(Encoding.DER)
    with pytest.raises(SignatureError) as exc:
        trust_certificate(der=holder, name="citizen")
    assert exc.value.code == "certificate_not_ca"
    with pytest.raises(SignatureError) as exc:
        trust_certificate(der=b"garbage", name="x")
    assert exc.value.code == "certificate_malformed"
    assert not TrustedCertificate.objects.exists()


def test_trust_ca_command(demo_pki, db, tmp_path):
    out = StringIO()
    call_command("trust_ca", str(demo_pki.ca_cert_path), stdout=out)
    assert "Torelik Test CA" in out.getvalue()
    der_file = tmp_path / "foreign.cer"
    der_file.write_bytes(_der(demo_pki))
    call_command("trust_ca", str(der_file), "--name", "Foreign (for this test)", stdout=out)
    assert set(TrustedCertificate.objects.values_list("name", flat=True)) == {
        CA_NAME,
        "Foreign (for this test)",
    }
    with pytest.raises(CommandError):
        call_command("trust_ca", str(demo_pki.p12_path("citizen")))


def test_trusting_the_foreign_ca_makes_its_signatures_pass_the_chain_check(trusted_pki):
    trust_certificate(der=_der(trusted_pki), name="Foreign")
    cms = sign_cms(key=trusted_pki.signing_key("foreign"), data=DOC, detached=True)
    with pytest.raises(SignatureError) as exc:
        verify_cms(cms=cms, content=DOC)
    # Trusted now, but the foreign CA publishes no CRL here.
    assert exc.value.code == "revocation_unknown"


def _der(pki) -> bytes:
    from cryptography import x509

    return x509.load_pem_x509_certificate(pki.foreign_ca_cert_path.read_bytes()).public_bytes(Encoding.DER)
