"""The staff case card: each role sees the steps it may take as buttons, and nothing it may not;
a refused step writes nothing and says why beside its input, in the reader's language."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from torelik.cases.models import Case, CaseEvent, CaseOutcome
from torelik.cases.services import register_case
from torelik.cases.tests.conftest import step
from torelik.courts.models import CaseCategory, Court, CourtLevel
from torelik.identity.models import Role
from torelik.identity.permissions import SYSTEM
from torelik.identity.services import create_filer_user, create_staff_user
from torelik.kernel.models import AccessAudit

pytestmark = pytest.mark.django_db


def _client(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _buttons(html: str) -> list[str]:
    """The names of the step buttons on the card."""
    return [
        re.sub(r"\s+", " ", name).strip()
        for name in re.findall(r'<button type="submit" id="step-[\w-]+-button">(.*?)</button>', html, re.S)
    ]


def _form(html: str, code: str) -> str:
    match = re.search(rf'<form[^>]*id="step-{code}".*?</form>', html, re.S)
    assert match, f"no form of the step {code}"
    return match.group(0)


def _written(case: Case) -> tuple[int, str, int]:
    case.refresh_from_db()
    return (
        CaseEvent.objects.filter(case=case).count(),
        case.stage,
        CaseOutcome.objects.filter(case=case).count(),
    )


def test_the_judge_sees_their_steps_as_buttons_and_takes_one(case, judge):
    client = _client(judge)
    page = client.get(f"/staff/cases/{case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert _buttons(html) == ["Accept into proceedings", "Return the claim"]
    assert 'id="case-stage" data-stage="assigned">Assigned to a judge<' in html
    assert "Civil claim (first instance)" in html
    assert f'href="/acts/cases/{case.pk}/"' in html  # the judge drafts acts on the acts page
    assert AccessAudit.objects.filter(action="case.read", object_id=case.number, user=judge).exists()

    response = client.post(f"/staff/cases/{case.pk}/steps/accept/", {})
    assert response.status_code == 302 and response["Location"] == f"/staff/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.stage == "preparation"
    after = client.get(response["Location"]).content.decode()
    assert "Done: “Accept into proceedings”. The case is now at the stage “Preparation for trial”." in after
    timeline = after[after.index('id="timeline"') :]
    assert "Accept into proceedings" in timeline and "stage: Preparation for trial" in timeline
    assert "Judge ЖАНБОТАЕВ САЯТ" in timeline
    assert "Schedule a hearing" in _buttons(after) and "Accept into proceedings" not in _buttons(after)


def test_a_step_with_an_outcome_and_an_amount(case, judge):
    step(case, "accept", judge)
    step(case, "schedule_hearing", judge)
    client = _client(judge)
    form = _form(client.get(f"/staff/cases/{case.pk}/").content.decode(), "announce_decision")
    assert 'type="radio" name="announce_decision-outcome" value="partly_granted"' in form
    assert "Claim partly granted" in form and "Amount awarded, tenge" in form
    response = client.post(
        f"/staff/cases/{case.pk}/steps/announce_decision/",
        {"announce_decision-outcome": "partly_granted", "announce_decision-awarded": "300 000,50"},
    )
    assert response.status_code == 302
    outcome = CaseOutcome.objects.get(case=case)
    assert (outcome.outcome, outcome.awarded_tiyn) == ("partly_granted", 30_000_050)
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Claim partly granted" in page[page.index('id="outcomes"') :]
    assert "300\u202f000,50\u00a0₸" in page


def test_the_clerk_sees_only_the_clerk_s_steps(case, judge, clerk):
    clerk_client = _client(clerk)
    assert _buttons(clerk_client.get(f"/staff/cases/{case.pk}/").content.decode()) == []
    step(case, "accept", judge)
    html = clerk_client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert _buttons(html) == ["Schedule a hearing"]
    assert f'href="/acts/cases/{case.pk}/"' not in html
    judge_buttons = _buttons(_client(judge).get(f"/staff/cases/{case.pk}/").content.decode())
    assert judge_buttons == [
        "Schedule a hearing",
        "Suspend proceedings",
        "Leave without consideration",
        "Terminate proceedings",
    ]
    # A judge's step posted by the clerk: refused, nothing written.
    before = _written(case)
    response = clerk_client.post(f"/staff/cases/{case.pk}/steps/suspend/", {"suspend-reason": "Экспертиза"})
    assert response.status_code == 302
    assert _written(case) == before
    page = clerk_client.get(response["Location"]).content.decode()
    assert "You may not perform “Suspend proceedings” in this case." in page


def test_a_party_sees_no_buttons_and_cannot_open_the_staff_card(case, citizen):
    client = _client(citizen)
    assert client.get(f"/staff/cases/{case.pk}/").status_code == 403
    assert client.post(f"/staff/cases/{case.pk}/steps/accept/", {}).status_code == 403
    portal = client.get(f"/cases/{case.number}/").content.decode()
    assert "<button" not in portal[portal.index("<main") :].replace('<button type="submit">Log out', "")
    assert "/steps/" not in portal
    assert "Assigned to a judge" in portal and "Civil claim (first instance)" in portal


def test_court_staff_of_another_court_and_strangers_get_404(case, demo_court):
    other = Court.objects.create(
        code="7150", level=CourtLevel.DISTRICT, name_kk="Басқа", name_ru="Другой", name_en="Other"
    )
    outsider = create_staff_user(
        username="other-judge", password="judge-password-2", role=Role.JUDGE, court=other, full_name="O"
    )
    client = _client(outsider)
    assert client.get(f"/staff/cases/{case.pk}/").status_code == 404
    before = _written(case)
    assert client.post(f"/staff/cases/{case.pk}/steps/accept/", {}).status_code == 404
    assert _written(case) == before
    assert client.get(f"/staff/cases/{case.pk + 1000}/").status_code == 404
    stranger = create_filer_user(iin="880130412346", bin="", role=Role.CITIZEN, full_name="Чужой Человек")
    assert _client(stranger).get(f"/cases/{case.number}/").status_code == 404


@pytest.mark.parametrize(
    ("language", "reasons_message", "negative_message"),
    [
        (
            "ru",
            "Укажите основания для «Вернуть исковое заявление».",
            "Взысканная сумма не может быть отрицательной.",
        ),
        ("kk", "«Талап арызды қайтару» себептерін көрсетіңіз.", "Өндірілген сома теріс бола алмайды."),
    ],
)
def test_a_refused_step_writes_nothing_and_says_why_beside_the_field(
    case, judge, language, reasons_message, negative_message
):
    client = _client(judge, language)
    before = _written(case)
    response = client.post(f"/staff/cases/{case.pk}/steps/return_claim/", {"return_claim-reason": "  "})
    assert response.status_code == 400
    assert _written(case) == before
    form = _form(response.content.decode(), "return_claim")
    label, textarea = form.index('for="id_return_claim-reason"'), form.index("<textarea")
    error = form.index(reasons_message)
    assert label < error < textarea  # beside its field, between the label and the input
    assert "Give the reasons" not in form

    # The service's own refusal (a negative amount) is shown beside the amount.
    step(case, "accept", judge)
    step(case, "schedule_hearing", judge)
    before = _written(case)
    response = client.post(
        f"/staff/cases/{case.pk}/steps/announce_decision/",
        {"announce_decision-outcome": "granted", "announce_decision-awarded": "-5"},
    )
    assert response.status_code == 400
    assert _written(case) == before
    form = _form(response.content.decode(), "announce_decision")
    label, field = (
        form.index('for="id_announce_decision-awarded"'),
        form.index('name="announce_decision-awarded"'),
    )
    assert label < form.index(negative_message) < field
    assert "The amount awarded cannot be negative." not in form


def test_an_amount_that_is_not_one_is_refused_beside_the_field(case, judge):
    step(case, "accept", judge)
    step(case, "schedule_hearing", judge)
    response = _client(judge).post(
        f"/staff/cases/{case.pk}/steps/announce_decision/",
        {"announce_decision-outcome": "granted", "announce_decision-awarded": "много"},
    )
    assert response.status_code == 400
    form = _form(response.content.decode(), "announce_decision")
    assert "“много” is not an amount in tenge" in form
    assert CaseOutcome.objects.filter(case=case).count() == 0


def test_a_step_of_another_stage_is_refused_with_the_service_s_words(case, judge):
    before = _written(case)
    response = _client(judge).post(f"/staff/cases/{case.pk}/steps/schedule_hearing/", {}, follow=True)
    assert _written(case) == before
    assert (
        "“Schedule a hearing” is not possible while the case is at the stage “Assigned to a judge”."
        in response.content.decode()
    )


def test_the_card_links_the_instances(case, judge, citizen, appeal_of):
    appeal = appeal_of(case)
    page = _client(judge).get(f"/staff/cases/{case.pk}/").content.decode()
    section = page[page.index('id="instances"') :]
    # The appeal court's case is not the district judge's to open: named, not linked.
    assert "Cases at higher instances" in section and appeal.number in section
    assert f'href="/staff/cases/{appeal.pk}/"' not in section
    # The party is a party of the appeal too: the portal links it.
    portal = _client(citizen).get(f"/cases/{case.number}/").content.decode()
    assert f'href="{reverse("portal:case", args=[appeal.number])}"' in portal
    back = _client(citizen).get(reverse("portal:case", args=[appeal.number])).content.decode()
    assert "Case at the lower instance" in back and f'href="/cases/{case.number}/"' in back


def test_the_list_of_the_court_s_cases_filters_by_stage_and_pages_by_50(case, judge, clerk, demo_court):
    category = CaseCategory.objects.get(code="civ.loan")
    for _n in range(51):
        register_case(
            court=demo_court,
            category=category,
            registered_at=timezone.now(),
            actor=SYSTEM,
            parties=[],
            documents=[],
        )
    step(case, "accept", judge)
    client = _client(clerk)
    first = client.get("/staff/cases/").content.decode()
    assert 'href="/staff/cases/"' in first  # the navigation
    assert len(re.findall(r'href="/staff/cases/\d+/"', first)) == 50
    assert "52 cases, newest first" in first and "Page 1 of 2" in first
    second = client.get("/staff/cases/", {"page": 2}).content.decode()
    assert len(re.findall(r'href="/staff/cases/\d+/"', second)) == 2
    preparation = client.get("/staff/cases/", {"stage": "preparation"}).content.decode()
    assert re.findall(r'href="/staff/cases/(\d+)/"', preparation) == [str(case.pk)]
    assert '<option value="preparation" selected>Preparation for trial</option>' in preparation
    assert "ЖАНБОТАЕВ САЯТ" in preparation
    assert AccessAudit.objects.filter(action="case.list", user=clerk).count() == 3


def test_the_navigation_shows_the_court_s_cases_to_court_staff_only(case, clerk, citizen):
    assert 'href="/staff/cases/"' in _client(clerk).get("/staff/intake/").content.decode()
    assert 'href="/staff/cases/"' not in _client(citizen).get("/submissions/").content.decode()


def test_a_refusal_about_no_single_input_is_shown_above_the_step_s_form(case, judge):
    step(case, "accept", judge)
    step(case, "schedule_hearing", judge)
    step(case, "announce_decision", judge, outcome="granted")
    before = _written(case)
    response = _client(judge).post(f"/staff/cases/{case.pk}/steps/decision_in_full/", {})
    assert response.status_code == 400
    assert _written(case) == before
    form = _form(response.content.decode(), "decision_in_full")
    alert = form.index('role="alert"')
    assert alert < form.index("needs a signed act of the kind “decision” first") < form.index("<button")
