import json

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("get", {"path": "/api/v1/categories", "data": {"kind": "civil\x00"}}),
        (
            "post",
            {
                "path": "/api/v1/submissions",
                "data": json.dumps({"title": "a\u0000b"}),
                "content_type": "application/json",
            },
        ),
    ],
)
def test_nul_characters_are_refused_with_a_clear_error(method, kwargs):
    response = getattr(Client(), method)(**kwargs)
    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"
    assert "NUL" in response.json()["message"]


@pytest.mark.django_db
def test_nul_in_a_form_post_is_refused():
    response = Client().post("/auth/login/staff/", {"username": "clerk\x00"})
    assert response.status_code == 400
