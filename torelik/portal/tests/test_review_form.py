# ruff: noqa: F811  (fixtures imported from the acts tests are parameters here)
"""A party appeals a decision from the case page: the form lists the acts that can be challenged,
saves a draft of the right kind, and shows a refusal beside the field it concerns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from torelik.acts.tests.conftest import _reference_rows, judge_user, tsa, tsa_server  # noqa: F401
from torelik.cases.transitions import perform_transition
from torelik.efiling.models import Submission
from torelik.efiling.tests.test_appeals import _claim, _decided
from torelik.identity.permissions import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(citizen, clerk, sign, judge_user, tsa, trusted_pki):
    return _decided(_claim(citizen, sign, clerk), judge_user, trusted_pki)


def _client(user, language="ru"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_the_form_offers_the_signed_decision_and_saves_an_appeal(citizen, decided):
    case, act = decided
    client = _client(citizen)
    assert f'href="/cases/{case.number}/appeal/"' in client.get(f"/cases/{case.number}/").content.decode()
    page = client.get(f"/cases/{case.number}/appeal/").content.decode()
    assert "Апелляционная жалоба на решение" in page and act.title in page
    response = client.post(
        f"/cases/{case.number}/appeal/",
        {"type_key": "appeal", "act": act.pk, "title": "Жалоба", "text": "Прошу отменить решение."},
    )
    submission = Submission.objects.get(type_key="appeal")
    assert response.status_code == 302 and response["Location"] == f"/submissions/{submission.pk}/"
    assert (submission.appealed_case_id, submission.appealed_act_id) == (case.pk, act.pk)
    page = client.get(response["Location"]).content.decode()
    assert case.number in page and "Обжалуется" in page


def test_after_the_term_the_refusal_stands_beside_the_motion_field(citizen, decided):
    case, act = decided
    perform_transition(
        case=case, transition="enter_into_force", actor=SYSTEM, now=timezone.now() + dt.timedelta(days=40)
    )
    response = _client(citizen, "kk").post(
        f"/cases/{case.number}/appeal/",
        {"type_key": "appeal", "act": act.pk, "title": "Шағым", "text": "Шешімнің күшін жоюды сұраймын."},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_restore_term_reason-error"' in page and "Мерзімді қалпына келтіру туралы өтінішті" in page
    assert not Submission.objects.filter(type_key="appeal").exists()


def test_a_stranger_gets_no_form(entity_user, decided):
    case, _act = decided
    assert _client(entity_user).get(f"/cases/{case.number}/appeal/").status_code == 404
