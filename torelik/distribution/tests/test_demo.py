from __future__ import annotations

import pytest
from django.utils import timezone

from torelik.distribution.demo import load_demo_distribution
from torelik.distribution.models import DaySecret, DistributionPolicy, ServiceKey

pytestmark = pytest.mark.django_db


def test_demo_loader_is_idempotent_and_commits_today() -> None:
    first = load_demo_distribution()
    second = load_demo_distribution()
    assert first["policy_version"] == second["policy_version"] == 1
    assert second["weight_baselines"] == 0
    assert DistributionPolicy.objects.count() == 1 and ServiceKey.objects.count() == 1
    assert DaySecret.objects.filter(day=timezone.localdate()).count() == 1
    assert DaySecret.objects.count() == 4
