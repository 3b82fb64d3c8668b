"""The case card's reads: the history named in the reader's language, never by its stored codes, in
a fixed number of queries however long it is."""

from __future__ import annotations

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from torelik.cases.card import case_card, case_rows, next_steps, stage_choices, stage_name, timeline
from torelik.cases.models import Case, CaseEvent, ProcedureVersion
from torelik.cases.selectors import CARD_RELATED, court_cases
from torelik.cases.tests.conftest import lengthen_history, step

pytestmark = pytest.mark.django_db

CODES = {"accept", "schedule_hearing", "postpone_hearing", "announce_decision", "preparation", "scheduled"}


def _card_case(case: Case) -> Case:
    return Case.objects.select_related(*CARD_RELATED).get(pk=case.pk)


def test_the_timeline_names_every_entry_in_the_reader_s_language(case, judge, clerk):
    step(case, "accept", judge)
    step(case, "schedule_hearing", clerk)
    step(case, "postpone_hearing", judge, reason="Неявка   ответчика")
    step(case, "schedule_hearing", clerk)
    step(case, "announce_decision", judge, outcome="partly_granted", awarded_tiyn=30_000_050)
    with override("ru"):
        entries = timeline(_card_case(case))
    assert [e.label for e in entries] == [
        "Дело зарегистрировано",
        "Ожидает распределения судье",
        "Принять к производству",
        "Назначить судебное заседание",
        "Отложить судебное заседание",
        "Назначить судебное заседание",
        "Огласить резолютивную часть решения",
    ]
    accept, scheduled, postponed, _again, announced = entries[2:]
    assert accept.stage is not None and accept.stage.name == "Подготовка дела к судебному разбирательству"
    assert accept.who == "Судья ЖАНБОТАЕВ САЯТ"
    assert scheduled.who.startswith("Работник канцелярии суда ")
    assert postponed.reason == "Неявка ответчика"  # as the service stored it
    assert announced.outcome is not None and announced.outcome.name == "Иск удовлетворён частично"
    assert announced.awarded == "300\u202f000,50\u00a0₸"
    assert entries[0].who == ""  # the platform registered it: no name
    shown = {text for e in entries for text in (e.label, e.stage.name if e.stage else "", e.who)}
    assert not shown & CODES
    with override("kk"):
        assert timeline(_card_case(case))[2].label == "Іс жүргізуге қабылдау"


def test_a_step_is_named_by_the_procedure_version_it_was_taken_under(case, judge):
    step(case, "accept", judge)
    v1 = case.procedure
    definition = copy.deepcopy(v1.definition)
    for t in definition["transitions"]:
        if t["code"] == "accept":
            t["name"] = {"kk": "Қабылдау (2)", "ru": "Принять (2)", "en": "Accept (2)"}
    v2 = ProcedureVersion.objects.create(
        code=v1.code, version=2, definition=definition, reason="Тест", created_at=timezone.now()
    )
    Case.objects.filter(pk=case.pk).update(procedure=v2)
    with override("en"):
        entries = timeline(_card_case(case))
    assert entries[2].label == "Accept into proceedings"


def test_an_entry_of_a_retired_kind_shows_no_code(case):
    CaseEvent.objects.create(case=case, seq=3, kind="hearing.retired_kind", occurred_at=timezone.now())
    with override("en"):
        assert timeline(_card_case(case))[-1].label == "Entry of the case history"


def test_the_stage_and_the_steps_of_the_viewer(case, judge, clerk, citizen):
    card_case = _card_case(case)
    with override("ru"):
        assert stage_name(card_case) == "Распределено судье"
        card = case_card(case=card_case, viewer=judge)
    assert card.procedure == "Исковое производство (первая инстанция)"
    assert [s.code for s in card.steps] == ["accept", "return_claim"]
    returning = card.steps[1]
    assert returning.requires_reason and [o.code for o in returning.outcomes] == ["returned"]
    assert card.viewer_hears_case
    assert next_steps(user=clerk, case=card_case) == [] and next_steps(user=citizen, case=card_case) == []


def test_the_list_of_the_court_s_cases_names_the_stages(case, judge, clerk):
    step(case, "accept", judge)
    with override("en"):
        rows = case_rows(court_cases(user=clerk))
        choices = stage_choices(court_cases(user=clerk))
    assert [(r.case.pk, r.stage.name) for r in rows] == [(case.pk, "Preparation for trial")]
    assert ("preparation", "Preparation for trial") in [(c.code, c.name) for c in choices]


def test_the_timeline_of_200_entries_costs_what_one_of_2_does(new_case, judge):
    small = _card_case(new_case())
    large = _card_case(lengthen_history(new_case(), judge, entries=200))
    timeline(small)
    counts = []
    for case in (small, large):
        with CaptureQueriesContext(connection) as queries:
            entries = timeline(case)
        counts.append((len(queries.captured_queries), len(entries)))
    assert counts == [(1, 2), (1, 200)]
