"""The demo's clock: the living demo's history happens in the past, on a simulated clock.

Every service reads the time from `django.utils.timezone.now` (directly, or through `localdate`,
`auto_now` fields and the services' `now=` defaults). While the demo builds its history, `at()`
sets that clock to a moment of the plan; the clock then runs on in real time (so two writes of one
step still come one after the other), and never goes backwards from one step to the next.

What the clock does not move, on purpose: the time-stamping authority (RFC 3161) stamps a judge's
signature with the real time it was made, when the demo was built; certificate revocation lists and
OCSP answers are checked against the real time too. Only the demo uses this module.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.utils import timezone

_real_now = timezone.now


class DemoClock:
    """A clock for one history: `at(moment)` makes `timezone.now()` read `moment` and on."""

    def __init__(self) -> None:
        self._base: datetime | None = None
        self._started = 0.0
        self._last: datetime | None = None

    def now(self) -> datetime:
        if self._base is None:
            return _real_now()
        moment = self._base + _seconds(time.perf_counter() - self._started)
        if self._last is not None and moment <= self._last:
            moment = self._last + _seconds(1e-6)
        self._last = moment
        return moment

    @contextlib.contextmanager
    def at(self, moment: datetime) -> Iterator[datetime]:
        """Within the block, `timezone.now()` is `moment` (later if the clock already passed it)."""
        if timezone.is_naive(moment):
            raise ValueError("the demo clock takes aware datetimes")
        if moment > _real_now():
            raise ValueError(f"the demo's history cannot happen in the future ({moment.isoformat()})")
        previous = (self._base, self._started)
        start = moment if self._last is None or moment > self._last else self._last + _seconds(1e-6)
        self._base, self._started = start, time.perf_counter()
        original = timezone.now
        timezone.now = self.now
        try:
            yield start
        finally:
            timezone.now = original
            self._base, self._started = previous

    @property
    def last(self) -> datetime | None:
        """The latest moment the clock has shown."""
        return self._last


def _seconds(value: float) -> timedelta:
    return timedelta(seconds=value)
