"""Money in tenge, held as an integer number of tiyn (1 tenge = 100 tiyn); never a float."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import ClassVar

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from torelik.kernel.errors import DomainError

# Far beyond any real amount (callers set their own plausibility limits, and columns are 64-bit);
# it only stops an input like Decimal("1E+999999") from building a gigantic integer.
MAX_TIYN = 10**30

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
CURRENCY_SIGN = "₸"

# (group separator, decimal separator) per language. Kazakhstan writes amounts the same way in
# all three languages of the courts; the table lets another jurisdiction differ.
_SEPARATORS: dict[str, tuple[str, str]] = {
    "kk": (NARROW_NBSP, ","),
    "ru": (NARROW_NBSP, ","),
    "en": (NARROW_NBSP, ","),
}
_DEFAULT_LANGUAGE = "ru"

# What people type: "1 234 567,89", "1234567.89", "-5", "1 000 ₸". Group spaces of any width.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009\u2007]")
_AMOUNT = re.compile(r"(?P<sign>[+-]?)(?P<int>[0-9]+)(?:[.,](?P<frac>[0-9]+))?")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?: [0-9]{3})*(?:[.,][0-9]+)?")


class MoneyError(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__("money_invalid", message)


def _round_half_up(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True, order=True)
class Money:
    """An amount in tiyn. Ordered and hashable; arithmetic only with Money and int."""

    tiyn: int
    ZERO: ClassVar[Money]

    def __post_init__(self) -> None:
        if isinstance(self.tiyn, bool) or not isinstance(self.tiyn, int):
            raise MoneyError(
                _("An amount must be a whole number of tiyn, not %(type)s.")
                % {"type": type(self.tiyn).__name__}
            )
        if abs(self.tiyn) > MAX_TIYN:
            raise MoneyError(_("The amount is too large."))

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_tenge(cls, value: int | str | Decimal) -> Money:
        """Parse tenge: an int, a Decimal or text such as "1 234 567,89" or "1234567.89".

        Floats are refused: 0.1 tenge is not exactly representable as one.
        """
        if isinstance(value, bool | float) or not isinstance(value, int | str | Decimal):
            raise MoneyError(
                _("An amount in tenge must be given as text, an integer or a decimal, not %(type)s.")
                % {"type": type(value).__name__}
            )
        if isinstance(value, int):
            return cls(value * 100)
        if isinstance(value, str):
            value = cls._parse_text(value)
        if not value.is_finite():
            raise MoneyError(_("The amount must be a number."))
        if abs(value) > Decimal(MAX_TIYN) / 100:
            raise MoneyError(_("The amount is too large."))
        with localcontext() as ctx:
            ctx.prec = 60
            scaled = value.scaleb(2)
            if scaled != scaled.to_integral_value():
                raise MoneyError(
                    _("An amount in tenge has at most 2 decimal places (tiyn); %(value)s given.")
                    % {"value": value}
                )
            return cls(int(scaled))

    @staticmethod
    def _parse_text(text: str) -> Decimal:
        raw = text.strip()
        if raw.endswith(CURRENCY_SIGN):
            raw = raw[: -len(CURRENCY_SIGN)].strip()
        if not raw:
            raise MoneyError(_("Enter an amount in tenge."))
        spaced = _SPACES.sub(" ", raw)
        if " " in spaced and not _GROUPED.fullmatch(spaced):
            raise MoneyError(
                _("“%(value)s” is not an amount: separate thousands by single spaces, e.g. 1 234 567,89.")
                % {"value": text}
            )
        match = _AMOUNT.fullmatch(spaced.replace(" ", ""))
        if match is None:
            raise MoneyError(
                _("“%(value)s” is not an amount in tenge; write it like 1 234 567,89.") % {"value": text}
            )
        frac = match["frac"] or ""
        if len(frac) > 2:
            raise MoneyError(
                _("An amount in tenge has at most 2 decimal places (tiyn); %(value)s given.")
                % {"value": text}
            )
        try:
            return Decimal(f"{match['sign']}{match['int']}.{frac or '0'}")
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
            raise MoneyError(_("“%(value)s” is not an amount in tenge.") % {"value": text}) from None

    # ------------------------------------------------------------------ reading

    @property
    def tenge(self) -> Decimal:
        return Decimal(self.tiyn).scaleb(-2)

    def format(self, lang: str | None = None) -> str:
        """E.g. "1 234 567,89 ₸" with non-breaking spaces, so the amount never wraps."""
        code = (lang or get_language() or _DEFAULT_LANGUAGE)[:2]
        group, decimal_sep = _SEPARATORS.get(code, _SEPARATORS[_DEFAULT_LANGUAGE])
        whole, frac = divmod(abs(self.tiyn), 100)
        grouped = f"{whole:,}".replace(",", group)
        sign = "-" if self.tiyn < 0 else ""
        return f"{sign}{grouped}{decimal_sep}{frac:02d}{NBSP}{CURRENCY_SIGN}"

    def __str__(self) -> str:
        return self.format()

    # ------------------------------------------------------------------ arithmetic

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.tiyn + other.tiyn)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.tiyn - other.tiyn)

    def __neg__(self) -> Money:
        return Money(-self.tiyn)

    def __mul__(self, other: int) -> Money:
        # Only whole multiples: a fractional factor needs a rounding rule, see `scale`.
        if isinstance(other, bool) or not isinstance(other, int):
            return NotImplemented
        return Money(self.tiyn * other)

    __rmul__ = __mul__

    def scale(self, factor: Decimal | int) -> Money:
        """The amount times `factor`, rounded half-up to the tiyn (e.g. 0.3 MCI)."""
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            raise MoneyError(
                _("A factor must be a decimal or an integer, not %(type)s.") % {"type": type(factor).__name__}
            )
        if isinstance(factor, Decimal) and not factor.is_finite():
            raise MoneyError(_("The factor must be a number."))
        with localcontext() as ctx:
            ctx.prec = 80  # exact for any amount up to MAX_TIYN times a rate of up to 40 digits
            return Money(_round_half_up(Decimal(self.tiyn) * factor))

    def percent(self, rate: Decimal | int) -> Money:
        """`rate` percent of the amount, rounded half-up to the tiyn."""
        if isinstance(rate, bool) or not isinstance(rate, Decimal | int):
            raise MoneyError(
                _("A rate must be a decimal or an integer, not %(type)s.") % {"type": type(rate).__name__}
            )
        if isinstance(rate, Decimal) and not rate.is_finite():
            raise MoneyError(_("The rate must be a number."))
        with localcontext() as ctx:
            ctx.prec = 80
            return Money(_round_half_up(Decimal(self.tiyn) * rate / 100))


Money.ZERO = Money(0)
ZERO = Money.ZERO
