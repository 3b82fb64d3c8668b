"""Reads of the kernel's reference tables."""

from __future__ import annotations

from django.utils.translation import gettext as _

from torelik.kernel.errors import DomainError
from torelik.kernel.models import MciRate
from torelik.kernel.money import Money


def mci_for_year(*, year: int) -> Money:
    """The monthly calculation index (MCI) in force in `year`, from the MciRate table."""
    amount = MciRate.objects.filter(year=year).values_list("amount_tiyn", flat=True).first()
    if amount is None:
        raise DomainError(
            "mci_missing",
            _("The MCI for %(year)s is not set; an administrator must add it before fees can be computed.")
            % {"year": year},
        )
    return Money(amount)
