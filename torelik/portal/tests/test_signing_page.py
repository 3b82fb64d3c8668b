"""The signing page speaks the user's language when something fails, and the signer serves only
the public origin."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from torelik.demo.management.commands.run import public_origin
from torelik.efiling import services
from torelik.efiling.tests.test_filing import claim_input

pytestmark = pytest.mark.django_db


def test_the_signing_page_carries_translated_signer_and_loading_messages(demo_court, citizen):
    sub = services.create_draft(filer=citizen, data=claim_input())
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(citizen)
    page = client.get(f"/submissions/{sub.pk}/").content.decode()
    found = re.search(r'<script id="ncalayer-messages" type="application/json">(.*?)</script>', page, re.S)
    assert found, "NCALayer's error messages must be on the page, or they fall back to English"
    messages = json.loads(found.group(1))
    assert messages and all(isinstance(v, str) and v for v in messages.values())
    load_error = re.search(r'data-load-error="([^"]+)"', page).group(1)
    assert "Reload the page" not in load_error  # Russian, not the English source
    assert "страницу" in load_error


def test_filing_script_refuses_to_sign_an_error_page():
    from pathlib import Path

    script = (Path(__file__).resolve().parents[1] / "static" / "portal" / "filing.js").read_text()
    # Both fetches (the payload and each document) go through the check before anything is signed.
    assert script.count(".then(checked)") == 2
    assert "statusText" not in script


@pytest.mark.parametrize(
    ("base", "origin"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("https://sud.example.kz/torelik/", "https://sud.example.kz"),
    ],
)
def test_the_demo_signer_is_given_the_public_origin(base, origin):
    assert public_origin(base) == origin
