"""Demo data of the distribution: settings, audited weights and committed day secrets (idempotent)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from torelik.courts.models import CaseCategory
from torelik.distribution import days, engine
from torelik.distribution.models import WeightChange


@transaction.atomic
def load_demo_distribution(*, now: datetime | None = None, commit_today: bool = True) -> dict[str, int]:
    """Makes sure cases registered in the demo are drawn at once: settings version 1, a baseline audit
    entry for every category weight, the service key, and today's and the coming days' commitments.

    The living demo sets all this up the day before its history starts (`now`), and commits to no
    secret of that day (`commit_today` False): no draw happens on it, and a late commitment would
    raise an alert for nothing.
    """
    now = now or timezone.now()
    policy = engine.current_policy(now=now)
    audited = set(WeightChange.objects.values_list("category_id", flat=True))
    baselines = WeightChange.objects.bulk_create(
        [
            WeightChange(
                category=c, at=now, old_weight=None, new_weight=c.complexity_weight, reason="Demo baseline"
            )
            for c in CaseCategory.objects.exclude(pk__in=audited)
        ]
    )
    days.ensure_service_key()
    if commit_today:
        days.ensure_today(now=now)
    else:
        days.commit_days(now=now)
    return {"policy_version": policy.version, "weight_baselines": len(baselines)}
