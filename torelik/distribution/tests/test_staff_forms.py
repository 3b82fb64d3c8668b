"""The court chair's forms: manual assignment, redistribution, absences and recusals.

Every refusal is a message next to the field at fault and nothing is written; every action done
shows up in the distribution reports with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from torelik.cases.models import Case
from torelik.courts.models import Judge
from torelik.distribution import services
from torelik.distribution.models import (
    DistributionRecord,
    JudgeAbsence,
    RecordKind,
    Recusal,
    RecusalKind,
    RecusalStatus,
)
from torelik.distribution.tests.conftest import judge_of
from torelik.identity.models import User

pytestmark = pytest.mark.django_db

MANUAL = "/distribution/staff/manual-assignment/"
REDISTRIBUTE = "/distribution/staff/redistribution/"
ABSENCES = "/distribution/staff/absences/"
RECUSALS = "/distribution/staff/recusals/"


def client_in(language: str, user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def error_of(body: str, field: str) -> str:
    """The text of the error shown next to `field` ('' when there is none)."""
    found = re.findall(rf'<p class="error" id="id_{field}_error">(.*?)</p>', body, flags=re.S)
    return " ".join(found)


def other_civil_judge(judges: dict[str, Judge], case: Case) -> Judge:
    return next(j for k, j in judges.items() if k in ("civ1", "civ2", "civ3") and j.pk != case.judge_id)


def manual_records() -> int:
    return DistributionRecord.objects.filter(kind=RecordKind.MANUAL).count()


def test_every_field_has_a_label_and_the_manual_form_warns(chair: User, judges: dict[str, Judge]) -> None:
    client = client_in("en", chair)
    for url in (MANUAL, REDISTRIBUTE, ABSENCES, RECUSALS):
        body = client.get(url).content.decode()
        ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', body)
        fields = [i for i in ids if i.startswith("id_")]
        assert fields, url
        for field_id in fields:
            if re.search(r'<input[^>]*type="radio"', body) and field_id.startswith("id_decision_"):
                continue
            assert f'for="{field_id}"' in body, (url, field_id)
    body = client.get(MANUAL).content.decode()
    assert "This is an exception to the automated distribution." in body
    assert "listed with the reason in every distribution report" in body
    # The staff page links every form.
    staff = client.get("/distribution/staff/").content.decode()
    for url in (MANUAL, REDISTRIBUTE, ABSENCES, RECUSALS):
        assert f'href="{url}"' in staff


def test_manual_assignment_refusals_name_the_problem_and_write_nothing(
    judges: dict[str, Judge], register: Callable[..., Case], chair: User
) -> None:
    case = register()
    other = other_civil_judge(judges, case)
    client = client_in("en", chair)
    good = {"case": case.number, "judge": other.pk, "seat": 1, "reason": "", "understood": "on"}

    no_reason = client.post(MANUAL, good)
    body = no_reason.content.decode()
    assert no_reason.status_code == 400
    assert error_of(body, "reason") == "Give the reason for the manual assignment (at least 10 characters)."
    assert 'aria-describedby="id_reason_error id_reason_helptext"' in body
    assert "Nothing was saved." in body

    short = client.post(MANUAL, {**good, "reason": "too short"})
    assert "at least 10 characters" in error_of(short.content.decode(), "reason")

    unconfirmed = client.post(
        MANUAL, {**good, "reason": "The judge knows the earlier file", "understood": ""}
    )
    assert "Confirm that you understand" in error_of(unconfirmed.content.decode(), "understood")

    foreign = judges["app1"]
    elsewhere = client.post(
        MANUAL, {**good, "judge": foreign.pk, "reason": "The judge knows the earlier file"}
    )
    assert error_of(elsewhere.content.decode(), "judge") == (
        f"{foreign.full_name} is a judge of another court (Astana City Court)."
    )

    services.record_absence(
        judge=other,
        kind="sick_leave",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=3),
        actor=chair,
    )
    absent = client.post(MANUAL, {**good, "reason": "The judge knows the earlier file"})
    message = error_of(absent.content.decode(), "judge")
    assert message.startswith(f"This judge cannot hear the case: {other.full_name} is absent (Sick leave, ")

    wrong_case = client.post(MANUAL, {**good, "case": "9999-99-99-9/9", "reason": "The judge knows the file"})
    assert error_of(wrong_case.content.decode(), "case") == "No case 9999-99-99-9/9 is registered."

    # The same refusal in Russian.
    ru = client_in("ru", chair).post(MANUAL, good)
    assert error_of(ru.content.decode(), "reason") == (
        "Укажите причину ручного назначения (не менее 10 символов)."
    )

    assert manual_records() == 0
    case.refresh_from_db()
    assert case.judge_id != other.pk


def test_manual_assignment_is_done_and_shown_in_the_reports(
    judges: dict[str, Judge], register: Callable[..., Case], chair: User
) -> None:
    case = register()
    other = other_civil_judge(judges, case)
    client = client_in("en", chair)
    assert case.number in client.get(MANUAL, {"case": case.number}).content.decode()
    done = client.post(
        MANUAL,
        {
            "case": case.number,
            "judge": other.pk,
            "seat": 1,
            "reason": "Judge of the earlier related file",
            "understood": "on",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/distribution/staff/"
    case.refresh_from_db()
    assert case.judge_id == other.pk
    record = DistributionRecord.objects.get(kind=RecordKind.MANUAL)
    assert record.reason == "Judge of the earlier related file" and record.actor_id == chair.pk
    page = client.get(done["Location"]).content.decode()
    assert "in every distribution report" in page  # the confirmation repeats the warning
    exceptions = page[page.index('id="exceptions"') :]
    assert "Judge of the earlier related file" in exceptions and other.full_name in exceptions
    assert chair.display_name in exceptions


def test_redistribution_form_needs_a_recorded_fact_and_then_redraws(
    judges: dict[str, Judge], register: Callable[..., Case], chair: User
) -> None:
    case = register()
    holder = judge_of(case)
    client = client_in("en", chair)
    listed = client.get(REDISTRIBUTE, {"case": case.number}).content.decode()
    assert f'<option value="{holder.pk}">{holder.full_name}</option>' in listed

    base = {"case": case.number, "judge": holder.pk, "reason_code": "", "reason": "Long sick leave"}
    no_code = client.post(REDISTRIBUTE, base)
    assert error_of(no_code.content.decode(), "reason_code") == "Choose the reason for the redistribution."

    not_holder = other_civil_judge(judges, case)
    wrong = client.post(REDISTRIBUTE, {**base, "judge": not_holder.pk, "reason_code": "long_absence"})
    assert error_of(wrong.content.decode(), "judge") == (
        f"{not_holder.full_name} does not hold case {case.number}."
    )

    no_fact = client.post(REDISTRIBUTE, {**base, "reason_code": "long_absence"})
    assert no_fact.status_code == 400
    assert error_of(no_fact.content.decode(), "reason_code") == (
        "No absence of at least 10 days is recorded for today."
    )
    assert not DistributionRecord.objects.filter(kind=RecordKind.REDISTRIBUTION).exists()

    today = timezone.localdate()
    client.post(
        ABSENCES,
        {
            "judge": holder.pk,
            "kind": "sick_leave",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=20)).isoformat(),
        },
    )
    done = client.post(REDISTRIBUTE, {**base, "reason_code": "long_absence"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.judge_id is not None and case.judge_id != holder.pk
    page = client.get("/distribution/staff/").content.decode()
    assert "was drawn again without the judge" in page
    exceptions = page[page.index('id="exceptions"') :]
    assert "Long sick leave" in exceptions and holder.full_name in exceptions


def test_absence_form_checks_dates_and_court_then_records_and_cancels(
    judges: dict[str, Judge], chair: User
) -> None:
    client = client_in("en", chair)
    judge = judges["civ2"]
    today = timezone.localdate()
    backwards = client.post(
        ABSENCES,
        {
            "judge": judge.pk,
            "kind": "leave",
            "starts_on": (today + timedelta(days=5)).isoformat(),
            "ends_on": today.isoformat(),
        },
    )
    assert backwards.status_code == 400
    assert error_of(backwards.content.decode(), "ends_on") == "The absence ends before it starts."

    foreign = judges["app2"]
    elsewhere = client.post(
        ABSENCES, {"judge": foreign.pk, "kind": "training", "starts_on": today, "ends_on": today}
    )
    assert "is a judge of another court" in error_of(elsewhere.content.decode(), "judge")
    no_kind = client.post(ABSENCES, {"judge": judge.pk, "kind": "", "starts_on": today, "ends_on": today})
    assert error_of(no_kind.content.decode(), "kind") == "Choose the kind of absence."
    assert not JudgeAbsence.objects.exists()

    done = client.post(
        ABSENCES,
        {
            "judge": judge.pk,
            "kind": "secondment",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=30)).isoformat(),
            "note": "Order 12-k",
        },
    )
    assert done.status_code == 302
    absence = JudgeAbsence.objects.get()
    assert (absence.judge_id, absence.kind, absence.created_by_id) == (judge.pk, "secondment", chair.pk)
    listed = client.get(ABSENCES).content.decode()
    assert "Order 12-k" in listed and "Secondment" in listed

    cancel = f"/distribution/staff/absences/{absence.pk}/cancel/"
    no_reason = client.post(cancel, {"reason": ""})
    assert error_of(no_reason.content.decode(), "reason") == "Give the reason for cancelling the absence."
    absence.refresh_from_db()
    assert absence.cancelled_at is None
    assert client.post(cancel, {"reason": "Order revoked"}).status_code == 302
    absence.refresh_from_db()
    assert absence.cancelled_at is not None and absence.cancel_reason == "Order revoked"
    assert "Order 12-k" not in client.get(ABSENCES).content.decode()
    again = client.post(cancel, {"reason": "Twice"})
    assert "This absence is already cancelled." in again.content.decode()


def test_recusal_is_filed_and_upheld_by_form_and_the_case_is_drawn_again(
    judges: dict[str, Judge], register: Callable[..., Case], chair: User
) -> None:
    case = register()
    holder = judge_of(case)
    client = client_in("en", chair)
    base = {"case": case.number, "judge": holder.pk, "kind": "self_recusal", "grounds": ""}
    no_grounds = client.post(RECUSALS, base)
    assert error_of(no_grounds.content.decode(), "grounds") == "State the grounds."
    foreign = judges["app3"]
    elsewhere = client.post(RECUSALS, {**base, "judge": foreign.pk, "grounds": "Relative"})
    assert "neither holds case" in error_of(elsewhere.content.decode(), "judge")
    assert not Recusal.objects.exists()

    filed = client.post(RECUSALS, {**base, "grounds": "Former colleague of the plaintiff"})
    recusal = Recusal.objects.get()
    assert filed.status_code == 302 and filed["Location"] == f"/distribution/staff/recusals/{recusal.pk}/"
    decide_page = client.get(filed["Location"]).content.decode()
    assert "the judge's seat is drawn again at once" in decide_page
    assert case.number in client.get(RECUSALS).content.decode()

    no_choice = client.post(filed["Location"], {"decision": "", "reason": "Confirmed"})
    assert error_of(no_choice.content.decode(), "decision") == "Choose the decision."
    recusal.refresh_from_db()
    assert recusal.status == RecusalStatus.PENDING

    done = client.post(filed["Location"], {"decision": "upheld", "reason": "Grounds confirmed by the file"})
    assert done.status_code == 302
    recusal.refresh_from_db()
    assert recusal.status == RecusalStatus.UPHELD and recusal.decided_by_id == chair.pk
    case.refresh_from_db()
    assert case.judge_id != holder.pk
    page = client.get("/distribution/staff/").content.decode()
    exceptions = page[page.index('id="exceptions"') :]
    assert "Grounds confirmed by the file" in exceptions and holder.full_name in exceptions


def test_rejected_recusal_keeps_the_judge(
    judges: dict[str, Judge], register: Callable[..., Case], chair: User
) -> None:
    case = register()
    holder = judge_of(case)
    recusal = services.file_recusal(
        case=case, judge=holder, kind=RecusalKind.RECUSAL, grounds="Too strict", actor=chair
    )
    client = client_in("en", chair)
    done = client.post(
        f"/distribution/staff/recusals/{recusal.pk}/", {"decision": "rejected", "reason": "No grounds"}
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.judge_id == holder.pk
    assert "The recusal is rejected" in client.get("/distribution/staff/").content.decode()


def test_forms_are_for_the_chair_of_the_case_court_only(
    judges: dict[str, Judge], register: Callable[..., Case], chair: User, appeal_chair: User, clerk: User
) -> None:
    case = register()
    other = other_civil_judge(judges, case)
    recusal = services.file_recusal(
        case=case, judge=judge_of(case), kind=RecusalKind.RECUSAL, grounds="Relative", actor=chair
    )
    anonymous = Client().get(MANUAL)
    assert anonymous.status_code == 302 and "/auth/login/" in anonymous["Location"]
    refused = client_in("en", clerk).get(MANUAL)
    assert refused.status_code == 403 and "Only the court chair may do this." in refused.content.decode()
    theirs = client_in("en", appeal_chair)
    body = {"case": case.number, "judge": other.pk, "seat": 1, "reason": "x" * 20, "understood": "on"}
    answer = theirs.post(MANUAL, body)
    assert error_of(answer.content.decode(), "case") == (
        f"Case {case.number} is in another court; only that court&#x27;s chair may act on it."
    )
    assert theirs.get(f"/distribution/staff/recusals/{recusal.pk}/").status_code == 404
    by_api = theirs.post(
        "/api/v1/distribution/recusals",
        {"case": case.number, "judge_id": other.pk, "kind": "recusal", "grounds": "Relative"},
        content_type="application/json",
    )
    assert by_api.status_code == 403 and by_api.json()["message"] == "The case is in another court."
    assert Recusal.objects.count() == 1
    assert manual_records() == 0


def test_a_case_nobody_may_hear_is_offered_to_the_chair_for_manual_assignment(
    judges: dict[str, Judge], register: Callable[..., Case], chair: User, auditor: User
) -> None:
    case = register("adm.tax")  # no judge of the court holds the specialisation
    assert case.judge_id is None
    link = f'href="{MANUAL}?case={case.number}"'
    assert link in client_in("en", chair).get("/distribution/staff/").content.decode()
    # The auditor sees the alert but is offered no action.
    page = client_in("en", auditor).get("/distribution/staff/", {"court": "7140"}).content.decode()
    assert case.number in page[page.index('id="alerts"') :] and MANUAL not in page


def test_case_page_shows_the_seats_and_offers_the_chair_the_actions(
    judges: dict[str, Judge],
    register: Callable[..., Case],
    chair: User,
    appeal_chair: User,
    auditor: User,
    clerk: User,
) -> None:
    case = register()
    holder = judge_of(case)
    mine = client_in("en", chair).get("/distribution/staff/case/", {"number": case.number})
    body = mine.content.decode()
    assert mine.status_code == 200 and holder.full_name in body[body.index('id="seats"') :]
    assert f"{REDISTRIBUTE}?case={case.number}&amp;judge={holder.pk}" in body
    assert f"{RECUSALS}?case={case.number}&amp;judge={holder.pk}" in body
    # The auditor reads it, with no action offered.
    audited = client_in("en", auditor).get("/distribution/staff/case/", {"number": case.number})
    assert audited.status_code == 200 and holder.full_name in audited.content.decode()
    assert REDISTRIBUTE not in audited.content.decode()
    assert (
        client_in("en", appeal_chair).get("/distribution/staff/case/", {"number": case.number}).status_code
        == 404
    )
    assert client_in("en", clerk).get("/distribution/staff/case/", {"number": case.number}).status_code == 403
    # The form opened from the case lists the judges holding it.
    form = (
        client_in("en", chair)
        .get(REDISTRIBUTE, {"case": case.number, "judge": str(holder.pk)})
        .content.decode()
    )
    assert f'<option value="{holder.pk}" selected>{holder.full_name}</option>' in form
