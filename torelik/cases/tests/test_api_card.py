"""/api/v1: a case's stage and procedure, its history, the steps the caller may take, taking one
(idempotent with an Idempotency-Key), and the refusals in the one error shape."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from torelik.cases.models import Case, CaseEvent, CaseOutcome
from torelik.cases.tests.conftest import lengthen_history, step
from torelik.courts.models import Court, CourtLevel
from torelik.identity.models import Role
from torelik.identity.services import create_staff_user
from torelik.kernel.testing import count_queries

pytestmark = pytest.mark.django_db


def _client(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _post(client: Client, case: Case, code: str, body: dict, key: str = ""):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        f"/api/v1/cases/{case.pk}/transitions/{code}",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


def _error_shape(response, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"code", "message", "field"}
    assert body["code"] == code and body["field"] == field and body["message"]


def test_the_case_shows_its_stage_and_procedure(case, citizen):
    rows = _client(citizen, "ru").get("/api/v1/cases", {"number": case.number}).json()
    assert rows[0]["stage"] == {"code": "assigned", "name": "Распределено судье"}
    assert rows[0]["procedure"] == {
        "code": "civil_claim",
        "version": 1,
        "name": "Исковое производство (первая инстанция)",
    }


def test_the_timeline(case, judge, citizen):
    step(case, "accept", judge)
    entries = _client(citizen, "kk").get("/api/v1/cases/timeline", {"number": case.number}).json()
    assert [e["seq"] for e in entries] == [1, 2, 3]
    accepted = entries[-1]
    assert accepted["kind"] == "case.transition" and accepted["transition"] == "accept"
    assert accepted["label"] == "Іс жүргізуге қабылдау"
    assert accepted["stage"]["code"] == "preparation"
    assert accepted["who"] == "Судья ЖАНБОТАЕВ САЯТ"
    assert entries[0]["who"] is None


def test_the_steps_the_caller_may_take(case, judge, clerk, citizen):
    steps = _client(judge).get("/api/v1/cases/transitions", {"number": case.number}).json()
    assert steps == [
        {"code": "accept", "name": "Accept into proceedings", "requires_reason": False, "outcomes": []},
        {
            "code": "return_claim",
            "name": "Return the claim",
            "requires_reason": True,
            "outcomes": [{"code": "returned", "label": "Claim returned"}],
        },
    ]
    for user in (clerk, citizen):
        assert _client(user).get("/api/v1/cases/transitions", {"number": case.number}).json() == []


def test_a_step_with_an_idempotency_key_is_taken_once(case, judge):
    client = _client(judge)
    before = CaseEvent.objects.filter(case=case).count()
    first = _post(client, case, "accept", {}, key="accept-1")
    assert first.status_code == 200, first.content
    assert first.json()["stage"] == {"code": "preparation", "name": "Preparation for trial"}
    again = _post(client, case, "accept", {}, key="accept-1")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert CaseEvent.objects.filter(case=case).count() == before + 1
    # The same key for another request is refused.
    _error_shape(
        _post(client, case, "accept", {"reason": "x"}, key="accept-1"),
        409,
        "idempotency_key_reused",
        "Idempotency-Key",
    )


def test_a_step_with_an_outcome(case, judge):
    step(case, "accept", judge)
    step(case, "schedule_hearing", judge)
    response = _post(
        _client(judge), case, "announce_decision", {"outcome": "granted", "awarded_tiyn": 50_000_000}, key="k"
    )
    assert response.status_code == 200
    assert response.json()["stage"]["code"] == "decided"
    assert CaseOutcome.objects.get(case=case).awarded_tiyn == 50_000_000


def test_refusals_leave_nothing_written_and_speak_the_one_error_shape(case, judge, clerk, demo_court):
    before = CaseEvent.objects.filter(case=case).count()
    # Not the clerk's step.
    _error_shape(_post(_client(clerk), case, "accept", {}, key="c1"), 403, "forbidden")
    # Not a step of this stage.
    _error_shape(_post(_client(judge), case, "schedule_hearing", {}), 409, "transition_not_allowed")
    # A required input missing: the field is named, in the caller's language.
    missing = _post(_client(judge, "ru"), case, "return_claim", {"outcome": "returned"})
    _error_shape(missing, 400, "reason_required", "reason")
    assert missing.json()["message"] == "Укажите основания для «Вернуть исковое заявление»."
    # A malformed body.
    _error_shape(
        _post(_client(judge), case, "accept", {"awarded_tiyn": "много"}),
        422,
        "invalid_request",
        "awarded_tiyn",
    )
    # Too large an amount, and an unknown step.
    _error_shape(
        _post(
            _client(judge),
            case,
            "return_claim",
            {"outcome": "returned", "reason": "x", "awarded_tiyn": 10**30},
        ),
        400,
        "awarded_too_large",
        "awarded_tiyn",
    )
    _error_shape(_post(_client(judge), case, "no_such_step", {}), 400, "transition_unknown", "transition")
    # Another court's judge is not told that the case exists.
    other = Court.objects.create(
        code="7150", level=CourtLevel.DISTRICT, name_kk="Б", name_ru="Д", name_en="O"
    )
    outsider = create_staff_user(
        username="o", password="judge-password-2", role=Role.JUDGE, court=other, full_name="O"
    )
    _error_shape(_post(_client(outsider), case, "accept", {}), 404, "case_not_found")
    _error_shape(
        _client(outsider).get("/api/v1/cases/timeline", {"number": case.number}), 404, "case_not_found"
    )
    assert CaseEvent.objects.filter(case=case).count() == before
    case.refresh_from_db()
    assert case.stage == "assigned"


def test_the_timeline_of_200_entries_costs_what_one_of_2_does(new_case, judge, citizen):
    small = new_case()
    large = lengthen_history(new_case(), judge, entries=200)
    client = _client(citizen)
    client.get("/api/v1/cases/timeline", {"number": small.number})
    few, response = count_queries(client, "/api/v1/cases/timeline", {"number": small.number})
    many, response_large = count_queries(client, "/api/v1/cases/timeline", {"number": large.number})
    assert (len(response.json()), len(response_large.json())) == (2, 200)
    assert many == few
