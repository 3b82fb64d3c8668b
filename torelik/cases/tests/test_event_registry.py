"""Case-event kinds are declared by the app that appends them; anything else is refused."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django.utils.translation import override

from torelik.cases import events
from torelik.cases.models import CaseEvent
from torelik.cases.services import NewCaseEvent, append_case_event, append_case_events
from torelik.courts.models import CaseCategory
from torelik.efiling.registration import register_and_distribute
from torelik.identity.permissions import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(demo_court):
    return register_and_distribute(
        court=demo_court,
        category=CaseCategory.objects.get(code="civ.alimony"),
        registered_at=timezone.now(),
        actor=SYSTEM,
        parties=[],
        documents=[],
    )


def test_an_undeclared_kind_is_refused_and_nothing_is_written(case):
    before = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(events.UnknownEventKind, match=r"case\.asigned"):
        append_case_event(case=case, kind="case.asigned", actor=None, occurred_at=timezone.now())
    with pytest.raises(events.UnknownEventKind):
        append_case_events(
            events=[
                NewCaseEvent(case.pk, "case.assigned", None, timezone.now(), {}),
                NewCaseEvent(case.pk, "no.such.kind", None, timezone.now(), {}),
            ]
        )
    assert CaseEvent.objects.filter(case=case).count() == before


def test_each_app_declares_its_own_kinds():
    apps = {code: kind.app for code, kind in events.registered_kinds().items()}
    assert apps["case.registered"] == apps["case.awaiting_distribution"] == "cases"
    assert (
        apps["case.assigned"]
        == apps["case.redistributed"]
        == apps["case.assigned_manually"]
        == "distribution"
    )
    assert apps["act.signed"] == "acts"
    assert apps["submission.filed"] == "efiling"
    # cases/events.py declares nothing of the apps above it.
    assert {code for code, app in apps.items() if app == "cases"} == {
        "case.registered",
        "case.awaiting_distribution",
        "case.transition",
    }


def test_declaring_a_code_twice_with_another_meaning_is_refused():
    with pytest.raises(ValueError, match="already declared by distribution"):
        events.register_event_kind(
            code="case.assigned", label=events.event_kind("act.signed").label, payload=dict, app="acts"
        )


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Judge assigned by automated distribution"),
        ("ru", "Судья назначен автоматизированным распределением"),
        ("kk", "Судья автоматтандырылған бөлу арқылы тағайындалды"),
    ],
)
def test_labels_are_read_in_the_readers_language(language, label):
    with override(language):
        assert events.event_label("case.assigned") == label


def test_every_declared_kind_has_a_kazakh_and_russian_label():
    for code, kind in events.registered_kinds().items():
        with override("en"):
            english = str(kind.label)
        for language in ("kk", "ru"):
            with override(language):
                assert str(kind.label) != english, (code, language)


def test_history_of_a_retired_kind_still_reads_as_its_code():
    assert events.event_label("case.retired_kind") == "case.retired_kind"
