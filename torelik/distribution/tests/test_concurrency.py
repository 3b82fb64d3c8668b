"""Two cases registered at the same moment never read the same load (PostgreSQL, real connections)."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from torelik.cases.models import Case, PartyRole, PersonKind
from torelik.cases.parties import PartyDetails
from torelik.courts.models import CaseCategory, Court
from torelik.distribution import days, services
from torelik.distribution.models import DistributionRecord, JudgeLoad
from torelik.distribution.tests.conftest import make_judge
from torelik.distribution.verification import verify
from torelik.efiling.registration import register_and_distribute
from torelik.identity.permissions import SYSTEM

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        "postgresql" not in str(settings.DATABASES["default"]["ENGINE"]), reason="needs PostgreSQL row locks"
    ),
]

ROUNDS = 6


def _seed_weights() -> None:
    import importlib

    from django.apps import apps

    importlib.import_module("torelik.distribution.migrations.0002_policy_and_weight_baselines").seed(
        apps, None
    )


def test_simultaneous_draws_are_serialised_on_the_load(reference_data: None, demo_court: Court) -> None:
    """Cases are registered while nobody is eligible (distinct case-number rows, so nothing else
    serialises them), then the judges arrive and pairs of cases are drawn at the same instant."""
    _seed_weights()
    category = CaseCategory.objects.get(code="civ.divorce")
    cases = [
        register_and_distribute(
            court=demo_court,
            category=category,
            registered_at=timezone.now(),
            actor=SYSTEM,
            parties=[
                PartyDetails(
                    role=PartyRole.PLAINTIFF,
                    person_kind=PersonKind.INDIVIDUAL,
                    name="P",
                    iin=f"8001013{n:05d}",
                )
            ],
            documents=[],
        )
        for n in range(2 * ROUNDS)
    ]
    for name in ("A", "B", "C"):
        make_judge(demo_court, f"СУДЬЯ {name}", ["civil"])
    errors: list[BaseException] = []

    def worker(barrier: threading.Barrier, case: Case) -> None:
        try:
            barrier.wait(timeout=30)
            services.distribute_case(case=case, actor=SYSTEM)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    for round_no in range(ROUNDS):
        barrier = threading.Barrier(2)
        pair = cases[2 * round_no : 2 * round_no + 2]
        threads = [threading.Thread(target=worker, args=(barrier, case)) for case in pair]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert not errors, errors
    assert Case.objects.filter(status="assigned").count() == 2 * ROUNDS

    records = list(DistributionRecord.objects.filter(outcome="assigned").order_by("id"))
    assert len(records) == 2 * ROUNDS
    # Each draw saw every earlier assignment: the loads it read are the sum of all earlier deltas.
    seen: dict[int, int] = {}
    for record in records:
        snap = json.loads(record.snapshot)
        for row in snap["candidates"]:
            units = seen.get(row["judge"], 0)
            assert row["assigned"] == f"{units // 10_000}.{units % 10_000:04d}", record.case_number
        assert record.judge_id is not None
        seen[record.judge_id] = seen.get(record.judge_id, 0) + 10_000  # weight 1.00
    all_records = list(DistributionRecord.objects.order_by("seq"))
    assert [r.seq for r in all_records] == list(range(1, 4 * ROUNDS + 1))
    assert sum(JudgeLoad.objects.values_list("load_units", flat=True)) == 2 * ROUNDS * 10_000
    days.reveal_days(now=timezone.now() + timedelta(days=1, hours=1))
    report = verify(start=timezone.localdate(), end=timezone.localdate())
    assert report.ok, [f.label for f in report.findings]


def test_skip_marker_matches_engine() -> None:
    # Runs only on PostgreSQL (module-level skip); documents that the engine really is PostgreSQL.
    assert connection.vendor == "postgresql"
