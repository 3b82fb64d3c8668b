"""Case numbers and filing references carry the year in Almaty, not in UTC."""

from __future__ import annotations

import datetime as dt

import pytest

from torelik.courts.models import CaseCategory
from torelik.efiling import services
from torelik.efiling.registration import register_and_distribute
from torelik.efiling.tests.test_filing import claim_input
from torelik.identity.permissions import SYSTEM

pytestmark = pytest.mark.django_db

# 1 January 2027, 01:00 in Almaty (UTC+5) is still 31 December 2026 in UTC.
NEW_YEAR_NIGHT = dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC)


def test_a_case_registered_after_midnight_in_almaty_gets_the_new_year(demo_court):
    case = register_and_distribute(
        court=demo_court,
        category=CaseCategory.objects.get(code="civ.alimony"),
        registered_at=NEW_YEAR_NIGHT,
        actor=SYSTEM,
        parties=[],
        documents=[],
    )
    assert case.year == 2027
    assert case.number == "7140-27-00-2/1"


def test_a_filing_reference_after_midnight_in_almaty_gets_the_new_year(demo_court, citizen):
    sub = services.create_draft(filer=citizen, data=claim_input())
    assert services._next_reference(sub, NEW_YEAR_NIGHT) == f"JO-2027-{sub.pk:07d}"
