"""The filer's pages cost a fixed number of queries, however many filings, cases, parties, documents.

Counted with a few rows and with many; equal counts mean no query per row (no N+1).
"""

from __future__ import annotations

import pytest
from django.test import Client

from torelik.cases.models import Case
from torelik.efiling.testing import file_claims
from torelik.kernel.testing import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(citizen) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(citizen)
    return client


def test_my_submissions_and_cases(demo_court, citizen, clerk, sign, browser):
    file_claims(filer=citizen, sign=sign, count=1, parties=2, documents=2, clerk=clerk)
    file_claims(filer=citizen, sign=sign, count=1, parties=2, documents=2)
    browser.get("/submissions/")
    few, _page = count_queries(browser, "/submissions/")
    file_claims(filer=citizen, sign=sign, count=5, parties=2, documents=2, clerk=clerk)
    file_claims(filer=citizen, sign=sign, count=5, parties=2, documents=2)
    many, page = count_queries(browser, "/submissions/")
    assert page.content.decode().count('href="/cases/') == 6
    assert many == few


def test_the_case_page(demo_court, citizen, clerk, sign, browser):
    """The case card of the parties: 12 parties and documents cost what 2 do."""
    small, large = (
        Case.objects.get(
            submission=file_claims(filer=citizen, sign=sign, count=1, parties=n, documents=n, clerk=clerk)[0]
        )
        for n in (2, 12)
    )
    browser.get(f"/cases/{small.number}/")
    few, _page = count_queries(browser, f"/cases/{small.number}/")
    many, page = count_queries(browser, f"/cases/{large.number}/")
    assert "Ответчик 0-11" in page.content.decode()
    assert many == few


def test_the_submission_page(demo_court, citizen, sign, browser):
    small, large = (
        file_claims(filer=citizen, sign=sign, count=1, parties=n, documents=n)[0] for n in (2, 12)
    )
    browser.get(f"/submissions/{small.pk}/")
    few, _page = count_queries(browser, f"/submissions/{small.pk}/")
    many, page = count_queries(browser, f"/submissions/{large.pk}/")
    assert "doc-0-11.pdf" in page.content.decode()
    assert many == few


def test_the_case_page_with_a_long_history(new_case, judge, browser):
    """The party's case card: a history of 200 entries costs what one of 2 does."""
    from torelik.cases.tests.conftest import lengthen_history

    small = new_case()
    large = lengthen_history(new_case(), judge, entries=200)
    browser.get(f"/cases/{small.number}/")
    few, _page = count_queries(browser, f"/cases/{small.number}/")
    many, page = count_queries(browser, f"/cases/{large.number}/")
    assert page.content.decode().count("<li data-seq=") == 200
    assert many == few
