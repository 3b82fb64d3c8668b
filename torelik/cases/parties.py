"""A party as the court records it, and the one rule for "the filer's own party".

The same value object travels from the filing form or the API, through the draft's validation and
the filing's rows, into the case's parties; no layer has a shape of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from torelik.cases.models import PersonKind
from torelik.identity.models import User


@dataclass(frozen=True)
class PartyDetails:
    role: str  # PartyRole
    person_kind: str  # PersonKind
    name: str  # as the person wrote it
    iin: str = ""
    bin: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""

    @classmethod
    def of_record(cls, record: Any) -> PartyDetails:
        """From a stored party (a filing's or a case's): the fields it has."""
        return cls(**{f: getattr(record, f, "") or "" for f in cls.__dataclass_fields__})

    @classmethod
    def of_account(cls, account: User, *, role: str) -> PartyDetails:
        """The account holder as a party: an organisation's account is the organisation."""
        if account.bin:
            return cls(
                role=role,
                person_kind=PersonKind.LEGAL_ENTITY,
                name=account.organisation_name or account.display_name,
                bin=account.bin,
            )
        return cls(role=role, person_kind=PersonKind.INDIVIDUAL, name=account.display_name, iin=account.iin)

    def belongs_to(self, account: User) -> bool:
        """Whether this party is the account holder (see `is_own_party`)."""
        return is_own_party(person_kind=self.person_kind, iin=self.iin, bin=self.bin, account=account)


def is_own_party(*, person_kind: str, iin: str, bin: str, account: User) -> bool:
    """The one rule: an organisation's account (it carries a BIN; its director signs with their
    own IIN) is the legal-entity party with that BIN; a person's account is the individual party
    with their IIN. A party named by address only (no number) is nobody's own party."""
    if account.bin:
        return person_kind == PersonKind.LEGAL_ENTITY and bin == account.bin
    return person_kind == PersonKind.INDIVIDUAL and bool(account.iin) and iin == account.iin


def own_parties_q(account: User, *, prefix: str = "") -> Q:
    """`is_own_party` as a query over Party rows (`prefix`: the path to them, e.g. "parties__")."""
    if account.bin:
        return Q(**{f"{prefix}bin": account.bin, f"{prefix}person_kind": PersonKind.LEGAL_ENTITY})
    if account.iin:
        return Q(**{f"{prefix}iin": account.iin, f"{prefix}person_kind": PersonKind.INDIVIDUAL})
    return Q(pk__in=[])  # matches nothing
