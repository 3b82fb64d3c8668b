"""The auditor: logs in like court staff, reads the distribution of every court, verifies it, and
can change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from torelik.cases.models import Case
from torelik.courts.models import Judge
from torelik.distribution import days, services
from torelik.distribution.models import (
    DistributionRecord,
    JudgeAbsence,
    Recusal,
    RecusalKind,
    WeightChange,
)
from torelik.distribution.tests.conftest import AUDITOR_PASSWORD, TOTP_SECRET, judge_of
from torelik.identity.models import Role, User

pytestmark = pytest.mark.django_db

RU_READ_ONLY = "Аудитор просматривает отчёты и записи распределения, но ничего не может изменить."
KK_READ_ONLY = "Аудитор бөлу есептері мен жазбаларын қарайды, бірақ ештеңені өзгерте алмайды."
RU_ROLE_REFUSED = "Ваша роль не позволяет это сделать."


def client_in(language: str, user: User | None = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def test_auditor_logs_in_with_password_and_one_time_code(auditor: User) -> None:
    client = client_in("en")
    totp = pyotp.TOTP(TOTP_SECRET)
    valid_now = {totp.at(timezone.now() + timedelta(seconds=s)) for s in (-60, -30, 0, 30, 60)}
    not_valid = next(code for code in ("000000", "111111", "222222") if code not in valid_now)
    wrong = client.post(
        "/auth/login/staff/", {"username": "auditor", "password": AUDITOR_PASSWORD, "totp_code": not_valid}
    )
    assert wrong.status_code == 401
    done = client.post(
        "/auth/login/staff/",
        {
            "username": "auditor",
            "password": AUDITOR_PASSWORD,
            "totp_code": totp.now(),
            "next": "/distribution/staff/",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/distribution/staff/"
    page = client.get("/distribution/staff/")
    assert page.status_code == 200
    assert "Choose a court to see its reports." in page.content.decode()
    assert User.objects.get(username="auditor").get_role_display() == "Auditor"


def test_auditor_role_label_is_translated(auditor: User) -> None:
    from django.utils import translation

    with translation.override("ru"):
        assert str(Role.AUDITOR.label) == "Аудитор"
    with translation.override("kk"):
        assert str(Role.AUDITOR.label) == "Аудитор"


def test_auditor_reads_the_reports_of_any_court_a_chair_only_his_own(
    judges: dict[str, Judge],
    register: Callable[..., Case],
    chair: User,
    appeal_chair: User,
    auditor: User,
) -> None:
    for _ in range(3):
        register()
    case = register()
    other = next(j for k, j in judges.items() if k in ("civ1", "civ2") and j.pk != case.judge_id)
    services.assign_manually(case=case, judge=other, reason="Only judge who reads Kazakh files", actor=chair)
    today = timezone.localdate().isoformat()
    client = client_in("en", auditor)

    no_court = client.get("/api/v1/distribution/reports/loads")
    assert no_court.status_code == 400 and no_court.json()["field"] == "court"
    loads = client.get("/api/v1/distribution/reports/loads", {"court": "7140"}).json()
    assert loads["court"] == "7140" and sum(r["cases"] for r in loads["judges"]) == 4
    appeal = client.get("/api/v1/distribution/reports/loads", {"court": "7100"}).json()
    assert appeal["court"] == "7100" and {r["name"] for r in appeal["judges"]} >= {"АПЕЛЛЯЦИЯ 0"}
    summary = client.get(
        "/api/v1/distribution/reports/summary", {"start": today, "end": today, "court": "7140"}
    ).json()
    assert summary["manual"] == 1
    assert summary["exceptions"][0]["reason"] == "Only judge who reads Kazakh files"

    page = client.get("/distribution/staff/", {"court": "7140"})
    body = page.content.decode()
    assert page.status_code == 200 and "Only judge who reads Kazakh files" in body
    assert 'id="fairness"' in body
    # The auditor is offered no action of the chair.
    assert "/distribution/staff/manual-assignment/" not in body

    # The chair of the appeal court sees his court, not the district court.
    theirs = client_in("en", appeal_chair)
    refused = theirs.get("/api/v1/distribution/reports/loads", {"court": "7140"})
    assert refused.status_code == 403
    assert refused.json()["message"] == "You can see the reports of your own court only."
    assert theirs.get("/api/v1/distribution/reports/loads").json()["court"] == "7100"


def test_auditor_verifies_a_period_by_the_api_and_on_the_page(
    judges: dict[str, Judge], register: Callable[..., Case], auditor: User, clerk: User
) -> None:
    client = client_in("en", auditor)
    empty = client.get("/distribution/staff/verify/", {"start": "2020-01-01", "end": "2020-01-31"})
    assert "There are no distribution records of 01.01.2020 – 31.01.2020" in empty.content.decode()
    register()
    register()
    today = timezone.localdate().isoformat()
    before = client.get("/api/v1/distribution/verify", {"start": today, "end": today}).json()
    assert before["ok"] is False and before["first"]["code"] == "secret_not_revealed"
    page = client.get("/distribution/staff/verify/", {"start": today, "end": today})
    verdict = page.content.decode()
    assert page.status_code == 200
    first = DistributionRecord.objects.order_by("id").first()
    assert first is not None
    assert (
        f"Not in order. The first record that does not match is record {first.seq} of court 7140 "
        f"(case {first.case_number}): the secret of {first.day} is not revealed." in verdict
    )

    days.reveal_days(now=timezone.now() + timedelta(days=1, hours=1))
    after = client.get("/api/v1/distribution/verify", {"start": today, "end": today}).json()
    assert after["ok"] is True and after["checked"] == 2
    page = client.get("/distribution/staff/verify/", {"start": today, "end": today})
    assert "All is in order: the 2 records of" in page.content.decode()

    # A record edited after the fact is named, with what does not match.
    victim = DistributionRecord.objects.order_by("id").last()
    assert victim is not None
    DistributionRecord.objects.filter(pk=victim.pk).update(reason="edited afterwards")
    page = client.get("/distribution/staff/verify/", {"start": today, "end": today})
    assert (
        f"record {victim.seq} of court 7140 (case {victim.case_number}): "
        "the record&#x27;s hash does not match its content" in page.content.decode()
    )

    # A period that ends before it starts is refused next to the field.
    bad = client.get("/distribution/staff/verify/", {"start": today, "end": "2000-01-01"})
    assert bad.status_code == 400 and "The end of the period is before its start." in bad.content.decode()

    # Clerks may not run it.
    assert client_in("en", clerk).get("/distribution/staff/verify/").status_code == 403
    assert client_in("en", clerk).get("/api/v1/distribution/verify", {"start": today}).status_code == 403


def test_auditor_reads_the_full_records_of_any_court_sealed_cases_included(
    judges: dict[str, Judge], register: Callable[..., Case], auditor: User, chair: User, appeal_chair: User
) -> None:
    case = register()
    register()
    Case.objects.filter(pk=case.pk).update(is_sealed=True)
    today = timezone.localdate().isoformat()
    client = client_in("en", auditor)
    data = client.get("/api/v1/distribution/records", {"start": today, "end": today}).json()
    assert data["total"] == 2
    record = data["records"][0]
    assert record["case_number"] == case.number and record["judge_id"] == case.judge_id
    assert record["snapshot"]["draw"]["set"] and record["deltas"]
    second = client.get(
        "/api/v1/distribution/records", {"start": today, "end": today, "offset": "1", "limit": "1"}
    ).json()
    assert [r["seq"] for r in second["records"]] == [2] and second["offset"] == 1
    beyond = client.get(
        "/api/v1/distribution/records", {"start": today, "end": today, "offset": str(10**30)}
    ).json()
    assert beyond["records"] == [] and beyond["total"] == 2
    one = client.get(f"/api/v1/distribution/records/{record['id']}").json()
    assert one["record_hash"] == DistributionRecord.objects.get(pk=record["id"]).record_hash

    page = client.get("/distribution/staff/records/", {"from": today, "to": today, "court": "7140"})
    assert page.status_code == 200 and case.number in page.content.decode()
    detail = client.get(f"/distribution/staff/records/{record['id']}/")
    assert detail.status_code == 200
    assert judge_of(case).full_name in detail.content.decode()
    assert "&quot;candidates&quot;" in detail.content.decode()

    # The chair of another court does not see these records.
    other = client_in("en", appeal_chair)
    assert other.get("/api/v1/distribution/records", {"start": today, "end": today}).json()["total"] == 0
    assert other.get(f"/api/v1/distribution/records/{record['id']}").status_code == 404
    assert other.get(f"/distribution/staff/records/{record['id']}/").status_code == 404
    mine = client_in("en", chair)
    assert mine.get("/api/v1/distribution/records", {"start": today, "end": today}).json()["total"] == 2


def test_every_write_is_refused_to_the_auditor_with_a_translated_403(
    judges: dict[str, Judge], register: Callable[..., Case], auditor: User, chair: User
) -> None:
    case = register()
    holder = judge_of(case)
    other = next(j for k, j in judges.items() if k in ("civ1", "civ2") and j.pk != holder.pk)
    recusal = services.file_recusal(
        case=case, judge=holder, kind=RecusalKind.RECUSAL, grounds="Relative", actor=chair
    )
    absence = services.record_absence(
        judge=other, kind="leave", starts_on=timezone.localdate(), ends_on=timezone.localdate(), actor=chair
    )
    records_before = DistributionRecord.objects.count()
    today = timezone.localdate().isoformat()
    api = client_in("ru", auditor)
    writes = [
        (
            "/api/v1/distribution/manual-assignments",
            {"case": case.number, "judge_id": other.pk, "reason": "x" * 20},
        ),
        (
            "/api/v1/distribution/redistributions",
            {"case": case.number, "judge_id": holder.pk, "reason_code": "judge_left", "reason": "left"},
        ),
        (
            "/api/v1/distribution/recusals",
            {"case": case.number, "judge_id": holder.pk, "kind": "recusal", "grounds": "Relative"},
        ),
        (f"/api/v1/distribution/recusals/{recusal.pk}/decision", {"upheld": True, "reason": "Confirmed"}),
        (
            "/api/v1/distribution/absences",
            {"judge_id": holder.pk, "kind": "leave", "starts_on": today, "ends_on": today},
        ),
        (f"/api/v1/distribution/absences/{absence.pk}/cancel", {"reason": "Recorded by mistake"}),
    ]
    for url, body in writes:
        answer = api.post(url, body, content_type="application/json")
        assert answer.status_code == 403, url
        assert answer.json()["message"] in (
            RU_ROLE_REFUSED,
            "Это может сделать только председатель суда, где находится дело.",
        ), url

    pages = [
        (
            "/distribution/staff/manual-assignment/",
            {"case": case.number, "judge": other.pk, "seat": 1, "reason": "x" * 20, "understood": "on"},
        ),
        (
            "/distribution/staff/redistribution/",
            {"case": case.number, "judge": holder.pk, "reason_code": "judge_left", "reason": "left"},
        ),
        (
            "/distribution/staff/absences/",
            {"judge": holder.pk, "kind": "leave", "starts_on": today, "ends_on": today},
        ),
        (f"/distribution/staff/absences/{absence.pk}/cancel/", {"reason": "mistake"}),
        (
            "/distribution/staff/recusals/",
            {"case": case.number, "judge": holder.pk, "kind": "recusal", "grounds": "Relative"},
        ),
        (f"/distribution/staff/recusals/{recusal.pk}/", {"decision": "upheld", "reason": "Confirmed"}),
    ]
    for language, expected in (("ru", RU_READ_ONLY), ("kk", KK_READ_ONLY)):
        web = client_in(language, auditor)
        for url, form in pages:
            for answer in (web.get(url), web.post(url, form)):
                assert answer.status_code == 403, url
                assert expected in answer.content.decode(), url

    # Weights are changed in the admin site only, which an auditor cannot enter.
    weights = client_in("ru", auditor).get("/admin/distribution/categoryweight/")
    assert weights.status_code == 302 and "/admin/login/" in weights["Location"]

    # Nothing was written.
    assert DistributionRecord.objects.count() == records_before
    assert Recusal.objects.get(pk=recusal.pk).status == "pending" and Recusal.objects.count() == 1
    assert JudgeAbsence.objects.count() == 1 and JudgeAbsence.objects.get().cancelled_at is None
    assert not WeightChange.objects.filter(actor=auditor).exists()
    case.refresh_from_db()
    assert case.judge_id == holder.pk


def test_chair_cancels_an_absence_of_his_court_through_the_api(
    judges: dict[str, Judge], chair: User, appeal_chair: User
) -> None:
    today = timezone.localdate()
    absence = services.record_absence(
        judge=judges["civ2"], kind="training", starts_on=today, ends_on=today, actor=chair
    )
    url = f"/api/v1/distribution/absences/{absence.pk}/cancel"
    other = client_in("en", appeal_chair).post(url, {"reason": "Not ours"}, content_type="application/json")
    assert other.status_code == 403
    mine = client_in("en", chair)
    empty = mine.post(url, {"reason": " "}, content_type="application/json")
    assert empty.status_code == 400 and empty.json()["field"] == "reason"
    absence.refresh_from_db()
    assert absence.cancelled_at is None
    done = mine.post(url, {"reason": "Training postponed"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["cancelled_at"]
    absence.refresh_from_db()
    assert absence.cancel_reason == "Training postponed" and absence.cancelled_by_id == chair.pk
    again = mine.post(url, {"reason": "Twice"}, content_type="application/json")
    assert again.status_code == 409
