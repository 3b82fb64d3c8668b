"""Day secrets: committed before the day starts, used by that day's draws, revealed after it ends.

- `commit_days` creates the secrets of the coming days (never of a day that has begun) and
  publishes SHA-256(secret) signed by the service key.
- A draw uses the secret of its own day. If that day has no commitment (the scheduler did not
  run), the draw creates one and marks it — and every record that uses it — as committed late.
- `reveal_days` publishes the secrets of the days that ended (after a grace period that lets
  in-flight draws finish) together with the signed heads of every court's chain at the day's end.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from torelik.distribution import crypto
from torelik.distribution.models import (
    AlertKind,
    DaySecret,
    DistributionAlert,
    DistributionRecord,
    ServiceKey,
)
from torelik.kernel import sql

COMMIT_DAYS_AHEAD = 3
# A day is revealed only this long after it ended, so that no draw of that day is still running.
REVEAL_GRACE = timedelta(minutes=10)


@dataclass(frozen=True)
class SecretInUse:
    day: date
    commitment: str
    secret: bytes
    late: bool


_cache: dict[date, SecretInUse] = {}
_housekept: set[date] = set()
_lock = threading.Lock()


def forget_cached() -> None:
    """Drops this process's cached secrets and housekeeping marks (tests use fresh databases)."""
    with _lock:
        _cache.clear()
        _housekept.clear()


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def ensure_service_key() -> crypto.ServiceKeyMaterial:
    keys = crypto.service_keys()
    if not ServiceKey.objects.filter(key_id=keys.key_id).exists():
        ServiceKey.objects.get_or_create(
            key_id=keys.key_id,
            defaults={
                "algorithm": crypto.SIGNATURE_ALGORITHM,
                "public_key_pem": keys.public_key_pem,
                "created_at": timezone.now(),
            },
        )
    return keys


def _create(day: date, *, now: datetime, late: bool) -> DaySecret | None:
    """Creates the day's secret; None when another transaction created it first."""
    keys = ensure_service_key()
    secret = crypto.new_secret()
    commitment = crypto.sha256_hex(secret)
    try:
        with transaction.atomic():
            row = DaySecret.objects.create(
                day=day,
                commitment=commitment,
                signature=keys.sign(crypto.commitment_message(day, commitment)),
                key_id=keys.key_id,
                secret_box=crypto.seal_secret(keys.box_key, secret, day),
                committed_at=now,
                committed_late=late,
            )
    except IntegrityError:
        return None
    if late:
        # Auditors and the chairs see that the day's draws were not committed to in advance.
        DistributionAlert.objects.create(
            kind=AlertKind.COMMITMENT_LATE,
            details={"day": day.isoformat(), "committed_at": now.isoformat()},
            created_at=now,
            last_checked_at=now,
        )
    return row


def commit_days(*, now: datetime | None = None, days_ahead: int = COMMIT_DAYS_AHEAD) -> list[DaySecret]:
    """Commits to the secrets of the next `days_ahead` days that have none; returns the new ones."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    created: list[DaySecret] = []
    wanted = [today + timedelta(days=i) for i in range(1, days_ahead + 1)]
    existing = set(DaySecret.objects.filter(day__in=wanted).values_list("day", flat=True))
    for day in wanted:
        if day not in existing:
            row = _create(day, now=now, late=False)
            if row is not None:
                created.append(row)
    return created


_SECRET_FIELDS = ("commitment", "secret_box", "key_id", "committed_late", "revealed_at")


def _day_secret_row(day: date) -> tuple[Any, ...] | None:
    found = sql.rows(
        f"SELECT {sql.columns(DaySecret, _SECRET_FIELDS)} FROM {sql.table(DaySecret)} "  # noqa: S608
        f"WHERE {sql.column(DaySecret, 'day')} = %s",
        [sql.date_param(day)],
    )
    if not found:
        return None
    return tuple(sql.convert(found[0], sql.converters(DaySecret, _SECRET_FIELDS)))


def secret_for_draw(*, now: datetime) -> SecretInUse:
    """The secret of the draw's day; commits it late (and says so) when it is missing.

    The row is read on every draw (one indexed query); only the decrypted secret is cached, keyed by
    its commitment, so a cache can never hand out a secret the database does not hold.
    """
    day = timezone.localdate(now)
    found = _day_secret_row(day)
    if found is None:
        _create(day, now=now, late=True)
        found = (
            DaySecret.objects.filter(day=day)
            .values_list("commitment", "secret_box", "key_id", "committed_late", "revealed_at")
            .get()
        )
    commitment, box, key_id, late, revealed_at = found
    if revealed_at is not None:
        raise RuntimeError(f"the secret of {day} is already revealed; no draw may use it")
    cached = _cache.get(day)
    if cached is not None and cached.commitment == commitment:
        return cached
    keys = crypto.service_keys()
    if key_id != keys.key_id:
        raise RuntimeError(f"the secret of {day} was sealed with another service key ({key_id[:12]})")
    in_use = SecretInUse(
        day=day, commitment=commitment, secret=crypto.open_secret(keys.box_key, box, day), late=late
    )
    with _lock:
        _cache[day] = in_use
    return in_use


def housekeeping(*, now: datetime) -> None:
    """Once a day per process: commit the coming days and reveal the days that ended."""
    today = timezone.localdate(now)
    if today in _housekept:
        return
    with transaction.atomic():
        commit_days(now=now)
        reveal_days(now=now)

    def remember() -> None:
        with _lock:
            _housekept.add(today)

    transaction.on_commit(remember)


def chain_heads(*, through: date) -> dict[str, list[object]]:
    """{court code: [seq, hash]} of the last record of each court's chain dated `through` or earlier."""
    last = (
        DistributionRecord.objects.filter(day__lte=through)
        .values("ledger_id")
        .annotate(seq=Max("seq"))
        .values_list("ledger_id", "seq")
    )
    pairs = list(last)
    heads: dict[str, list[object]] = {}
    for start in range(0, len(pairs), 200):
        chunk = pairs[start : start + 200]
        condition = Q()
        for ledger_id, seq in chunk:
            condition |= Q(ledger_id=ledger_id, seq=seq)
        for code, seq, digest in DistributionRecord.objects.filter(condition).values_list(
            "ledger__court__code", "seq", "record_hash"
        ):
            heads[code] = [seq, digest]
    return dict(sorted(heads.items()))


def seal_text(day: date, heads: dict[str, list[object]]) -> str:
    return crypto.canonical_json({"day": day.isoformat(), "heads": heads})


def reveal_days(*, now: datetime | None = None) -> list[DaySecret]:
    """Reveals every day that ended at least REVEAL_GRACE ago; returns the days revealed now."""
    now = now or timezone.now()
    last_day = timezone.localdate(now - REVEAL_GRACE) - timedelta(days=1)
    revealed: list[DaySecret] = []
    keys = crypto.service_keys()
    for row in DaySecret.objects.filter(day__lte=last_day, revealed_at__isnull=True).order_by("day"):
        if row.key_id != keys.key_id:
            continue  # sealed with a key this installation no longer holds: verify reports the day
        secret = crypto.open_secret(keys.box_key, row.secret_box, row.day)
        text = seal_text(row.day, chain_heads(through=row.day))
        signature = keys.sign(crypto.seal_message(row.day, crypto.sha256_hex(text)))
        updated = DaySecret.objects.filter(pk=row.pk, revealed_at__isnull=True).update(
            secret=secret.hex(), revealed_at=now, seal=text, seal_signature=signature
        )
        if updated:
            row.secret, row.revealed_at, row.seal, row.seal_signature = secret.hex(), now, text, signature
            revealed.append(row)
    return revealed


def ensure_today(*, now: datetime | None = None) -> DaySecret:
    """Today's commitment (made now, and marked late, if it is missing) and the coming days'."""
    now = now or timezone.now()
    commit_days(now=now)
    today = timezone.localdate(now)
    row = DaySecret.objects.filter(day=today).first()
    if row is None:
        row = _create(today, now=now, late=True) or DaySecret.objects.get(day=today)
    return row
