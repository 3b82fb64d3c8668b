"""Helpers for tests: how many database queries one request costs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

if TYPE_CHECKING:
    # The test client's response type (with .json()), as django-stubs names it; no runtime class.
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


def count_queries(client: Client, url: str, data: dict[str, Any] | None = None) -> tuple[int, TestResponse]:
    """The number of queries a GET runs, and its response (which must be a 200).

    Tests of N+1 queries compare this for a page or list with a few rows and with many: equal
    counts mean the queries do not grow with the rows. Make one request before the first count:
    the first request of a process fills caches (content types, translations) with queries of its
    own.
    """
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200, response.content[:2000]
    return len(queries.captured_queries), response
