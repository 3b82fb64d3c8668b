"""Selectors of courts, judges and categories, on a small hand-made court system."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from torelik.courts import selectors
from torelik.courts.models import (
    CaseCategory,
    Court,
    CourtLevel,
    Judge,
    JudgePosition,
    Region,
    Specialisation,
)
from torelik.kernel.errors import DomainError, NotFoundError

pytestmark = pytest.mark.django_db


@pytest.fixture
def system():
    region = Region.objects.create(
        code="KZ-71", name_kk="Астана қаласы", name_ru="город Астана", name_en="Astana"
    )

    def court(code: str, level: str, **extra) -> Court:
        return Court.objects.create(
            code=code,
            level=level,
            region=region,
            name_kk=f"Сот {code}",
            name_ru=f"Суд {code}",
            name_en=f"Court {code}",
            **extra,
        )

    courts = {
        "7199": court("7199", CourtLevel.REGIONAL),
        "7140": court("7140", CourtLevel.DISTRICT),
        "7110": court("7110", CourtLevel.DISTRICT),
        "7193": court("7193", CourtLevel.SPECIALISED),
        "7120": court("7120", CourtLevel.DISTRICT, accepts_efiling=False),
        "7130": court("7130", CourtLevel.DISTRICT, is_active=False),
    }
    civil = Specialisation.objects.get(code="civil")
    criminal = Specialisation.objects.get(code="criminal")
    economic = Specialisation.objects.get(code="economic")

    def judge(iin: str, name: str, specs, **extra) -> Judge:
        j = Judge.objects.create(
            court=courts["7140"], iin=iin, full_name=name, appointed_on=dt.date(2015, 3, 1), **extra
        )
        j.specialisations.set(specs)
        return j

    judges = {
        "both": judge(
            "940140000385", "Әбенов Асқар Серікұлы", [civil, criminal], position=JudgePosition.CHAIR
        ),
        "civil": judge("990140004654", "Жұмабаева Айгүл Нұрланқызы", [civil, economic]),
        "criminal": judge("061211600012", "Бектұров Ерлан Маратұлы", [criminal]),
        "retired": judge("791028302728", "Ахметов Болат Қанатұлы", [civil], is_active=False),
    }
    return courts, judges


def test_courts_accepting_filings_are_ordered_and_filtered(system):
    codes = list(selectors.courts_accepting_filings().values_list("code", flat=True))
    assert codes == ["7110", "7140", "7193", "7199"]
    districts = selectors.courts_accepting_filings(level=CourtLevel.DISTRICT)
    assert [c.code for c in districts] == ["7110", "7140"]


def test_courts_accepting_filings_rejects_an_unknown_level(system):
    with pytest.raises(DomainError) as err:
        selectors.courts_accepting_filings(level="galactic")
    assert err.value.code == "court_level_unknown"
    assert err.value.field == "level"


def test_court_by_code(system):
    assert selectors.court_by_code(code=" 7140 ").code == "7140"
    # An inactive court is still found: old cases keep pointing at it.
    assert selectors.court_by_code(code="7130").is_active is False


def test_court_not_found_is_translated(system):
    with pytest.raises(NotFoundError) as err:
        selectors.court_by_code(code="0000")
    assert err.value.code == "court_not_found"
    assert err.value.field == "court"
    assert err.value.status_code == 404
    assert isinstance(err.value, DomainError)
    assert "0000" in str(err.value.message)


def test_categories_for_filing():
    first = selectors.categories_for_filing()
    assert "civ.property" in {c.code for c in first}
    assert all(c.instance == "first" for c in first)
    civil = list(selectors.categories_for_filing(kind="civil").values_list("code", flat=True))
    assert civil == sorted(civil) and "crim.general" not in civil and "civ.appeal" not in civil
    appeals = set(selectors.categories_for_filing(instance="appeal").values_list("code", flat=True))
    assert appeals == {"civ.appeal", "crim.appeal", "aoff.appeal", "adm.appeal"}


def test_categories_for_filing_hides_retired_categories():
    CaseCategory.objects.filter(code="civ.simplified").update(is_active=False)
    assert "civ.simplified" not in {c.code for c in selectors.categories_for_filing(kind="civil")}


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"kind": "maritime"}, "case_kind_unknown", "kind"),
        ({"instance": "fourth"}, "instance_unknown", "instance"),
    ],
)
def test_categories_for_filing_rejects_unknown_values(kwargs, code, field):
    with pytest.raises(DomainError) as err:
        selectors.categories_for_filing(**kwargs)
    assert (err.value.code, err.value.field) == (code, field)


def test_category_by_code():
    category = selectors.category_by_code(code="civ.loan")
    assert category.parent is not None and category.parent.code == "civ.property"
    CaseCategory.objects.filter(code="civ.loan").update(is_active=False)
    with pytest.raises(NotFoundError) as err:
        selectors.category_by_code(code="civ.loan")
    assert err.value.code == "category_not_found"
    assert selectors.category_by_code(code="civ.loan", include_inactive=True).code == "civ.loan"


def test_category_not_found_message_follows_the_language():
    with translation.override("en"), pytest.raises(NotFoundError) as err:
        selectors.category_by_code(code="civ.space")
    assert err.value.code == "category_not_found"
    assert err.value.field == "category"
    assert "civ.space" in str(err.value.message)


def test_active_judges(system):
    courts, judges = system
    all_active = list(selectors.active_judges(court=courts["7140"]))
    assert [j.iin for j in all_active] == sorted(judges[k].iin for k in ("both", "criminal", "civil"))
    civil = {j.iin for j in selectors.active_judges(court=courts["7140"], specialisation_kind="civil")}
    # "civil" and "economic" are both civil-kind specialisations: no duplicates, no retired judge.
    assert civil == {judges["both"].iin, judges["civil"].iin}
    assert selectors.active_judges(court=courts["7140"], specialisation_kind="civil").count() == 2
    criminal = {j.iin for j in selectors.active_judges(court=courts["7140"], specialisation_kind="criminal")}
    assert criminal == {judges["both"].iin, judges["criminal"].iin}
    assert not selectors.active_judges(court=courts["7110"]).exists()


def test_active_judges_rejects_an_unknown_kind(system):
    courts, _judges = system
    with pytest.raises(DomainError) as err:
        selectors.active_judges(court=courts["7140"], specialisation_kind="maritime")
    assert err.value.code == "case_kind_unknown"
