"""The living demo: some three hundred cases at every stage, made by running the real services.

`load_living_demo` runs a fixed plan (`plan.py`) over the 200 days before the demo opens, on a
simulated clock (`clock.py`): filings signed with the demo keys and paid at the demo bank, accepted
by the courts' clerks, drawn by the distribution, moved through their procedures by their judges,
clerks and the platform, with acts signed in PAdES and time-stamped, appeals filed and sent up,
appellate cases drawn and decided (`history.py`). It is made once, on a database without cases,
in one transaction: either the whole history is there or none of it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from torelik.cases.models import Case
from torelik.courts.models import CaseKind, Court, Judge
from torelik.demo.living.history import History, Summary
from torelik.demo.living.people import Staff
from torelik.demo.living.plan import DEFAULT_SIZE, DEMO_COURT, HORIZON, SEED, build_plan
from torelik.distribution import days as distribution_days
from torelik.distribution.demo import load_demo_distribution
from torelik.identity.models import User
from torelik.signatures.demo_identities import demo_identity
from torelik.signatures.testca import DemoPki
from torelik.signatures.tsa import start_tsa_in_thread

log = logging.getLogger(__name__)

FILER_KEYS = ("citizen", "entity", "lawyer", "prosecutor")

__all__ = ["DEFAULT_SIZE", "LivingDemo", "load_living_demo"]


@dataclass(frozen=True)
class LivingDemo:
    made: bool
    reason: str = ""
    summary: Summary | None = None
    first_day: date | None = None
    last_day: date | None = None


def load_living_demo(
    *, pki: DemoPki, staff_password: str, totp_secret: str, size: int = DEFAULT_SIZE, seed: int = SEED
) -> LivingDemo:
    """Makes the living demo, unless the database already has cases (then nothing is done)."""
    if Case.objects.exists():
        return LivingDemo(made=False, reason="the database already has cases")
    end = timezone.localdate()
    first_day = end - timedelta(days=HORIZON)
    setup = timezone.make_aware(datetime.combine(first_day - timedelta(days=1), time(12, 0)))
    for key in (*FILER_KEYS, "judge"):
        valid_from = pki.signing_key(key).certificate.not_valid_before_utc
        if valid_from > setup:
            # Keys made by an older Torelik are valid from the day they were made: the history
            # could not be signed with them. `make clean` (or removing PKI_DIR) makes new ones.
            return LivingDemo(
                made=False,
                reason=f"the demo key {key} in {pki.directory} is valid only from {valid_from:%Y-%m-%d}",
            )
    filers = {key: _filer(key) for key in FILER_KEYS}
    court = Court.objects.select_related("appeal_court").get(code=DEMO_COURT)
    chair = User.objects.filter(username="chair").first()
    with transaction.atomic():
        staff = Staff(pki=pki, staff_password=staff_password, totp_secret=totp_secret)
        # Whoever the draw seats on an appeal of the demo court can log in and sign (README).
        staff.open_to_login(
            list(
                Judge.objects.filter(
                    court=court.appeal_court, is_active=True, specialisations__kind=CaseKind.CIVIL
                )
                .select_related("court")
                .distinct()
                .order_by("id")
            )
        )
        history = History(
            plan=build_plan(size=size, seed=seed),
            size=size,
            first_day=first_day,
            end=end,
            pki=pki,
            staff=staff,
            tsa_url="",
            filers=filers,
            chair=chair,
            seed=seed,
        )
        with history.clock.at(setup) as now:
            load_demo_distribution(now=now, commit_today=False)
        # One time-stamping authority for the whole history, on the real clock.
        history.tsa_url, stop = start_tsa_in_thread(pki)
        try:
            summary = history.run()
        except BaseException:
            distribution_days.forget_cached()  # the secrets it cached are rolled back with the rest
            raise
        finally:
            stop()
    return LivingDemo(made=True, summary=summary, first_day=first_day, last_day=end - timedelta(days=1))


def _filer(key: str) -> User:
    ident = demo_identity(key)
    return User.objects.get(iin=ident.iin, bin=ident.bin)
