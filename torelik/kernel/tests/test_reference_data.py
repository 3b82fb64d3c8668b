"""The MCI selector, the reference data the migrations load, and the admin's rules for them."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from torelik.kernel.errors import DomainError
from torelik.kernel.models import AccessAudit, DayOffTransfer, MciRate
from torelik.kernel.selectors import mci_for_year

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("year", "tenge"), [(2023, 3450), (2024, 3692), (2025, 3932), (2026, 4325)])
def test_mci_by_year(year, tenge):
    assert mci_for_year(year=year).tiyn == tenge * 100


def test_missing_mci_is_a_clear_error():
    with translation.override("en"), pytest.raises(DomainError) as info:
        mci_for_year(year=2031)
    assert info.value.code == "mci_missing"
    assert str(info.value.message) == (
        "The MCI for 2031 is not set; an administrator must add it before fees can be computed."
    )


def test_an_mci_added_by_an_administrator_is_used():
    MciRate.objects.create(year=2031, amount_tiyn=500_000)
    assert mci_for_year(year=2031).tiyn == 500_000


@pytest.fixture
def superuser_request(django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_admin_edits_reference_tables(superuser_request):
    for model in (MciRate, DayOffTransfer):
        model_admin = admin.site._registry[model]
        assert model_admin.has_add_permission(superuser_request)
        assert model_admin.has_change_permission(superuser_request)


def test_admin_shows_the_access_audit_read_only(superuser_request):
    audit_admin = admin.site._registry[AccessAudit]
    assert audit_admin.has_view_permission(superuser_request)
    assert not audit_admin.has_add_permission(superuser_request)
    assert not audit_admin.has_change_permission(superuser_request)
    assert not audit_admin.has_delete_permission(superuser_request)
