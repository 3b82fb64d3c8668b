"""In a real Chromium, by keyboard only: the court chair assigns a judge manually as an exception,
is stopped by the missing confirmation, confirms, and finds the exception in the reports."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from torelik.courts.models import Court

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused_id(page: Any) -> str:
    return str(page.evaluate("document.activeElement ? document.activeElement.id : ''"))


def tab_to(page: Any, element_id: str, *, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_id(page) == element_id:
            return
    pytest.fail(f"#{element_id} cannot be reached with Tab")


def test_chair_assigns_a_judge_manually_by_keyboard(
    reference_data: None, demo_court: Court, live_server: Any, page: Any, chair: Any, register: Any
) -> None:
    from torelik.distribution.tests.conftest import judge_of

    case = register()
    holder = judge_of(case)
    target = next(
        j
        for j in holder.court.judges.filter(specialisations__code="civil", is_active=True)
        if j.pk != holder.pk
    )
    client = Client()
    client.force_login(chair)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
        ]
    )
    page.goto(f"{live_server.url}/distribution/staff/")
    for _ in range(60):  # from the top of the page to the link of the form
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.getAttribute('href')") == (
            "/distribution/staff/manual-assignment/"
        ):
            break
    else:
        pytest.fail("the manual-assignment link cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#manual-warning")

    # The fields come in the order they are read: case, judge, seat, reason, confirmation, button.
    tab_to(page, "id_case")
    page.keyboard.type(case.number)
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_judge"
    for _ in range(20):
        if page.evaluate("document.activeElement.value") == str(target.pk):
            break
        page.keyboard.press("ArrowDown")
    else:
        pytest.fail("the judge cannot be chosen with the arrow keys")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_seat"
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_reason"
    page.keyboard.type("The judge heard the earlier case of these parties")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_understood"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")  # sent without the confirmation: refused, nothing written

    page.wait_for_selector("#id_understood_error")
    assert "Confirm that you understand" in page.inner_text("#id_understood_error")
    assert page.get_attribute("#id_understood", "aria-describedby") == "id_understood_error"
    # What was typed is kept.
    assert page.input_value("#id_reason") == "The judge heard the earlier case of these parties"
    tab_to(page, "id_understood")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    page.wait_for_selector("#exceptions")
    assert "in every distribution report" in page.inner_text(".messages")
    row = page.inner_text("#exceptions tbody")
    assert case.number in row and target.full_name in row
    assert "The judge heard the earlier case of these parties" in row
