"""A court's case-number format is checked when it is saved through a form (the admin)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from torelik.courts.models import check_case_number_template


@pytest.mark.parametrize(
    "template",
    [
        "{court}-{yy}-00-{category}/{serial}",
        "{court}/{yyyy}/{serial:05d}",
        "{court}-{yy}-00-{category}/{serial}",
    ],
)
def test_good_formats_pass(template):
    check_case_number_template(template)


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("{court}-{yy}-{judge}/{serial}", "Unknown field {judge}"),
        ("{court}-{yy}-00-{category}", "must contain {serial}"),
        ("{yy}-00-{category}/{serial}", "must contain {court}"),
        ("{court}-00-{category}/{serial}", "must contain {yy}"),
        ("{court}-{yy}-{serial", "unmatched"),
        ("{court}-{yy}-{}/{serial}", "Unknown field {}"),
        ("{court}-{yy}-{serial:zz}", "cannot be applied"),
    ],
)
def test_bad_formats_are_refused_with_a_translated_reason(template, words):
    with translation.override("en"), pytest.raises(ValidationError) as err:
        check_case_number_template(template)
    english = err.value.message_dict["case_number_template"][0]
    assert words in english
    with translation.override("ru"), pytest.raises(ValidationError) as err:
        check_case_number_template(template)
    assert err.value.message_dict["case_number_template"][0] != english


@pytest.mark.django_db
def test_the_admin_form_refuses_a_bad_format(demo_court, admin_client):
    data = {
        "code": demo_court.code,
        "level": demo_court.level,
        "name_kk": demo_court.name_kk,
        "name_ru": demo_court.name_ru,
        "name_en": demo_court.name_en,
        "case_number_template": "{court}-{yy}-00-{category}",
        "accepts_efiling": "on",
        "is_active": "on",
    }
    response = admin_client.post(
        f"/admin/courts/court/{demo_court.pk}/change/", data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "must contain {serial}" in response.content.decode()
    demo_court.refresh_from_db()
    assert demo_court.case_number_template == "{court}-{yy}-00-{category}/{serial}"
