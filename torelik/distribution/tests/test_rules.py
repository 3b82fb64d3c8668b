"""The arithmetic of the draw, without a database."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from torelik.distribution import crypto, rules

ONE = Decimal("1.00")
HALF = Decimal("0.50")


def test_normalised_load_counts_a_half_time_judge_double_and_scales_by_days() -> None:
    assert rules.normalised(20_000, HALF, 10, 10) == Decimal("4.000000")
    assert rules.normalised(20_000, ONE, 10, 5) == Decimal("4.000000")


def test_available_days_subtract_absences_and_days_before_appointment() -> None:
    days = rules.available_days(
        period_start=date(2026, 1, 1),
        day=date(2026, 1, 31),
        appointed_on=date(2026, 1, 11),
        absences=[(date(2026, 1, 5), date(2026, 1, 12)), (date(2026, 1, 20), date(2026, 1, 21))],
    )
    assert days == 21 - 2 - 2


def test_projected_mode_excludes_a_judge_whose_load_would_leave_the_tolerance() -> None:
    a = rules.Candidate(1, 0, ONE, 10)
    b = rules.Candidate(2, 25_000, ONE, 10)
    chosen = rules.draw_set(
        [a, b], elapsed=10, delta_units=10_000, tolerance=Decimal("2.20"), mode="projected"
    )
    assert chosen.judge_ids == [1] and not chosen.fallback


def test_fallback_gives_a_heavy_case_to_the_judge_that_keeps_the_pool_tightest() -> None:
    full = rules.Candidate(1, 20_000, ONE, 10)  # load 2.0
    half = rules.Candidate(2, 0, HALF, 10)  # load 0.0, would jump to 4.0
    chosen = rules.draw_set(
        [full, half], elapsed=10, delta_units=20_000, tolerance=Decimal("2.20"), mode="projected"
    )
    assert chosen.fallback and chosen.judge_ids == [2]


def test_draw_index_is_the_hmac_modulo_the_set_size() -> None:
    digest = crypto.draw_hmac(b"k" * 32, "7140-26-00-2/1", "ab" * 32)
    assert crypto.draw_index(digest, 7) == int(digest, 16) % 7


@settings(max_examples=60, deadline=None)
@given(
    judges=st.integers(min_value=2, max_value=8),
    weights=st.lists(st.sampled_from([30, 50, 100, 150, 200, 220]), min_size=1, max_size=120),
    picks=st.randoms(use_true_random=False),
)
def test_full_time_pool_stays_within_the_tolerance(judges: int, weights: list[int], picks: object) -> None:
    tolerance = Decimal("2.20")
    units = dict.fromkeys(range(1, judges + 1), 0)
    for w in weights:
        candidates = [rules.Candidate(j, u, ONE, 30) for j, u in units.items()]
        chosen = rules.draw_set(
            candidates, elapsed=30, delta_units=w * 100, tolerance=tolerance, mode="projected"
        )
        units[picks.choice(chosen.judge_ids)] += w * 100  # type: ignore[attr-defined]
        loads = [Decimal(u) / rules.UNITS for u in units.values()]
        assert max(loads) - min(loads) <= tolerance


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.text(st.characters(codec="utf-8")),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.text(st.characters(codec="utf-8"), max_size=8), inner, max_size=5)
    ),
    max_leaves=30,
)


@given(_json_values)
def test_canonical_json_is_the_standard_librarys_text(value: object) -> None:
    # Records written by either encoder must hash the same: the text is what is hashed.
    expected = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert crypto.canonical_json(value) == expected


def test_canonical_json_outside_what_records_hold_is_the_standard_librarys() -> None:
    assert crypto.canonical_json({2: "b", 1: "a"}) == '{"1":"a","2":"b"}'
    assert crypto.canonical_json([2**70]) == "[1180591620717411303424]"
    with pytest.raises(TypeError):
        crypto.canonical_json({"day": date(2026, 12, 1)})  # never turned into text silently
