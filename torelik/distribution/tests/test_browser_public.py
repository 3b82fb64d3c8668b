"""In a real Chromium, by keyboard only: find a case's judge on the public page and reach the report."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from torelik.courts.models import Court

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Chromium is not installed: run `make system-deps`")
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


def test_public_lookup_by_keyboard(
    reference_data: None, demo_court: Court, live_server: Any, page: Any
) -> None:
    from torelik.distribution.tests.conftest import make_judge

    judge = make_judge(demo_court, "ТЕСТОВ Т. Т.", ["civil"])
    from django.utils import timezone

    from torelik.cases.models import PartyRole, PersonKind
    from torelik.cases.services import PartyData, register_case
    from torelik.courts.models import CaseCategory

    case = register_case(
        court=demo_court,
        category=CaseCategory.objects.get(code="civ.divorce"),
        registered_at=timezone.now(),
        actor=None,
        parties=[
            PartyData(
                role=PartyRole.PLAINTIFF, person_kind=PersonKind.INDIVIDUAL, name="P", iin="900101300001"
            )
        ],
        documents=[],
    )
    page.goto(f"{live_server.url}/distribution/")
    for _ in range(30):  # Tab through the page until the case-number field has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "number":
            break
    else:
        pytest.fail("the case-number field cannot be reached with Tab")
    page.keyboard.type(case.number)
    page.keyboard.press("Enter")
    page.wait_for_selector("#judges")
    assert judge.full_name in page.inner_text("#judges")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate(
            "document.activeElement && document.activeElement.getAttribute('download') !== null"
        ):
            break
    else:
        pytest.fail("the report download link cannot be reached with Tab")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith("distribution-")
