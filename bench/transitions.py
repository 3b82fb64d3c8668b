"""Procedural steps per second, and the case card's latency for a case with 200 history entries.

Prepares a fresh database (SQLite in a temporary directory, or a new database on the PostgreSQL
server named by TORELIK_DATABASE_URL), migrates it, creates a district court with `--judges`
judges (each with an account) and a clerk, and inserts `--cases` civil-claim cases already drawn to
a judge, with their two registration entries (bulk insert: registration and the draw are not what
is measured). `--background N` first inserts N more cases with the whole history of the civil path
(bulk), so the tables have the size of a larger run.

Then takes every case through the civil path by the services, one step per transaction as a page
or the appeal path does: `perform_transition` accept (judge), schedule_hearing (clerk),
announce_decision (judge, "partly granted" with the amount), the "act.signed" entry the acts app
appends when the judge signs the decision, decision_in_full (judge; checks the signed act),
enter_into_force (clerk, one month and ten days after the decision: reads the working calendar),
archive (clerk). Each step checks its actor, inputs and term, locks the case row, appends its
history entry and records the outcome, as in production. The clock of each case is its own
(steps days apart, in the past), passed as `now=`.

Reports transitions per second (the act.signed appends count in the time, not as transitions),
the time and queries per step, then the case card of a case with 200 history entries: the
selectors a card reads (`case_for_user`, parties, documents, `case_history` with labels,
`available_transitions` by name), `cases.card.case_card` where that module exists, the staff
card page (`workspace:case`) where it exists and the case page (`portal:case`), through the
Django test client with the judge logged in; p50 / p95 / max over `--card-samples` requests after
a warm-up. `--cases 0` times the card only. Usage:

    .venv/bin/python bench/transitions.py --engine sqlite --cases 100000
    bash scripts/with-postgres.sh .venv/bin/python bench/transitions.py --engine postgres
    .venv/bin/python bench/transitions.py --engine sqlite --cases 2000 --profile 40
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATE = 1_000  # transitions per second
TARGET_CARD_P95_MS = 50.0
CARD_EVENTS = 200
# The civil path: (transition, who performs it, days after the case's previous step).
PATH: list[tuple[str, str, float]] = [
    ("accept", "judge", 1),
    ("schedule_hearing", "clerk", 2),
    ("announce_decision", "judge", 20),
    ("act.signed", "judge", 3),  # not a transition: the signed decision the next step needs
    ("decision_in_full", "judge", 0.01),
    ("enter_into_force", "clerk", 40),  # past the one-month appeal term
    ("archive", "clerk", 5),
]
STEPS = [code for code, _who, _days in PATH if code != "act.signed"]


def prepare_database(engine: str) -> None:
    os.environ.setdefault("TORELIK_DEMO", "1")  # demo secrets: the case page is served as in `make run`
    if engine == "sqlite":
        directory = tempfile.mkdtemp(prefix="torelik-bench-transitions-")
        os.environ["TORELIK_VAR_DIR"] = directory
        os.environ.pop("TORELIK_DATABASE_URL", None)
        return
    url = os.environ.get("TORELIK_DATABASE_URL", "")
    if not url:
        sys.exit("--engine postgres needs TORELIK_DATABASE_URL (run through scripts/with-postgres.sh)")
    import psycopg

    name = f"torelik_bench_transitions_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    parsed = urlparse(url)
    os.environ["TORELIK_DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{name}"))
    os.environ["TORELIK_VAR_DIR"] = tempfile.mkdtemp(prefix="torelik-bench-transitions-")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torelik.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# ---------------------------------------------------------------- the court and its cases


def build_court(judges: int) -> dict[str, Any]:
    from torelik.courts.models import Court, CourtLevel, Judge, Region
    from torelik.identity.models import Role, User

    region = Region.objects.create(code="BEN", name_kk="B", name_ru="B", name_en="Bench")
    appeal = Court.objects.create(
        code="9100", level=CourtLevel.REGIONAL, region=region, name_kk="A", name_ru="A", name_en="Appeal"
    )
    court = Court.objects.create(
        code="9140",
        level=CourtLevel.DISTRICT,
        region=region,
        appeal_court=appeal,
        name_kk="Бench соты",
        name_ru="Суд бенча",
        name_en="Bench district court",
    )
    users = User.objects.bulk_create(
        [
            User(
                username=f"judge{i}",
                password="!",
                role=Role.JUDGE,
                court=court,
                iin=f"{700000000000 + i}",
                first_name=f"J{i}",
            )
            for i in range(judges)
        ]
    )
    rows = Judge.objects.bulk_create(
        [
            Judge(court=court, user=u, iin=u.iin, full_name=f"JUDGE {i}", appointed_on=date(2015, 1, 1))
            for i, u in enumerate(users)
        ]
    )
    clerk = User.objects.create(username="clerk", password="!", role=Role.CLERK, court=court)
    users = list(User.objects.filter(pk__in=[u.pk for u in users]).select_related("court"))
    by_pk = {u.pk: u for u in users}
    return {"court": court, "judges": [(j.pk, by_pk[j.user_id]) for j in rows], "clerk": clerk}


def insert_cases(
    n: int, country: dict[str, Any], at: datetime, *, stage: str = "assigned", first: int = 0
) -> list[int]:
    """`n` civil-claim cases drawn to the judges in turn, with their registration entries."""
    from django.db import transaction

    from torelik.cases import events as case_events
    from torelik.cases.models import Case, CaseStatus
    from torelik.cases.procedure_store import current_version
    from torelik.cases.services import NewCaseEvent, append_case_events
    from torelik.courts.models import CaseCategory

    court = country["court"]
    category = CaseCategory.objects.get(code="civ.loan")
    version = current_version("civil_claim")
    judges = country["judges"]
    ids: list[int] = []
    for start in range(0, n, 5_000):
        rows = [
            Case(
                number=f"{court.code}-B-{first + i + 1}",
                court=court,
                category=category,
                year=at.year,
                serial=first + i + 1,
                status=CaseStatus.CLOSED if stage == "archived" else CaseStatus.ASSIGNED,
                registered_at=at,
                claim_amount_tiyn=50_000_000,
                judge_id=judges[(first + i) % len(judges)][0],
                procedure=version,
                stage=stage,
                stage_since=at,
            )
            for i in range(start, min(n, start + 5_000))
        ]
        with transaction.atomic():
            created = Case.objects.bulk_create(rows)
            append_case_events(
                events=[
                    NewCaseEvent(
                        c.pk,
                        kind,
                        None,
                        at,
                        {"number": c.number, "court": court.code, "category": "civ.loan"}
                        if kind == case_events.CASE_REGISTERED
                        else {},
                    )
                    for c in created
                    for kind in (case_events.CASE_REGISTERED, case_events.CASE_AWAITING_DISTRIBUTION)
                ]
            )
        ids += [c.pk for c in created]
    return ids


def insert_background(n: int, country: dict[str, Any], at: datetime) -> None:
    """`n` archived cases with the history the path writes (bulk): the tables at a larger size."""
    from django.db import transaction

    from torelik.cases import events as case_events
    from torelik.cases.models import CaseOutcome
    from torelik.cases.services import NewCaseEvent, append_case_events

    ids = insert_cases(n, country, at, stage="archived", first=10_000_000)
    for start in range(0, len(ids), 5_000):
        chunk = ids[start : start + 5_000]
        events = []
        for case_id in chunk:
            source = "assigned"
            for code, _who, _days in PATH:
                if code == "act.signed":
                    events.append(
                        NewCaseEvent(case_id, "act.signed", None, at, {"act_id": 1, "kind": "decision"})
                    )
                    continue
                target = TARGETS[code]
                payload = {"procedure": "civil_claim", "transition": code, "from": source, "to": target}
                if code == "announce_decision":
                    payload |= {"outcome": "partly_granted", "awarded_tiyn": 30_000_000}
                events.append(NewCaseEvent(case_id, case_events.CASE_TRANSITION, None, at, payload))
                source = target
        with transaction.atomic():
            append_case_events(events=events)
            CaseOutcome.objects.bulk_create(
                [
                    CaseOutcome(
                        case_id=c,
                        outcome="partly_granted",
                        awarded_tiyn=30_000_000,
                        decided_at=at,
                        event_seq=5,
                        transition="announce_decision",
                    )
                    for c in chunk
                ]
            )


TARGETS = {
    "accept": "preparation",
    "schedule_hearing": "scheduled",
    "announce_decision": "decided",
    "decision_in_full": "appeal_term",
    "enter_into_force": "in_force",
    "archive": "archived",
    "postpone_hearing": "preparation",
}


# ---------------------------------------------------------------- the path, by the services


def sign_decision(case: Any, judge: Any, at: datetime) -> None:
    """What the acts app appends, in its own transaction, when the judge signs the decision."""
    from django.db import transaction

    from torelik.cases.services import append_case_event

    with transaction.atomic():
        append_case_event(
            case=case,
            kind="act.signed",
            actor=judge,
            occurred_at=at,
            payload={"act_id": case.pk, "case_number": "", "kind": "decision", "language": "ru"},
        )


def step_data(code: str) -> Any:
    from torelik.cases.transitions import TransitionInput

    if code == "announce_decision":
        return TransitionInput(outcome="partly_granted", awarded_tiyn=30_000_000)
    if code == "postpone_hearing":
        return TransitionInput(reason="Неявка ответчика")
    return None


def take_along(
    case_ids: list[int],
    country: dict[str, Any],
    start: datetime,
    *,
    time_limit: float,
    progress: bool,
    on_step: Callable[[str], Any] | None = None,
) -> tuple[list[int], dict[str, float]]:
    """Takes the cases along the path in order; returns (the cases done, seconds per step code)."""
    from torelik.cases.models import Case
    from torelik.cases.transitions import perform_transition

    judge_of = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "judge_id"))
    users = dict(country["judges"])
    clerk = country["clerk"]
    spent: dict[str, float] = defaultdict(float)
    began = last = time.perf_counter()
    done = 0
    for case_id in case_ids:
        case = Case(pk=case_id)  # the service reads and locks the row itself
        judge = users[judge_of[case_id]]
        at = start
        for code, who, days in PATH:
            at += timedelta(days=days)
            actor = judge if who == "judge" else clerk
            context = on_step(code) if on_step else None
            t0 = time.perf_counter()
            if context is not None:
                with context:
                    _one(case, code, actor, at, perform_transition)
            else:
                _one(case, code, actor, at, perform_transition)
            spent[code] += time.perf_counter() - t0
        done += 1
        if progress and done % 2_000 == 0:
            now = time.perf_counter()
            print(
                f"  {done} cases, {2_000 * len(STEPS) / (now - last):.0f} transitions/s recent, "
                f"{done * len(STEPS) / (now - began):.0f}/s overall",
                flush=True,
            )
            last = now
        if time_limit and time.perf_counter() - began > time_limit:
            break
    return case_ids[:done], dict(spent)


def _worker(
    case_ids: list[int], country: dict[str, Any], start: datetime, time_limit: float
) -> tuple[list[int], dict[str, float]]:
    return take_along(case_ids, country, start, time_limit=time_limit, progress=False)


def take_along_in_workers(
    case_ids: list[int], country: dict[str, Any], start: datetime, *, workers: int, time_limit: float
) -> tuple[list[int], dict[str, float]]:
    """As several web or task workers would: each process takes every `workers`-th case along the
    path, with its own connection."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # each process opens its own
    parts = [case_ids[k::workers] for k in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.starmap(_worker, [(part, country, start, time_limit) for part in parts])
    spent: dict[str, float] = defaultdict(float)
    for _done, part_spent in results:
        for code, seconds in part_spent.items():
            spent[code] += seconds
    return sorted(c for done, _spent in results for c in done), dict(spent)


def _one(case: Any, code: str, actor: Any, at: datetime, perform: Callable[..., Any]) -> None:
    if code == "act.signed":
        sign_decision(case, actor, at)
    else:
        perform(case=case, transition=code, actor=actor, data=step_data(code), now=at)


def queries_per_step(case_ids: list[int], country: dict[str, Any], start: datetime) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, list[int]] = defaultdict(list)
    contexts: list[tuple[str, CaptureQueriesContext]] = []

    def on_step(code: str) -> CaptureQueriesContext:
        context = CaptureQueriesContext(connection)
        contexts.append((code, context))
        return context

    take_along(case_ids, country, start, time_limit=0, progress=False, on_step=on_step)
    for code, context in contexts:
        counts[code].append(len(context.captured_queries))
    return {code: round(statistics.mean(v)) for code, v in counts.items()}


# ---------------------------------------------------------------- the case card


def card_case(country: dict[str, Any], at: datetime) -> Any:
    """A case with exactly CARD_EVENTS history entries, by the services: accepted, then hearings
    scheduled and postponed; two parties and three documents."""
    from torelik.archive.models import Blob
    from torelik.cases.models import Case, CaseDocument, CaseEvent, Party, PartyRole, PersonKind
    from torelik.cases.transitions import perform_transition

    (case_id,) = insert_cases(1, country, at, first=20_000_000)
    case = Case.objects.get(pk=case_id)
    Party.objects.bulk_create(
        [
            Party(case=case, role=PartyRole.PLAINTIFF, person_kind=PersonKind.INDIVIDUAL, name="ИСТЕЦ"),
            Party(case=case, role=PartyRole.DEFENDANT, person_kind=PersonKind.INDIVIDUAL, name="ОТВЕТЧИК"),
        ]
    )
    for i in range(3):
        blob = Blob.objects.create(sha256=f"{i:064x}", size=100_000, content_type="application/pdf")
        CaseDocument.objects.create(case=case, blob=blob, title=f"Документ {i + 1}", filename=f"d{i + 1}.pdf")
    judge = dict(country["judges"])[case.judge_id]
    moment = at
    code = "accept"
    while CaseEvent.objects.filter(case=case).count() < CARD_EVENTS:
        moment += timedelta(hours=1)
        perform_transition(case=case, transition=code, actor=judge, data=step_data(code), now=moment)
        code = "postpone_hearing" if case.stage == "scheduled" else "schedule_hearing"
    assert CaseEvent.objects.filter(case=case).count() == CARD_EVENTS
    return case, judge


def time_card(case: Any, judge: Any, samples: int) -> list[tuple[str, list[float], int]]:
    """(what, milliseconds per sample, queries per sample) for each way of reading the card."""
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from torelik.cases.selectors import case_for_user, case_history
    from torelik.cases.transitions import available_transitions

    def selectors() -> None:
        found = case_for_user(user=judge, number=case.number)
        parties = [(p.role, p.name) for p in found.parties.order_by("id")]
        documents = [(d.title, d.blob.size) for d in found.documents.select_related("blob", "signature")]
        history = [(e.seq, e.occurred_at, e.label) for e in case_history(case=found)]
        steps = [t.name for t in available_transitions(user=judge, case=found)]
        assert parties and documents and len(history) == CARD_EVENTS and steps

    ways: list[tuple[str, Callable[[], Any]]] = [("selectors", selectors)]
    if importlib.util.find_spec("torelik.cases.card") is not None:
        card = importlib.import_module("torelik.cases.card")
        ways.append(("cases.card.case_card", lambda: card.case_card(case=case, viewer=judge)))
    client = Client()
    client.force_login(judge)

    def page(url: str) -> Callable[[], None]:
        def get() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return get

    with contextlib.suppress(NoReverseMatch):  # the court staff's case card, where it exists
        ways.append(("staff card (workspace:case)", page(reverse("workspace:case", args=[case.pk]))))
    ways.append(("case page (portal:case)", page(reverse("portal:case", args=[case.number]))))
    results = []
    with translation.override("ru"):
        for name, read in ways:
            for _ in range(10):  # warm-up: the parsed procedure, templates, the session
                read()
            statements: list[str] = []
            # Counted by a wrapper: a request's start empties connection.queries.
            with connection.execute_wrapper(_counting(statements)):
                read()
            timings = []
            for _ in range(samples):
                t0 = time.perf_counter()
                read()
                timings.append((time.perf_counter() - t0) * 1000)
            results.append((name, timings, len(statements)))
    return results


def _counting(statements: list[str]) -> Callable[..., Any]:
    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    return count


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


# ---------------------------------------------------------------- main


def take_along_and_report(
    args: argparse.Namespace, country: dict[str, Any], start: datetime, case_ids: list[int], warmup: list[int]
) -> None:
    from torelik.cases.models import Case, CaseEvent, CaseOutcome

    queries = queries_per_step(warmup, country, start)

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    began, cpu_began = time.perf_counter(), time.process_time()
    if args.workers > 1:
        done_ids, spent = take_along_in_workers(
            case_ids, country, start, workers=args.workers, time_limit=args.time_limit
        )
    else:
        done_ids, spent = take_along(case_ids, country, start, time_limit=args.time_limit, progress=True)
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    done = len(done_ids)
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
    transitions = done * len(STEPS)
    rate = transitions / elapsed
    load_after = os.getloadavg()

    # Every case taken along is archived, with its whole history and its outcome.
    archived = Case.objects.filter(pk__in=done_ids, stage="archived", status="closed").count()
    assert archived == done, (archived, done)
    events = CaseEvent.objects.filter(case_id__in=done_ids).count()
    assert events == done * (2 + len(PATH)), events
    assert CaseOutcome.objects.filter(case_id__in=done_ids).count() == done
    print(
        f"\n{done} cases along the path, {transitions} transitions (+ {done} act.signed entries) "
        f"in {elapsed:.1f}s: {rate:.0f} transitions/s "
        f"(target >= {TARGET_RATE}: {'met' if rate >= TARGET_RATE else 'MISSED'}); "
        f"history rows {CaseEvent.objects.count()}; load average after {load_after[0]:.1f}"
    )
    if args.workers == 1:
        print(
            f"this process's CPU: {cpu:.1f}s, {cpu / transitions * 1000:.2f} ms per transition "
            f"({transitions / cpu:.0f} transitions per CPU-second of the application)"
        )
    print(f"{'step':22}{'ms mean':>10}{'share':>8}{'statements':>12}")
    for code, _who, _days in PATH:
        share = spent[code] / sum(spent.values())
        print(f"{code:22}{spent[code] / done * 1000:>10.2f}{share:>8.0%}{queries.get(code, 0):>12}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--cases", type=int, default=100_000, help="cases taken along the path")
    parser.add_argument("--judges", type=int, default=100)
    parser.add_argument(
        "--background", type=int, default=0, metavar="N", help="archived cases with their history, bulk"
    )
    parser.add_argument("--time-limit", type=float, default=0, help="stop the path after this many seconds")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="processes taking cases along at once (SQLite still has one writer at a time)",
    )
    parser.add_argument("--card-samples", type=int, default=200)
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="profile the path, print the top N functions"
    )
    args = parser.parse_args()

    prepare_database(args.engine)
    setup_django()
    from django.db import connection
    from django.utils import timezone

    load_before = os.getloadavg()
    t0 = time.perf_counter()
    country = build_court(args.judges)
    start = timezone.now() - timedelta(days=365)
    if args.background:
        insert_background(args.background, country, start - timedelta(days=30))
    warmup = insert_cases(20, country, start, first=30_000_000)
    case_ids = insert_cases(args.cases, country, start)
    print(
        f"engine={args.engine} ({connection.vendor}); cases={len(case_ids)} judges={args.judges} "
        f"background={args.background} workers={args.workers}; setup {time.perf_counter() - t0:.1f}s; "
        f"load average {load_before[0]:.1f} {load_before[1]:.1f} {load_before[2]:.1f}",
        flush=True,
    )
    if case_ids:
        take_along_and_report(args, country, start, case_ids, warmup)

    case, judge = card_case(country, start)
    print(f"\ncase card: {case.number}, {CARD_EVENTS} history entries, {args.card_samples} samples each")
    print(f"{'what was timed':30}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}   target p95 < 50 ms")
    for name, timings, n_queries in time_card(case, judge, args.card_samples):
        q95 = p95(timings)
        verdict = "met" if q95 < TARGET_CARD_P95_MS else "MISSED"
        figures = f"{statistics.median(timings):>9.2f}{q95:>9.2f}{max(timings):>9.2f}{n_queries:>9}"
        print(f"{name:30}{figures}   {verdict}")


if __name__ == "__main__":
    main()
