"""The demo country: its size, shape, identifiers and determinism.

The country is generated once for the module (about a second) and removed afterwards, so that
other modules start from an empty court system.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from torelik.courts import demo
from torelik.courts.demo import CountrySummary, country_digest, generate_country
from torelik.courts.models import Court, CourtLevel, Judge, JudgePosition, Region
from torelik.kernel.errors import ConflictError
from torelik.kernel.identifiers import validate_iin

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")

# Every test takes the database, so pytest-django keeps them together, before any test that
# flushes the database (transactional tests run last).
pytestmark = pytest.mark.django_db


def _wipe() -> None:
    Judge.specialisations.through.objects.all().delete()
    Judge.objects.all().delete()
    Court.objects.update(appeal_court=None)
    Court.objects.all().delete()
    Region.objects.all().delete()


@pytest.fixture(scope="module")
def country(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        summary = generate_country(seed=2026)
    yield summary
    with django_db_blocker.unblock():
        _wipe()


@pytest.fixture
def courts(country, db):
    return {c.code: c for c in Court.objects.select_related("region", "appeal_court")}


def test_summary_counts(country: CountrySummary):
    assert country.created is True
    assert country.seed == 2026
    assert country.regions == 20
    assert country.courts >= 300
    assert country.judges >= 2000
    assert all(country.courts_by_level[level] > 0 for level in CourtLevel.values)
    assert country.courts_by_level[CourtLevel.SUPREME] == 1
    assert country.courts_by_level[CourtLevel.CASSATION] == 3
    assert country.courts_by_level[CourtLevel.REGIONAL] == 20
    assert 80 <= country.courts_by_level[CourtLevel.SPECIALISED] <= 100
    assert 240 <= country.courts_by_level[CourtLevel.DISTRICT] <= 290


def test_database_matches_summary(country, db):
    assert Region.objects.count() == 20
    assert Court.objects.count() == country.courts
    assert Judge.objects.count() == country.judges
    assert country_digest() == country.digest


def test_codes_are_unique_four_digits_and_region_prefixed(courts):
    assert all(re.fullmatch(r"[0-9]{4}", code) for code in courts)
    assert len(courts) == len(set(courts))
    for court in courts.values():
        if court.region is not None:
            assert court.region.code == f"KZ-{court.code[:2]}"
        else:
            assert court.level in (CourtLevel.SUPREME, CourtLevel.CASSATION)


def test_appeal_chain(courts):
    supreme = [c for c in courts.values() if c.level == CourtLevel.SUPREME]
    assert len(supreme) == 1 and supreme[0].appeal_court is None
    for court in courts.values():
        if court.level == CourtLevel.SUPREME:
            continue
        assert court.appeal_court is not None, court.code
        if court.level in (CourtLevel.REGIONAL, CourtLevel.CASSATION):
            assert court.appeal_court.level == CourtLevel.SUPREME
        else:
            assert court.appeal_court.level == CourtLevel.REGIONAL
            assert court.appeal_court.region_id == court.region_id


def test_every_region_has_a_regional_court_and_its_specialised_courts(courts):
    regional = Counter(c.region.code for c in courts.values() if c.level == CourtLevel.REGIONAL)
    assert sorted(regional.values()) == [1] * 20
    economic = [c for c in courts.values() if c.level == CourtLevel.SPECIALISED and c.code.endswith("91")]
    assert len(economic) == 20


def test_names_in_three_languages(courts):
    for court in courts.values():
        assert court.name_kk and court.name_ru and court.name_en and court.address, court.code
        # Every Kazakh court name has a word such as "соты" next to "қалалық", "аудандық", ...
        assert KAZAKH_LETTERS & set(court.name_kk), court.name_kk
    assert len({c.name_en for c in courts.values()}) == len(courts)
    for region in Region.objects.all():
        assert region.name_kk and region.name_ru and region.name_en


def test_the_demo_court_7140(courts):
    court = courts["7140"]
    assert court.level == CourtLevel.DISTRICT
    assert court.accepts_efiling and court.is_active
    assert court.region.code == "KZ-71"
    assert court.name_en == "Saryarka District Court No. 2 of Astana"
    assert "Сарыарқа" in court.name_kk
    judges = Judge.objects.filter(court=court, is_active=True, specialisations__code="civil")
    assert judges.count() >= 4


def test_judges_per_court(country, db) -> None:
    counts = Counter(Judge.objects.values_list("court__level", "court__code"))
    by_level: dict[str, list[int]] = {}
    for (level, _code), n in counts.items():
        by_level.setdefault(level, []).append(n)
    assert by_level[CourtLevel.SUPREME] == [65]
    assert all(4 <= n <= 12 for n in by_level[CourtLevel.DISTRICT])
    assert all(20 <= n <= 40 for n in by_level[CourtLevel.REGIONAL])
    assert len(counts) == country.courts  # no court without judges


def test_one_chair_per_court(country, db):
    chairs = Counter(Judge.objects.filter(position=JudgePosition.CHAIR).values_list("court__code", flat=True))
    assert len(chairs) == country.courts
    assert set(chairs.values()) == {1}
    assert not Judge.objects.filter(position=JudgePosition.CHAIR, is_active=False).exists()


def test_judge_iins_are_valid_and_unique(country, db):
    rows = list(Judge.objects.values_list("iin", "full_name"))
    iins = [iin for iin, _name in rows]
    assert len(set(iins)) == len(iins)
    for iin, name in rows:
        info = validate_iin(iin)
        # Kazakh and Russian feminine forms: "-қызы", "-вна".
        female = name.endswith(("қызы", "вна"))
        assert info.sex == ("female" if female else "male"), (iin, name)
        assert info.birth_date is not None and 1959 < info.birth_date.year < 1995


def test_full_names_have_three_parts(country, db):
    names = list(Judge.objects.values_list("full_name", flat=True))
    assert all(len(name.split()) >= 3 for name in names)
    with_kazakh_letters = sum(1 for name in names if KAZAKH_LETTERS & set(name))
    assert with_kazakh_letters > len(names) // 2


def test_specialisations_match_the_court(country, db):
    through = Judge.specialisations.through.objects
    judges_without = Judge.objects.exclude(id__in=through.values("judge_id"))
    assert not judges_without.exists()
    expected = {
        "91": "economic",
        "92": "administrative",
        "93": "criminal",
        "94": "juvenile",
        "95": "admin_offence",
    }
    rows = through.filter(judge__court__level=CourtLevel.SPECIALISED).values_list(
        "judge__court__code", "specialisation__code"
    )
    for code, specialisation in rows:
        assert specialisation == expected[code[2:]], code
    # Every district court can take both civil and criminal cases, or is one of a civil/criminal pair.
    for court in Court.objects.filter(level=CourtLevel.DISTRICT):
        kinds = set(
            through.filter(judge__court=court, judge__is_active=True).values_list(
                "specialisation__kind", flat=True
            )
        )
        assert "civil" in kinds or "criminal" in kinds, court.code


def test_half_time_and_appointment_dates(country, db):
    half = Judge.objects.filter(workload_share="0.50").count()
    assert 0 < half < country.judges // 10
    assert not Judge.objects.filter(appointed_on__gte=demo.REFERENCE_DATE).exists()


def test_plans_are_deterministic_without_the_database():
    def plan(seed: int) -> list[tuple[str, str, str]]:
        rng = random.Random(seed)
        courts = demo._plan_courts(rng)
        return [(j.court, j.iin, j.full_name) for j in demo._plan_judges(rng, courts)]

    assert plan(11) == plan(11)
    assert plan(11) != plan(12)


def test_second_run_keeps_the_country(country, db):
    again = generate_country(seed=99)
    assert again.created is False
    assert again.digest == country.digest


def test_replace_with_the_same_seed_gives_identical_data(country, db):
    out = StringIO()
    call_command("load_courts", "--replace", "--seed", "2026", stdout=out)
    assert country.digest in out.getvalue()
    assert country_digest() == country.digest
    other = generate_country(seed=7, replace=True)
    assert other.digest != country.digest
    assert Court.objects.filter(code="7140").exists()


def test_command_without_replace_reports_existing_courts(country, db):
    out = StringIO()
    call_command("load_courts", stdout=out)
    assert str(country.courts) in out.getvalue()
    assert country_digest() == country.digest


def test_replace_refuses_when_courts_are_in_use(country, db, django_user_model):
    django_user_model.objects.create(username="clerk-7140", court=Court.objects.get(code="7140"))
    with pytest.raises(ConflictError) as err:
        generate_country(replace=True)
    assert err.value.code == "courts_in_use"
    assert country_digest() == country.digest
