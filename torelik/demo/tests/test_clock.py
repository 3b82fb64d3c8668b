"""The demo clock sets `timezone.now` for a block, runs on from there, and never goes back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from torelik.demo.living.clock import DemoClock


def test_the_clock_shows_the_moment_and_runs_on() -> None:
    clock = DemoClock()
    real = timezone.now()
    past = real - timedelta(days=100)
    with clock.at(past):
        first = timezone.now()
        second = timezone.now()
        assert past <= first < second < past + timedelta(seconds=5)
        assert timezone.localdate() == timezone.localdate(past)
    assert timezone.now() >= real  # put back
    # A later block never starts before what the clock already showed.
    with clock.at(past - timedelta(hours=1)) as start:
        assert start > second and timezone.now() > second


def test_the_history_cannot_happen_in_the_future() -> None:
    with pytest.raises(ValueError, match="future"), DemoClock().at(timezone.now() + timedelta(hours=1)):
        pass
