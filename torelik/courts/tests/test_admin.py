"""The admin pages of the reference data open and the classifier can be edited from the list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from torelik.courts.models import CaseCategory

pytestmark = pytest.mark.django_db

MODELS = ("region", "court", "casecategory", "specialisation", "judge")


@pytest.mark.parametrize("model", MODELS)
def test_changelist_opens(admin_client, model):
    response = admin_client.get(reverse(f"admin:courts_{model}_changelist"), {"q": "7140"})
    assert response.status_code == 200


def test_judge_list_filters_by_court_level(admin_client):
    response = admin_client.get(reverse("admin:courts_judge_changelist"), {"court__level": "district"})
    assert response.status_code == 200


def test_category_change_form_opens(admin_client):
    category = CaseCategory.objects.get(code="civ.divorce")
    response = admin_client.get(reverse("admin:courts_casecategory_change", args=[category.pk]))
    assert response.status_code == 200
    assert "Некені бұзу" in response.content.decode()
