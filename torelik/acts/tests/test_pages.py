"""The judge's pages, the parties' case page and download, and the public verification page."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from torelik.acts import services
from torelik.acts.models import JudicialAct
from torelik.acts.rendering import verification_url
from torelik.acts.testing import ncalayer_sign, sign_as_ncalayer
from torelik.archive.selectors import read_blob
from torelik.efiling.testing import make_pdf

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def signed(case, judge_user, tsa, trusted_pki) -> JudicialAct:
    act = services.create_draft(case=case, user=judge_user, kind="decision", language="kk")
    return sign_as_ncalayer(act=act, user=judge_user, key=trusted_pki.signing_key("judge"))


def _pdf(act: JudicialAct) -> bytes:
    assert act.pdf is not None
    return read_blob(blob=act.pdf)


def test_the_judge_drafts_previews_and_signs_through_the_pages(case, judge_user, tsa, trusted_pki) -> None:
    client = _client(judge_user)
    page = client.get("/acts/")
    assert page.status_code == 200 and case.number in page.text
    case_page = client.get(f"/acts/cases/{case.pk}/")
    assert case_page.status_code == 200 and 'id="new-act-button"' in case_page.text
    created = client.post(f"/acts/cases/{case.pk}/new/", {"kind": "ruling", "language": "ru"})
    act = JudicialAct.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/acts/{act.pk}/"
    edit = client.get(f"/acts/{act.pk}/")
    assert "ОПРЕДЕЛЕНИЕ" in edit.text and 'id="sign-button"' in edit.text
    saved = client.post(
        f"/acts/{act.pk}/",
        {"title": "ОПРЕДЕЛЕНИЕ", "act_date": "2026-12-01", "body": "Назначить экспертизу.\n"},
        follow=True,
    )
    assert "Draft saved." in saved.text
    preview = client.get(f"/acts/{act.pk}/preview.pdf")
    assert preview["Content-Type"] == "application/pdf" and preview.content.startswith(b"%PDF")
    prepared = client.post(f"/acts/{act.pk}/signing-data/").json()
    import base64

    cms = ncalayer_sign(
        trusted_pki.signing_key("judge"), base64.b64decode(prepared["data"]), iin=prepared["iin"]
    )
    done = client.post(f"/acts/{act.pk}/sign/", {"cms": cms, "digest": prepared["digest_hex"]}, follow=True)
    assert "The act is signed and is in the case file." in done.text
    act.refresh_from_db()
    assert act.is_signed and act.pdf_id is not None
    assert 'id="download-link"' in done.text and act.pdf_id in done.text


def test_a_bad_signature_on_the_page_shows_the_error_and_keeps_the_draft(
    case, judge_user, tsa, trusted_pki
) -> None:
    client = _client(judge_user)
    act = services.create_draft(case=case, user=judge_user, kind="decision", language="ru")
    client.post(f"/acts/{act.pk}/signing-data/")
    done = client.post(f"/acts/{act.pk}/sign/", {"cms": "bm90IGEgY21z"}, follow=True)
    assert 'class="messages' in done.text or "error" in done.text
    act.refresh_from_db()
    assert not act.is_signed


def test_non_judges_get_no_judge_pages(case, citizen, clerk) -> None:
    for user in (citizen, clerk):
        assert _client(user).get("/acts/").status_code == 403
        assert _client(user).get(f"/acts/cases/{case.pk}/").status_code == 403
    assert Client().get("/acts/").status_code == 302  # to the login page


def test_the_act_appears_on_the_party_s_case_page_and_downloads(case, citizen, signed) -> None:
    client = _client(citizen)
    page = client.get(f"/cases/{case.number}/")
    assert page.status_code == 200
    section = page.text[page.text.index('id="case-acts"') :]
    assert "Judicial acts" in section and signed.title in section
    download = client.get(f"/acts/{signed.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content == _pdf(signed)


def test_others_cannot_download_and_drafts_are_not_shown(case, citizen, judge_user, signed) -> None:
    from torelik.identity.models import Role
    from torelik.identity.services import create_filer_user
    from torelik.signatures.demo_identities import demo_identity

    lawyer = demo_identity("lawyer")
    stranger = create_filer_user(iin=lawyer.iin, role=Role.LAWYER, full_name=lawyer.full_name)
    # Not a party, not the filer: the act is not theirs to download.
    assert _client(stranger).get(f"/acts/{signed.pk}/download/").status_code == 404
    draft = services.create_draft(case=case, user=judge_user, kind="order", language="ru")
    page = _client(citizen).get(f"/cases/{case.number}/")
    assert f'data-act-id="{draft.pk}"' not in page.text and f'data-act-id="{signed.pk}"' in page.text
    assert _client(citizen).get(f"/acts/{draft.pk}/download/").status_code == 404


def _verify(pdf: bytes, url: str = "/acts/verify/"):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        url, {"file": SimpleUploadedFile("act.pdf", pdf, content_type="application/pdf")}
    )
    assert response.status_code == 200
    verdict = re.search(r'data-verdict="([a-z_]+)"', response.text)
    assert verdict is not None
    return verdict.group(1), response.text


def test_the_original_pdf_matches_the_act_in_the_file(case, signed) -> None:
    verdict, text = _verify(_pdf(signed))
    assert verdict == "authentic"
    assert f"This file is the act in case {case.number}, signed by БЕКОВ НУРЛАН" in text
    assert "Its signature is valid." in text


def test_a_pdf_changed_after_signing_is_detected(case, signed) -> None:
    data = bytearray(_pdf(signed))
    # Change one byte inside the signed range (the first object after the header).
    position = data.index(b"obj") + 5
    data[position] = ord("x") if data[position] != ord("x") else ord("y")
    verdict, text = _verify(bytes(data))
    assert verdict == "changed"
    assert (
        f"it carries the signature of an act in case {case.number}, but it was changed after signing" in text
    )


def test_an_update_appended_after_signing_is_detected(case, signed) -> None:
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(_pdf(signed)))
    writer.root[NameObject("/Lang")] = TextStringObject("ru")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    verdict, _text = _verify(out.getvalue())
    assert verdict == "changed"


def test_an_unknown_pdf_is_not_in_the_file(signed) -> None:
    verdict, text = _verify(make_pdf("Some other document"))
    assert verdict == "not_in_file"
    assert "This file is not in the case files" in text


def test_the_qr_link_opens_the_act_s_verification_page(case, signed) -> None:
    url = verification_url(signed)
    path = url.split("://", 1)[1].split("/", 1)[1]
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/" + path)
    assert page.status_code == 200
    assert case.number in page.text and "БЕКОВ НУРЛАН" in page.text
    verdict, _text = _verify(_pdf(signed), "/" + path)
    assert verdict == "authentic"
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get("/acts/verify/not-a-code/").status_code == 404


def test_the_qr_code_in_the_pdf_encodes_the_verification_address(signed, tmp_path) -> None:
    """The QR image in the signed PDF is the segno code of the act's verification URL."""
    import subprocess

    import segno
    from PIL import Image

    path = tmp_path / "act.pdf"
    path.write_bytes(_pdf(signed))
    subprocess.run(["pdfimages", "-png", str(path), str(tmp_path / "img")], check=True)
    image = Image.open(tmp_path / "img-000.png").convert("1")
    qr = segno.make(verification_url(signed), error="m", micro=False)
    expected = Image.open(io.BytesIO(_png(qr))).convert("1")
    assert image.size == expected.size
    assert image.tobytes() == expected.tobytes()


def _png(qr) -> bytes:
    from torelik.acts.rendering import QR_BORDER, QR_SCALE

    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return buffer.getvalue()


def test_the_pages_speak_kazakh_and_russian(case, citizen, signed) -> None:
    kk = Client(HTTP_ACCEPT_LANGUAGE="kk").get("/acts/verify/")
    assert "Сот актісін тексеру" in kk.text
    client = _client(citizen)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    page = client.get(f"/cases/{case.number}/")
    assert "Судебные акты" in page.text and "проверить" in page.text
    upload = SimpleUploadedFile("act.pdf", _pdf(signed), content_type="application/pdf")
    ru = Client(HTTP_ACCEPT_LANGUAGE="ru").post("/acts/verify/", {"file": upload})
    assert f"Этот файл — акт по делу {case.number}, подписанный БЕКОВ НУРЛАН" in ru.text
