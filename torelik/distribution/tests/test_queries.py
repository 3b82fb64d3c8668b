"""The lists of distribution records cost a fixed number of queries, however many records.

Counted with a few records and with many; equal counts mean no query per record (no N+1).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from torelik.cases.models import Case
from torelik.courts.models import Judge
from torelik.identity.models import User
from torelik.kernel.testing import count_queries

pytestmark = pytest.mark.django_db


def test_the_records_of_a_period(
    judges: dict[str, Judge], register: Callable[..., Case], chair: User
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(chair)
    today = timezone.localdate().isoformat()
    period = {"start": today, "end": today}
    for _ in range(2):
        register()
    client.get("/api/v1/distribution/records", period)
    few, response = count_queries(client, "/api/v1/distribution/records", period)
    assert response.json()["total"] == 2
    for _ in range(10):
        register()
    many, response = count_queries(client, "/api/v1/distribution/records", period)
    assert response.json()["total"] == 12
    assert many == few
