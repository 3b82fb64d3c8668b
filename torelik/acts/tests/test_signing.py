"""Signing an act: PAdES with a time-stamp, into the e-file and the case history; and every refusal."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from torelik.acts import services
from torelik.acts.models import ActStatus, JudicialAct
from torelik.acts.testing import ncalayer_sign, sign_as_ncalayer
from torelik.acts.tests.conftest import make_judge
from torelik.archive.models import Blob, LogEntry
from torelik.archive.selectors import read_blob
from torelik.cases.models import CaseDocument, CaseEvent
from torelik.kernel.errors import DomainError
from torelik.notices.models import OutboxMessage
from torelik.signatures.models import SignatureRecord

pytestmark = pytest.mark.django_db


def _nothing_stored(act: JudicialAct) -> None:
    act.refresh_from_db()
    assert act.status == ActStatus.DRAFT
    assert act.pdf_id is None and act.signature_id is None
    assert Blob.objects.count() == 0
    assert LogEntry.objects.count() == 0
    assert SignatureRecord.objects.count() == 0
    assert not CaseEvent.objects.filter(kind="act.signed").exists()
    assert not OutboxMessage.objects.filter(topic="act.signed").exists()


@pytest.fixture
def draft(case, judge_user):
    return services.create_draft(case=case, user=judge_user, kind="decision", language="kk")


def test_a_signed_act_is_in_the_e_file_the_case_history_and_the_outbox(
    case, judge_user, draft, tsa, trusted_pki
):
    act = sign_as_ncalayer(act=draft, user=judge_user, key=trusted_pki.signing_key("judge"))
    act.refresh_from_db()
    assert act.status == ActStatus.SIGNED and act.signed_at is not None
    assert act.timestamp_at is not None and "Torelik Test TSA" in act.timestamp_authority
    pdf = read_blob(blob=act.pdf)
    assert pdf.startswith(b"%PDF")
    entry = LogEntry.objects.get(blob=act.pdf)
    assert entry.seq == act.log_seq
    assert entry.document_type_id == "act.decision"
    assert entry.case_number == case.number
    assert entry.author == "БЕКОВ НУРЛАН САПАРОВИЧ"
    event = CaseEvent.objects.get(case=case, kind="act.signed")
    assert event.actor == judge_user
    assert event.payload["sha256"] == act.pdf_id and event.payload["act_id"] == act.pk
    message = OutboxMessage.objects.get(topic="act.signed")
    assert message.payload["case_number"] == case.number and message.payload["sha256"] == act.pdf_id
    assert CaseDocument.objects.get(case=case, blob=act.pdf).signature == act.signature
    assert act.signature.signer_iin == "701205312344"


def test_signing_from_the_digest_works_as_ncalayer_digested_signing(judge_user, draft, tsa, trusted_pki):
    act = sign_as_ncalayer(act=draft, user=judge_user, key=trusted_pki.signing_key("judge"), digested=True)
    assert act.is_signed


def test_the_signed_pdf_validates_with_pyhanko_and_pdfsig(
    judge_user, draft, tsa, trusted_pki, tmp_path: Path
):
    from asn1crypto import x509 as ax509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    act = sign_as_ncalayer(act=draft, user=judge_user, key=trusted_pki.signing_key("judge"))
    assert act.pdf is not None
    pdf = read_blob(blob=act.pdf)
    context = ValidationContext(
        trust_roots=[ax509.Certificate.load(trusted_pki.ca_der())],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    status = validate_pdf_signature(
        PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0],
        signer_validation_context=context,
        ts_validation_context=context,
    )
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.timestamp_validity is not None and status.timestamp_validity.valid
    assert status.timestamp_validity.trusted
    path = tmp_path / "act.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Signature Validation: Signature is Valid." in out
    assert "Total document signed" in out
    assert "CN=БЕКОВ НУРЛАН" in out
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "ШЕШІМ" in text and "Электрондық цифрлық қолтаңбамен қол қойылған" in text


@pytest.mark.parametrize(
    ("key", "code", "ru_words"),
    [("citizen_revoked", "certificate_revoked", "отозван"), ("expired", "certificate_expired", "истёк")],
)
def test_a_judge_s_revoked_or_expired_certificate_is_refused_and_nothing_is_stored(
    case, demo_court, tsa, trusted_pki, key, code, ru_words
):
    judge = make_judge(court=demo_court, key=key, username=f"judge-{key}")
    act = services.create_draft(case=case, user=judge, kind="ruling", language="ru")
    with translation.override("ru"), pytest.raises(DomainError) as err:
        sign_as_ncalayer(act=act, user=judge, key=trusted_pki.signing_key(key))
    assert err.value.code == code
    assert ru_words in str(err.value.message)
    _nothing_stored(act)


def test_another_person_s_key_is_refused(judge_user, draft, tsa, trusted_pki):
    prepared = services.prepare_signing(act=draft, user=judge_user)
    cms = ncalayer_sign(trusted_pki.signing_key("clerk"), prepared.data)
    with pytest.raises(DomainError) as err:
        services.sign_act(act=draft, user=judge_user, cms=cms, expected_digest=prepared.digest.hex())
    assert err.value.code == "signer_not_judge"
    _nothing_stored(draft)


def test_signing_twice_is_refused_and_the_first_stays(judge_user, draft, tsa, trusted_pki):
    key = trusted_pki.signing_key("judge")
    prepared = services.prepare_signing(act=draft, user=judge_user)
    cms = ncalayer_sign(key, prepared.data)
    first = services.sign_act(act=draft, user=judge_user, cms=cms, expected_digest=prepared.digest.hex())
    with pytest.raises(DomainError) as err:
        services.sign_act(act=draft, user=judge_user, cms=cms, expected_digest=prepared.digest.hex())
    assert err.value.code == "act_signed" and err.value.status_code == 409
    with pytest.raises(DomainError):
        services.prepare_signing(act=draft, user=judge_user)
    with pytest.raises(DomainError):
        services.update_draft(act=draft, user=judge_user, title="x", body="y")
    assert LogEntry.objects.count() == 1
    assert CaseEvent.objects.filter(kind="act.signed").count() == 1
    first.refresh_from_db()
    assert first.is_signed


def test_a_non_judge_cannot_prepare_or_sign(draft, citizen, clerk, judge_user, tsa, trusted_pki):
    prepared = services.prepare_signing(act=draft, user=judge_user)
    cms = ncalayer_sign(trusted_pki.signing_key("judge"), prepared.data)
    for user in (citizen, clerk):
        with pytest.raises(DomainError) as err:
            services.prepare_signing(act=draft, user=user)
        assert err.value.code == "not_a_judge"
        with pytest.raises(DomainError) as err:
            services.sign_act(act=draft, user=user, cms=cms)
        assert err.value.code == "not_a_judge"
    _nothing_stored(draft)


def test_an_edit_after_preparing_makes_the_signature_stale(judge_user, draft, tsa, trusted_pki):
    prepared = services.prepare_signing(act=draft, user=judge_user)
    cms = ncalayer_sign(trusted_pki.signing_key("judge"), prepared.data)
    services.update_draft(act=draft, user=judge_user, title=draft.title, body=draft.body + "\nҚосымша.\n")
    with pytest.raises(DomainError) as err:
        services.sign_act(act=draft, user=judge_user, cms=cms, expected_digest=prepared.digest.hex())
    assert err.value.code == "act_changed"
    _nothing_stored(draft)


def test_a_signature_over_other_bytes_is_refused(judge_user, draft, tsa, trusted_pki):
    services.prepare_signing(act=draft, user=judge_user)
    cms = ncalayer_sign(trusted_pki.signing_key("judge"), b"something else")
    with pytest.raises(DomainError) as err:
        services.sign_act(act=draft, user=judge_user, cms=cms)
    assert err.value.code == "signature_content_mismatch"
    _nothing_stored(draft)


def test_when_the_tsa_does_not_answer_nothing_is_stored(judge_user, draft, trusted_pki, settings):
    from torelik.signatures.tsa import TimeStampAuthority, ensure_tsa_identity, make_server

    server = make_server(TimeStampAuthority(ensure_tsa_identity(trusted_pki)))
    port = server.server_address[1]
    server.server_close()
    settings.TORELIK = {**settings.TORELIK, "TSA_URL": f"http://127.0.0.1:{port}/", "TSA_TIMEOUT_SECONDS": 2}
    with pytest.raises(DomainError) as err:
        sign_as_ncalayer(act=draft, user=judge_user, key=trusted_pki.signing_key("judge"))
    assert err.value.code == "tsa_unavailable"
    _nothing_stored(draft)


def test_the_judge_s_own_account_iin_also_names_the_judge(judge_user, draft, tsa, trusted_pki):
    """Demo data links accounts to generated judges: the account's IIN identifies the judge too."""
    from torelik.courts.models import Judge

    Judge.objects.filter(user=judge_user).update(iin="880130412346")
    draft.refresh_from_db()
    act = sign_as_ncalayer(act=draft, user=judge_user, key=trusted_pki.signing_key("judge"))
    assert act.is_signed


def test_a_refusal_of_the_e_file_rolls_the_whole_signing_back(judge_user, draft, tsa, trusted_pki):
    """The e-file refuses (here: the document type was withdrawn): no act, blob row, event or message."""
    from torelik.archive.models import DocumentType

    DocumentType.objects.filter(code="act.decision").update(is_active=False)
    with pytest.raises(DomainError) as err:
        sign_as_ncalayer(act=draft, user=judge_user, key=trusted_pki.signing_key("judge"))
    assert err.value.code == "document_type_unknown"
    _nothing_stored(draft)
