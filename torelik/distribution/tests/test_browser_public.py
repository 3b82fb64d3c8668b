"""In a real Chromium, by keyboard only: find a case's judge on the public page and reach the report."""

from __future__ import annotations

from typing import Any

import pytest

from torelik.courts.models import Court
from torelik.identity.permissions import SYSTEM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_lookup_by_keyboard(
    reference_data: None, demo_court: Court, live_server: Any, page: Any
) -> None:
    from torelik.distribution.tests.conftest import make_judge

    judge = make_judge(demo_court, "ТЕСТОВ Т. Т.", ["civil"])
    from django.utils import timezone

    from torelik.cases.models import PartyRole, PersonKind
    from torelik.cases.parties import PartyDetails
    from torelik.courts.models import CaseCategory
    from torelik.efiling.registration import register_and_distribute

    case = register_and_distribute(
        court=demo_court,
        category=CaseCategory.objects.get(code="civ.divorce"),
        registered_at=timezone.now(),
        actor=SYSTEM,
        parties=[
            PartyDetails(
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
