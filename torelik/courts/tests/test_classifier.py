"""The unified classifier of case categories and the specialisations, as seeded by the migration."""

from __future__ import annotations

from decimal import Decimal

import pytest

from torelik.courts.models import CaseCategory, CaseKind, Instance, Specialisation
from torelik.courts.services import ensure_classifier

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")

# Other apps refer to these codes: they must not change.
EXPECTED = {
    CaseKind.CIVIL: [
        "civ.property", "civ.loan", "civ.consumer", "civ.housing", "civ.inheritance", "civ.divorce",
        "civ.alimony", "civ.paternity", "civ.labour", "civ.reinstatement", "civ.special",
        "civ.court_order", "civ.simplified", "civ.appeal", "civ.cassation",
    ],
    CaseKind.CRIMINAL: ["crim.general", "crim.private", "crim.appeal", "crim.cassation"],
    CaseKind.ADMIN_OFFENCE: ["aoff.general", "aoff.appeal"],
    CaseKind.ADMINISTRATIVE: ["adm.state_body", "adm.tax", "adm.land", "adm.appeal", "adm.cassation"],
}  # fmt: skip

pytestmark = pytest.mark.django_db


def test_every_category_code_is_present_with_its_kind():
    kinds = dict(CaseCategory.objects.values_list("code", "kind"))
    for kind, codes in EXPECTED.items():
        for code in codes:
            assert kinds.get(code) == kind, code


def test_names_in_three_languages_and_kazakh_letters():
    for category in CaseCategory.objects.all():
        assert category.name_kk.strip() and category.name_ru.strip() and category.name_en.strip(), (
            category.code
        )
        assert KAZAKH_LETTERS & set(category.name_kk), category.name_kk
        assert not KAZAKH_LETTERS & set(category.name_ru + category.name_en), category.code


def test_instances_follow_the_code():
    for category in CaseCategory.objects.all():
        if category.code.endswith(".appeal"):
            assert category.instance == Instance.APPEAL
        elif category.code.endswith(".cassation"):
            assert category.instance == Instance.CASSATION
        else:
            assert category.instance == Instance.FIRST


def test_number_codes_seen_in_real_case_numbers():
    # 7140-15-00-2/232, 3599-24-00-2а/2151 (Cyrillic а), 6001-25-00-6ап/21.
    codes = dict(CaseCategory.objects.values_list("code", "number_code"))
    assert codes["civ.divorce"] == codes["civ.property"] == "2"
    assert codes["civ.appeal"] == "2\u0430"
    assert codes["civ.cassation"] == "6\u0430\u043f"
    assert all(code for code in codes.values())


def test_weights_and_flags_are_plausible():
    rows = {c.code: c for c in CaseCategory.objects.all()}
    assert rows["civ.divorce"].complexity_weight == Decimal("1.00")
    assert rows["civ.court_order"].complexity_weight < rows["civ.divorce"].complexity_weight
    assert rows["crim.general"].complexity_weight > rows["civ.property"].complexity_weight
    assert all(Decimal("0") < c.complexity_weight <= Decimal("5") for c in rows.values())
    assert rows["civ.property"].is_property and rows["civ.loan"].is_property
    assert not rows["civ.divorce"].is_property
    assert rows["civ.loan"].allows_virtual_jurisdiction
    assert not rows["crim.general"].allows_virtual_jurisdiction
    assert rows["civ.loan"].parent == rows["civ.property"]
    assert all(c.is_active for c in rows.values())


def test_specialisations():
    kinds = dict(Specialisation.objects.values_list("code", "kind"))
    assert kinds == {
        "civil": CaseKind.CIVIL,
        "criminal": CaseKind.CRIMINAL,
        "administrative": CaseKind.ADMINISTRATIVE,
        "admin_offence": CaseKind.ADMIN_OFFENCE,
        "juvenile": CaseKind.CRIMINAL,
        "economic": CaseKind.CIVIL,
    }
    for specialisation in Specialisation.objects.all():
        assert KAZAKH_LETTERS & set(specialisation.name_kk)
        assert specialisation.name_ru and specialisation.name_en


def test_trilingual_name_follows_the_language():
    from django.utils import translation

    category = CaseCategory.objects.get(code="civ.divorce")
    with translation.override("kk"):
        assert category.name == "Некені бұзу туралы істер"
    with translation.override("en"):
        assert category.name == "Divorce"


def _delete_category(code: str) -> None:
    """Removes a category as if it had never been seeded, with rows other apps keep about it
    (e.g. the distribution's baseline weights), which protect it from deletion."""
    category = CaseCategory.objects.get(code=code)
    for relation in CaseCategory._meta.related_objects:
        model = relation.related_model
        if isinstance(model, type) and model is not CaseCategory:
            model._base_manager.filter(**{relation.field.name: category}).delete()
    category.delete()


def test_ensure_classifier_restores_missing_rows_and_keeps_edits():
    assert ensure_classifier() == 0
    CaseCategory.objects.filter(code="civ.divorce").update(
        complexity_weight=Decimal("1.10"), name_en="Dissolution"
    )
    _delete_category("civ.reinstatement")
    Specialisation.objects.filter(code="juvenile").delete()
    assert ensure_classifier() == 2
    divorce = CaseCategory.objects.get(code="civ.divorce")
    assert (divorce.complexity_weight, divorce.name_en) == (Decimal("1.10"), "Dissolution")
    assert CaseCategory.objects.get(code="civ.reinstatement").parent.code == "civ.labour"
    assert Specialisation.objects.get(code="juvenile").kind == CaseKind.CRIMINAL
