"""Distribution throughput and fairness: judges, cases drawn one by one with full records.

Prepares a fresh database (SQLite in a temporary directory, or a new database on the PostgreSQL
server named by TORELIK_DATABASE_URL), migrates it, creates `--courts` district courts with
`--judges` judges in all (civil, criminal, administrative-offence and administrative benches, 5 %
of judges half-time), registers `--cases` cases awaiting distribution (bulk insert: registration
is not what is measured), then distributes them one by one with `services.distribute_case` — the
same function registration calls — each writing its DistributionRecord, assignment, load change
and case event, in its own transaction.

Reports assignments per second, and per pool (court × specialisation) the max − min normalised
load and the Gini coefficient at the end; the same figures for plain uniform random assignment
among the same eligible judges, as the comparison. Finally runs `verify` over the day on a sample
or on everything (`--verify`). Usage:

    .venv/bin/python bench/distribution.py --engine sqlite
    bash scripts/with-postgres.sh .venv/bin/python bench/distribution.py --engine postgres
    .venv/bin/python bench/distribution.py --engine sqlite --cases 20000
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Share of first-instance cases per category, roughly as in Kazakhstan's published court statistics:
# court orders and simplified civil cases dominate, then administrative offences and family cases.
MIX: list[tuple[str, float]] = [
    ("civ.court_order", 0.20),
    ("civ.simplified", 0.08),
    ("civ.loan", 0.10),
    ("civ.consumer", 0.03),
    ("civ.property", 0.03),
    ("civ.housing", 0.02),
    ("civ.inheritance", 0.02),
    ("civ.divorce", 0.06),
    ("civ.alimony", 0.04),
    ("civ.paternity", 0.01),
    ("civ.labour", 0.02),
    ("civ.reinstatement", 0.01),
    ("civ.special", 0.03),
    ("aoff.general", 0.22),
    ("crim.general", 0.06),
    ("crim.private", 0.02),
    ("adm.state_body", 0.03),
    ("adm.tax", 0.01),
    ("adm.land", 0.01),
]
# Judges of a 20-judge district court, by specialisation.
BENCH: list[tuple[str, int]] = [("civil", 11), ("admin_offence", 4), ("criminal", 3), ("administrative", 2)]


def prepare_database(engine: str) -> None:
    if engine == "sqlite":
        directory = tempfile.mkdtemp(prefix="torelik-bench-distribution-")
        os.environ["TORELIK_VAR_DIR"] = directory
        os.environ.pop("TORELIK_DATABASE_URL", None)
        return
    url = os.environ.get("TORELIK_DATABASE_URL", "")
    if not url:
        sys.exit("--engine postgres needs TORELIK_DATABASE_URL (run through scripts/with-postgres.sh)")
    import psycopg

    name = f"torelik_bench_distribution_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    parsed = urlparse(url)
    os.environ["TORELIK_DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{name}"))
    os.environ["TORELIK_VAR_DIR"] = tempfile.mkdtemp(prefix="torelik-bench-distribution-")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torelik.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_country(courts: int, judges: int, rng: random.Random) -> dict[str, Any]:
    from datetime import date

    from torelik.courts.models import Court, CourtLevel, Judge, Region, Specialisation

    region = Region.objects.create(code="BEN", name_kk="B", name_ru="B", name_en="Bench")
    specs = {s.code: s for s in Specialisation.objects.all()}
    per_court = judges // courts
    scale = per_court / sum(n for _s, n in BENCH)
    court_rows = Court.objects.bulk_create(
        [
            Court(
                code=f"{9000 + i}"[-4:],
                level=CourtLevel.DISTRICT,
                region=region,
                name_kk=f"C{i}",
                name_ru=f"C{i}",
                name_en=f"Bench court {i}",
            )
            for i in range(courts)
        ]
    )
    made: list[tuple[Judge, str]] = []
    serial = 0
    for court in court_rows:
        counts = [(spec, max(1, round(n * scale))) for spec, n in BENCH]
        for spec, n in counts:
            for _ in range(n):
                serial += 1
                share = Decimal("0.50") if rng.random() < 0.05 else Decimal("1.00")
                made.append(
                    (
                        Judge(
                            court=court,
                            iin=f"{700000000000 + serial}",
                            full_name=f"JUDGE {serial}",
                            workload_share=share,
                            appointed_on=date(2015, 1, 1),
                        ),
                        spec,
                    )
                )
    Judge.objects.bulk_create([j for j, _s in made])
    through = Judge.specialisations.through
    through.objects.bulk_create([through(judge_id=j.pk, specialisation_id=specs[s].pk) for j, s in made])
    return {"courts": court_rows, "judges": [(j.pk, j.court_id, s, j.workload_share) for j, s in made]}


def register_cases(n: int, courts: list[Any], rng: random.Random) -> list[int]:
    from django.utils import timezone

    from torelik.cases.models import Case
    from torelik.courts.models import CaseCategory

    categories = {c.code: c for c in CaseCategory.objects.all()}
    codes = [c for c, _w in MIX]
    weights = [w for _c, w in MIX]
    now = timezone.now()
    rows = []
    serials: dict[tuple[int, str], int] = defaultdict(int)
    for i in range(n):
        court = courts[rng.randrange(len(courts))]
        category = categories[rng.choices(codes, weights)[0]]
        serials[(court.pk, category.code)] += 1
        rows.append(
            Case(
                number=f"{court.code}-B-{category.code}/{i + 1}",
                court=court,
                category=category,
                year=now.year,
                serial=i + 1,
                registered_at=now,
            )
        )
    created = Case.objects.bulk_create(rows, batch_size=2000)
    return [c.pk for c in created]


def pool_figures(
    loads: dict[int, float], judges: list[tuple[int, int, str, Decimal]], heaviest: float
) -> dict[str, float]:
    """Max − min normalised load and Gini per pool (court × specialisation); worst and mean over pools.

    No judge is absent and all were appointed before the period, so normalised = load / share.
    """
    from torelik.distribution.rules import gini

    pools: dict[tuple[int, str], list[float]] = defaultdict(list)
    half: set[tuple[int, str]] = set()
    least_share: dict[tuple[int, str], float] = defaultdict(lambda: 1.0)
    for jid, court_id, spec, share in judges:
        pools[(court_id, spec)].append(loads.get(jid, 0.0) / float(share))
        least_share[(court_id, spec)] = min(least_share[(court_id, spec)], float(share))
        if share < 1:
            half.add((court_id, spec))
    spreads = {k: max(v) - min(v) for k, v in pools.items()}
    # What the rule guarantees: one case moves a judge's normalised load by weight ÷ share, so a
    # pool stays within max(tolerance, largest weight ÷ smallest share) (tolerance = largest weight).
    bound = {k: heaviest / least_share[k] for k in pools}
    ginis = [gini(v) for v in pools.values()]
    full_time = [s for k, s in spreads.items() if k not in half] or [0.0]
    with_half = [s for k, s in spreads.items() if k in half] or [0.0]
    return {
        "pools": len(pools),
        "max_spread": max(spreads.values()),
        "mean_spread": statistics.mean(spreads.values()),
        "max_spread_full_time": max(full_time),
        "max_spread_with_half_time": max(with_half),
        "max_gini": max(ginis),
        "mean_gini": statistics.mean(ginis),
        "over_weight": sum(1 for s in spreads.values() if round(s, 6) > heaviest),
        "over_bound": sum(1 for k, s in spreads.items() if round(s, 6) > bound[k]),
    }


def uniform_random(
    case_ids: list[int], judges: list[tuple[int, int, str, Decimal]], rng: random.Random
) -> dict[int, float]:
    from torelik.cases.models import Case

    kind_spec = {
        "civil": "civil",
        "criminal": "criminal",
        "admin_offence": "admin_offence",
        "administrative": "administrative",
    }
    by_pool: dict[tuple[int, str], list[int]] = defaultdict(list)
    for jid, court_id, spec, _share in judges:
        by_pool[(court_id, spec)].append(jid)
    loads: dict[int, float] = defaultdict(float)
    for court_id, kind, weight in (
        Case.objects.filter(pk__gte=min(case_ids), pk__lte=max(case_ids))
        .order_by("id")
        .values_list("court_id", "category__kind", "category__complexity_weight")
        .iterator(chunk_size=5000)
    ):
        pool = by_pool[(court_id, kind_spec[kind])]
        loads[rng.choice(pool)] += float(weight)
    return loads


def draw(case_ids: list[int], *, step: int, time_limit: float, progress: bool) -> list[int]:
    """Distributes the cases in order, `step` per transaction; returns those drawn."""
    from torelik.cases.models import Case
    from torelik.distribution import services
    from torelik.identity.permissions import SYSTEM

    done = 0
    start = last = time.perf_counter()
    last_done = 0
    for i in range(0, len(case_ids), step):
        if step == 1:
            # What registration does: one case per transaction.
            services.distribute_case(case=Case(pk=case_ids[i]), actor=SYSTEM, first_attempt=True)
        else:
            # What the backlog does (`distribute_pending`): `step` cases per transaction.
            services.distribute_cases(case_ids=case_ids[i : i + step], actor=SYSTEM, first_attempt=True)
        before = done
        done = min(len(case_ids), i + step)
        if progress and done // 10_000 > before // 10_000:
            now = time.perf_counter()
            print(
                f"  {done} drawn, {(done - last_done) / (now - last):.0f}/s recent, "
                f"{done / (now - start):.0f}/s overall",
                flush=True,
            )
            last, last_done = now, done
        if time_limit and time.perf_counter() - start > time_limit:
            break
    return case_ids[:done]


def _worker(case_ids: list[int], step: int, time_limit: float) -> list[int]:
    return draw(case_ids, step=step, time_limit=time_limit, progress=False)


def draw_in_workers(case_ids: list[int], *, workers: int, step: int, time_limit: float) -> list[int]:
    """As several backlog jobs would: each process draws the cases of its own courts (courts split
    by id), one by one in order; pools of different courts do not share ledger locks."""
    import multiprocessing

    from django.db import connections

    from torelik.cases.models import Case

    court_of = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "court_id"))
    parts = [[c for c in case_ids if court_of[c] % workers == k] for k in range(workers)]
    connections.close_all()  # each process opens its own
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        drawn = pool.starmap(_worker, [(part, step, time_limit) for part in parts])
    return sorted(c for part in drawn for c in part)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--judges", type=int, default=2000)
    parser.add_argument("--courts", type=int, default=100)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--verify", action="store_true", help="verify every record at the end (slow)")
    parser.add_argument(
        "--time-limit", type=float, default=0, help="stop distributing after this many seconds"
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=1,
        metavar="N",
        help="cases per transaction: 1 = as at registration (default); more = as the backlog job",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="processes drawing at once, each for its own courts (PostgreSQL; SQLite has one writer)",
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="profile the draws, print the top N functions"
    )
    args = parser.parse_args()

    prepare_database(args.engine)
    setup_django()
    from django.db import connection
    from django.utils import timezone

    from torelik.cases.models import Case
    from torelik.courts.models import CaseCategory
    from torelik.distribution import days
    from torelik.distribution.models import DistributionRecord, JudgeLoad
    from torelik.distribution.rules import UNITS

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    country = build_country(args.courts, args.judges, rng)
    case_ids = register_cases(args.cases, country["courts"], rng)
    days.commit_days(now=timezone.now() - timezone.timedelta(days=1))  # today committed in advance
    print(
        f"engine={args.engine} ({connection.vendor}); judges={len(country['judges'])} courts={args.courts} "
        f"cases={len(case_ids)}; cases per transaction={max(1, args.batch)}; workers={args.workers}; "
        f"setup {time.perf_counter() - t0:.1f}s",
        flush=True,
    )

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    step = max(1, args.batch)
    if args.workers > 1:
        drawn_ids = draw_in_workers(case_ids, workers=args.workers, step=step, time_limit=args.time_limit)
    else:
        drawn_ids = draw(case_ids, step=step, time_limit=args.time_limit, progress=True)
    done = len(drawn_ids)
    elapsed = time.perf_counter() - start
    rate = done / elapsed
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)

    # The target: spread within each pool no more than the largest category weight (classifier-wide).
    heaviest = float(max(CaseCategory.objects.values_list("complexity_weight", flat=True)))
    loads = {jid: units / UNITS for jid, units in JudgeLoad.objects.values_list("judge_id", "load_units")}
    ours = pool_figures(loads, country["judges"], heaviest)
    theirs = pool_figures(
        uniform_random(drawn_ids, country["judges"], random.Random(args.seed + 1)),
        country["judges"],
        heaviest,
    )
    records = DistributionRecord.objects.count()
    assigned = Case.objects.filter(status="assigned").count()
    print(
        f"distributed {done} cases in {elapsed:.1f}s: {rate:.0f} assignments/s; "
        f"records={records} assigned={assigned}"
    )
    print(f"{'':24}{'weighted draw':>16}{'uniform random':>16}")
    for key, label in (
        ("max_spread", "max − min, worst pool"),
        ("mean_spread", "max − min, mean"),
        ("max_spread_full_time", "  worst, full-time pools"),
        ("max_spread_with_half_time", "  worst, with a half-timer"),
        ("max_gini", "Gini, worst pool"),
        ("mean_gini", "Gini, mean"),
    ):
        print(f"{label:24}{ours[key]:>16.3f}{theirs[key]:>16.3f}")
    print(
        f"pools={ours['pools']}; target max − min <= largest weight {heaviest:.2f}: "
        f"{'met' if round(ours['max_spread'], 6) <= heaviest else 'MISSED'} "
        f"({ours['over_weight']:.0f} pools over it, {theirs['over_weight']:.0f} with uniform random); "
        f"pools over max(tolerance, largest weight ÷ smallest share): {ours['over_bound']:.0f}"
    )
    if args.verify:
        from torelik.distribution.verification import verify

        days.reveal_days(now=timezone.now() + timezone.timedelta(days=1, hours=1))
        t1 = time.perf_counter()
        report = verify(start=timezone.localdate(), end=timezone.localdate())
        print(
            f"verify: {report.checked} records, ok={report.ok}, {time.perf_counter() - t1:.1f}s"
            + ("" if report.ok else f"; first: {report.first.label if report.first else ''}")
        )


if __name__ == "__main__":
    main()
