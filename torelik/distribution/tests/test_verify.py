"""`verify` recomputes every draw from the records and revealed secrets, and finds tampering."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from torelik.cases.models import Case
from torelik.courts.models import CaseCategory, Judge
from torelik.distribution import crypto, days
from torelik.distribution.models import DaySecret, DistributionRecord
from torelik.distribution.verification import verify

pytestmark = pytest.mark.django_db


def reveal_today() -> None:
    days.reveal_days(now=timezone.now() + timedelta(days=1, hours=1))


@pytest.fixture
def drawn(judges: dict[str, Judge], register: Callable[..., Case]) -> list[DistributionRecord]:
    for category in ("civ.divorce", "civ.labour", "civ.divorce", "civ.alimony"):
        register(category)
    return list(DistributionRecord.objects.order_by("id"))


def today() -> object:
    return timezone.localdate()


def test_untouched_records_verify_and_anyone_can_recompute_the_draw(drawn: list[DistributionRecord]) -> None:
    reveal_today()
    report = verify(start=timezone.localdate(), end=timezone.localdate())
    assert report.ok, [f.label for f in report.findings]
    assert report.checked == 4
    # The published recipe, by hand: HMAC of the revealed secret over case number | snapshot hash.
    record = drawn[1]
    secret = bytes.fromhex(DaySecret.objects.get(day=record.day).secret)
    snap = json.loads(record.snapshot)
    digest = crypto.draw_hmac(secret, record.case_number, crypto.sha256_hex(record.snapshot))
    assert snap["draw"]["set"][int(digest, 16) % len(snap["draw"]["set"])] == record.judge_id


def test_the_day_commitment_is_signed_and_published_before_the_reveal(
    drawn: list[DistributionRecord],
) -> None:
    row = DaySecret.objects.get(day=drawn[0].day)
    assert row.secret == "" and row.revealed_at is None
    public = crypto.service_keys().public_key_pem
    assert crypto.verify_signature(public, row.signature, crypto.commitment_message(row.day, row.commitment))
    assert drawn[0].commitment == row.commitment
    # The coming days are committed in advance, not late.
    assert DaySecret.objects.filter(day__gt=row.day, committed_late=False).count() == days.COMMIT_DAYS_AHEAD


def test_verify_command_passes_on_good_records(
    drawn: list[DistributionRecord], capsys: pytest.CaptureFixture
) -> None:
    reveal_today()
    d = timezone.localdate().isoformat()
    call_command("distribution", "verify", "--from", d, "--to", d)
    assert "OK: 4 records" in capsys.readouterr().out


def test_tampered_snapshot_fails_naming_the_record(drawn: list[DistributionRecord]) -> None:
    reveal_today()
    victim = drawn[2]
    snap = json.loads(victim.snapshot)
    snap["candidates"][0]["assigned"] = "7.0000"
    DistributionRecord.objects.filter(pk=victim.pk).update(snapshot=crypto.canonical_json(snap))
    d = timezone.localdate().isoformat()
    with pytest.raises(CommandError) as caught:
        call_command("distribution", "verify", "--from", d, "--to", d)
    assert caught.value.returncode == 1
    assert f"record 7140#{victim.seq} (case {victim.case_number})" in str(caught.value)
    assert verify(start=victim.day, end=victim.day).first.code == "snapshot_hash"  # type: ignore[union-attr]


def test_changed_judge_is_caught_even_with_hashes_recomputed(drawn: list[DistributionRecord]) -> None:
    """An insider who rewrites the result and re-hashes the chain is still caught by the HMAC."""
    from torelik.distribution import engine

    reveal_today()
    victim = drawn[0]
    snap = json.loads(victim.snapshot)
    other = next(c["judge"] for c in snap["candidates"] if c["judge"] != victim.judge_id)
    victim.judge_id = other
    victim.record_hash = engine.record_hash(victim, court_code="7140")
    DistributionRecord.objects.filter(pk=victim.pk).update(judge_id=other, record_hash=victim.record_hash)
    report = verify(start=victim.day, end=victim.day)
    codes = [f.code for f in report.findings]
    assert report.first.record_id == victim.pk  # type: ignore[union-attr]
    assert "draw_result" in codes or "draw_set" in codes
    assert "chain_broken" in codes  # the next record still points at the old hash


def test_deleted_record_breaks_the_chain(drawn: list[DistributionRecord]) -> None:
    from torelik.distribution.models import Assignment

    reveal_today()
    victim = drawn[1]
    Assignment.objects.filter(record=victim).delete()
    DistributionRecord.objects.filter(pk=victim.pk).delete()
    report = verify(start=victim.day, end=victim.day)
    assert report.first.seq == victim.seq + 1  # type: ignore[union-attr]
    assert {f.code for f in report.findings} >= {"chain_gap", "chain_broken"}


def test_missing_revealed_secret_is_reported(drawn: list[DistributionRecord]) -> None:
    report = verify(start=drawn[0].day, end=drawn[0].day)
    assert not report.ok
    assert report.first.code == "secret_not_revealed"  # type: ignore[union-attr]
    assert report.first.record_id == drawn[0].pk  # type: ignore[union-attr]


def test_wrong_revealed_secret_is_reported(drawn: list[DistributionRecord]) -> None:
    reveal_today()
    DaySecret.objects.filter(day=drawn[0].day).update(secret="00" * 32)
    assert verify(start=drawn[0].day, end=drawn[0].day).first.code == "secret_commitment"  # type: ignore[union-attr]


def test_weight_edited_without_audit_entry_is_reported(drawn: list[DistributionRecord]) -> None:
    reveal_today()
    CaseCategory.objects.filter(code="civ.labour").update(complexity_weight=Decimal("0.10"))
    report = verify(start=drawn[0].day, end=drawn[0].day)
    assert [f.code for f in report.findings] == ["weight_unaudited"]
    assert "civ.labour" in report.findings[0].message


def test_load_rewritten_consistently_is_caught_by_the_replay(drawn: list[DistributionRecord]) -> None:
    """Someone lowers a judge's recorded load and re-hashes everything: the replay of deltas disagrees."""
    from torelik.distribution import engine

    reveal_today()
    victim = drawn[3]
    snap = json.loads(victim.snapshot)
    loaded = next(c for c in snap["candidates"] if c["assigned"] != "0.0000")
    loaded["assigned"] = "0.0000"
    victim.snapshot = crypto.canonical_json(snap)
    victim.snapshot_sha256 = crypto.sha256_hex(victim.snapshot)
    victim.record_hash = engine.record_hash(victim, court_code="7140")
    DistributionRecord.objects.filter(pk=victim.pk).update(
        snapshot=victim.snapshot, snapshot_sha256=victim.snapshot_sha256, record_hash=victim.record_hash
    )
    codes = [f.code for f in verify(start=victim.day, end=victim.day).findings]
    assert "load_mismatch" in codes
