"""The public draw report, the commitments, the staff reports and the verification API."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from torelik.cases.models import Case
from torelik.courts.models import Judge
from torelik.distribution import days, services
from torelik.distribution.models import DistributionRecord
from torelik.distribution.tests.conftest import judge_of

pytestmark = pytest.mark.django_db


def test_public_page_shows_the_judge_and_offers_the_report_without_login(
    judges: dict[str, Judge], register: Callable[..., Case], client: Client
) -> None:
    case = register()
    page = client.get("/distribution/", {"number": case.number})
    assert page.status_code == 200
    body = page.content.decode()
    assert judge_of(case).full_name in body
    assert "captcha" not in body.lower()
    download = client.get("/distribution/report.json", {"number": case.number})
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    report = json.loads(download.content)
    assert report["judge"] == judge_of(case).full_name
    record = report["records"][0]
    assert record["record_hash"] == DistributionRecord.objects.get(case=case).record_hash
    assert record["snapshot"]["draw"]["set"]


def test_public_page_unknown_number_says_so(client: Client, db: None) -> None:
    page = client.get("/distribution/", {"number": "0000-00-00-0/0"})
    assert page.status_code == 404
    assert 'role="alert"' in page.content.decode()


def test_sealed_case_has_no_public_report(
    judges: dict[str, Judge], register: Callable[..., Case], client: Client
) -> None:
    case = register()
    Case.objects.filter(pk=case.pk).update(is_sealed=True)
    assert client.get(f"/api/v1/distribution/cases/{case.number}").status_code == 404


def test_commitments_api_lists_commitments_and_revealed_secrets(
    judges: dict[str, Judge], register: Callable[..., Case], client: Client
) -> None:
    register()
    today = timezone.localdate().isoformat()
    rows = {r["day"]: r for r in client.get("/api/v1/distribution/commitments").json()}
    assert rows[today]["secret"] is None and len(rows[today]["commitment"]) == 64
    days.reveal_days(now=timezone.now() + timedelta(days=1, hours=1))
    rows = {r["day"]: r for r in client.get("/api/v1/distribution/commitments").json()}
    assert len(rows[today]["secret"]) == 64 and rows[today]["seal"]
    keys = client.get("/api/v1/distribution/public-keys").json()
    assert keys and keys[0]["algorithm"] == "ed25519"


def test_case_report_api(judges: dict[str, Judge], register: Callable[..., Case], client: Client) -> None:
    case = register()
    data = client.get(f"/api/v1/distribution/cases/{case.number}").json()
    assert data["case"] == case.number and data["seats"][0]["judge_id"] == case.judge_id


def test_staff_reports_show_loads_fairness_and_manual_exceptions(
    judges: dict[str, Judge], register: Callable[..., Case], chair: Any, client: Client
) -> None:
    for _ in range(6):
        register()
    case = register()
    other = next(j for k, j in judges.items() if k.startswith("civ") and j.pk != case.judge_id)
    services.assign_manually(case=case, judge=other, reason="Judge specialised in this matter", actor=chair)
    register("adm.tax")
    client.force_login(chair)
    page = client.get("/distribution/staff/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Judge specialised in this matter" in body
    assert 'id="fairness"' in body and 'id="alerts"' in body and "adm.tax" in body
    loads = client.get("/api/v1/distribution/reports/loads").json()
    assert loads["court"] == "7140"
    # Seven cases held: the manual assignment moved one case (and its weight) from one judge to another.
    assert sum(r["cases"] for r in loads["judges"]) == 7
    civil = next(f for f in loads["fairness"] if f["specialisation"] == "civil")
    assert civil["judges"] == 4 and 0 <= civil["gini"] < 1
    today = timezone.localdate().isoformat()
    summary = client.get("/api/v1/distribution/reports/summary", {"start": today, "end": today}).json()
    assert (summary["draws"], summary["manual"], summary["no_eligible"]) == (7, 1, 1)
    assert summary["exceptions"][0]["reason"] == "Judge specialised in this matter"


def test_verify_api_for_chairs_only(
    judges: dict[str, Judge], register: Callable[..., Case], chair: Any, clerk: Any, client: Client
) -> None:
    register()
    today = timezone.localdate().isoformat()
    assert client.get("/api/v1/distribution/verify", {"start": today}).status_code == 401
    client.force_login(clerk)
    assert client.get("/api/v1/distribution/verify", {"start": today}).status_code == 403
    client.force_login(chair)
    before = client.get("/api/v1/distribution/verify", {"start": today, "end": today}).json()
    assert before["ok"] is False and before["first"]["code"] == "secret_not_revealed"
    days.reveal_days(now=timezone.now() + timedelta(days=1, hours=1))
    after = client.get("/api/v1/distribution/verify", {"start": today, "end": today}).json()
    assert after["ok"] is True and after["checked"] == 1


def test_chair_assigns_manually_and_redistributes_through_the_api(
    judges: dict[str, Judge], register: Callable[..., Case], chair: Any, clerk: Any, client: Client
) -> None:
    case = register()
    current = judge_of(case)
    other = next(j for k, j in judges.items() if k in ("civ1", "civ2", "civ3") and j.pk != current.pk)
    client.force_login(clerk)
    body = {"case": case.number, "judge_id": other.pk, "reason": "The judge knows the earlier file"}
    assert (
        client.post(
            "/api/v1/distribution/manual-assignments", body, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(chair)
    short = client.post(
        "/api/v1/distribution/manual-assignments", {**body, "reason": "x"}, content_type="application/json"
    )
    assert short.status_code == 400 and short.json()["field"] == "reason"
    done = client.post("/api/v1/distribution/manual-assignments", body, content_type="application/json")
    assert done.status_code == 201 and done.json()["judges"] == [other.pk]
    # Self-recusal of the new judge, filed and upheld: the seat is drawn again without them.
    filed = client.post(
        "/api/v1/distribution/recusals",
        {
            "case": case.number,
            "judge_id": other.pk,
            "kind": "self_recusal",
            "grounds": "Former colleague of a party",
        },
        content_type="application/json",
    )
    assert filed.status_code == 201
    decided = client.post(
        f"/api/v1/distribution/recusals/{filed.json()['id']}/decision",
        {"upheld": True, "reason": "Grounds confirmed"},
        content_type="application/json",
    )
    assert decided.status_code == 200
    new_judge = decided.json()["redistribution"]["judges"][0]
    assert new_judge != other.pk
    case.refresh_from_db()
    assert case.judge_id == new_judge
    unknown = client.post(
        "/api/v1/distribution/redistributions",
        {"case": case.number, "judge_id": new_judge, "reason_code": "long_absence"},
        content_type="application/json",
    )
    assert unknown.status_code == 409  # no recorded absence: no redistribution
