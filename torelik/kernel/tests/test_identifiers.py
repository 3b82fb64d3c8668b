from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation
from hypothesis import assume, given
from hypothesis import strategies as st

from torelik.kernel.errors import DomainError
from torelik.kernel.identifiers import (
    BinInfo,
    IinInfo,
    check_digit,
    make_bin,
    make_iin,
    validate_bin,
    validate_iin,
)

# Valid examples from the domain reference: two IINs and two BINs.
IINS = {
    "061211600012": IinInfo("061211600012", date(2006, 12, 11), "female", 6),
    "791028302728": IinInfo("791028302728", date(1979, 10, 28), "male", 3),
}
BINS = {
    "940140000385": BinInfo("940140000385", 1994, 1, 4, 0),
    "990140004654": BinInfo("990140004654", 1999, 1, 4, 0),
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def error_of(func, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        func(*args, **kwargs)
    return info.value


@pytest.mark.parametrize(("value", "info"), IINS.items())
def test_valid_iins_give_birth_date_and_sex(value, info):
    assert validate_iin(value) == info


@pytest.mark.parametrize(("value", "info"), BINS.items())
def test_valid_bins_give_registration_and_kind(value, info):
    result = validate_bin(value)
    assert result == info
    assert result.entity_type_label == "resident legal entity"
    assert result.branch_label == "head office"


@pytest.mark.parametrize("value", BINS)
def test_a_bin_is_not_an_iin(value):
    # Their 7th digit is 0: not a century unless the policy flag accepts it.
    assert error_of(validate_iin, value, accept_century_zero=False).code == "iin_century"
    # Even then day "40" in YYMMDD is no birth date.
    err = error_of(validate_iin, value, accept_century_zero=True)
    assert err.code == "iin_birth_date"
    assert (
        str(err.message)
        == f"The first 6 digits of the IIN must be a birth date (YYMMDD); {value[:6]} is not."
    )


@pytest.mark.parametrize("value", IINS)
def test_an_iin_is_not_a_bin(value):
    err = error_of(validate_bin, value)
    assert err.code == "bin_entity_type"
    assert f"{value[4]} given" in str(err.message)


def test_surrounding_whitespace_is_ignored():
    assert validate_iin("  791028302728\n").value == "791028302728"


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("79102830272", "iin_length", "The IIN must have 12 digits; 11 given."),
        ("7910283027281", "iin_length", "The IIN must have 12 digits; 13 given."),
        ("", "iin_length", "The IIN must have 12 digits; 0 given."),
        ("79102830272O", "iin_not_digits", "The IIN may contain digits only; “O” found."),
        ("7910 28302728", "iin_not_digits", "The IIN may contain digits only; “ ” found."),
        # Arabic-Indic digits pass str.isdigit() but are not an IIN.
        ("٧٩١٠٢٨٣٠٢٧٢٨", "iin_not_digits", "The IIN may contain digits only; “٧” found."),
        (
            "791028702728",
            "iin_century",
            "The 7th digit of the IIN must be 1 to 6 (century of birth and sex); 7 given.",
        ),
        (
            "791028002728",
            "iin_century",
            "The 7th digit of the IIN must be 1 to 6 (century of birth and sex); 0 given.",
        ),
        (
            "791328302728",
            "iin_birth_date",
            "The first 6 digits of the IIN must be a birth date (YYMMDD); 791328 is not.",
        ),
        (
            "790230302728",
            "iin_birth_date",
            "The first 6 digits of the IIN must be a birth date (YYMMDD); 790230 is not.",
        ),
        ("791028302729", "iin_checksum", "The IIN 791028302729 is mistyped: its check digit does not match."),
    ],
)
def test_iin_errors(value, code, message):
    err = error_of(validate_iin, value)
    assert (err.code, str(err.message)) == (code, message)


def test_iin_with_a_future_birth_date_is_rejected():
    tomorrow = timezone.localdate() + timedelta(days=1)
    value = next(
        make_iin(tomorrow, "male", s)
        for s in range(10)
        if check_digit(f"{tomorrow:%y%m%d}5{s:04d}") is not None
    )
    assert error_of(validate_iin, value).code == "iin_birth_date"


def test_century_zero_follows_the_policy_flag(settings):
    first11 = "79102800272"
    value = first11 + str(check_digit(first11))
    settings.TORELIK = {**settings.TORELIK, "ACCEPT_IIN_CENTURY_ZERO": False}
    assert error_of(validate_iin, value).code == "iin_century"
    settings.TORELIK = {**settings.TORELIK, "ACCEPT_IIN_CENTURY_ZERO": True}
    assert validate_iin(value) == IinInfo(value, None, None, 0)
    # The explicit argument overrides the setting either way.
    assert error_of(validate_iin, value, accept_century_zero=False).code == "iin_century"
    # Even under the flag the check digit must match.
    wrong = first11 + str((int(value[-1]) + 1) % 10)
    assert error_of(validate_iin, wrong, accept_century_zero=True).code == "iin_checksum"


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("9401400003851", "bin_length", "The BIN must have 12 digits; 13 given."),
        ("94014000038-", "bin_not_digits", "The BIN may contain digits only; “-” found."),
        (
            "941340000385",
            "bin_month",
            "Digits 3–4 of the BIN must be the month of registration (01–12); 13 given.",
        ),
        (
            "940040000385",
            "bin_month",
            "Digits 3–4 of the BIN must be the month of registration (01–12); 00 given.",
        ),
        (
            "940170000385",
            "bin_entity_type",
            "The 5th digit of the BIN must be 4, 5 or 6 (kind of entity); 7 given.",
        ),
        (
            "940144000385",
            "bin_branch",
            "The 6th digit of the BIN must be 0 to 3 (head office, branch, representative office, "
            "peasant farm); 4 given.",
        ),
        ("940140000386", "bin_checksum", "The BIN 940140000386 is mistyped: its check digit does not match."),
    ],
)
def test_bin_errors(value, code, message):
    err = error_of(validate_bin, value)
    assert (err.code, str(err.message)) == (code, message)


def test_check_digit_second_pass_and_unusable_prefix():
    # 61211600012 x: first pass gives 2 directly.
    assert check_digit("06121160001") == 2
    # First pass 10, second pass 10: no IIN or BIN can be issued with these 11 digits.
    assert check_digit("77104656341") is None
    err = error_of(check_digit, "7710465634")
    assert err.code == "identifier_invalid"


def test_check_digit_uses_the_second_weights_when_the_first_give_ten():
    # Σ d·(1..11) ≡ 10 (mod 11) for this prefix, so the digit comes from weights 3..11,1,2.
    prefix = "00000000010"
    assert sum(int(d) * w for d, w in zip(prefix, range(1, 12), strict=True)) % 11 == 10
    assert check_digit(prefix) == 1  # 1 × weight 1 (the 10th weight of the second set)


def test_make_iin_reports_an_unusable_serial():
    err = error_of(make_iin, date(1977, 10, 4), "male", 10000)
    assert err.code == "iin_serial"
    prefix_without_digit = next(
        (s for s in range(10000) if check_digit(f"7710043{s:04d}") is None),
        None,
    )
    assert prefix_without_digit is not None
    assert error_of(make_iin, date(1977, 10, 4), "male", prefix_without_digit).code == "iin_serial_unusable"


def test_make_bin_examples():
    assert make_bin(1994, 1, 4, 0, 38) == "940140000385"
    assert make_bin(1999, 1, 4, 0, 465) == "990140004654"
    assert error_of(make_bin, 2020, 13, 4, 0, 1).code == "bin_month"
    assert error_of(make_bin, 2020, 1, 7, 0, 1).code == "bin_entity_type"
    assert error_of(make_bin, 2020, 1, 4, 9, 1).code == "bin_branch"


def test_make_iin_examples():
    assert make_iin(date(2006, 12, 11), "female", 1) == "061211600012"
    assert make_iin(date(1979, 10, 28), "male", 272) == "791028302728"
    assert make_iin(date(1899, 5, 1), "female", 7).startswith("9905012")


birth_dates = st.dates(min_value=date(1800, 1, 1), max_value=date(2025, 12, 31))


@given(birth=birth_dates, sex=st.sampled_from(["male", "female"]), serial=st.integers(0, 9999))
def test_make_iin_always_validates(birth, sex, serial):
    try:
        value = make_iin(birth, sex, serial)
    except DomainError as exc:
        assert exc.code == "iin_serial_unusable"
        assume(False)
    assert validate_iin(value) == IinInfo(value, birth, sex, int(value[6]))


@given(
    year=st.integers(1927, 2025),
    month=st.integers(1, 12),
    entity_type=st.sampled_from([4, 5, 6]),
    branch=st.integers(0, 3),
    serial=st.integers(0, 99999),
)
def test_make_bin_always_validates(year, month, entity_type, branch, serial):
    try:
        value = make_bin(year, month, entity_type, branch, serial)
    except DomainError as exc:
        assert exc.code == "bin_serial_unusable"
        assume(False)
    assert validate_bin(value) == BinInfo(value, year, month, entity_type, branch)


def _first_pass(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits[:11], range(1, 12), strict=True)) % 11


@given(
    birth=birth_dates,
    sex=st.sampled_from(["male", "female"]),
    serial=st.integers(0, 9999),
    position=st.integers(0, 11),
    shift=st.integers(1, 9),
)
def test_a_single_digit_typo_is_caught(birth, sex, serial, position, shift):
    try:
        value = make_iin(birth, sex, serial)
    except DomainError:
        assume(False)
    digits = list(value)
    digits[position] = str((int(digits[position]) + shift) % 10)
    typo = "".join(digits)
    # Two known blind spots of the algorithm: the 11th digit has weight 11 ≡ 0 in the first pass,
    # and when either number falls back to the second weights the digits may coincide.
    assume(position != 10)
    assume(_first_pass(value) != 10 and _first_pass(typo) != 10)
    with pytest.raises(DomainError):
        validate_iin(typo)


def test_the_eleventh_digit_blind_spot():
    # 791028302728 with its 11th digit 2 -> 3 still validates: weight 11 ≡ 0 (mod 11).
    # Callers must not treat a passing check digit as proof that no digit was mistyped.
    assert validate_iin("791028302738").birth_date == date(1979, 10, 28)
