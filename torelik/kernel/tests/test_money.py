from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from torelik.kernel.errors import DomainError
from torelik.kernel.money import MAX_TIYN, ZERO, Money


def plain(text: str) -> str:
    """The text as a reader sees it: non-breaking spaces shown as spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("raw", "tiyn"),
    [
        ("1 234 567,89", 123_456_789),
        ("1234567.89", 123_456_789),
        ("1234567,8", 123_456_780),
        ("1\u202f234\u00a0567,89 ₸", 123_456_789),
        ("  500000 ", 50_000_000),
        ("0,01", 1),
        ("-5", -500),
        ("100 000", 10_000_000),
        (42, 4200),
        (Decimal("0.05"), 5),
        (Decimal("1E+3"), 100_000),
        (Decimal("12.300"), 1230),  # trailing zeros are not extra precision
    ],
)
def test_from_tenge_accepts(raw, tiyn):
    assert Money.from_tenge(raw) == Money(tiyn)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (1.5, "An amount in tenge must be given as text, an integer or a decimal, not float."),
        (True, "An amount in tenge must be given as text, an integer or a decimal, not bool."),
        ("1,234,567.89", "“1,234,567.89” is not an amount in tenge; write it like 1 234 567,89."),
        ("12 34", "“12 34” is not an amount: separate thousands by single spaces, e.g. 1 234 567,89."),
        ("1.234", "An amount in tenge has at most 2 decimal places (tiyn); 1.234 given."),
        (Decimal("0.001"), "An amount in tenge has at most 2 decimal places (tiyn); 0.001 given."),
        ("abc", "“abc” is not an amount in tenge; write it like 1 234 567,89."),
        ("", "Enter an amount in tenge."),
        ("NaN", "“NaN” is not an amount in tenge; write it like 1 234 567,89."),
        ("inf", "“inf” is not an amount in tenge; write it like 1 234 567,89."),
        (Decimal("NaN"), "The amount must be a number."),
        (Decimal("-Infinity"), "The amount must be a number."),
        ("1e5", "“1e5” is not an amount in tenge; write it like 1 234 567,89."),
        ("1" + "0" * 29, "The amount is too large."),
        (Decimal("1E+999999"), "The amount is too large."),
    ],
)
def test_from_tenge_rejects(raw, message):
    with translation.override("en"), pytest.raises(DomainError) as info:
        Money.from_tenge(raw)
    assert info.value.code == "money_invalid"
    assert str(info.value.message) == message


def test_money_holds_only_whole_tiyn():
    with pytest.raises(DomainError) as info:
        Money(1.5)  # type: ignore[arg-type]
    assert info.value.code == "money_invalid"
    with pytest.raises(DomainError):
        Money(MAX_TIYN + 1)


def test_tenge_is_an_exact_decimal():
    assert Money(123_456_789).tenge == Decimal("1234567.89")
    assert str(Money(500).tenge) == "5.00"
    assert str(Money(-7).tenge) == "-0.07"


@pytest.mark.parametrize(
    ("tiyn", "shown"),
    [
        (123_456_789, "1 234 567,89 ₸"),
        (0, "0,00 ₸"),
        (5, "0,05 ₸"),
        (100_000, "1 000,00 ₸"),
        (-123_456, "-1 234,56 ₸"),
    ],
)
def test_format(tiyn, shown):
    for lang in ("kk", "ru", "en"):
        assert plain(Money(tiyn).format(lang)) == shown
    # Non-breaking spaces: the amount never wraps across lines.
    assert " " not in Money(tiyn).format("ru")


def test_str_uses_the_active_language():
    with translation.override("en"):
        assert plain(str(Money(250_000))) == "2 500,00 ₸"


def test_formatted_amount_parses_back():
    money = Money(987_654_321)
    assert Money.from_tenge(money.format()) == money


def test_arithmetic_and_order():
    a, b = Money(1000), Money(250)
    assert a + b == Money(1250)
    assert a - b == Money(750)
    assert b - a == Money(-750)
    assert -a == Money(-1000)
    assert a * 3 == Money(3000) == 3 * a
    assert b < a and a >= b and a != b
    assert min(a, b) == b and max(a, b) == a
    assert sorted([a, ZERO, b]) == [ZERO, b, a]
    assert ZERO == Money.ZERO == Money(0)
    with pytest.raises(TypeError):
        a + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        a * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        a * Decimal("2")  # type: ignore[operator]


@pytest.mark.parametrize(
    ("tiyn", "rate", "expected"),
    [
        (150, Decimal("1"), 2),  # 1.5 tiyn rounds half up
        (149, Decimal("1"), 1),
        (250, Decimal("1"), 3),  # half up, not to even
        (-150, Decimal("1"), -2),  # symmetric for refunds
        (500_000_000, Decimal("1"), 5_000_000),
        (1, Decimal("50"), 1),
        (432_500, Decimal("0.3"), 1298),  # not float's 1297.4999…
    ],
)
def test_percent_rounds_half_up_to_the_tiyn(tiyn, rate, expected):
    assert Money(tiyn).percent(rate) == Money(expected)


def test_scale_rounds_half_up():
    mci = Money(432_500)
    assert mci.scale(Decimal("0.3")) == Money(129_750)
    assert mci.scale(10_000) == Money(4_325_000_000)
    assert Money(5).scale(Decimal("0.5")) == Money(3)


def test_percent_refuses_floats():
    with pytest.raises(DomainError) as info:
        Money(100).percent(1.5)  # type: ignore[arg-type]
    assert info.value.code == "money_invalid"
    with pytest.raises(DomainError):
        Money(100).scale(0.3)  # type: ignore[arg-type]
    with pytest.raises(DomainError):
        Money(100).percent(Decimal("NaN"))


def _half_up(value: Fraction) -> int:
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    whole = int(magnitude)
    if magnitude - whole >= Fraction(1, 2):
        whole += 1
    return sign * whole


amounts = st.integers(min_value=-(10**29), max_value=10**29)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("1000"), places=4, allow_nan=False)


@given(tiyn=amounts, rate=rates)
def test_percent_is_exact(tiyn, rate):
    # Compared with exact rational arithmetic: a float anywhere would lose tiyn on large amounts.
    expected = _half_up(Fraction(tiyn) * Fraction(rate) / 100)
    assert Money(tiyn).percent(rate) == Money(expected)


@given(parts=st.lists(st.decimals(min_value=-(10**9), max_value=10**9, places=2), max_size=30))
def test_sums_are_exact(parts):
    total = sum((Money.from_tenge(p) for p in parts), ZERO)
    assert total.tenge == sum(parts, Decimal(0))


@given(tiyn=st.integers(min_value=-(10**17), max_value=10**17))
def test_format_round_trips(tiyn):
    assert Money.from_tenge(Money(tiyn).format()) == Money(tiyn)
