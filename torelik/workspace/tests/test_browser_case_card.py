"""In a real Chromium on a phone-wide screen, by keyboard: the judge opens the staff case card and
accepts the case into proceedings; the pages never scroll sideways and speak the reader's language.

Screenshots of the cards in kk, ru and en, on a desktop and a 360 px screen, go to /tmp/card-shots/
(CARD_SHOTS overrides) for a person to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyotp
import pytest
from django.conf import settings
from django.test import Client

from torelik.cases.models import Case
from torelik.cases.tests.conftest import step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "judge-password-1"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path(os.environ.get("CARD_SHOTS", "/tmp/card-shots"))
# Latin words a Kazakh or Russian page may hold: the hash's name.
LATIN_ALLOWED = {"SHA"}


def _tab_to(page: Any, selector: str) -> None:
    """Reach `selector` with the Tab key, as a keyboard user would."""
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def _scroll_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def _set_language(page: Any, base: str, language: str) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])


def _shoot(page: Any, base: str, url: str, name: str) -> None:
    """Each language at both widths: no sideways scroll on the phone, no English on kk/ru pages."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for language in ("kk", "ru", "en"):
        _set_language(page, base, language)
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.goto(f"{base}{url}")
            assert page.evaluate("document.documentElement.lang") == language
            if size is PHONE:
                assert _scroll_width(page) <= PHONE["width"], (name, language)
            page.screenshot(path=str(SHOTS / f"{name}-{language}-{label}.png"), full_page=True)
        if language != "en":
            text = page.inner_text("main")
            latin = set(re.findall(r"[A-Za-z]{3,}", text)) - LATIN_ALLOWED
            assert not latin, (name, language, sorted(latin))


def test_the_judge_accepts_a_case_by_keyboard_on_a_phone(
    live_server: Any,
    page: Any,
    reference_data: None,
    case: Case,
    judge: Any,
    clerk: Any,
    citizen: Any,
    appeal_of: Any,
) -> None:
    base = live_server.url
    page.set_viewport_size(PHONE)
    _set_language(page, base, "en")
    page.goto(f"{base}/auth/login/")
    page.fill("#id_username", judge.username)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_totp_code", pyotp.TOTP(SECRET).now())
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/auth/login" not in urlsplit(url).path)

    page.goto(f"{base}/staff/cases/{case.pk}/")
    assert page.text_content("#case-stage").strip() == "Assigned to a judge"
    assert _scroll_width(page) <= PHONE["width"]
    _tab_to(page, "#step-accept-button")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Accept into proceedings"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=The case is now at the stage “Preparation for trial”.")
    assert urlsplit(page.url).path == f"/staff/cases/{case.pk}/"
    assert page.text_content("#case-stage").strip() == "Preparation for trial"
    assert "Accept into proceedings" in page.text_content("#timeline")
    assert page.query_selector("#step-accept-button") is None
    assert _scroll_width(page) <= PHONE["width"]
    case.refresh_from_db()
    assert case.stage == "preparation"

    # A longer life for the pictures: a hearing postponed with reasons, an appeal that reviews it.
    step(case, "schedule_hearing", clerk)
    step(case, "postpone_hearing", judge, reason="Ответчик не явился, сведений о причинах неявки нет.")
    appeal_of(case)
    _shoot(page, base, f"/staff/cases/{case.pk}/", "staff-card")
    _shoot(page, base, "/staff/cases/", "staff-cases")

    party = Client()
    party.force_login(citizen)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": party.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
    _shoot(page, base, f"/cases/{case.number}/", "portal-card")
