"""The state fee for a filing, computed from the FeeRule table (Tax Code art. 665).

Rates live in data, not here: this module only picks the rule in force and does the
arithmetic, and says in plain words how it got the amount, so the filer (and the court) can
re-check it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from torelik.cases.models import PersonKind
from torelik.efiling.models import FeeBasis, FeeExemption, FeeExemptionRule, FeeRule
from torelik.kernel.errors import DomainError
from torelik.kernel.money import NARROW_NBSP, Money
from torelik.kernel.selectors import mci_for_year

# 10 trillion tenge: anything above is a typing error (the filing form applies the same limit).
MAX_CLAIM_TIYN = 10**15

PROPERTY = "property"
NON_PROPERTY = "non_property"
EXEMPTION_REFERENCE = "Tax Code of the RK (2026): exemptions from the state fee"


@dataclass(frozen=True)
class FeeQuote:
    amount: Money
    rule_id: int | None
    basis: str
    explanation: list[str]
    legal_reference: str
    is_confirmed: bool
    exemption: str
    rate: Decimal = Decimal(0)
    share_percent: Decimal = Decimal(100)
    cap_mci: Decimal | None = None
    mci_tiyn: int | None = None
    on_date: date | None = None
    # An exemption the court must decide on: the amount is the full fee, due if it refuses.
    relief_pending: bool = False

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe: stored with the submission as the record of how the fee was computed."""
        return {
            "amount_tiyn": self.amount.tiyn,
            "rule_id": self.rule_id,
            "basis": self.basis,
            "rate": _plain(self.rate),
            "share_percent": _plain(self.share_percent),
            "cap_mci": _plain(self.cap_mci) if self.cap_mci is not None else None,
            "mci_tiyn": self.mci_tiyn,
            "explanation": [str(line) for line in self.explanation],
            "legal_reference": self.legal_reference,
            "is_confirmed": self.is_confirmed,
            "exemption": self.exemption,
            "on_date": self.on_date.isoformat() if self.on_date else None,
            **({"relief_pending": True} if self.relief_pending else {}),
        }


def quote_state_fee(
    *,
    submission_type: str,
    category_code: str,
    filer_kind: str,
    is_property: bool,
    claim_amount: Money | None,
    on_date: date,
    exemption: str = "",
) -> FeeQuote:
    """The state fee for one filing on `on_date`, with the rule used and a readable explanation.

    Rule choice among the rows in force on `on_date` for the type and the filer's kind: a row for
    this exact category beats a row for every category, a row for this claim kind beats a row
    for both kinds, then the latest `valid_from` (the newest amendment) wins.
    """
    if filer_kind not in PersonKind.values:
        raise DomainError(
            "filer_kind_invalid",
            _("The filer must be an individual or a legal entity; “%(kind)s” given.") % {"kind": filer_kind},
            field="filer_kind",
        )
    if exemption:
        exemption_rule = exemption_rule_for(exemption=exemption, category_code=category_code)
        if exemption_rule.needs_court_decision:
            full = quote_state_fee(
                submission_type=submission_type,
                category_code=category_code,
                filer_kind=filer_kind,
                is_property=is_property,
                claim_amount=claim_amount,
                on_date=on_date,
            )
            note = _(
                "Exemption requested: %(reason)s. The court decides on it; if it refuses, this fee is due."
            ) % {"reason": FeeExemption(exemption).label}
            return replace(
                full,
                explanation=[*full.explanation, note],
                exemption=exemption,
                relief_pending=full.amount.tiyn > 0,
            )
        return FeeQuote(
            amount=Money.ZERO,
            rule_id=None,
            basis=FeeBasis.NONE.value,
            explanation=[_("Exempt: %(reason)s — no fee.") % {"reason": FeeExemption(exemption).label}],
            legal_reference=exemption_rule.legal_reference or EXEMPTION_REFERENCE,
            is_confirmed=True,
            exemption=exemption,
            on_date=on_date,
        )

    claim_kind = PROPERTY if is_property else NON_PROPERTY
    rule = _find_rule(
        submission_type=submission_type,
        category_code=category_code,
        person_kind=filer_kind,
        claim_kind=claim_kind,
        on_date=on_date,
    )
    lines: list[str] = []
    mci: Money | None = None

    needs_amount = is_property or rule.basis == FeeBasis.PERCENT_OF_CLAIM
    claim = _checked_claim(claim_amount) if needs_amount else None

    if rule.basis == FeeBasis.PERCENT_OF_CLAIM:
        assert claim is not None
        amount = claim.percent(rule.rate)
        lines.append(
            _("%(rate)s %% of the claim %(claim)s = %(amount)s")
            % {"rate": _number(rule.rate), "claim": claim.format(), "amount": amount.format()}
        )
    elif rule.basis == FeeBasis.MCI_MULTIPLE:
        mci = mci_for_year(year=on_date.year)
        amount = mci.scale(rule.rate)
        lines.append(
            _("%(rate)s MCI × %(mci)s (MCI for %(year)s) = %(amount)s")
            % {
                "rate": _number(rule.rate),
                "mci": mci.format(),
                "year": on_date.year,
                "amount": amount.format(),
            }
        )
    elif rule.basis == FeeBasis.NONE:
        amount = Money.ZERO
        lines.append(_("No state fee is charged for this filing."))
    else:
        raise DomainError(
            "fee_rule_invalid",
            _("The fee rule #%(id)s has an unknown basis “%(basis)s”.")
            % {"id": rule.pk, "basis": rule.basis},
        )

    if rule.cap_mci is not None and rule.basis != FeeBasis.NONE:
        mci = mci or mci_for_year(year=on_date.year)
        cap = mci.scale(rule.cap_mci)
        if amount > cap:
            lines.append(
                _("Cap: %(cap_mci)s MCI × %(mci)s = %(cap)s; the cap applies.")
                % {"cap_mci": _number(rule.cap_mci), "mci": mci.format(), "cap": cap.format()}
            )
            amount = cap
        else:
            lines.append(
                _("Cap: %(cap_mci)s MCI × %(mci)s = %(cap)s; the fee is below the cap.")
                % {"cap_mci": _number(rule.cap_mci), "mci": mci.format(), "cap": cap.format()}
            )

    share = Decimal(rule.share_percent)
    if share != 100 and rule.basis != FeeBasis.NONE:
        shared = amount.percent(share)
        lines.append(
            _("%(share)s %% of the base fee %(base)s = %(amount)s")
            % {"share": _number(share), "base": amount.format(), "amount": shared.format()}
        )
        amount = shared

    if rule.basis != FeeBasis.NONE:
        lines.append(_("State fee: %(amount)s") % {"amount": amount.format()})
    if not rule.is_confirmed:
        lines.append(
            _(
                "This rate is not yet confirmed against the text of the Tax Code; "
                "the court may correct the amount."
            )
        )

    return FeeQuote(
        amount=amount,
        rule_id=rule.pk,
        basis=rule.basis,
        explanation=lines,
        legal_reference=rule.legal_reference,
        is_confirmed=rule.is_confirmed,
        exemption="",
        rate=Decimal(rule.rate),
        share_percent=share,
        cap_mci=Decimal(rule.cap_mci) if rule.cap_mci is not None else None,
        mci_tiyn=mci.tiyn if mci is not None else None,
        on_date=on_date,
    )


def exemption_rule_for(*, exemption: str, category_code: str) -> FeeExemptionRule:
    """The row that gives `exemption` for the category; refuses an exemption the law does not give."""
    if exemption not in FeeExemption.values or not exemption:
        raise DomainError(
            "fee_exemption_invalid",
            _("There is no fee exemption “%(code)s”.") % {"code": exemption},
            field="fee_exemption",
        )
    rules = FeeExemptionRule.objects.filter(
        exemption=exemption, category_code__in={category_code, ""}, is_active=True
    )
    rule = max(rules, key=lambda r: (r.category_code == category_code, r.pk), default=None)
    if rule is None:
        raise DomainError(
            "fee_exemption_not_for_category",
            _("The exemption “%(reason)s” does not apply to claims of this category.")
            % {"reason": FeeExemption(exemption).label},
            field="fee_exemption",
        )
    return rule


def _find_rule(
    *, submission_type: str, category_code: str, person_kind: str, claim_kind: str, on_date: date
) -> FeeRule:
    candidates = list(
        FeeRule.objects.filter(
            submission_type=submission_type,
            person_kind=person_kind,
            category_code__in={category_code, ""},
            claim_kind__in={claim_kind, ""},
            valid_from__lte=on_date,
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on_date))
    )
    if not candidates:
        raise DomainError(
            "fee_rule_missing",
            _(
                "No state fee rule is set for “%(type)s” (%(kind)s claim, %(person)s) on %(date)s; "
                "the court office must add one."
            )
            % {
                "type": _type_label(submission_type),
                "kind": _("property") if claim_kind == PROPERTY else _("non-property"),
                "person": PersonKind(person_kind).label,
                "date": on_date.isoformat(),
            },
            field="type",
        )
    return max(
        candidates,
        key=lambda r: (r.category_code == category_code, r.claim_kind == claim_kind, r.valid_from, r.pk),
    )


def _checked_claim(claim_amount: Money | None) -> Money:
    if claim_amount is None:
        raise DomainError(
            "claim_amount_required",
            _("Enter the claim amount: the state fee of a property claim is a percent of it."),
            field="claim_amount",
        )
    if claim_amount.tiyn <= 0 or claim_amount.tiyn > MAX_CLAIM_TIYN:
        raise DomainError(
            "claim_amount_invalid",
            _("The claim amount must be more than zero and at most %(max)s; %(amount)s given.")
            % {"max": Money(MAX_CLAIM_TIYN).format(), "amount": claim_amount.format()},
            field="claim_amount",
        )
    return claim_amount


def _type_label(key: str) -> str:
    from torelik.efiling.types import SUBMISSION_TYPES  # the registry imports models; keep this lazy

    stype = SUBMISSION_TYPES.get(key)
    return f"{stype.label} ({key})" if stype else key


def _plain(value: Decimal) -> str:
    """A decimal without trailing zeros or exponent: Decimal("1.0000") -> "1"."""
    text = f"{value.normalize():f}" if value else "0"
    return text


def _number(value: Decimal) -> str:
    """A rate for people: "0,3", "10 000" (same separators as amounts)."""
    text = _plain(Decimal(value))
    sign = "-" if text.startswith("-") else ""
    whole, _sep, frac = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}".replace(",", NARROW_NBSP)
    return f"{sign}{grouped},{frac}" if frac else f"{sign}{grouped}"
