"""The clerk's pages cost a fixed number of queries, however many filings, parties, documents.

Counted with a few rows and with many; equal counts mean no query per row (no N+1).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from torelik.efiling.testing import file_claims
from torelik.kernel.testing import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(clerk) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(clerk)
    return client


def test_the_intake_queue(demo_court, citizen, sign, staff):
    file_claims(filer=citizen, sign=sign, count=2, parties=2, documents=2)
    staff.get("/staff/intake/")
    few, _page = count_queries(staff, "/staff/intake/")
    file_claims(filer=citizen, sign=sign, count=10, parties=2, documents=2)
    many, page = count_queries(staff, "/staff/intake/")
    assert len(re.findall(r'href="/staff/intake/\d+/"', page.content.decode())) == 12
    assert many == few


def test_the_review_of_one_filing(demo_court, citizen, sign, staff):
    small, large = (
        file_claims(filer=citizen, sign=sign, count=1, parties=n, documents=n)[0] for n in (2, 12)
    )
    staff.get(f"/staff/intake/{small.pk}/")
    few, _page = count_queries(staff, f"/staff/intake/{small.pk}/")
    many, page = count_queries(staff, f"/staff/intake/{large.pk}/")
    assert "doc-0-11.pdf" in page.content.decode()
    assert many == few


# The staff card of a case with 2 history entries and one with 200 (a judge who accepted the case,
# then scheduled and postponed its hearing, with reasons): what the judge reads costs the same.
CARD_QUERIES_AT_MOST = 15


def test_the_staff_case_card(new_case, judge):
    from torelik.cases.tests.conftest import lengthen_history

    small = new_case()
    large = lengthen_history(new_case(), judge, entries=200)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(judge)
    client.get(f"/staff/cases/{small.pk}/")
    few, _page = count_queries(client, f"/staff/cases/{small.pk}/")
    many, page = count_queries(client, f"/staff/cases/{large.pk}/")
    assert page.content.decode().count("<li data-seq=") == 200
    assert many == few <= CARD_QUERIES_AT_MOST


def test_the_list_of_the_court_s_cases(new_case, judge, staff):
    for _n in range(2):
        new_case()
    staff.get("/staff/cases/")
    few, _page = count_queries(staff, "/staff/cases/")
    for _n in range(10):
        new_case()
    many, page = count_queries(staff, "/staff/cases/")
    assert len(re.findall(r'href="/staff/cases/\d+/"', page.content.decode())) == 12
    assert many == few
