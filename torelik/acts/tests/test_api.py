"""/api/v1 for judicial acts: draft, update, preview, prepare, sign, read, download, verify."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from torelik.acts.models import JudicialAct
from torelik.acts.testing import ncalayer_sign
from torelik.archive.models import LogEntry
from torelik.efiling.testing import make_pdf

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def _sign_via_api(client: Client, act_id: int, pki, key: str = "judge", idem: str | None = None):
    prepared = client.post(f"/api/v1/acts/{act_id}/signing-digest")
    assert prepared.status_code == 200, prepared.content
    body = prepared.json()
    cms = ncalayer_sign(pki.signing_key(key), base64.b64decode(body["data_base64"]))
    return _post(
        client, f"/api/v1/acts/{act_id}/sign", {"cms": cms, "digest_hex": body["digest_hex"]}, key=idem
    )


def test_the_whole_path_through_the_api(case, judge_user, citizen, tsa, trusted_pki):
    judge = _client(judge_user)
    created = _post(
        judge, "/api/v1/acts", {"case_id": case.pk, "kind": "decision", "language": "ru"}, key="a-1"
    )
    assert created.status_code == 201
    act = created.json()
    assert act["status"] == "draft" and act["case_number"] == case.number and act["title"] == "РЕШЕНИЕ"
    assert case.number in act["body"] and act["pdf_url"] is None

    updated = judge.put(
        f"/api/v1/acts/{act['id']}",
        data=json.dumps(
            {"title": "РЕШЕНИЕ", "body": "Иск удовлетворить полностью.", "act_date": "2026-12-01"}
        ),
        content_type="application/json",
    )
    assert updated.status_code == 200 and updated.json()["body"] == "Иск удовлетворить полностью.\n"

    preview = judge.get(f"/api/v1/acts/{act['id']}/preview")
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"

    signed = _sign_via_api(judge, act["id"], trusted_pki, idem="s-1")
    assert signed.status_code == 200, signed.content
    out = signed.json()
    assert out["status"] == "signed" and out["signer_name"].startswith("БЕКОВ НУРЛАН")
    assert out["sha256"] and out["timestamp_at"] and "/acts/verify/" in out["verification_url"]
    assert LogEntry.objects.filter(blob_id=out["sha256"]).exists()

    party = _client(citizen)
    listed = party.get(f"/api/v1/cases/{case.pk}/acts")
    assert [a["id"] for a in listed.json()] == [act["id"]]
    assert party.get(f"/api/v1/acts/{act['id']}").json()["sha256"] == out["sha256"]
    pdf = party.get(out["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"

    verified = Client().post(
        "/api/v1/acts/verify",
        {"file": SimpleUploadedFile("a.pdf", pdf.content, content_type="application/pdf")},
    )
    assert verified.status_code == 200
    result = verified.json()
    assert result["verdict"] == "authentic" and result["is_act_in_file"]
    assert result["act"]["case_number"] == case.number and result["sha256"] == out["sha256"]
    assert result["signature"]["valid"] and result["signature"]["timestamp_valid"]


def test_idempotency_key_replays_draft_creation(case, judge_user):
    judge = _client(judge_user)
    body = {"case_id": case.pk, "kind": "ruling", "language": "kk"}
    first = _post(judge, "/api/v1/acts", body, key="k-1")
    again = _post(judge, "/api/v1/acts", body, key="k-1")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert JudicialAct.objects.count() == 1
    other = _post(judge, "/api/v1/acts", {**body, "kind": "order"}, key="k-1")
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"


def test_a_retried_sign_with_the_same_key_answers_as_the_first(case, judge_user, tsa, trusted_pki):
    judge = _client(judge_user)
    act = _post(judge, "/api/v1/acts", {"case_id": case.pk, "kind": "decision", "language": "kk"}).json()
    prepared = judge.post(f"/api/v1/acts/{act['id']}/signing-digest").json()
    cms = ncalayer_sign(trusted_pki.signing_key("judge"), base64.b64decode(prepared["data_base64"]))
    body = {"cms": cms, "digest_hex": prepared["digest_hex"]}
    first = _post(judge, f"/api/v1/acts/{act['id']}/sign", body, key="sign-1")
    again = _post(judge, f"/api/v1/acts/{act['id']}/sign", body, key="sign-1")
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    twice = _post(judge, f"/api/v1/acts/{act['id']}/sign", body)
    assert twice.status_code == 409 and twice.json()["code"] == "act_signed"
    assert LogEntry.objects.count() == 1


def test_errors_are_json_with_code_message_and_field(case, judge_user, citizen, demo_court, tsa, trusted_pki):
    from torelik.acts.tests.conftest import make_judge

    judge = _client(judge_user)
    bad_kind = _post(judge, "/api/v1/acts", {"case_id": case.pk, "kind": "verdict", "language": "ru"})
    assert bad_kind.status_code == 400 and bad_kind.json()["field"] == "kind"
    party = _client(citizen)
    refused = _post(party, "/api/v1/acts", {"case_id": case.pk, "kind": "decision", "language": "ru"})
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_judge"
    act = _post(judge, "/api/v1/acts", {"case_id": case.pk, "kind": "decision", "language": "ru"}).json()
    # A party sees no drafts.
    assert party.get(f"/api/v1/acts/{act['id']}").status_code == 404
    assert party.get(f"/api/v1/acts/{act['id']}/pdf").status_code == 404
    assert party.get(f"/api/v1/cases/{case.pk}/acts").json() == []
    # A judge whose certificate was revoked: refused, in Russian when asked.
    revoked = make_judge(court=demo_court, key="citizen_revoked", username="judge-revoked")
    client = _client(revoked)
    other = _post(client, "/api/v1/acts", {"case_id": case.pk, "kind": "ruling", "language": "ru"}).json()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    response = _sign_via_api(client, other["id"], trusted_pki, key="citizen_revoked")
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "certificate_revoked" and "отозван" in error["message"]
    assert not JudicialAct.objects.get(pk=other["id"]).is_signed


def test_verify_tells_an_unknown_pdf(db):
    response = Client().post(
        "/api/v1/acts/verify",
        {"file": SimpleUploadedFile("x.pdf", make_pdf(), content_type="application/pdf")},
    )
    assert response.status_code == 200
    result = response.json()
    assert result["verdict"] == "not_in_file" and result["act"] is None and not result["signature"]["signed"]
