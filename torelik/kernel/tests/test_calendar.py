from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from torelik.kernel.calendar import Transfer, WorkingCalendar
from torelik.kernel.errors import DomainError
from torelik.kernel.models import DayOffTransfer

ALMATY = ZoneInfo("Asia/Almaty")
# The declared transfer of 2025: Sunday 5 January worked in place of Friday 3 January.
TRANSFER_2025 = Transfer(working_day=date(2025, 1, 5), day_off=date(2025, 1, 3))


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar(transfers=[TRANSFER_2025])


def non_working(cal: WorkingCalendar, start: date, end: date) -> list[date]:
    days = (start + timedelta(days=i) for i in range((end - start).days + 1))
    return [d for d in days if not cal.is_working_day(d)]


def test_nauryz_2025_with_the_weekend_days_moved(cal):
    # 21 March (Fri), 22–23 fall on the weekend, so 24 and 25 March are days off as well.
    assert non_working(cal, date(2025, 3, 20), date(2025, 3, 27)) == [
        date(2025, 3, 21),
        date(2025, 3, 22),
        date(2025, 3, 23),
        date(2025, 3, 24),
        date(2025, 3, 25),
    ]


def test_new_year_2026(cal):
    assert non_working(cal, date(2025, 12, 31), date(2026, 1, 8)) == [
        date(2026, 1, 1),
        date(2026, 1, 2),
        date(2026, 1, 3),
        date(2026, 1, 4),
        date(2026, 1, 7),  # Orthodox Christmas
    ]


def test_a_weekend_holiday_moves_to_the_next_working_day(cal):
    # 8 March 2025 is a Saturday: Monday 10 March is the day off.
    assert not cal.is_working_day(date(2025, 3, 10))
    assert cal.is_working_day(date(2025, 3, 11))
    # Victory Day 2026 is a Saturday: Monday 11 May.
    assert not cal.is_working_day(date(2026, 5, 11))


def test_orthodox_christmas_on_a_weekend_does_not_move(cal):
    # 7 January 2024 was a Sunday; Monday 8 January was worked.
    assert cal.is_working_day(date(2024, 1, 8))


def test_the_2025_transfer(cal):
    assert cal.is_working_day(date(2025, 1, 5))  # a Sunday, worked
    assert not cal.is_working_day(date(2025, 1, 3))  # a Friday, off
    # Without the table the Sunday is an ordinary weekend day.
    assert not WorkingCalendar().is_working_day(date(2025, 1, 5))


def test_a_transfer_from_the_table_overrides_weekend_and_weekday():
    # A made-up transfer on plain days, so the package's own data cannot explain the result.
    cal = WorkingCalendar(transfers=[(date(2026, 2, 7), date(2026, 2, 9))])
    assert cal.is_working_day(date(2026, 2, 7))  # Saturday
    assert not cal.is_working_day(date(2026, 2, 9))  # Monday
    assert cal.next_working_day(date(2026, 2, 9)) == date(2026, 2, 10)


@pytest.mark.django_db
def test_load_reads_the_transfer_table():
    # The data migration loads the declared 2025 transfer.
    assert DayOffTransfer.objects.filter(working_day=date(2025, 1, 5), day_off=date(2025, 1, 3)).exists()
    DayOffTransfer.objects.create(working_day=date(2027, 2, 6), day_off=date(2027, 2, 8))
    loaded = WorkingCalendar.load()
    assert loaded.is_working_day(date(2025, 1, 5))
    assert loaded.is_working_day(date(2027, 2, 6))
    only_2025 = WorkingCalendar.load(years=[2025])
    assert only_2025.is_working_day(date(2025, 1, 5))
    assert not only_2025.is_working_day(date(2027, 2, 6))


def test_next_working_day(cal):
    assert cal.next_working_day(date(2025, 3, 19)) == date(2025, 3, 19)
    assert cal.next_working_day(date(2025, 3, 21)) == date(2025, 3, 26)


def test_add_working_days_across_holidays(cal):
    # Counted from the day after: Thursday 20 March 2025 + 1 skips Nauryz to Wednesday 26 March.
    assert cal.add_working_days(date(2025, 3, 20), 1) == date(2025, 3, 26)
    assert cal.add_working_days(date(2025, 3, 20), 5) == date(2025, 4, 1)
    # New Year 2025: 1–3 January off, Sunday 5 January worked, 7 January Christmas.
    assert cal.add_working_days(date(2024, 12, 31), 1) == date(2025, 1, 5)
    assert cal.add_working_days(date(2024, 12, 31), 3) == date(2025, 1, 8)
    assert cal.add_working_days(date(2025, 3, 20), 0) == date(2025, 3, 20)


def test_add_calendar_days_ends_on_a_working_day(cal):
    assert cal.add_calendar_days(date(2025, 3, 11), 10) == date(2025, 3, 26)
    assert cal.add_calendar_days(date(2025, 3, 11), 1) == date(2025, 3, 12)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # clamped to the shorter month
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 3, 31), 2, date(2025, 6, 2)),  # 31 May is a Saturday
        (date(2025, 2, 8), 1, date(2025, 3, 11)),  # 8 March Sat, 9 Sun, 10 holiday moved
        (date(2025, 11, 1), 2, date(2026, 1, 5)),  # New Year holidays, then the weekend
        (date(2025, 12, 16), 12, date(2026, 12, 17)),  # Independence Day
    ],
)
def test_add_months(cal, start, months, end):
    assert cal.add_months(start, months) == end


def test_add_hours_runs_continuously(cal):
    start = datetime(2025, 3, 21, 18, 0, tzinfo=ALMATY)  # on a holiday
    assert cal.add_hours(start, 48) == datetime(2025, 3, 23, 18, 0, tzinfo=ALMATY)
    assert cal.add_hours(start, 48).tzinfo == ALMATY
    assert cal.add_hours(datetime(2025, 1, 1, 23, 30), 1) == datetime(2025, 1, 2, 0, 30)


def test_working_days_between(cal):
    assert cal.working_days_between(date(2025, 3, 20), date(2025, 4, 1)) == 5
    assert cal.working_days_between(date(2025, 4, 1), date(2025, 3, 20)) == -5
    assert cal.working_days_between(date(2025, 3, 20), date(2025, 3, 20)) == 0


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_bad_terms_are_refused(cal, bad):
    with pytest.raises(DomainError) as info:
        cal.add_working_days(date(2025, 1, 1), bad)
    assert info.value.code == "calendar_term_invalid"
    with pytest.raises(DomainError):
        cal.add_months(date(2025, 1, 1), bad)


@given(start=st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)), n=st.integers(0, 60))
def test_working_days_between_inverts_add_working_days(start, n):
    cal = WorkingCalendar(transfers=[TRANSFER_2025])
    end = cal.add_working_days(start, n)
    assert cal.working_days_between(start, end) == n
    if n:
        assert cal.is_working_day(end)
        assert end > start
