"""Re-checks the distribution records of a period from the records themselves and revealed secrets.

For every record: its snapshot hashes to `snapshot_sha256`; its hash recomputes; it follows the
previous record of its court's chain (no gap, no edit, no removal at the head); the weight it used
is the one the audit trail held; the loads of its candidates equal the sum of the changes of the
earlier records; the draw set follows from the loads and the settings in the snapshot; the day's
secret is revealed, matches the signed commitment, and HMAC-SHA256(secret, case | snapshot hash)
gives the drawn judge. Categories whose weight differs from their last audit entry are reported too.
"""

from __future__ import annotations

import contextlib
import hmac
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from torelik.courts.models import CaseCategory
from torelik.distribution import crypto, engine, rules
from torelik.distribution.models import (
    ZERO_HASH,
    DaySecret,
    DistributionRecord,
    Ledger,
    RecordKind,
    RecordOutcome,
    ServiceKey,
    WeightChange,
)


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    record_id: int | None = None
    court: str = ""
    seq: int | None = None
    case_number: str = ""

    @property
    def label(self) -> str:
        if self.record_id is None:
            return self.message
        return f"record {self.court}#{self.seq} (case {self.case_number}): {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "record_id": self.record_id,
            "court": self.court,
            "seq": self.seq,
            "case_number": self.case_number,
        }


@dataclass
class Report:
    start: date
    end: date
    checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return self.findings[0] if self.findings else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "checked": self.checked,
            "ok": self.ok,
            "first": self.first.as_dict() if self.first else None,
            "findings": [f.as_dict() for f in self.findings],
        }


def verify(*, start: date, end: date) -> Report:
    report = Report(start=start, end=end)
    record_findings: list[tuple[int, Finding]] = []
    keys = {k.key_id: k.public_key_pem for k in ServiceKey.objects.all()}
    secrets: dict[date, DaySecret | None] = {}
    weight_entries = {w.pk: w for w in WeightChange.objects.select_related("category")}
    loads: dict[tuple[int, str], int] = defaultdict(int)
    previous: dict[int, DistributionRecord | None] = {}
    courts = dict(Ledger.objects.values_list("pk", "court__code"))

    # Loads are replayed from the start of the earliest period a record in range can belong to.
    replay_from = date(start.year, 1, 1)
    records = DistributionRecord.objects.filter(day__gte=replay_from, day__lte=end).order_by("id")
    for record in records.iterator(chunk_size=2000):
        in_range = record.day >= start
        if in_range:
            report.checked += 1
            problems = _check_record(
                record,
                court=courts[record.ledger_id],
                previous=previous,
                loads=loads,
                keys=keys,
                secrets=secrets,
                weights=weight_entries,
            )
            for code, message in problems:
                finding = Finding(
                    code, message, record.pk, courts[record.ledger_id], record.seq, record.case_number
                )
                record_findings.append((record.pk, finding))
        previous[record.ledger_id] = record
        for judge_id, period_start, units in record.deltas or []:
            with contextlib.suppress(ArithmeticError, ValueError):  # reported by the record's own check
                loads[(int(judge_id), str(period_start))] += rules.parse_units(str(units))

    # A record removed at the head of a chain leaves the ledger pointing past the last record.
    for ledger in Ledger.objects.all():
        last = previous.get(ledger.pk)
        if last is None or last.day < start:
            continue
        if not DistributionRecord.objects.filter(ledger=ledger, seq__gt=last.seq).exists() and (
            ledger.last_seq != last.seq or ledger.last_hash != last.record_hash
        ):
            finding = Finding(
                "chain_head",
                _("the chain of the court ends at #%(seq)s but its head says #%(head)s")
                % {"seq": last.seq, "head": ledger.last_seq},
                last.pk,
                courts[ledger.pk],
                last.seq,
                last.case_number,
            )
            record_findings.append((last.pk, finding))

    record_findings.sort(key=lambda pair: pair[0])
    report.findings.extend(f for _pk, f in record_findings)
    report.findings.extend(_weight_findings())
    return report


def _weight_findings() -> list[Finding]:
    found: list[Finding] = []
    last: dict[int, Decimal] = {}
    for category_id, weight in WeightChange.objects.order_by("category_id", "at", "id").values_list(
        "category_id", "new_weight"
    ):
        last[category_id] = Decimal(weight)
    for category in CaseCategory.objects.order_by("code"):
        audited = last.get(category.pk)
        if audited is None or audited != Decimal(category.complexity_weight):
            found.append(
                Finding(
                    "weight_unaudited",
                    _("the weight of category %(code)s is %(current)s but its audit trail says %(audited)s")
                    % {"code": category.code, "current": category.complexity_weight, "audited": audited},
                )
            )
    return found


def _check_record(
    record: DistributionRecord,
    *,
    court: str,
    previous: dict[int, DistributionRecord | None],
    loads: dict[tuple[int, str], int],
    keys: dict[str, str],
    secrets: dict[date, DaySecret | None],
    weights: dict[int, WeightChange],
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    # The chain.
    before = previous.get(record.ledger_id)
    if before is None:
        before = (
            DistributionRecord.objects.filter(ledger_id=record.ledger_id, seq__lt=record.seq)
            .order_by("-seq")
            .first()
        )
    expected_prev = before.record_hash if before else ZERO_HASH
    expected_seq = before.seq + 1 if before else 1
    if record.seq != expected_seq:
        problems.append(("chain_gap", _("expected #%(seq)s in the chain") % {"seq": expected_seq}))
    if record.prev_hash != expected_prev:
        problems.append(("chain_broken", _("the previous-record hash does not match")))
    if engine.record_hash(record, court_code=court) != record.record_hash:
        problems.append(("record_hash", _("the record's hash does not match its content")))
    if crypto.sha256_hex(record.snapshot) != record.snapshot_sha256:
        problems.append(("snapshot_hash", _("the snapshot does not match its hash")))
    try:
        snap = json.loads(record.snapshot)
    except ValueError:
        problems.append(("snapshot_unreadable", _("the snapshot is not valid JSON")))
        return problems
    # The weight against its audit trail.
    category = snap.get("category", {})
    entry = weights.get(category.get("weight_audit"))
    if (
        entry is None
        or entry.category.code != category.get("code")
        or (f"{Decimal(entry.new_weight):.2f}" != category.get("weight"))
    ):
        problems.append(("weight_mismatch", _("the weight used is not the one in the audit trail")))
    # The loads of the candidates against the replay of earlier records.
    period_start = snap.get("period", {}).get("start", "")
    for row in snap.get("candidates", []):
        replayed = loads.get((int(row["judge"]), period_start), 0)
        if rules.parse_units(row["assigned"]) != replayed:
            problems.append(
                (
                    "load_mismatch",
                    _("judge %(judge)s had %(replayed)s, the record says %(recorded)s")
                    % {
                        "judge": row["judge"],
                        "replayed": rules.units_str(replayed),
                        "recorded": row["assigned"],
                    },
                )
            )
            break
    if record.kind == RecordKind.MANUAL or record.outcome != RecordOutcome.ASSIGNED:
        return problems
    problems.extend(_check_draw(record, snap, keys=keys, secrets=secrets))
    return problems


def _check_draw(
    record: DistributionRecord,
    snap: dict[str, Any],
    *,
    keys: dict[str, str],
    secrets: dict[date, DaySecret | None],
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    elapsed = int(snap["period"]["elapsed_days"])
    delta = rules.parse_units(snap["load_delta"])
    candidates = [
        rules.Candidate(
            int(r["judge"]), rules.parse_units(r["assigned"]), Decimal(r["share"]), int(r["available_days"])
        )
        for r in snap["candidates"]
    ]
    for candidate, row in zip(candidates, snap["candidates"], strict=True):
        if (
            str(candidate.load(elapsed)) != row["load"]
            or str(candidate.projected(elapsed, delta)) != row["projected"]
        ):
            problems.append(("load_formula", _("a candidate's normalised load does not follow the formula")))
            break
    draw = snap.get("draw", {})
    chosen = rules.draw_set(
        candidates,
        elapsed=elapsed,
        delta_units=delta,
        tolerance=Decimal(snap["policy"]["tolerance"]),
        mode=snap["policy"]["tolerance_mode"],
    )
    if chosen.judge_ids != draw.get("set"):
        problems.append(("draw_set", _("the draw set does not follow from the loads and the tolerance")))
        return problems
    if record.day not in secrets:
        secrets[record.day] = DaySecret.objects.filter(day=record.day).first()
    day = secrets[record.day]
    if day is None:
        problems.append(("secret_missing", _("no commitment exists for %(day)s") % {"day": record.day}))
        return problems
    if day.commitment != record.commitment:
        problems.append(("commitment", _("the record's commitment is not the day's commitment")))
    public = keys.get(day.key_id)
    if public is None or not crypto.verify_signature(
        public, day.signature, crypto.commitment_message(day.day, day.commitment)
    ):
        problems.append(("commitment_signature", _("the day's commitment is not signed by the service key")))
    if not day.secret:
        problems.append(
            ("secret_not_revealed", _("the secret of %(day)s is not revealed") % {"day": record.day})
        )
        return problems
    secret = bytes.fromhex(day.secret)
    if crypto.sha256_hex(secret) != day.commitment:
        problems.append(("secret_commitment", _("the revealed secret does not match the commitment")))
        return problems
    digest = crypto.draw_hmac(secret, record.case_number, record.snapshot_sha256)
    if not hmac.compare_digest(digest, record.draw_hmac):
        problems.append(("draw_hmac", _("the draw's HMAC does not recompute")))
        return problems
    index = crypto.draw_index(digest, len(chosen.judge_ids))
    if index != record.draw_index or chosen.judge_ids[index] != record.judge_id:
        problems.append(("draw_result", _("the drawn judge does not follow from the HMAC")))
    return problems
