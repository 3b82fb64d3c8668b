"""Fixtures of the signatures tests: the demo PKI once per worker, trusted per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from torelik.signatures.ocsp_responder import start_ocsp_responder_in_thread
from torelik.signatures.testca import DemoPki


@pytest.fixture(scope="session")
def ocsp_url(demo_pki: DemoPki) -> Iterator[str]:
    url, stop = start_ocsp_responder_in_thread(demo_pki)
    yield url
    stop()
