"""Version 1 of the distribution settings and the baseline audit entry of every category's weight."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.utils import timezone


def seed(apps: Any, schema_editor: Any) -> None:
    policy = apps.get_model("distribution", "DistributionPolicy")
    category = apps.get_model("courts", "CaseCategory")
    change = apps.get_model("distribution", "WeightChange")
    now = timezone.now()
    if not policy.objects.exists():
        policy.objects.create(version=1, created_at=now, reason="Default settings")
    audited = set(change.objects.values_list("category_id", flat=True))
    change.objects.bulk_create(
        [
            change(
                category=c,
                at=now,
                old_weight=None,
                new_weight=c.complexity_weight,
                reason="Baseline of the classifier's weight",
            )
            for c in category.objects.exclude(pk__in=audited)
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0001_initial"),
        ("courts", "0003_case_classifier"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
