from __future__ import annotations

from io import StringIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.management import call_command

from torelik.signatures.certificates import subject_info
from torelik.signatures.demo_identities import DEMO_IDENTITIES, DEMO_P12_PASSWORD, demo_identity
from torelik.signatures.testca import CA_NAME, FOREIGN_CA_NAME, _iin_check_digit, ensure_demo_pki


def _valid_number(number: str) -> bool:
    return len(number) == 12 and number.isdigit() and _iin_check_digit(number[:11]) == int(number[11])


@pytest.mark.parametrize("number", ["940140000385", "990140004654", "061211600012", "791028302728"])
def test_check_digit_helper_on_published_examples(number):
    assert _valid_number(number)
    assert not _valid_number(number[:11] + str((int(number[11]) + 1) % 10))


@pytest.mark.parametrize("ident", DEMO_IDENTITIES, ids=lambda i: i.key)
def test_demo_identities_have_valid_numbers(ident):
    assert _valid_number(ident.iin)
    assert ident.iin[6] in "3456"  # century and sex digit of a living person
    if ident.bin:
        assert _valid_number(ident.bin)
        assert ident.bin[4] == "4"  # resident legal entity
    assert len({i.iin for i in DEMO_IDENTITIES}) == len(DEMO_IDENTITIES)


@pytest.mark.parametrize("ident", DEMO_IDENTITIES, ids=lambda i: i.key)
def test_p12_files_hold_nca_style_certificates(demo_pki, ident):
    bundle = pkcs12.load_pkcs12(demo_pki.p12_path(ident.key).read_bytes(), DEMO_P12_PASSWORD.encode())
    assert bundle.key is not None and bundle.cert is not None
    cert = bundle.cert.certificate
    subject = cert.subject
    assert (
        subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == f"{ident.surname} {ident.given_name}"
    )
    assert subject.get_attributes_for_oid(NameOID.SURNAME)[0].value == ident.surname
    assert subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == f"IIN{ident.iin}"
    assert subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "KZ"
    info = subject_info(cert)
    assert (info.iin, info.bin, info.organisation, info.full_name) == (
        ident.iin,
        ident.bin,
        ident.organisation,
        ident.full_name,
    )
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.CLIENT_AUTH in eku and ExtendedKeyUsageOID.EMAIL_PROTECTION in eku
    issuer_cn = cert.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert issuer_cn == (FOREIGN_CA_NAME if ident.key == "foreign" else CA_NAME)


def test_director_certificate_names_the_organisation(demo_pki):
    subject = demo_pki.signing_key("entity").certificate.subject
    ident = demo_identity("entity")
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ident.organisation
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == f"BIN{ident.bin}"


def test_crl_revokes_citizen2_only(demo_pki):
    crl = demo_pki.crl()
    assert crl.is_signature_valid(demo_pki.ca_certificate().public_key())
    revoked = demo_pki.signing_key("citizen_revoked").certificate.serial_number
    assert [r.serial_number for r in crl] == [revoked]


def test_ca_and_expired_certificate(demo_pki):
    ca = demo_pki.ca_certificate()
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert ca.public_key().key_size >= 2048
    expired = demo_pki.signing_key("expired").certificate
    assert expired.not_valid_after_utc < demo_pki.signing_key("citizen").certificate.not_valid_before_utc


def test_ensure_is_idempotent_and_force_renews(tmp_path):
    pki = ensure_demo_pki(tmp_path / "pki")
    before = {p.name: p.read_bytes() for p in pki.directory.iterdir() if p.is_file()}

    # Another process (a fresh cache) finds the files and keeps them.
    from torelik.signatures import testca

    testca._ENSURED.clear()
    ensure_demo_pki(tmp_path / "pki")
    after = {p.name: p.read_bytes() for p in pki.directory.iterdir() if p.is_file()}
    assert after == before

    # A missing key is re-issued by the same CA; the rest stays.
    pki.p12_path("judge").unlink()
    testca._ENSURED.clear()
    ensure_demo_pki(tmp_path / "pki")
    assert pki.p12_path("judge").exists()
    assert pki.ca_cert_path.read_bytes() == before[pki.ca_cert_path.name]
    assert pki.p12_path("citizen").read_bytes() == before[pki.p12_path("citizen").name]

    ensure_demo_pki(tmp_path / "pki", force=True)
    assert pki.ca_cert_path.read_bytes() != before[pki.ca_cert_path.name]


def test_demo_keys_command(tmp_path):
    out = StringIO()
    call_command("demo_keys", "--dir", str(tmp_path), stdout=out)
    text = out.getvalue()
    assert DEMO_P12_PASSWORD in text
    for ident in DEMO_IDENTITIES:
        assert (tmp_path / ident.p12_filename).exists()
        assert ident.iin in text
    assert (tmp_path / "torelik-test-ca.crl").exists()
    assert DEMO_P12_PASSWORD in (tmp_path / "README.txt").read_text()
    ca = (tmp_path / "torelik-test-ca.pem").read_bytes()
    call_command("demo_keys", "--dir", str(tmp_path), stdout=StringIO())
    assert (tmp_path / "torelik-test-ca.pem").read_bytes() == ca
    call_command("demo_keys", "--dir", str(tmp_path), "--force", stdout=StringIO())
    assert (tmp_path / "torelik-test-ca.pem").read_bytes() != ca


def test_people_keys_are_valid_from_before_a_history_of_the_last_year(demo_pki, tmp_path):
    from datetime import UTC, datetime, timedelta

    from torelik.signatures.testca import PersonSubject, issue_person_key

    year_ago = datetime.now(UTC) - timedelta(days=365)
    assert demo_pki.signing_key("citizen").certificate.not_valid_before_utc < year_ago
    person = PersonSubject.of_full_name("Тәжібаев Дәурен Өмірзақұлы", iin="701205312344")
    path = tmp_path / "judges" / "judge-7199-01.p12"
    key = issue_person_key(demo_pki, person, p12_path=path)
    info = subject_info(key.certificate)
    assert (info.iin, info.full_name) == ("701205312344", "Тәжібаев Дәурен Өмірзақұлы")
    assert key.certificate.issuer == demo_pki.ca_certificate().subject
    assert key.certificate.not_valid_before_utc < year_ago
    # Kept in the file: the same key again, for the demo signer.
    assert issue_person_key(demo_pki, person, p12_path=path).certificate == key.certificate
    bundle = pkcs12.load_pkcs12(path.read_bytes(), DEMO_P12_PASSWORD.encode())
    assert bundle.cert is not None and bundle.cert.certificate == key.certificate
