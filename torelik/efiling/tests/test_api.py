"""The filing path through /api/v1, as an API client (a lawyer's software, a PSC) would use it."""

from __future__ import annotations

import base64
import json
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from torelik.efiling.models import Submission
from torelik.efiling.payments import SIGNATURE_HEADER, demo_bank_sign

pytestmark = pytest.mark.django_db

DRAFT = {
    "type": "claim",
    "court": "7140",
    "category": "civ.loan",
    "title": "Қарызды өндіру туралы",
    "text": "Жауапкер 500 000 теңгені қайтармады.",
    "parties": [
        {"role": "defendant", "person_kind": "individual", "name": "Ахметов Болат", "iin": "791028302728"}
    ],
    "is_property": True,
    "claim_amount": "500000",
}


@pytest.fixture
def api(citizen) -> Client:
    client = Client()
    client.force_login(citizen)
    return client


def post(client: Client, url: str, body: dict, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def test_idempotency_key_replays_the_first_response(demo_court, api):
    first = post(api, "/api/v1/submissions", DRAFT, key="draft-1")
    again = post(api, "/api/v1/submissions", DRAFT, key="draft-1")
    assert first.status_code == 201
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Submission.objects.count() == 1
    other = post(api, "/api/v1/submissions", {**DRAFT, "title": "Other"}, key="draft-1")
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"


def test_bad_input_gets_a_translated_error_naming_the_field(demo_court, api):
    bad = {**DRAFT, "parties": [{**DRAFT["parties"][0], "iin": "791028302720"}]}
    response = post(api, "/api/v1/submissions", bad)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "iin_checksum"
    assert body["field"] == "parties[0].iin"
    english = api.post(
        "/api/v1/submissions",
        data=json.dumps(bad),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()["message"]
    assert "IIN" in english
    for language, word in (("ru", "ИИН"), ("kk", "ЖСН")):
        response = api.post(
            "/api/v1/submissions",
            data=json.dumps(bad),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.json()["code"] == "iin_checksum"
        assert response.json()["message"] != english
        assert word in response.json()["message"]
    assert Submission.objects.count() == 0


def test_unauthenticated_calls_are_refused(demo_court):
    response = Client().post("/api/v1/submissions", data=json.dumps(DRAFT), content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_full_filing_through_the_api(demo_court, api, citizen, clerk, sign, pdf_bytes, tmp_path):
    sub = post(api, "/api/v1/submissions", DRAFT, key="k1").json()
    url = f"/api/v1/submissions/{sub['id']}"
    upload = api.post(
        f"{url}/documents", {"file": SimpleUploadedFile("contract.pdf", pdf_bytes), "title": "Договор"}
    )
    assert upload.status_code == 201, upload.content
    not_pdf = api.post(f"{url}/documents", {"file": SimpleUploadedFile("x.pdf", b"GIF89a...")})
    assert not_pdf.status_code == 400
    assert not_pdf.json()["code"] == "file_not_pdf"

    fee = api.get(f"{url}/fee").json()
    assert fee["amount_tiyn"] == 500_000
    assert fee["explanation"]

    signing = api.get(f"{url}/signing-payload").json()
    payload = base64.b64decode(signing["payload_base64"])
    doc = signing["documents"][0]
    submitted = post(
        api,
        f"{url}/submit",
        {
            "body_cms": sign("citizen", payload),
            "documents": [{"id": doc["id"], "cms": sign("citizen", pdf_bytes)}],
        },
        key="submit-1",
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "awaiting_payment"

    payment = post(api, f"{url}/payments", {}, key="pay-1").json()
    assert payment["amount_tiyn"] == 500_000
    notice = json.dumps(
        {
            "payment_reference": payment["payment_reference"],
            "status": "confirmed",
            "amount_tiyn": 500_000,
            "bank_transaction_id": "DB1",
        }
    ).encode()
    forged = Client().post(
        "/api/v1/payments/demo-bank/callback",
        data=notice,
        content_type="application/json",
        **{f"HTTP_{SIGNATURE_HEADER.upper().replace('-', '_')}": "00" * 32},
    )
    assert forged.status_code == 400
    assert forged.json()["code"] == "payment_callback_forged"
    paid = Client().post(
        "/api/v1/payments/demo-bank/callback",
        data=notice,
        content_type="application/json",
        **{f"HTTP_{SIGNATURE_HEADER.upper().replace('-', '_')}": demo_bank_sign(notice)},
    )
    assert paid.status_code == 200
    assert api.get(url).json()["status"] == "submitted"

    receipt = api.get(f"{url}/receipt").json()
    assert receipt["documents"][0]["sha256"] == doc["sha256"]
    assert receipt["fee_paid"]
    pdf = api.get(f"{url}/receipt.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert receipt["reference"] in text
    assert doc["sha256"] in text.replace("\n", "")

    staff = Client()
    staff.force_login(clerk)
    queue = staff.get("/api/v1/intake/submissions").json()
    assert [s["id"] for s in queue] == [sub["id"]]
    case = post(staff, f"/api/v1/intake/submissions/{sub['id']}/accept", {}).json()
    assert case["number"].startswith("7140-")
    mine = api.get("/api/v1/cases", {"number": case["number"]}).json()
    assert mine[0]["number"] == case["number"]
    from torelik.kernel.models import AccessAudit

    audit = AccessAudit.objects.get(action="case.read")
    assert (audit.user, audit.object_id) == (citizen, case["number"])
    assert api.get(url).json()["case_number"] == case["number"]


def test_citizen_cannot_use_the_intake_api(demo_court, api):
    response = api.get("/api/v1/intake/submissions")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_openapi_document_is_served():
    spec = Client().get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/submissions/{submission_id}/submit" in spec["paths"]


def test_receipt_pdf_in_kazakh_renders_kazakh_letters(demo_court, api, citizen, sign, tmp_path):
    sub = post(api, "/api/v1/submissions", DRAFT).json()
    url = f"/api/v1/submissions/{sub['id']}"
    payload = base64.b64decode(api.get(f"{url}/signing-payload").json()["payload_base64"])
    post(api, f"{url}/submit", {"body_cms": sign("citizen", payload), "documents": []})
    pdf = api.get(f"{url}/receipt.pdf", HTTP_ACCEPT_LANGUAGE="kk")
    path = tmp_path / "receipt-kk.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # The court's Kazakh name, with the letters қ and ң that a Russian font would lose.
    assert "Астана қаласы Сарыарқа аудандық №2 соты" in " ".join(text.split())
    assert "Қарызды өндіру туралы" in text
