"""Automatic draws of many cases in one transaction: facts read once, rows written together.

Draws stay one by one: each sees the loads left by the draw before it (kept in memory, under the
ledger locks the batch holds until it commits) and each writes a full record of its own. What the
batch saves is the statements: the pool, the absences, the recusals and links, the loads and the
weights are read once for all the cases (as known at the batch's `now`, which every record of the
batch carries, so the facts are exactly those a single draw at that moment would have read), and
records, assignments, load changes, case updates and case events are written at the end with a few
statements (COPY on PostgreSQL, multi-row INSERTs on SQLite), records in the order of the draws so
that ids follow the chains.

A registration's draw is a batch of one case; the backlog (`services.distribute_pending`) runs
batches of 1,000.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from torelik.cases.models import Case
from torelik.cases.services import NewCaseEvent, append_case_events, record_assignments
from torelik.courts.models import CaseCategory
from torelik.distribution import engine, rules
from torelik.distribution.models import Assignment, DistributionPolicy, DistributionRecord, JudgeLoad, Ledger
from torelik.kernel import sql

PoolKey = tuple[Any, ...]


@dataclass
class Facts:
    """Everything the draws of a batch read, read once with the cases locked; the loads, absences,
    recusals and links after the ledgers of every court in the pools are locked too."""

    now: datetime
    day: date
    policy: DistributionPolicy
    period: rules.Period
    weights: dict[int, engine.AuditedWeight]
    pools: dict[PoolKey, list[engine.JudgeInfo]]
    absences: dict[int, list[engine.Absence]]
    case_facts: dict[int, tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]
    consents: dict[int, bool]
    loads: dict[int, int]
    ledgers: dict[int, Ledger]
    # Judges given a seat by this batch and not yet written (link exclusions must see them).
    seated: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    available: dict[int, int] = field(default_factory=dict)
    standing: dict[tuple[Any, ...], list[dict[str, Any]]] = field(default_factory=dict)
    pool_standing: dict[tuple[Any, ...], tuple[Any, Any]] = field(default_factory=dict)

    def context(self, case: Case) -> engine.Context:
        category = case.category
        scope, levels, required = _pool_rule(self.policy, case, category, self.consents)
        judges = self.pools[_pool_key(case, category, scope, levels, required)]
        recusal_rows, link_rows = self.case_facts.get(case.pk, ([], []))
        return engine.Context(
            case=case,
            category=category,
            policy=self.policy,
            now=self.now,
            day=self.day,
            period=self.period,
            weight=self.weights[category.pk],
            scope=scope,
            levels=levels,
            required_specialisations=required,
            judges=judges,
            absences=self.absences,
            recusals=engine._recusals(case, now=self.now, rows=recusal_rows),
            links=engine._link_exclusions(
                case=case,
                category=category,
                policy=self.policy,
                now=self.now,
                rows=link_rows,
                pending=self.seated,
            ),
            seats=engine.seats_for(self.policy, category),
            loads=self.loads,
            ledgers=self.ledgers,
            available=self.available,
            standing=self.standing,
            pool_standing=self.pool_standing,
        )


def _pool_rule(
    policy: DistributionPolicy, case: Case, category: CaseCategory, consents: dict[int, bool]
) -> tuple[str, list[str], list[str]]:
    consented = case.submission_id is not None and consents.get(case.submission_id, False)
    return engine.pool_rule(policy, category, consented=consented)


def _pool_key(
    case: Case, category: CaseCategory, scope: str, levels: list[str], required: list[str]
) -> PoolKey:
    if scope == "court":
        return ("court", case.court_id)
    return ("national", tuple(levels), tuple(required), category.kind)


def read_facts(cases: list[Case], *, now: datetime) -> Facts:
    """Reads the facts of the draws of `cases` (locked by the caller) and locks the ledgers."""
    policy = engine.current_policy(now=now)
    day = timezone.localdate(now)
    period = rules.period_of(day, policy.period)
    categories = {case.category.pk: case.category for case in cases}
    weights = {
        pk: engine.audited_weight(category=category, now=now) for pk, category in sorted(categories.items())
    }
    wanted = [c.submission_id for c in cases if c.submission_id and c.category.allows_virtual_jurisdiction]
    consents: dict[int, bool] = {}
    if wanted:
        # Read through the case's own link to its filing: distribution imports nothing of efiling.
        consents = dict(
            Case.objects.filter(submission_id__in=wanted).values_list(
                "submission_id", "submission__virtual_jurisdiction_consent"
            )
        )
    pools: dict[PoolKey, list[engine.JudgeInfo]] = {}
    courts = sorted({c.court_id for c in cases})
    by_court = engine.court_judges(courts)
    for case in cases:
        scope, levels, required = _pool_rule(policy, case, case.category, consents)
        key = _pool_key(case, case.category, scope, levels, required)
        if key in pools:
            continue
        if scope == "court":
            pools[key] = engine.judge_infos(by_court.get(case.court_id, []))
        else:
            pools[key] = engine._pool_judges(
                case=case, category=case.category, scope=scope, levels=levels, required=required
            )
    judges = {j.id: j for pool in pools.values() for j in pool}
    ledgers = engine.lock_ledgers(set(courts) | {j.court_id for j in judges.values()})
    # Loads are read only now, under the ledger locks: no other draw of these pools runs meanwhile.
    ids = sorted(judges)
    return Facts(
        now=now,
        day=day,
        policy=policy,
        period=period,
        weights=weights,
        pools=pools,
        absences=engine._absences(ids, period_start=period.start, day=day, now=now),
        case_facts=engine.case_facts_many([c.pk for c in cases], now=now),
        consents=consents,
        loads=engine.load_units(period.start, ids),
        ledgers=ledgers,
    )


@dataclass
class PendingWrites:
    """Rows of the batch's draws, written together by `flush`, in the order of the draws."""

    records: list[DistributionRecord] = field(default_factory=list)
    # (record, case id, judge id, seat, role, period start, weight units, assigned at)
    assignments: list[tuple[Any, ...]] = field(default_factory=list)
    deltas: dict[tuple[int, date], list[int]] = field(default_factory=dict)
    case_judges: dict[int, int] = field(default_factory=dict)
    events: list[NewCaseEvent] = field(default_factory=list)
    ledgers: set[int] = field(default_factory=set)

    def add_record(self, record: DistributionRecord, *, court_id: int) -> None:
        self.records.append(record)
        self.ledgers.add(court_id)

    def add_delta(self, judge_id: int, period_start: date, units: int) -> None:
        entry = self.deltas.setdefault((judge_id, period_start), [0, 0])
        entry[0] += units
        entry[1] += 1 if units > 0 else -1

    def flush(self, ledgers: dict[int, Ledger]) -> None:
        if self.records:
            _insert_records(self.records)
        if self.assignments:
            sql.insert_rows(
                Assignment,
                _ASSIGNMENT_FIELDS,
                [(record.pk, *rest) for record, *rest in self.assignments],
            )
        if self.deltas:
            _upsert_loads(self.deltas)
        if self.case_judges:
            record_assignments(case_judges=self.case_judges)
        if self.events:
            append_case_events(events=self.events, cases_locked=True)  # by `engine.lock_cases`
        if self.ledgers:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {sql.table(Ledger)} SET {sql.column(Ledger, 'last_seq')} = %s, "  # noqa: S608
                    f"{sql.column(Ledger, 'last_hash')} = %s WHERE {sql.column(Ledger, 'id')} = %s",
                    [
                        (ledgers[c].last_seq, ledgers[c].last_hash, ledgers[c].pk)
                        for c in sorted(self.ledgers)
                    ],
                )
        self.records, self.assignments, self.events = [], [], []
        self.deltas, self.case_judges, self.ledgers = {}, {}, set()


_ASSIGNMENT_FIELDS = (
    "record_id",
    "case_id",
    "judge_id",
    "seat",
    "role",
    "period_start",
    "weight_units",
    "assigned_at",
)
_RECORD_FIELDS = tuple(f.attname for f in DistributionRecord._meta.concrete_fields if not f.primary_key)


def _insert_records(records: list[DistributionRecord]) -> None:
    """Inserts the records in the order of the draws (rows are numbered in the order they come,
    which `verify` relies on when it replays the loads) and sets their ids."""
    sql.insert_rows(DistributionRecord, _RECORD_FIELDS, [_record_values(r) for r in records])
    _read_record_ids(records)


def _record_values(record: DistributionRecord) -> tuple[Any, ...]:
    return tuple(getattr(record, name) for name in _RECORD_FIELDS)


def _read_record_ids(records: list[DistributionRecord]) -> None:
    """The ids of records just inserted, found by their place in their chains (each court's records
    of a batch are consecutive)."""
    spans: dict[int, list[int]] = {}
    for record in records:
        span = spans.setdefault(record.ledger_id, [record.seq, record.seq])
        span[0], span[1] = min(span[0], record.seq), max(span[1], record.seq)
    R = DistributionRecord
    ledger, seq = sql.column(R, "ledger_id"), sql.column(R, "seq")
    where = " OR ".join([f"({ledger} = %s AND {seq} BETWEEN %s AND %s)"] * len(spans))
    ids = {
        (ledger_id, number): pk
        for pk, ledger_id, number in sql.rows(
            f"SELECT {sql.columns(R, ('id', 'ledger_id', 'seq'))} FROM {sql.table(R)} WHERE {where}",  # noqa: S608
            [v for ledger_id, (lo, hi) in spans.items() for v in (ledger_id, lo, hi)],
        )
    }
    for record in records:
        record.pk = ids[(record.ledger_id, record.seq)]
        record._state.adding = False
        record._state.db = connection.alias


def _upsert_loads(deltas: dict[tuple[int, date], list[int]]) -> None:
    JL = JudgeLoad
    load, cases = sql.column(JL, "load_units"), sql.column(JL, "cases")
    sql.insert_rows(
        JL,
        ("judge_id", "period_start", "load_units", "cases"),
        [(judge_id, start, units, count) for (judge_id, start), (units, count) in sorted(deltas.items())],
        on_conflict=(
            f"ON CONFLICT ({sql.columns(JL, ('judge_id', 'period_start'))}) "
            f"DO UPDATE SET {load} = {sql.table(JL)}.{load} + excluded.{load}, "
            f"{cases} = {sql.table(JL)}.{cases} + excluded.{cases}"
        ),
    )
