"""Kazakhstan's working calendar for procedural terms.

A day is a working day unless it is a Saturday, a Sunday or a public holiday, with the
government's declared transfers on top: a transfer's `working_day` is worked even on a weekend,
its `day_off` is not worked.

Public holidays come from the `holidays` package (country "KZ"). That package already applies
the statutory weekend rule: a holiday falling on a Saturday or Sunday gives the next working day
off ("observed" dates), except Orthodox Christmas and Kurban ait, which do not move.
We build it with `observed=True` explicitly and test the shift (e.g. 8 March 2025, a
Saturday, gives Monday 10 March off). Kurban ait dates of future years are the package's
estimates until the date is announced.

Rules the project's domain reference marks "(confirm)", i.e. not yet checked against the Civil
Procedure Code text:
- a term ending on a non-working day ends on the next working day (confirm) — applied by
  `add_calendar_days` and `add_months`;
- the 5 working days for accepting or returning a claim (confirm) and the 6 months for
  cassation (confirm) are figures of the deadline rules, not of this module.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import holidays
from django.utils.translation import gettext as _

from torelik.kernel.errors import DomainError

# A run of non-working days longer than this means the data are broken, not a long holiday.
_MAX_NON_WORKING_RUN = 366


@dataclass(frozen=True)
class Transfer:
    working_day: date
    day_off: date


class WorkingCalendar:
    """Working days of Kazakhstan: weekends, public holidays and declared day-off transfers.

    Build it with `WorkingCalendar.load()` in application code (transfers from the database) or
    `WorkingCalendar(transfers=[...])` in tests and pure computations.
    """

    def __init__(self, transfers: Iterable[Transfer | tuple[date, date]] = ()) -> None:
        self._extra_working: set[date] = set()
        self._extra_off: set[date] = set()
        for item in transfers:
            working_day, day_off = (item.working_day, item.day_off) if isinstance(item, Transfer) else item
            self._extra_working.add(working_day)
            self._extra_off.add(day_off)
        # expand=True: years are filled in on first use, so terms may run into any year.
        self._holidays: Any = holidays.country_holidays("KZ", observed=True, expand=True)

    @classmethod
    def load(cls, *, years: Iterable[int] | None = None) -> WorkingCalendar:
        """The calendar with the transfers in the DayOffTransfer table.

        `years` limits which transfers are read (either date in one of the years); None reads all.
        """
        from torelik.kernel.models import DayOffTransfer

        rows = DayOffTransfer.objects.all()
        if years is not None:
            wanted = sorted(set(years))
            rows = rows.filter(working_day__year__in=wanted) | rows.filter(day_off__year__in=wanted)
        return cls(transfers=[Transfer(r.working_day, r.day_off) for r in rows])

    # ------------------------------------------------------------------ days

    def is_holiday(self, d: date) -> bool:
        """A public holiday or the day off that replaces one falling on a weekend."""
        return d in self._holidays

    def holiday_name(self, d: date) -> str | None:
        name = self._holidays.get(d)
        return str(name) if name is not None else None

    def is_working_day(self, d: date) -> bool:
        if d in self._extra_working:
            return True
        if d in self._extra_off:
            return False
        if d.weekday() >= 5:
            return False
        return not self.is_holiday(d)

    def next_working_day(self, d: date) -> date:
        """`d` itself when it is a working day, else the first working day after it."""
        for _step in range(_MAX_NON_WORKING_RUN):
            if self.is_working_day(d):
                return d
            d += timedelta(days=1)
        raise DomainError(
            "calendar_no_working_day", _("No working day found within a year; check the calendar.")
        )

    # ------------------------------------------------------------------ terms

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start`: the term runs from the day after the event.

        n = 0 gives `start` itself.
        """
        _check_term(n)
        d = start
        remaining = n
        while remaining > 0:
            d = self.next_working_day(d + timedelta(days=1))
            remaining -= 1
        return d

    def add_calendar_days(self, start: date, n: int) -> date:
        """`start` + n days; a term ending on a non-working day ends on the next working day (confirm)."""
        _check_term(n)
        return self.next_working_day(start + timedelta(days=n))

    def add_months(self, start: date, n: int) -> date:
        """The same day number n months later, clamped to the end of a shorter month, then moved
        to the next working day if it is not one (confirm).

        E.g. 31 January + 1 month = 28/29 February (then the next working day).
        """
        _check_term(n)
        return self.next_working_day(add_months_raw(start, n))

    def add_hours(self, start: datetime, n: int) -> datetime:
        """`start` + n hours, counted continuously (electoral disputes): no working-day rule.

        Aware datetimes are added in UTC so that a clock change cannot stretch the term.
        """
        _check_term(n)
        if start.tzinfo is None:
            return start + timedelta(hours=n)
        return (start.astimezone(UTC) + timedelta(hours=n)).astimezone(start.tzinfo)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after `a` up to and including `b` (negative when b is before a).

        It inverts `add_working_days`: working_days_between(a, add_working_days(a, n)) == n.
        """
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        d = a + timedelta(days=1)
        while d <= b:
            if self.is_working_day(d):
                count += 1
            d += timedelta(days=1)
        return count


def add_months_raw(start: date, n: int) -> date:
    """Same day number n months later, clamped to the month's last day; no working-day rule."""
    month_index = start.year * 12 + (start.month - 1) + n
    year, month0 = divmod(month_index, 12)
    last_day = _stdlib_calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(start.day, last_day))


def _check_term(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise DomainError(
            "calendar_term_invalid",
            _("A term must be a whole number of days, months or hours, zero or more; %(n)s given.")
            % {"n": n},
        )
