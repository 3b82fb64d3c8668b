"""The draw: who is in the pool, who is excluded and why, the loads, the snapshot, the record.

Used by `services` and `batch` (which hold the transaction and the locks) and, for the shape of
records, by `verification`. Everything that decides a draw is written into the record's snapshot.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import Q
from django.utils import timezone

from torelik.cases.models import Case, Party
from torelik.courts.models import CaseCategory, Court, Judge, Specialisation
from torelik.distribution import crypto, rules
from torelik.distribution.days import SecretInUse
from torelik.distribution.models import (
    ZERO_HASH,
    AlertKind,
    Assignment,
    CaseLink,
    CaseRelation,
    DistributionAlert,
    DistributionPolicy,
    DistributionRecord,
    JudgeAbsence,
    JudgeLoad,
    Ledger,
    Recusal,
    RecusalStatus,
    SeatRole,
    WeightChange,
)
from torelik.kernel import sql

# Reasons that no one can override, not even the chair with a manual assignment.
HARD_REASONS = frozenset(
    {
        "court_inactive",
        "inactive",
        "not_appointed",
        "absent",
        "recused",
        "lower_instance",
        "retrial",
        "related_case",
        "on_panel",
    }
)


# ---------------------------------------------------------------- settings and weights


_POLICY_FIELDS = sql.all_fields(DistributionPolicy)
# The newest policy row as last read (raw values) and the instance built from it. Every draw reads
# the row again and reuses the instance only when the row is equal in every column, so a cached
# policy can never differ from the database's. The instance is shared: callers only read it.
_policy_cache: list[tuple[list[Any], DistributionPolicy]] = []


def _read_policy(category_id: int | None = None) -> tuple[DistributionPolicy | None, list[Any] | None]:
    """The newest policy and, for `category_id`, its last weight audit entry [id, new_weight] (both
    None when there is none), in one statement."""
    P, W = DistributionPolicy, WeightChange
    extra, params = "", []
    if category_id is not None:
        sub = (
            f"FROM {sql.table(W)} w WHERE w.{sql.column(W, 'category_id')} = %s "
            f"ORDER BY w.{sql.column(W, 'at')} DESC, w.{sql.column(W, 'id')} DESC LIMIT 1"
        )
        extra = f", (SELECT w.{sql.column(W, 'id')} {sub}), (SELECT w.{sql.column(W, 'new_weight')} {sub})"
        params = [category_id, category_id]
    found = sql.rows(
        f"SELECT {sql.columns(P, _POLICY_FIELDS, 'p')}{extra} FROM {sql.table(P)} p "  # noqa: S608
        f"ORDER BY p.{sql.column(P, 'version')} DESC LIMIT 1",
        params,
    )
    if not found:
        return None, None
    raw = list(found[0][: len(_POLICY_FIELDS)])
    weight = None
    if category_id is not None:
        weight = [found[0][-2], found[0][-1]]  # as read: `audited_weight` converts them
    cached = _policy_cache[0] if _policy_cache else None  # one read: other threads may replace it
    if cached is not None and cached[0] == raw:
        return cached[1], weight
    policy = sql.instance(P, _POLICY_FIELDS, raw)
    _policy_cache[:] = [(raw, policy)]
    return policy, weight


def current_policy(*, now: datetime | None = None) -> DistributionPolicy:
    """The newest version of the settings; version 1 with the defaults when there is none."""
    found, _weight = _read_policy()
    if found is not None:
        return found
    policy = DistributionPolicy.objects.order_by("-version").first()
    if policy is None:
        policy, _created = DistributionPolicy.objects.get_or_create(
            version=1,
            defaults={"created_at": now or timezone.now(), "reason": "Default settings"},
        )
    return policy


@dataclass(frozen=True)
class AuditedWeight:
    weight: Decimal
    change_id: int
    matches_current: bool


_WEIGHT_FIELDS = ("id", "new_weight")


def audited_weight(
    *, category: CaseCategory, now: datetime, last_entry: list[Any] | None = None
) -> AuditedWeight:
    """The category's weight according to its audit trail (a baseline is written at first use).

    A weight edited without an audit entry is not used: the audited value is, and the chairs get an
    alert; `verify` reports the difference too. `last_entry`: [id, new_weight] of the last audit
    entry (both None when there is none) when the caller has read it already.
    """
    current = Decimal(category.complexity_weight)
    if last_entry is not None:
        found = [tuple(last_entry)] if last_entry[0] is not None else []
        return _audited(category, now, current, found)
    found = sql.rows(
        f"SELECT {sql.columns(WeightChange, _WEIGHT_FIELDS)} FROM {sql.table(WeightChange)} "  # noqa: S608
        f"WHERE {sql.column(WeightChange, 'category_id')} = %s "
        f"ORDER BY {sql.column(WeightChange, 'at')} DESC, {sql.column(WeightChange, 'id')} DESC LIMIT 1",
        [category.pk],
    )
    return _audited(category, now, current, found)


def _audited(
    category: CaseCategory, now: datetime, current: Decimal, found: list[tuple[Any, ...]]
) -> AuditedWeight:
    last: WeightChange | None = sql.instance(WeightChange, _WEIGHT_FIELDS, found[0]) if found else None
    if last is None:
        last = WeightChange.objects.create(
            category=category,
            at=now,
            old_weight=None,
            new_weight=current,
            actor=None,
            reason="Baseline recorded at the category's first distribution",
        )
    audited = Decimal(last.new_weight)
    matches = audited == current
    if (
        not matches
        and not DistributionAlert.objects.filter(
            kind=AlertKind.WEIGHT_UNAUDITED, category=category, resolved_at__isnull=True
        ).exists()
    ):
        DistributionAlert.objects.create(
            kind=AlertKind.WEIGHT_UNAUDITED,
            category=category,
            details={"category": category.code, "audited": str(audited), "current": str(current)},
            created_at=now,
            last_checked_at=now,
        )
    return AuditedWeight(audited, last.pk, matches)


# ---------------------------------------------------------------- the pool and the facts


@dataclass
class JudgeInfo:
    id: int
    name: str
    court_id: int
    court_code: str
    court_level: str
    court_active: bool
    is_active: bool
    appointed_on: date
    share: Decimal
    specialisations: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)


@dataclass
class Absence:
    id: int
    kind: str
    starts_on: date
    ends_on: date


@dataclass
class Context:
    case: Case
    category: CaseCategory
    policy: DistributionPolicy
    now: datetime
    day: date
    period: rules.Period
    weight: AuditedWeight
    scope: str
    levels: list[str]
    required_specialisations: list[str]  # empty: any specialisation of the category's kind
    judges: list[JudgeInfo]
    absences: dict[int, list[Absence]]
    recusals: dict[int, list[dict[str, Any]]]
    links: dict[int, list[dict[str, Any]]]
    seats: int
    loads: dict[int, int] = field(default_factory=dict)
    ledgers: dict[int, Ledger] = field(default_factory=dict)
    # Reasons from the record being written (a redistribution excludes the judge it replaces).
    extra: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    # Available days per judge, computed once (the day and the absences are fixed).
    available: dict[int, int] = field(default_factory=dict)
    # The judge's reasons that do not depend on the case, per judge and pool rule (`reasons_for`).
    standing: dict[tuple[Any, ...], list[dict[str, Any]]] = field(default_factory=dict)
    # Per pool (the list object) and rule: (the pool, the result of `_eligibility` without own facts).
    pool_standing: dict[tuple[Any, ...], tuple[list[JudgeInfo], Eligibility]] = field(default_factory=dict)

    @property
    def elapsed(self) -> int:
        return self.period.elapsed_days(self.day)

    @functools.cached_property
    def rule_key(self) -> tuple[Any, ...]:
        """What, besides the judge and the day, decides the judge's standing reasons."""
        return (self.category.kind, tuple(self.levels), tuple(self.required_specialisations))

    def judge(self, judge_id: int) -> JudgeInfo | None:
        return next((j for j in self.judges if j.id == judge_id), None)


def pool_rule(
    policy: DistributionPolicy, category: CaseCategory, *, consented: bool
) -> tuple[str, list[str], list[str]]:
    """The pool's scope, court levels and required specialisations (none: any of the category's
    kind). The scope is national under virtual (exterritorial) jurisdiction: the claimant consented
    and the category allows it."""
    levels = list(policy.instance_levels.get(category.instance, []))
    required = sorted(policy.category_specialisations.get(category.code, []))
    virtual = category.allows_virtual_jurisdiction and consented
    return ("national" if virtual else "court"), levels, required


def consented_to_virtual(case: Case, category: CaseCategory) -> bool:
    """Whether the case's filer consented to virtual jurisdiction (read only where it can apply)."""
    if not category.allows_virtual_jurisdiction or case.submission_id is None:
        return False
    return bool(case.submission and case.submission.virtual_jurisdiction_consent)


def seats_for(policy: DistributionPolicy, category: CaseCategory) -> int:
    override = policy.panel_overrides.get(category.code)
    if override is not None:
        return max(1, int(override))
    return max(1, int(policy.panel_sizes.get(category.instance, 1)))


def role_for(seat: int, seats: int) -> str:
    if seats == 1:
        return SeatRole.SOLE
    return SeatRole.REPORTING if seat == 1 else SeatRole.MEMBER


def delta_units(ctx: Context, seat: int) -> int:
    units = rules.to_units(ctx.weight.weight)
    if seat == 1:
        return units
    return rules.to_units(ctx.weight.weight * Decimal(ctx.policy.panel_member_factor))


_CASE_FIELDS = sql.all_fields(Case)
_CATEGORY_FIELDS = sql.all_fields(CaseCategory)
_COURT_FIELDS = sql.all_fields(Court)


def lock_case(case_id: int) -> Case:
    """The case, locked, with its category and court (one statement)."""
    found = lock_cases([case_id])
    if not found:
        raise Case.DoesNotExist("Case matching query does not exist.")
    return found[0]


def lock_cases(case_ids: list[int]) -> list[Case]:
    """The cases, locked in id order, with their categories and courts (one statement)."""
    if not case_ids:
        return []
    found = sql.rows(
        f"SELECT {sql.columns(Case, _CASE_FIELDS, 'c')}, {sql.columns(CaseCategory, _CATEGORY_FIELDS, 'g')}, "  # noqa: S608
        f"{sql.columns(Court, _COURT_FIELDS, 't')} FROM {sql.table(Case)} c "
        f"JOIN {sql.table(CaseCategory)} g "
        f"ON g.{sql.column(CaseCategory, 'id')} = c.{sql.column(Case, 'category_id')} "
        f"JOIN {sql.table(Court)} t ON t.{sql.column(Court, 'id')} = c.{sql.column(Case, 'court_id')} "
        f"WHERE c.{sql.column(Case, 'id')} IN ({sql.placeholders(len(case_ids))}) "
        f"ORDER BY c.{sql.column(Case, 'id')}{sql.for_update('c', no_key=True)}",
        list(case_ids),
    )
    cases: list[Case] = []
    categories: dict[Any, CaseCategory] = {}
    courts: dict[Any, Court] = {}
    at_category, at_court = len(_CASE_FIELDS), len(_CASE_FIELDS) + len(_CATEGORY_FIELDS)
    for row in found:
        case: Case = sql.instance(Case, _CASE_FIELDS, row)
        # Cases of one category or court share one (read-only) instance of it.
        category = categories.get(row[at_category])
        if category is None:
            category = categories[row[at_category]] = sql.instance(
                CaseCategory, _CATEGORY_FIELDS, row, at_category
            )
        court = courts.get(row[at_court])
        if court is None:
            court = courts[row[at_court]] = sql.instance(Court, _COURT_FIELDS, row, at_court)
        case.category, case.court = category, court
        cases.append(case)
    return cases


def build_context(*, case: Case, now: datetime) -> Context:
    """Reads the pool and every fact about its judges; call with the case locked, before the draw."""
    category = case.category
    read, last_entry = _read_policy(category.pk)
    policy = read if read is not None else current_policy(now=now)
    day = timezone.localdate(now)
    period = rules.period_of(day, policy.period)
    scope, levels, required = pool_rule(policy, category, consented=consented_to_virtual(case, category))
    judges = _pool_judges(case=case, category=category, scope=scope, levels=levels, required=required)
    ids = [j.id for j in judges]
    recusal_rows, link_rows = _case_facts(case, now=now)
    ctx = Context(
        case=case,
        category=category,
        policy=policy,
        now=now,
        day=day,
        period=period,
        weight=audited_weight(category=category, now=now, last_entry=last_entry),
        scope=scope,
        levels=levels,
        required_specialisations=required,
        judges=judges,
        absences=_absences(ids, period_start=period.start, day=day, now=now),
        recusals=_recusals(case, now=now, rows=recusal_rows),
        links=_link_exclusions(case=case, category=category, policy=policy, now=now, rows=link_rows),
        seats=seats_for(policy, category),
    )
    return ctx


def _pool_judges(
    *, case: Case, category: CaseCategory, scope: str, levels: list[str], required: list[str]
) -> list[JudgeInfo]:
    fields = (
        "id",
        "full_name",
        "court_id",
        "court__code",
        "court__level",
        "court__is_active",
        "is_active",
        "appointed_on",
        "workload_share",
        "specialisations__code",
        "specialisations__kind",
    )
    rows: Any
    if scope == "court":
        rows = court_judges([case.court_id]).get(case.court_id, [])
    else:
        # The national pool: judges of the courts of this instance who hold a matching specialisation.
        spec = Q(specialisations__code__in=required) if required else Q(specialisations__kind=category.kind)
        rows = Judge.objects.filter(spec, court__level__in=levels).values_list(*fields)
    return judge_infos(rows)


def judge_infos(rows: Any) -> list[JudgeInfo]:
    """Judges from rows (id, name, court id, court code, level, court active, active, appointed on,
    share, specialisation code, its kind), one row per specialisation; ordered by id."""
    by_id: dict[int, JudgeInfo] = {}
    for jid, name, court_id, code, level, court_active, active, appointed, share, spec_code, kind in rows:
        info = by_id.get(jid)
        if info is None:
            info = by_id[jid] = JudgeInfo(
                jid, name, court_id, code, level, court_active, active, appointed, Decimal(share)
            )
        if spec_code:
            info.specialisations.add(spec_code)
            info.kinds.add(kind)
    return [by_id[k] for k in sorted(by_id)]


def court_judges(court_ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
    """The judges of these courts with their specialisations, per court, as `judge_infos` reads them
    (one row per specialisation; a judge without any has one row with None)."""
    if not court_ids:
        return {}
    J, T, S = Judge, Court, Specialisation
    through = Judge.specialisations.through
    found = sql.rows(
        f"SELECT j.{sql.column(J, 'id')}, j.{sql.column(J, 'full_name')}, j.{sql.column(J, 'court_id')}, "  # noqa: S608
        f"t.{sql.column(T, 'code')}, t.{sql.column(T, 'level')}, t.{sql.column(T, 'is_active')}, "
        f"j.{sql.column(J, 'is_active')}, j.{sql.column(J, 'appointed_on')}, "
        f"j.{sql.column(J, 'workload_share')}, "
        f"s.{sql.column(S, 'code')}, s.{sql.column(S, 'kind')} "
        f"FROM {sql.table(J)} j "
        f"JOIN {sql.table(T)} t ON t.{sql.column(T, 'id')} = j.{sql.column(J, 'court_id')} "
        f"LEFT JOIN {sql.table(through)} js "
        f"ON js.{sql.column(through, 'judge_id')} = j.{sql.column(J, 'id')} "
        f"LEFT JOIN {sql.table(S)} s "
        f"ON s.{sql.column(S, 'id')} = js.{sql.column(through, 'specialisation_id')} "
        f"WHERE j.{sql.column(J, 'court_id')} IN ({sql.placeholders(len(court_ids))})",
        list(court_ids),
    )
    judge_convs = sql.converters(J, ("is_active", "appointed_on", "workload_share"))
    court_convs = sql.converters(T, ("is_active",))
    out: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    converted: dict[tuple[Any, ...], list[Any]] = {}  # rows of one judge repeat the same values
    for row in found:
        key = row[5:9]
        values = converted.get(key)
        if values is None:
            values = converted[key] = sql.convert(row, court_convs, 5) + sql.convert(row, judge_convs, 6)
        out[row[2]].append((*row[:5], *values, row[9], row[10]))
    return out


def _absences(ids: list[int], *, period_start: date, day: date, now: datetime) -> dict[int, list[Absence]]:
    if not ids:
        return {}
    found: dict[int, list[Absence]] = defaultdict(list)
    A = JudgeAbsence
    at = sql.datetime_param(now)
    rows = sql.rows(
        f"SELECT {sql.columns(A, _ABSENCE_FIELDS)} FROM {sql.table(A)} "  # noqa: S608
        f"WHERE {sql.column(A, 'judge_id')} IN ({sql.placeholders(len(ids))}) "
        f"AND {sql.column(A, 'starts_on')} <= %s AND {sql.column(A, 'ends_on')} >= %s "
        f"AND {sql.column(A, 'created_at')} <= %s "
        f"AND ({sql.column(A, 'cancelled_at')} IS NULL OR {sql.column(A, 'cancelled_at')} > %s) "
        f"ORDER BY {sql.column(A, 'judge_id')}, {sql.column(A, 'starts_on')}, {sql.column(A, 'id')}",
        [*ids, sql.date_param(day), sql.date_param(period_start), at, at],
    )
    convs = sql.converters(A, _ABSENCE_FIELDS)
    for row in rows:
        aid, jid, kind, starts_on, ends_on = sql.convert(row, convs)
        found[jid].append(Absence(aid, kind, starts_on, ends_on))
    return found


_ABSENCE_FIELDS = ("id", "judge_id", "kind", "starts_on", "ends_on")


CaseFacts = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


def _case_facts(case: Case, *, now: datetime) -> CaseFacts:
    """The case's upheld recusals (id, judge, kind) and links (id, relation, related case, its
    number) as known at `now`, in one statement."""
    return case_facts_many([case.pk], now=now).get(case.pk, ([], []))


def case_facts_many(case_ids: list[int], *, now: datetime) -> dict[int, CaseFacts]:
    """`_case_facts` of several cases, in one statement."""
    if not case_ids:
        return {}
    R, L = Recusal, CaseLink
    at = sql.datetime_param(now)
    marks = sql.placeholders(len(case_ids))
    found = sql.rows(
        f"SELECT 'r', {sql.column(R, 'case_id')}, {sql.columns(R, ('id', 'judge_id', 'kind'))}, NULL "  # noqa: S608
        f"FROM {sql.table(R)} "
        f"WHERE {sql.column(R, 'case_id')} IN ({marks}) AND {sql.column(R, 'status')} = %s "
        f"AND {sql.column(R, 'decided_at')} <= %s "
        f"UNION ALL SELECT 'l', l.{sql.column(L, 'case_id')}, l.{sql.column(L, 'id')}, "
        f"l.{sql.column(L, 'related_id')}, l.{sql.column(L, 'relation')}, c.{sql.column(Case, 'number')} "
        f"FROM {sql.table(L)} l "
        f"JOIN {sql.table(Case)} c ON c.{sql.column(Case, 'id')} = l.{sql.column(L, 'related_id')} "
        f"WHERE l.{sql.column(L, 'case_id')} IN ({marks}) AND l.{sql.column(L, 'created_at')} <= %s "
        f"ORDER BY 1, 2, 3",
        [*case_ids, RecusalStatus.UPHELD.value, at, *case_ids, at],
    )
    out: dict[int, CaseFacts] = defaultdict(lambda: ([], []))
    for r in found:
        if r[0] == "r":
            out[r[1]][0].append(r[2:5])
        else:
            out[r[1]][1].append((r[2], r[4], r[3], r[5]))
    return dict(out)


def _recusals(
    case: Case, *, now: datetime, rows: list[tuple[Any, ...]] | None = None
) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if rows is None:
        rows = _case_facts(case, now=now)[0]
    for rid, jid, kind in rows:
        found[jid].append({"code": "recused", "fact": f"recusal:{rid}", "kind": kind})
    return found


def related_rule_applies(policy: DistributionPolicy, category: CaseCategory) -> bool:
    return category.kind in policy.related_case_kinds or category.code in policy.related_case_categories


def judges_of_cases(
    case_ids: list[int], *, pending: dict[int, set[int]] | None = None
) -> dict[int, set[int]]:
    """The judges who hear (or heard) each case: its judge and its panel's open seats, and those
    `pending` (seats given by a batch of draws and not written yet)."""
    found: dict[int, set[int]] = defaultdict(set)
    if not case_ids:
        return found
    for cid in case_ids:
        if pending and cid in pending:
            found[cid] |= pending[cid]
    for cid, jid in Case.objects.filter(pk__in=case_ids, judge__isnull=False).values_list("id", "judge_id"):
        found[cid].add(jid)
    for cid, jid in Assignment.objects.filter(case_id__in=case_ids, ended_at__isnull=True).values_list(
        "case_id", "judge_id"
    ):
        found[cid].add(jid)
    return found


def _link_exclusions(
    *,
    case: Case,
    category: CaseCategory,
    policy: DistributionPolicy,
    now: datetime,
    rows: list[tuple[Any, ...]] | None = None,
    pending: dict[int, set[int]] | None = None,
) -> dict[int, list[dict[str, Any]]]:
    """Judges of the lower instance, of an earlier consideration and (when the rules say so) of
    the same parties' related cases."""
    applies = related_rule_applies(policy, category)
    if rows is None:
        rows = _case_facts(case, now=now)[1]
    links = [
        (lid, relation, related_id, number)
        for lid, relation, related_id, number in rows
        if relation != CaseRelation.RELATED or applies
    ]
    related_by_parties: list[tuple[int, str]] = []
    if applies:
        related_by_parties = _same_parties_cases(case=case, policy=policy, now=now)
    judges = judges_of_cases(
        [r for _l, _rel, r, _n in links] + [c for c, _n in related_by_parties], pending=pending
    )
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for lid, relation, related_id, number in links:
        code = "related_case" if relation == CaseRelation.RELATED else relation
        for jid in judges.get(related_id, set()):
            found[jid].append({"code": code, "fact": f"link:{lid}", "case": number})
    for related_id, number in related_by_parties:
        for jid in judges.get(related_id, set()):
            found[jid].append({"code": "related_case", "fact": "parties", "case": number})
    return found


def party_identifiers(case_id: int) -> set[str]:
    ids: set[str] = set()
    for iin, bin_ in Party.objects.filter(case_id=case_id).values_list("iin", "bin"):
        if bin_:
            ids.add(f"bin:{bin_}")
        elif iin:
            ids.add(f"iin:{iin}")
    return ids


def _same_parties_cases(*, case: Case, policy: DistributionPolicy, now: datetime) -> list[tuple[int, str]]:
    """Earlier cases sharing the parties: at least two identifiers, or the only one there is."""
    mine = party_identifiers(case.pk)
    if not mine:
        return []
    iins = [i[4:] for i in mine if i.startswith("iin:")]
    bins = [i[4:] for i in mine if i.startswith("bin:")]
    since = now - timedelta(days=policy.related_case_lookback_days)
    shared: dict[tuple[int, str], set[str]] = defaultdict(set)
    rows = (
        Party.objects.filter(Q(iin__in=iins, bin="") | Q(bin__in=bins))
        .exclude(case_id=case.pk)
        .filter(case__registered_at__gte=since, case__registered_at__lte=now)
        .values_list("case_id", "case__number", "iin", "bin")
    )
    for cid, number, iin, bin_ in rows:
        shared[(cid, number)].add(f"bin:{bin_}" if bin_ else f"iin:{iin}")
    needed = min(2, len(mine))
    return sorted(key for key, ids in shared.items() if len(ids & mine) >= needed)


# ---------------------------------------------------------------- eligibility and the snapshot


def reasons_for(ctx: Context, judge: JudgeInfo, *, seated: set[int]) -> list[dict[str, Any]]:
    key = (judge.id, ctx.rule_key)
    base = ctx.standing.get(key)
    if base is None:
        base = ctx.standing[key] = _standing_reasons(ctx, judge)
    jid = judge.id
    if jid not in ctx.recusals and jid not in ctx.links and jid not in ctx.extra and jid not in seated:
        return list(base)
    extra = [*ctx.recusals.get(jid, ()), *ctx.links.get(jid, ()), *ctx.extra.get(jid, ())]
    if jid in seated:
        extra.append({"code": "on_panel"})
    if not extra:
        return list(base)
    return sorted([*base, *extra], key=lambda r: (r["code"], str(r.get("fact", "")), str(r.get("case", ""))))


def _standing_reasons(ctx: Context, judge: JudgeInfo) -> list[dict[str, Any]]:
    """The reasons that depend on the judge, the pool's rule and the day, not on the case."""
    reasons: list[dict[str, Any]] = []
    if not judge.court_active:
        reasons.append({"code": "court_inactive"})
    if judge.court_level not in ctx.levels:
        reasons.append({"code": "instance", "level": judge.court_level})
    if not judge.is_active:
        reasons.append({"code": "inactive"})
    if judge.appointed_on > ctx.day:
        reasons.append({"code": "not_appointed", "from": judge.appointed_on.isoformat()})
    if ctx.required_specialisations:
        matches = bool(judge.specialisations & set(ctx.required_specialisations))
    else:
        matches = ctx.category.kind in judge.kinds
    if not matches:
        reasons.append({"code": "specialisation", "has": sorted(judge.specialisations)})
    for absence in ctx.absences.get(judge.id, []):
        if absence.starts_on <= ctx.day <= absence.ends_on:
            reasons.append(
                {
                    "code": "absent",
                    "fact": f"absence:{absence.id}",
                    "kind": absence.kind,
                    "from": absence.starts_on.isoformat(),
                    "to": absence.ends_on.isoformat(),
                }
            )
    return sorted(reasons, key=lambda r: (r["code"], str(r.get("fact", "")), str(r.get("case", ""))))


def available_days(ctx: Context, judge: JudgeInfo) -> int:
    found = ctx.available.get(judge.id)
    if found is None:
        found = ctx.available[judge.id] = rules.available_days(
            period_start=ctx.period.start,
            day=ctx.day,
            appointed_on=judge.appointed_on,
            absences=[(a.starts_on, a.ends_on) for a in ctx.absences.get(judge.id, [])],
        )
    return found


def read_loads(ctx: Context, judge_ids: list[int]) -> None:
    missing = [j for j in judge_ids if j not in ctx.loads]
    if missing:
        ctx.loads.update(load_units(ctx.period.start, missing))


def load_units(period_start: date, judge_ids: list[int]) -> dict[int, int]:
    """The judges' assigned weight in the period, in units (0 for a judge without a row)."""
    if not judge_ids:
        return {}
    JL = JudgeLoad
    found = dict(
        sql.rows(
            f"SELECT {sql.columns(JL, ('judge_id', 'load_units'))} FROM {sql.table(JL)} "  # noqa: S608
            f"WHERE {sql.column(JL, 'period_start')} = %s "
            f"AND {sql.column(JL, 'judge_id')} IN ({sql.placeholders(len(judge_ids))})",
            [sql.date_param(period_start), *judge_ids],
        )
    )
    return {jid: int(found.get(jid, 0)) for jid in judge_ids}


@dataclass
class SeatSnapshot:
    data: dict[str, Any]
    eligible: list[JudgeInfo]
    candidates: list[rules.Candidate]
    reasons: dict[int, list[dict[str, Any]]]


def policy_snapshot(policy: DistributionPolicy) -> dict[str, Any]:
    """`policy.as_snapshot()`, computed once per instance (the draws only read it)."""
    found: dict[str, Any] | None = policy.__dict__.get("_snapshot")
    if found is None:
        found = policy.__dict__["_snapshot"] = policy.as_snapshot()
    return found


Eligibility = tuple[dict[int, list[dict[str, Any]]], list[JudgeInfo], list[dict[str, Any]]]


def _eligibility(ctx: Context, *, seated: set[int]) -> Eligibility:
    """Every judge's reasons, the eligible judges and the snapshot's list of the excluded ones.

    A case with no facts of its own (no recusal, link or panel seat) has the pool's standing
    result, computed once per pool and rule in a batch; callers only read it.
    """
    own_facts = bool(seated or ctx.recusals or ctx.links or ctx.extra)
    key = (id(ctx.judges), ctx.rule_key)
    if not own_facts:
        found = ctx.pool_standing.get(key)
        if found is not None and found[0] is ctx.judges:
            return found[1]
    reasons = {j.id: reasons_for(ctx, j, seated=seated) for j in ctx.judges}
    eligible = [j for j in ctx.judges if not reasons[j.id]]
    excluded = [
        {"judge": j.id, "name": j.name, "court": j.court_code, "reasons": reasons[j.id]}
        for j in ctx.judges
        if reasons[j.id]
    ]
    if not own_facts:
        ctx.pool_standing[key] = (ctx.judges, (reasons, eligible, excluded))
    return reasons, eligible, excluded


def seat_snapshot(
    ctx: Context,
    *,
    seat: int,
    seated: set[int],
    replacing: dict[str, Any] | None = None,
) -> SeatSnapshot:
    reasons, eligible, excluded = _eligibility(ctx, seated=seated)
    read_loads(ctx, [j.id for j in eligible])
    units = delta_units(ctx, seat)
    elapsed = ctx.elapsed
    candidates: list[rules.Candidate] = []
    rows: list[dict[str, Any]] = []
    for judge in eligible:
        candidate = rules.Candidate(judge.id, ctx.loads[judge.id], judge.share, available_days(ctx, judge))
        candidates.append(candidate)
        rows.append(
            {
                "judge": judge.id,
                "name": judge.name,
                "court": judge.court_code,
                "share": f"{judge.share:.2f}",
                "assigned": rules.units_str(candidate.units),
                "available_days": candidate.available,
                "load": str(candidate.load(elapsed)),
                "projected": str(candidate.projected(elapsed, units)),
            }
        )
    data: dict[str, Any] = {
        "algorithm": crypto.ALGORITHM_VERSION,
        "case": ctx.case.number,
        "court": ctx.case.court.code,
        "category": {
            "code": ctx.category.code,
            "kind": ctx.category.kind,
            "instance": ctx.category.instance,
            "weight": f"{ctx.weight.weight:.2f}",
            "weight_audit": ctx.weight.change_id,
        },
        "date": ctx.day.isoformat(),
        "period": ctx.period.as_snapshot(ctx.day),
        "policy": policy_snapshot(ctx.policy),
        "formula": rules.FORMULA,
        "pool": {
            "scope": ctx.scope,
            "court": ctx.case.court.code if ctx.scope == "court" else None,
            "levels": ctx.levels,
            "specialisations": ctx.required_specialisations or None,
            "kind": ctx.category.kind,
        },
        "seat": seat,
        "seats": ctx.seats,
        "role": role_for(seat, ctx.seats),
        "load_delta": rules.units_str(units),
        "panel": sorted(seated),
        "replacing": replacing,
        "candidates": rows,
        "excluded": excluded,
    }
    return SeatSnapshot(data, eligible, candidates, reasons)


# ---------------------------------------------------------------- records and loads


def record_body(record: DistributionRecord, *, court_code: str) -> dict[str, Any]:
    """What a record's hash covers: every column except the hash itself."""
    return {
        "court": court_code,
        "seq": record.seq,
        "case": record.case_number,
        "kind": record.kind,
        "outcome": record.outcome,
        "seat": record.seat,
        "role": record.role,
        "created_at": record.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "day": record.day.isoformat(),
        "algorithm": record.algorithm,
        "policy_version": record.policy_version,
        "snapshot_sha256": record.snapshot_sha256,
        "commitment": record.commitment,
        "commitment_late": record.commitment_late,
        "draw_hmac": record.draw_hmac,
        "draw_index": record.draw_index,
        "judge": record.judge_id,
        "previous_judge": record.previous_judge_id,
        "reason_code": record.reason_code,
        "reason": record.reason,
        "actor": record.actor_id,
        "deltas": record.deltas,
        "prev_hash": record.prev_hash,
    }


def record_hash(record: DistributionRecord, *, court_code: str) -> str:
    return crypto.sha256_hex(crypto.canonical_json(record_body(record, court_code=court_code)))


def lock_ledgers(court_ids: set[int]) -> dict[int, Ledger]:
    """Locks the ledgers of these courts, in court order (no deadlocks); creates missing ones."""
    wanted = sorted(court_ids)
    fields = sql.all_fields(Ledger)
    found = {
        led.court_id: led
        for led in (
            sql.instance(Ledger, fields, row)
            for row in sql.rows(
                f"SELECT {sql.columns(Ledger, fields)} FROM {sql.table(Ledger)} "  # noqa: S608
                f"WHERE {sql.column(Ledger, 'court_id')} IN ({sql.placeholders(len(wanted))}) "
                f"ORDER BY {sql.column(Ledger, 'court_id')}{sql.for_update()}",
                wanted,
            )
        )
    }
    if len(found) < len(wanted):
        Ledger.objects.bulk_create(
            [Ledger(court_id=c, last_seq=0, last_hash=ZERO_HASH) for c in wanted if c not in found],
            ignore_conflicts=True,
        )
        found = {
            led.court_id: led
            for led in Ledger.objects.select_for_update().filter(court_id__in=wanted).order_by("court_id")
        }
    return found


class PendingRecords(Protocol):
    """Where a batch collects its rows (`batch.PendingWrites`)."""

    def add_record(self, record: DistributionRecord, *, court_id: int) -> None: ...

    def add_delta(self, judge_id: int, period_start: date, units: int) -> None: ...


@dataclass
class Draft:
    """A record about to be appended."""

    kind: str
    outcome: str
    seat: int
    role: str
    snapshot: dict[str, Any]
    secret: SecretInUse | None = None
    judge_id: int | None = None
    previous_judge_id: int | None = None
    reason_code: str = ""
    reason: str = ""
    actor_id: int | None = None
    deltas: list[list[Any]] = field(default_factory=list)
    draw_hmac: str = ""
    draw_index: int | None = None
    # Canonical JSON of `snapshot` when it is already computed (the draw hashes it); the snapshot
    # must not change after it is set.
    snapshot_text: str = ""


_RECORD_COLUMNS = sql.all_fields(DistributionRecord)


def append_record(ctx: Context, draft: Draft, *, pending: PendingRecords | None = None) -> DistributionRecord:
    """The record of `draft`, next in its court's chain: inserted now, or appended to `pending`
    (a batch writes its records together, in this order)."""
    ledger = ctx.ledgers[ctx.case.court_id]
    text = draft.snapshot_text or crypto.canonical_json(draft.snapshot)
    values: dict[str, Any] = {
        "id": None,
        "ledger_id": ledger.pk,
        "seq": ledger.last_seq + 1,
        "case_id": ctx.case.pk,
        "case_number": ctx.case.number,
        "kind": draft.kind,
        "outcome": draft.outcome,
        "seat": draft.seat,
        "role": draft.role,
        "created_at": ctx.now,
        "day": ctx.day,
        "algorithm": crypto.ALGORITHM_VERSION,
        "policy_version": ctx.policy.version,
        "snapshot": text,
        "snapshot_sha256": crypto.sha256_hex(text),
        "commitment": draft.secret.commitment if draft.secret else "",
        "commitment_late": draft.secret.late if draft.secret else False,
        "draw_hmac": draft.draw_hmac,
        "draw_index": draft.draw_index,
        "judge_id": draft.judge_id,
        "previous_judge_id": draft.previous_judge_id,
        "reason_code": draft.reason_code,
        "reason": draft.reason,
        "actor_id": draft.actor_id,
        "deltas": draft.deltas,
        "prev_hash": ledger.last_hash,
        "record_hash": "",
    }
    # Positional, by column (three times faster than keywords), with the ledger and case attached
    # as keyword construction would attach them.
    record = DistributionRecord(*[values[name] for name in _RECORD_COLUMNS])
    record._state.fields_cache["ledger"] = ledger
    record._state.fields_cache["case"] = ctx.case
    record.record_hash = record_hash(record, court_code=ctx.case.court.code)
    if pending is None:
        sql.insert(record)
    else:
        pending.add_record(record, court_id=ctx.case.court_id)
    ledger.last_seq = record.seq
    ledger.last_hash = record.record_hash
    return record


def save_ledger(ctx: Context) -> None:
    ledger = ctx.ledgers[ctx.case.court_id]
    sql.execute(
        f"UPDATE {sql.table(Ledger)} SET {sql.column(Ledger, 'last_seq')} = %s, "  # noqa: S608
        f"{sql.column(Ledger, 'last_hash')} = %s WHERE {sql.column(Ledger, 'id')} = %s",
        [ledger.last_seq, ledger.last_hash, ledger.pk],
    )


def apply_delta(
    ctx: Context, judge_id: int, period_start: date, units: int, *, pending: PendingRecords | None = None
) -> None:
    if pending is not None:
        pending.add_delta(judge_id, period_start, units)
    else:
        _upsert_load(judge_id, period_start, units)
    if period_start == ctx.period.start and judge_id in ctx.loads:
        ctx.loads[judge_id] += units


def _upsert_load(judge_id: int, period_start: date, units: int) -> None:
    step = 1 if units > 0 else -1
    JL = JudgeLoad
    load, cases = sql.column(JL, "load_units"), sql.column(JL, "cases")
    # One upsert (the unique judge × period row): as an UPDATE, or an INSERT when there is none.
    sql.execute(
        f"INSERT INTO {sql.table(JL)} "  # noqa: S608
        f"({sql.columns(JL, ('judge_id', 'period_start', 'load_units', 'cases'))}) "
        f"VALUES (%s, %s, %s, %s) ON CONFLICT ({sql.columns(JL, ('judge_id', 'period_start'))}) "
        f"DO UPDATE SET {load} = {sql.table(JL)}.{load} + excluded.{load}, "
        f"{cases} = {sql.table(JL)}.{cases} + excluded.{cases}",
        [judge_id, sql.date_param(period_start), units, step],
    )


def draw_from(ctx: Context, snap: SeatSnapshot, *, seat: int, secret: SecretInUse) -> Draft:
    """Chooses the seat's judge from the snapshot; the snapshot gets its draw set first."""
    units = delta_units(ctx, seat)
    chosen = rules.draw_set(
        snap.candidates,
        elapsed=ctx.elapsed,
        delta_units=units,
        tolerance=Decimal(ctx.policy.tolerance),
        mode=ctx.policy.tolerance_mode,
    )
    snap.data["draw"] = {
        "mode": ctx.policy.tolerance_mode,
        "tolerance": f"{Decimal(ctx.policy.tolerance):.2f}",
        "min_load": str(chosen.min_load),
        "threshold": str(chosen.threshold),
        "set": chosen.judge_ids,
        "fallback": chosen.fallback,
    }
    text = crypto.canonical_json(snap.data)
    sha = crypto.sha256_hex(text)
    digest = crypto.draw_hmac(secret.secret, ctx.case.number, sha)
    index = crypto.draw_index(digest, len(chosen.judge_ids))
    return Draft(
        kind="draw",
        outcome="assigned",
        seat=seat,
        role=role_for(seat, ctx.seats),
        snapshot=snap.data,
        secret=secret,
        judge_id=chosen.judge_ids[index],
        draw_hmac=digest,
        draw_index=index,
        deltas=[[chosen.judge_ids[index], ctx.period.start.isoformat(), rules.units_str(units)]],
        snapshot_text=text,
    )


def open_assignments(case: Case) -> dict[int, Assignment]:
    return {a.seat: a for a in Assignment.objects.filter(case=case, ended_at__isnull=True)}
