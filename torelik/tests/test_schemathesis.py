"""Property-based run of schemathesis against our own OpenAPI: no input may cause a server error."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from torelik.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# A fixed CSRF secret: Django accepts the 32-character secret itself as the header token.
CSRF_SECRET = "k" * 32


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """As Django's test client does: a request must not close the test transaction's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def session_headers(citizen, demo_court) -> dict[str, str]:
    client = Client()
    client.force_login(citizen)
    session = client.cookies["sessionid"].value
    return {"Cookie": f"sessionid={session}; csrftoken={CSRF_SECRET}", "X-CSRFToken": CSRF_SECRET}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_with_a_server_error(case, session_headers):
    case.call_and_validate(headers=session_headers, checks=[not_a_server_error])
