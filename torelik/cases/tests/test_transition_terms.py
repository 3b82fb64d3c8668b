"""The appeal term in a step: the working calendar with the declared day-off transfers, reused
between steps (building one computes the public holidays) yet never stale."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import override

from torelik.cases.tests.conftest import sign_act, step
from torelik.kernel.errors import DomainError
from torelik.kernel.models import DayOffTransfer

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def test_a_transfer_declared_after_a_term_was_checked_moves_its_last_day(
    case: Any, judge: Any, clerk: Any
) -> None:
    step(case, "accept", judge)
    step(case, "schedule_hearing", judge)
    step(case, "announce_decision", judge, outcome="granted")
    sign_act(case, "decision")
    # Monday 2 March 2026: the month ends on Thursday 2 April, a working day.
    step(case, "decision_in_full", judge, now=_at(dt.date(2026, 3, 2)))
    with override("en"), pytest.raises(DomainError) as err:
        step(case, "enter_into_force", clerk, now=_at(dt.date(2026, 4, 2)))
    assert "ends on 02.04.2026" in str(err.value.message)
    # The government moves the day off: 2 April is not worked, Saturday 4 April is.
    DayOffTransfer.objects.create(working_day=dt.date(2026, 4, 4), day_off=dt.date(2026, 4, 2))
    with override("en"), pytest.raises(DomainError) as err:
        step(case, "enter_into_force", clerk, now=_at(dt.date(2026, 4, 3)))
    assert err.value.code == "term_running"
    assert "ends on 03.04.2026" in str(err.value.message)
    assert step(case, "enter_into_force", clerk, now=_at(dt.date(2026, 4, 4))).stage == "in_force"
