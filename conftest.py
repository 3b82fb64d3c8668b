"""Test-wide settings: every test gets its own archive directory; the demo PKI is made once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _isolated_storage(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TORELIK = {**settings.TORELIK, "ARCHIVE_ROOT": tmp_path / "archive"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def pytest_configure(config: Any) -> None:
    """Tests run the demo (TORELIK_DEMO=1): demo bank, default secrets, plain-HTTP cookies.

    pytest-django reads the settings before this file, so the switch is set on the loaded
    settings, for the whole process (collection too: some test modules build the WSGI app).
    Tests of production mode set TORELIK_DEMO back to False with the `settings` fixture.
    """
    from django.conf import settings

    settings.TORELIK_DEMO = True
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0


# ---------------------------------------------------------------- shared fixtures of the filing path


@pytest.fixture(scope="session")
def demo_pki() -> Any:
    """The test CA and demo keys, made once per test process."""
    from torelik.signatures.testing import session_demo_pki

    return session_demo_pki()


@pytest.fixture
def trusted_pki(demo_pki: Any, settings: Any, db: None) -> Any:
    """The demo PKI in PKI_DIR, its CA in the trust store, no OCSP responder (the CRL decides)."""
    from torelik.signatures.testing import use_demo_pki

    return use_demo_pki(settings, demo_pki)


@pytest.fixture
def sign(trusted_pki: Any) -> Any:
    """sign(key, data, detached=True) -> base64 CMS, as NCALayer returns it."""
    import base64

    from torelik.signatures.signing import sign_cms

    def _sign(key: str, data: bytes, detached: bool = True) -> str:
        return base64.b64encode(
            sign_cms(key=trusted_pki.signing_key(key), data=data, detached=detached)
        ).decode()

    return _sign


@pytest.fixture
def demo_court(db: Any) -> Any:
    from torelik.courts.models import Court, CourtLevel, Region

    region = Region.objects.create(code="AST", name_kk="Астана", name_ru="Астана", name_en="Astana")
    appeal = Court.objects.create(
        code="7100",
        level=CourtLevel.REGIONAL,
        region=region,
        name_kk="Астана қалалық соты",
        name_ru="Суд города Астаны",
        name_en="Astana City Court",
    )
    return Court.objects.create(
        code="7140",
        level=CourtLevel.DISTRICT,
        region=region,
        appeal_court=appeal,
        name_kk="Астана қаласы Сарыарқа аудандық №2 соты",
        name_ru="Районный суд №2 района Сарыарка города Астаны",
        name_en="Saryarka District Court No. 2 of Astana",
    )


def _filer(key: str) -> Any:
    from torelik.identity.models import Role
    from torelik.identity.services import create_filer_user
    from torelik.signatures.demo_identities import demo_identity

    ident = demo_identity(key)
    roles = {"citizen": Role.CITIZEN, "entity": Role.ENTITY, "lawyer": Role.LAWYER}
    return create_filer_user(
        iin=ident.iin,
        bin=ident.bin,
        role=roles.get(key, Role.CITIZEN),
        full_name=ident.full_name,
        organisation=ident.organisation,
    )


@pytest.fixture
def citizen(db: Any) -> Any:
    return _filer("citizen")


@pytest.fixture
def entity_user(db: Any) -> Any:
    return _filer("entity")


@pytest.fixture
def clerk(db: Any, demo_court: Any) -> Any:
    from torelik.identity.models import Role
    from torelik.identity.services import create_staff_user

    return create_staff_user(
        username="clerk",
        password="clerk-password-1",
        role=Role.CLERK,
        court=demo_court,
        full_name="ТОКТАРОВА АЛИЯ ЕРЖАНОВНА",
        totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    )


@pytest.fixture
def pdf_bytes() -> bytes:
    from torelik.efiling.testing import make_pdf

    return make_pdf()


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """Reloads the data migrations' rows (classifier, MCI, fee table) that a flush removed.

    Transactional tests empty every table when they end, so a later transactional test that needs
    reference data loads it again, with the migrations' own idempotent loaders.
    """
    import importlib

    from django.apps import apps

    for module, function in (
        ("torelik.kernel.migrations.0002_mci_rates_and_day_off_transfers", "load"),
        ("torelik.courts.migrations.0003_case_classifier", "seed"),
        ("torelik.efiling.migrations.0002_fee_rules", "load"),
        ("torelik.efiling.migrations.0004_fee_exemption_rules", "load"),
        ("torelik.archive.migrations.0003_document_types", "seed"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


# ---------------------------------------------------------------- browser tests

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A page in Debian's headless Chromium, driven by Playwright, for tests marked `browser`."""
    # Playwright's sync API runs an event loop in this thread; our ORM calls stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: run `make system-deps`")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    connections.close_all()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            context = browser.new_context(locale="en-GB", accept_downloads=True)
            context.set_default_timeout(20_000)
            yield context.new_page()
        finally:
            connections.close_all()
            browser.close()
