"""Kazakhstan's 12-digit identifiers: the IIN of a person and the BIN of an organisation.

IIN: ``YYMMDD G NNNN C``; G carries the century of birth and the sex.
BIN: ``YYMM T B NNNNN C``; YYMM is the month of registration, T the kind of entity, B the kind
of unit. Both end in the same check digit (see `check_digit`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torelik.kernel.errors import DomainError

Sex = Literal["male", "female"]

_DIGITS = re.compile(r"[0-9]*")  # ASCII only: str.isdigit() would let through other scripts' digits
_WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# Century digit -> (first year of the century, sex).
_CENTURIES: dict[int, tuple[int, Sex]] = {
    1: (1800, "male"),
    2: (1800, "female"),
    3: (1900, "male"),
    4: (1900, "female"),
    5: (2000, "male"),
    6: (2000, "female"),
}

ENTITY_TYPES: dict[int, Promise] = {
    4: gettext_lazy("resident legal entity"),
    5: gettext_lazy("non-resident legal entity"),
    6: gettext_lazy("individual entrepreneur in joint business"),
}
BRANCH_KINDS: dict[int, Promise] = {
    0: gettext_lazy("head office"),
    1: gettext_lazy("branch"),
    2: gettext_lazy("representative office"),
    3: gettext_lazy("peasant farm"),
}


class IdentifierError(DomainError):
    """An IIN or BIN that cannot be right; `code` says which rule it breaks."""


@dataclass(frozen=True)
class IinInfo:
    value: str
    # None when the century digit is 0 (records of some foreigners): the date cannot be read.
    birth_date: date | None
    sex: Sex | None
    century: int


@dataclass(frozen=True)
class BinInfo:
    value: str
    registration_year: int
    registration_month: int
    entity_type: int
    branch: int

    @property
    def entity_type_label(self) -> str:
        return str(ENTITY_TYPES[self.entity_type])

    @property
    def branch_label(self) -> str:
        return str(BRANCH_KINDS[self.branch])


def check_digit(first11: str) -> int | None:
    """The check digit for the first 11 digits of an IIN or BIN; None if no digit can be valid.

    s = Σ d[i]·w[i] with w = 1..11, c = s mod 11; if c is 10, again with w = 3..11,1,2;
    a second 10 means the number cannot be issued.
    """
    if len(first11) != 11 or not _DIGITS.fullmatch(first11):
        raise IdentifierError(
            "identifier_invalid",
            _("The check digit needs exactly 11 digits; “%(value)s” given.") % {"value": first11},
        )
    digits = [int(ch) for ch in first11]
    for weights in (_WEIGHTS_1, _WEIGHTS_2):
        c = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if c != 10:
            return c
    return None


def _clean(value: str, *, what: str, code_prefix: str) -> str:
    if not isinstance(value, str):
        raise IdentifierError(
            f"{code_prefix}_not_digits", _("The %(what)s must be a string of digits.") % {"what": what}
        )
    value = value.strip()
    if not _DIGITS.fullmatch(value):
        bad = next(ch for ch in value if not ("0" <= ch <= "9"))
        raise IdentifierError(
            f"{code_prefix}_not_digits",
            _("The %(what)s may contain digits only; “%(char)s” found.") % {"what": what, "char": bad},
        )
    if len(value) != 12:
        raise IdentifierError(
            f"{code_prefix}_length",
            _("The %(what)s must have 12 digits; %(count)d given.") % {"what": what, "count": len(value)},
        )
    return value


def _verify_check_digit(value: str, *, what: str, code: str) -> None:
    expected = check_digit(value[:11])
    if expected is None or expected != int(value[11]):
        raise IdentifierError(
            code,
            _("The %(what)s %(value)s is mistyped: its check digit does not match.")
            % {"what": what, "value": value},
        )


def validate_iin(value: str, *, accept_century_zero: bool | None = None) -> IinInfo:
    """Check an IIN and read the birth date and sex from it.

    `accept_century_zero` defaults to settings.TORELIK["ACCEPT_IIN_CENTURY_ZERO"]: some records
    of foreigners carry 0 in the century position; such an IIN has no readable birth date or sex.
    """
    what = _("IIN")
    value = _clean(value, what=what, code_prefix="iin")
    if accept_century_zero is None:
        accept_century_zero = bool(settings.TORELIK.get("ACCEPT_IIN_CENTURY_ZERO", False))
    century = int(value[6])
    if century == 0 and accept_century_zero:
        # The century is unknown, but YYMMDD must still be a date in one of the last two.
        if _birth_date(value, 1900) is None and _birth_date(value, 2000) is None:
            raise _birth_date_error(value)
        _verify_check_digit(value, what=what, code="iin_checksum")
        return IinInfo(value=value, birth_date=None, sex=None, century=0)
    if century not in _CENTURIES:
        raise IdentifierError(
            "iin_century",
            _("The 7th digit of the IIN must be 1 to 6 (century of birth and sex); %(digit)d given.")
            % {"digit": century},
        )
    first_year, sex = _CENTURIES[century]
    birth = _birth_date(value, first_year)
    if birth is None or birth > timezone.localdate():
        raise _birth_date_error(value)
    _verify_check_digit(value, what=what, code="iin_checksum")
    return IinInfo(value=value, birth_date=birth, sex=sex, century=century)


def _birth_date(value: str, first_year: int) -> date | None:
    try:
        return date(first_year + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        return None


def _birth_date_error(value: str) -> IdentifierError:
    return IdentifierError(
        "iin_birth_date",
        _("The first 6 digits of the IIN must be a birth date (YYMMDD); %(digits)s is not.")
        % {"digits": value[0:6]},
    )


def validate_bin(value: str) -> BinInfo:
    """Check a BIN and read the month of registration, the kind of entity and of unit."""
    what = _("BIN")
    value = _clean(value, what=what, code_prefix="bin")
    month = int(value[2:4])
    if not 1 <= month <= 12:
        raise IdentifierError(
            "bin_month",
            _("Digits 3–4 of the BIN must be the month of registration (01–12); %(month)s given.")
            % {"month": value[2:4]},
        )
    entity_type = int(value[4])
    if entity_type not in ENTITY_TYPES:
        raise IdentifierError(
            "bin_entity_type",
            _("The 5th digit of the BIN must be 4, 5 or 6 (kind of entity); %(digit)d given.")
            % {"digit": entity_type},
        )
    branch = int(value[5])
    if branch not in BRANCH_KINDS:
        raise IdentifierError(
            "bin_branch",
            _(
                "The 6th digit of the BIN must be 0 to 3 (head office, branch, representative office, "
                "peasant farm); %(digit)d given."
            )
            % {"digit": branch},
        )
    _verify_check_digit(value, what=what, code="bin_checksum")
    return BinInfo(
        value=value,
        registration_year=_registration_year(int(value[0:2])),
        registration_month=month,
        entity_type=entity_type,
        branch=branch,
    )


def _registration_year(yy: int) -> int:
    # BINs were issued from 2007, also to organisations registered in the 1990s: a two-digit
    # year later than this year belongs to the previous century.
    this_year = timezone.localdate().year
    year = 2000 + yy
    return year if year <= this_year else year - 100


def make_iin(birth_date: date, sex: Sex, serial: int) -> str:
    """A valid IIN for demo data and tests; `serial` is the 4-digit sequence number (0–9999).

    About one serial in 121 yields no valid check digit; then an IdentifierError with code
    "iin_serial_unusable" asks the caller to take another serial.
    """
    if sex not in ("male", "female"):
        raise IdentifierError("iin_sex", _("Sex must be “male” or “female”."))
    if not 1800 <= birth_date.year <= 2099:
        raise IdentifierError("iin_birth_date", _("An IIN can encode birth years 1800 to 2099 only."))
    if not 0 <= serial <= 9999:
        raise IdentifierError(
            "iin_serial", _("The IIN serial must be 0 to 9999; %(serial)d given.") % {"serial": serial}
        )
    century = (birth_date.year - 1800) // 100 * 2 + (1 if sex == "male" else 2)
    first11 = f"{birth_date:%y%m%d}{century}{serial:04d}"
    return _with_check_digit(first11, code="iin_serial_unusable")


def make_bin(year: int, month: int, entity_type: int, branch: int, serial: int) -> str:
    """A valid BIN for demo data and tests; `serial` is the 5-digit sequence number (0–99999).

    As with `make_iin`, a serial with no valid check digit raises code "bin_serial_unusable".
    """
    if not 1 <= month <= 12:
        raise IdentifierError(
            "bin_month", _("The month must be 1 to 12; %(month)d given.") % {"month": month}
        )
    if entity_type not in ENTITY_TYPES:
        raise IdentifierError("bin_entity_type", _("The kind of entity must be 4, 5 or 6."))
    if branch not in BRANCH_KINDS:
        raise IdentifierError("bin_branch", _("The kind of unit must be 0 to 3."))
    if not 0 <= serial <= 99999 or not 0 <= year <= 9999:
        raise IdentifierError("bin_serial", _("The BIN serial must be 0 to 99999 and the year valid."))
    first11 = f"{year % 100:02d}{month:02d}{entity_type}{branch}{serial:05d}"
    return _with_check_digit(first11, code="bin_serial_unusable")


def _with_check_digit(first11: str, *, code: str) -> str:
    c = check_digit(first11)
    if c is None:
        raise IdentifierError(
            code, _("No valid check digit exists for %(digits)s; take another serial.") % {"digits": first11}
        )
    return f"{first11}{c}"
