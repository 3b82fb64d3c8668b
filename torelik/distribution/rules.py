"""The arithmetic of a draw, as pure functions shared by the draw and by its verification.

Loads are kept in integer units of 1/10,000 of a weight unit, so sums are exact on every engine.
A judge's normalised load:

    load = (sum of weights assigned in the period) / workload_share × elapsed_days / available_days

where elapsed_days counts the days of the period up to the draw's date and available_days those
of them on which the judge was appointed and not absent. Values are rounded to 6 decimal places
(half to even) before they are compared.

The draw set, with T the tolerance, m the least normalised load among the eligible judges and d the
judge's normalised load after receiving this case:
- mode "projected" (default): judges with d <= m + T; if there is none, the judges whose receiving
  the case leaves the smallest max - min of the loads;
- mode "current": judges with load <= m + T.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

UNITS = 10_000
LOAD_PLACES = Decimal("0.000001")
FORMULA = (
    "load = assigned_weight / workload_share * elapsed_days / available_days; "
    "projected = (assigned_weight + load_delta) / workload_share * elapsed_days / available_days; "
    "draw set = judges with (projected if mode is 'projected' else load) <= min(load) + tolerance, "
    "or, when that set is empty, the judges whose receiving the case leaves the least max - min of loads; "
    "index = int(HMAC-SHA256(day_secret, case_number + '|' + snapshot_sha256), 16) mod len(draw set)"
)


@dataclass(frozen=True)
class Period:
    unit: str
    start: date
    end: date

    def elapsed_days(self, day: date) -> int:
        return (day - self.start).days + 1

    def as_snapshot(self, day: date) -> dict[str, object]:
        return {
            "unit": self.unit,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "elapsed_days": self.elapsed_days(day),
        }


def period_of(day: date, unit: str) -> Period:
    if unit == "year":
        return Period(unit, date(day.year, 1, 1), date(day.year, 12, 31))
    if unit == "quarter":
        first_month = 3 * ((day.month - 1) // 3) + 1
        last_month = first_month + 2
        return Period(
            unit,
            date(day.year, first_month, 1),
            date(day.year, last_month, calendar.monthrange(day.year, last_month)[1]),
        )
    if unit == "month":
        return Period(
            unit,
            date(day.year, day.month, 1),
            date(day.year, day.month, calendar.monthrange(day.year, day.month)[1]),
        )
    raise ValueError(f"unknown period unit {unit!r}")


def to_units(weight: Decimal) -> int:
    return int((Decimal(weight) * UNITS).to_integral_value(rounding=ROUND_HALF_EVEN))


def units_str(units: int) -> str:
    """Units as a decimal string with 4 places: 12500 -> "1.2500"."""
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), UNITS)
    return f"{sign}{whole}.{frac:04d}"


def parse_units(text: str) -> int:
    return to_units(Decimal(text))


def available_days(
    *, period_start: date, day: date, appointed_on: date, absences: Iterable[tuple[date, date]]
) -> int:
    """Days from the period's start to `day` inclusive on which the judge was appointed and present."""
    first = max(period_start, appointed_on)
    if first > day:
        return 0
    covered: set[date] = set()
    for starts_on, ends_on in absences:
        lo = max(starts_on, first)
        hi = min(ends_on, day)
        cursor = lo
        while cursor <= hi:
            covered.add(cursor)
            cursor += timedelta(days=1)
    return (day - first).days + 1 - len(covered)


@functools.lru_cache(maxsize=65536)  # a draw computes the same loads for its rows and its draw set
def normalised(units: int, share: Decimal, elapsed: int, available: int) -> Decimal:
    if available <= 0 or share <= 0:
        raise ValueError("a judge without available days or share cannot be compared")
    value = (Decimal(units) * elapsed) / (Decimal(UNITS) * Decimal(share) * available)
    return value.quantize(LOAD_PLACES, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Candidate:
    judge_id: int
    units: int
    share: Decimal
    available: int

    def load(self, elapsed: int) -> Decimal:
        return normalised(self.units, self.share, elapsed, self.available)

    def projected(self, elapsed: int, delta_units: int) -> Decimal:
        return normalised(self.units + delta_units, self.share, elapsed, self.available)


@dataclass(frozen=True)
class DrawSet:
    judge_ids: list[int]
    min_load: Decimal
    threshold: Decimal
    fallback: bool


def draw_set(
    candidates: Sequence[Candidate], *, elapsed: int, delta_units: int, tolerance: Decimal, mode: str
) -> DrawSet:
    """The judges the draw chooses among, ordered by judge id."""
    if not candidates:
        raise ValueError("no candidates")
    loads = {c.judge_id: c.load(elapsed) for c in candidates}
    minimum = min(loads.values())
    threshold = minimum + Decimal(tolerance)
    if mode == "current":
        chosen = [c.judge_id for c in candidates if loads[c.judge_id] <= threshold]
        return DrawSet(sorted(chosen), minimum, threshold, False)
    if mode != "projected":
        raise ValueError(f"unknown tolerance mode {mode!r}")
    projected = {c.judge_id: c.projected(elapsed, delta_units) for c in candidates}
    chosen = [j for j, p in projected.items() if p <= threshold]
    if chosen:
        return DrawSet(sorted(chosen), minimum, threshold, False)
    # Nobody fits (a heavy case and a part-time judge at the minimum): the judges whose receiving
    # the case leaves the smallest spread of loads, so the pool comes back within the tolerance.
    spreads = {j: _spread_after(loads, j, projected[j]) for j in projected}
    least = min(spreads.values())
    return DrawSet(sorted(j for j, s in spreads.items() if s == least), minimum, threshold, True)


def _spread_after(loads: dict[int, Decimal], judge_id: int, projected: Decimal) -> Decimal:
    after = [projected if j == judge_id else v for j, v in loads.items()]
    return max(after) - min(after)


def gini(values: Sequence[Decimal | float]) -> float:
    """Gini coefficient of non-negative values: 0 when equal, towards 1 when one holds everything."""
    xs = sorted(float(v) for v in values)
    n = len(xs)
    total = sum(xs)
    if n == 0 or total <= 0:
        return 0.0
    weighted = sum((i + 1) * x for i, x in enumerate(xs))
    return (2 * weighted) / (n * total) - (n + 1) / n
