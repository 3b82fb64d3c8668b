"""The API's lists and its case card cost a fixed number of queries, however many rows they show.

Each test counts the queries of one request with a few rows and again with many; the counts
must be equal (an N+1 adds queries per row, or per party or document of a row).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from torelik.cases.models import Case
from torelik.efiling.testing import file_claims
from torelik.kernel.testing import count_queries

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def count_json_queries(client: Client, url: str, data: dict | None = None) -> tuple[int, Any]:
    count, response = count_queries(client, url, data)
    return count, response.json()


def test_the_filers_list_of_submissions(demo_court, citizen, clerk, sign):
    client = _client(citizen)
    # Some accepted (a case number to show), some not; two parties and two signed documents each.
    file_claims(filer=citizen, sign=sign, count=1, parties=2, documents=2, clerk=clerk)
    file_claims(filer=citizen, sign=sign, count=1, parties=2, documents=2)
    client.get("/api/v1/submissions")  # warm-up: per-process caches fill on the first request
    few, rows = count_json_queries(client, "/api/v1/submissions")
    assert len(rows) == 2
    file_claims(filer=citizen, sign=sign, count=5, parties=2, documents=2, clerk=clerk)
    file_claims(filer=citizen, sign=sign, count=5, parties=2, documents=2)
    many, rows = count_json_queries(client, "/api/v1/submissions")
    assert len(rows) == 12
    assert sum(1 for r in rows if r["case_number"]) == 6
    assert all(len(r["parties"]) == 3 and len(r["documents"]) == 2 for r in rows)  # filer + 2
    assert many == few


def test_the_intake_queue(demo_court, citizen, clerk, sign):
    client = _client(clerk)
    file_claims(filer=citizen, sign=sign, count=2, parties=2, documents=2)
    client.get("/api/v1/intake/submissions")
    few, rows = count_json_queries(client, "/api/v1/intake/submissions")
    assert len(rows) == 2
    file_claims(filer=citizen, sign=sign, count=10, parties=2, documents=2)
    many, rows = count_json_queries(client, "/api/v1/intake/submissions")
    assert len(rows) == 12
    assert many == few


def test_the_list_of_cases(demo_court, citizen, clerk, sign):
    client = _client(citizen)
    file_claims(filer=citizen, sign=sign, count=2, parties=2, documents=2, clerk=clerk)
    client.get("/api/v1/cases")
    few, rows = count_json_queries(client, "/api/v1/cases")
    assert len(rows) == 2
    file_claims(filer=citizen, sign=sign, count=10, parties=2, documents=2, clerk=clerk)
    many, rows = count_json_queries(client, "/api/v1/cases")
    assert len(rows) == 12
    # The filing's body (its JSON) is the case's first document, then the two PDFs.
    assert all(len(r["parties"]) == 3 and len(r["documents"]) == 3 for r in rows)
    assert many == few


def test_the_case_card(demo_court, citizen, clerk, sign):
    """GET /cases?number=: a case with 12 parties and 12 documents costs what one with 2 does."""
    client = _client(citizen)
    small, large = (
        file_claims(filer=citizen, sign=sign, count=1, parties=n, documents=n, clerk=clerk)[0]
        for n in (2, 12)
    )
    small_case, large_case = (Case.objects.get(submission=s) for s in (small, large))
    client.get("/api/v1/cases", {"number": small_case.number})
    few, rows = count_json_queries(client, "/api/v1/cases", {"number": small_case.number})
    many, rows_large = count_json_queries(client, "/api/v1/cases", {"number": large_case.number})
    assert (len(rows[0]["documents"]), len(rows_large[0]["documents"])) == (3, 13)
    assert many == few


def test_one_submission_and_one_incoming_filing(demo_court, citizen, clerk, sign):
    small, large = (
        file_claims(filer=citizen, sign=sign, count=1, parties=n, documents=n)[0] for n in (2, 12)
    )
    for client, prefix in (
        (_client(citizen), "/api/v1/submissions"),
        (_client(clerk), "/api/v1/intake/submissions"),
    ):
        client.get(f"{prefix}/{small.pk}")
        few, _body = count_json_queries(client, f"{prefix}/{small.pk}")
        many, body = count_json_queries(client, f"{prefix}/{large.pk}")
        assert len(body["documents"]) == 12
        assert many == few
