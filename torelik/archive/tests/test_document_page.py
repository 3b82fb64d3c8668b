"""A case registered from a filing puts its documents into the log, with their signatures kept
for re-verification; the document page shows them to parties and court staff only."""

from __future__ import annotations

import pytest
from django.test import Client

from torelik.archive import services
from torelik.archive.models import LogEntry, SignatureEvidence
from torelik.archive.selectors import blob_path
from torelik.efiling import intake
from torelik.efiling import services as efiling
from torelik.efiling.tests.test_filing import claim_input, signed_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(demo_court, citizen, clerk, sign, pdf_bytes, django_capture_on_commit_callbacks):
    sub = efiling.create_draft(
        filer=citizen, data=claim_input(category_code="civ.alimony", fee_exemption="alimony")
    )
    efiling.add_document(
        submission=sub, filer=citizen, filename="birth.pdf", data=pdf_bytes, title="Свидетельство"
    )
    with django_capture_on_commit_callbacks(execute=True):
        return intake.accept_submission(submission=signed_submit(sub, citizen, sign), clerk=clerk)


def page(user, sha256):
    client = Client()
    client.force_login(user)
    return client.get(f"/archive/documents/{sha256}/", HTTP_ACCEPT_LANGUAGE="en")


def test_accepting_a_filing_files_its_documents_with_type_author_and_signature(case, citizen):
    entries = list(LogEntry.objects.order_by("seq"))
    assert [e.document_type_id for e in entries] == ["claim", "attachment"]
    assert {e.case_number for e in entries} == {case.number}
    assert all(e.author.startswith(citizen.iin) for e in entries)
    for entry, doc in zip(entries, case.documents.order_by("id"), strict=True):
        assert entry.blob_id == doc.blob_id
        assert list(entry.signatures.all()) == [doc.signature]
        evidence = SignatureEvidence.objects.get(record=doc.signature)
        assert evidence.chain_pem.count("BEGIN CERTIFICATE") == 2  # the signer and the demo CA


def test_the_document_page_shows_signer_validity_and_inclusion(case, citizen):
    doc = case.documents.order_by("id").last()
    response = page(citizen, doc.blob_id)
    assert response.status_code == 200
    html = response.content.decode()
    assert doc.signature.signer_name in html
    assert "The signature is valid: it matches the stored document" in html
    entry = LogEntry.objects.get(blob_id=doc.blob_id)
    assert f'<dd id="leaf-index">{entry.seq}</dd>' in html
    assert "The proof leads to the signed root, and the tree head's signature is valid." in html


def test_a_signature_that_no_longer_matches_the_stored_bytes_is_shown_as_not_holding(case, citizen):
    doc = case.documents.order_by("id").last()
    path = blob_path(doc.blob_id)
    path.write_bytes(path.read_bytes() + b"appended")
    html = page(citizen, doc.blob_id).content.decode()
    assert "The signature does not hold:" in html
    assert "The signature does not match the stored document." in html


def test_court_staff_of_the_court_see_the_page_and_others_do_not(case, clerk, entity_user):
    sha = case.documents.first().blob_id
    assert page(clerk, sha).status_code == 200
    assert page(entity_user, sha).status_code == 404
    anonymous = Client().get(f"/archive/documents/{sha}/")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_the_evidence_file_checks_offline(case, citizen):
    from torelik.archive.evidence import check_evidence
    from torelik.archive.selectors import read_blob

    doc = case.documents.order_by("id").first()
    client = Client()
    client.force_login(citizen)
    bundle = client.get(f"/api/v1/archive/documents/{doc.blob_id}/evidence").json()
    checked = check_evidence(bundle=bundle, document=read_blob(blob=doc.blob))
    assert checked.entry.case_number == case.number
    other = Client()
    assert other.get(f"/api/v1/archive/documents/{doc.blob_id}/evidence").status_code == 401


def test_a_failure_while_filing_leaves_no_case(demo_court, citizen, clerk, sign, pdf_bytes, monkeypatch):
    from torelik.cases.models import Case
    from torelik.kernel.errors import DomainError

    sub = efiling.create_draft(
        filer=citizen, data=claim_input(category_code="civ.alimony", fee_exemption="alimony")
    )
    submitted = signed_submit(sub, citizen, sign)

    def refuse(**kwargs):
        raise DomainError("blob_missing", "missing")

    monkeypatch.setattr(services, "file_document", refuse)
    with pytest.raises(DomainError):
        intake.accept_submission(submission=submitted, clerk=clerk)
    assert not Case.objects.exists() and not LogEntry.objects.exists()


def test_the_document_page_speaks_russian_and_kazakh(case, citizen):
    sha = case.documents.order_by("id").last().blob_id
    client = Client()
    client.force_login(citizen)
    ru = client.get(f"/archive/documents/{sha}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Подпись действительна" in ru and "Доказательство наличия документа в деле" in ru
    kk = client.get(f"/archive/documents/{sha}/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Қолтаңба жарамды" in kk and "Электрондық істегі құжат" in kk


def test_the_outside_check_in_the_docs_runs_against_a_real_evidence_file(
    case, citizen, tmp_path, monkeypatch
):
    """The Python snippet in docs/archive.md, run as published, on a document of this case."""
    import json
    import re
    from pathlib import Path

    from torelik.archive.selectors import read_blob

    docs = (Path(__file__).resolve().parents[3] / "docs" / "archive.md").read_text(encoding="utf-8")
    snippet = re.search(r"```python\n(import base64.*?)```", docs, re.S).group(1)
    doc = case.documents.order_by("id").last()
    client = Client()
    client.force_login(citizen)
    (tmp_path / "evidence.json").write_text(
        json.dumps(client.get(f"/api/v1/archive/documents/{doc.blob_id}/evidence").json())
    )
    (tmp_path / "claim.pdf").write_bytes(read_blob(blob=doc.blob))
    (tmp_path / "court-archive.pub.pem").write_text(
        client.get("/api/v1/archive/public-keys").json()[0]["pem"]
    )
    monkeypatch.chdir(tmp_path)
    exec(compile(snippet, "docs/archive.md", "exec"), {})  # raises on any failed check
    (tmp_path / "claim.pdf").write_bytes(b"another document")
    with pytest.raises(AssertionError):
        exec(compile(snippet, "docs/archive.md", "exec"), {})
