"""Fixtures of the signatures tests: the demo PKI once per worker, trusted per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from torelik.signatures.ocsp_responder import start_ocsp_responder_in_thread
from torelik.signatures.testca import DemoPki
from torelik.signatures.testing import session_demo_pki, use_demo_pki


@pytest.fixture(scope="session")
def demo_pki() -> DemoPki:
    return session_demo_pki()


@pytest.fixture
def trusted_pki(demo_pki: DemoPki, settings: Any, db: None) -> DemoPki:
    """The demo PKI in PKI_DIR, its CA in the trust store, no OCSP responder (the CRL decides)."""
    return use_demo_pki(settings, demo_pki)


@pytest.fixture(scope="session")
def ocsp_url(demo_pki: DemoPki) -> Iterator[str]:
    url, stop = start_ocsp_responder_in_thread(demo_pki)
    yield url
    stop()
