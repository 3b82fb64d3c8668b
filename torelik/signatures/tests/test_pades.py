"""PAdES B-T in two steps (prepare, sign the byte range elsewhere, embed), checked by pyHanko and pdfsig."""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from torelik.efiling.testing import make_pdf
from torelik.signatures import pades, tsa
from torelik.signatures.signing import sign_cms, sign_cms_digest
from torelik.signatures.testca import DemoPki
from torelik.signatures.verification import verify_cms

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def tsa_url(demo_pki: DemoPki) -> Iterator[str]:
    url, stop = tsa.start_tsa_in_thread(demo_pki)
    yield url
    stop()


def _signed(pki: DemoPki, tsa_url: str, *, digested: bool = False, key: str = "judge") -> bytes:
    prepared = pades.prepare_pdf(pdf=make_pdf("Decision"), signing_time=datetime.now(UTC), reason="test")
    signing_key = pki.signing_key(key)
    if digested:
        cms = sign_cms_digest(key=signing_key, message_digest=prepared.digest)
    else:
        cms = sign_cms(key=signing_key, data=prepared.signed_content, detached=True)
    verified = verify_cms(cms=cms, content=prepared.signed_content)
    stamp = tsa.request_timestamp(message=pades.signature_value(verified.cms_der), url=tsa_url)
    final = pades.add_signature_timestamp(cms_der=verified.cms_der, token=stamp.token)
    return pades.embed_cms(prepared=prepared, cms_der=final)


def test_the_prepared_byte_range_leaves_out_exactly_the_reserved_contents() -> None:
    prepared = pades.prepare_pdf(pdf=make_pdf(), signing_time=datetime.now(UTC))
    start, length1, offset2, length2 = prepared.byte_range
    assert start == 0 and offset2 + length2 == len(prepared.pdf)
    assert prepared.pdf[length1 : length1 + 1] == b"<" and prepared.pdf[offset2 - 1 : offset2] == b">"
    assert len(prepared.signed_content) == len(prepared.pdf) - (offset2 - length1)


@pytest.mark.parametrize("digested", [False, True], ids=["data", "digest"])
def test_a_signed_pdf_is_intact_valid_trusted_and_time_stamped(
    trusted_pki: DemoPki, tsa_url: str, digested: bool
) -> None:
    report = pades.validate_pdf(pdf=_signed(trusted_pki, tsa_url, digested=digested))
    assert report.ok, report.problems
    assert report.signer_iin == "701205312344"
    assert report.timestamp is not None and report.timestamp_trusted


def test_pyhanko_validates_the_signature_and_its_time_stamp(trusted_pki: DemoPki, tsa_url: str) -> None:
    from asn1crypto import x509 as ax509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    data = _signed(trusted_pki, tsa_url)
    context = ValidationContext(
        trust_roots=[ax509.Certificate.load(trusted_pki.ca_der())],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    status = validate_pdf_signature(
        PdfFileReader(io.BytesIO(data)).embedded_signatures[0],
        signer_validation_context=context,
        ts_validation_context=context,
    )
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.docmdp_ok is not False
    ts = status.timestamp_validity
    assert ts is not None and ts.intact and ts.valid and ts.trusted


def test_pdfsig_reports_a_valid_signature_over_the_whole_document(
    trusted_pki: DemoPki, tsa_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(_signed(trusted_pki, tsa_url))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Signature Validation: Signature is Valid." in out
    assert "Total document signed" in out
    assert "Signature Type: ETSI.CAdES.detached" in out
    assert "serialNumber=IIN701205312344" in out


@pytest.mark.skipif(shutil.which("certutil") is None, reason="certutil (libnss3-tools) is not installed")
def test_pdfsig_trusts_the_certificate_when_nss_trusts_the_demo_ca(
    trusted_pki: DemoPki, tsa_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(_signed(trusted_pki, tsa_url))
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    without = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "Certificate is Trusted" not in without
    subprocess.run(
        [
            "certutil",
            "-A",
            "-d",
            f"sql:{nss}",
            "-n",
            "demo-ca",
            "-t",
            "CT,C,C",
            "-i",
            str(trusted_pki.ca_cert_path),
        ],
        check=True,
    )
    out = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "Signature Validation: Signature is Valid." in out
    assert "Certificate Validation: Certificate is Trusted." in out


def test_a_byte_changed_after_signing_breaks_the_signature(
    trusted_pki: DemoPki, tsa_url: str, tmp_path: Path
) -> None:
    data = bytearray(_signed(trusted_pki, tsa_url))
    position = data.index(b"Decision")
    data[position : position + 8] = b"Decisiom"
    report = pades.validate_pdf(pdf=bytes(data))
    assert report.signed and not report.intact and not report.ok
    path = tmp_path / "changed.pdf"
    path.write_bytes(bytes(data))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" not in out


def test_an_update_appended_after_signing_is_reported(trusted_pki: DemoPki, tsa_url: str) -> None:
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(_signed(trusted_pki, tsa_url)))
    writer.root[NameObject("/Lang")] = TextStringObject("xx")  # any change after a certification signature
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    report = pades.validate_pdf(pdf=out.getvalue())
    assert report.signed and report.intact
    assert not report.covers_whole_file and report.modified_after_signing
    assert not report.ok


def test_a_signature_time_stamp_is_an_unsigned_attribute_and_keeps_the_signature_valid(
    trusted_pki: DemoPki, tsa_url: str
) -> None:
    prepared = pades.prepare_pdf(pdf=make_pdf(), signing_time=datetime.now(UTC))
    cms = sign_cms(key=trusted_pki.signing_key("judge"), data=prepared.signed_content, detached=True)
    stamp = tsa.request_timestamp(message=pades.signature_value(cms), url=tsa_url)
    stamped = pades.add_signature_timestamp(cms_der=cms, token=stamp.token)
    assert (
        verify_cms(cms=base64.b64encode(stamped), content=prepared.signed_content).signer_iin
        == "701205312344"
    )


def test_an_unsigned_or_broken_pdf_is_reported_not_raised() -> None:
    assert pades.validate_pdf(pdf=make_pdf()).signed is False
    broken = pades.validate_pdf(pdf=b"%PDF-1.4 nothing")
    assert broken.signed is False and broken.problems


def test_a_time_stamp_is_spliced_in_for_any_signer_in_a_moment(trusted_pki: DemoPki, tsa_url: str) -> None:
    """asn1crypto, asked to re-encode the changed CMS, took half a minute and more for a signer whose
    name holds Kazakh letters; the splice takes the same bytes apart and puts them back together."""
    import time

    from asn1crypto import cms as acms

    from torelik.signatures.testca import PersonSubject, issue_person_key

    prepared = pades.prepare_pdf(pdf=make_pdf(), signing_time=datetime.now(UTC))
    for name in ("Тәжібаев Дәурен Өмірзақұлы", "Лебедев Сергей Олегович"):
        key = issue_person_key(trusted_pki, PersonSubject.of_full_name(name, iin="701205312344"))
        cms = sign_cms(key=key, data=prepared.signed_content, detached=True)
        stamp = tsa.request_timestamp(message=pades.signature_value(cms), url=tsa_url)
        started = time.perf_counter()
        stamped = pades.add_signature_timestamp(cms_der=cms, token=stamp.token)
        assert time.perf_counter() - started < 1
        assert verify_cms(cms=stamped, content=prepared.signed_content).signer_name.startswith(
            name.split()[0]
        )
        signer_info = acms.ContentInfo.load(stamped)["content"]["signer_infos"][0]
        assert [a["type"].native for a in signer_info["unsigned_attrs"]] == ["signature_time_stamp_token"]
        assert bytes(signer_info["unsigned_attrs"][0]["values"][0].dump()) == stamp.token_der
        # Everything but the unsigned attributes keeps its bytes; stamping again replaces the stamp.
        original = acms.ContentInfo.load(cms)["content"]["signer_infos"][0]
        assert signer_info["signed_attrs"].dump() == original["signed_attrs"].dump()
        assert pades.signature_value(stamped) == pades.signature_value(cms)
        assert pades.add_signature_timestamp(cms_der=stamped, token=stamp.token) == stamped
