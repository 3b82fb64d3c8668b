"""The people of the demo and of the tests, each with a key from the built-in test CA.

`torelik demo-keys` writes one PKCS#12 file per identity into PKI_DIR; every file's password is
DEMO_P12_PASSWORD. The IINs and the BIN are valid Kazakhstan numbers (check digits included)
but belong to nobody. Subjects follow NCA RK: CN="SURNAME NAME", SURNAME, SERIALNUMBER=IIN...,
C=KZ, for an organisation's officer also O and OU=BIN..., and the patronymic in GIVENNAME.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DEMO_P12_PASSWORD = "demo1234"

DemoKey = Literal[
    "citizen", "entity", "lawyer", "prosecutor", "clerk", "judge", "citizen_revoked", "expired", "foreign"
]


@dataclass(frozen=True)
class DemoIdentity:
    key: DemoKey
    role: str  # torelik.identity.models.Role value
    iin: str
    bin: str
    surname: str
    given_name: str
    patronymic: str
    organisation: str
    p12_filename: str

    @property
    def common_name(self) -> str:
        return f"{self.surname} {self.given_name}"

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.given_name} {self.patronymic}"


DEMO_IDENTITIES: list[DemoIdentity] = [
    DemoIdentity(
        key="citizen",
        role="citizen",
        iin="850314312344",
        bin="",
        surname="СЕРИКОВ",
        given_name="АЙДАР",
        patronymic="НУРЛАНОВИЧ",
        organisation="",
        p12_filename="citizen.p12",
    ),
    # The director of a limited liability partnership (TOO), signing for it.
    DemoIdentity(
        key="entity",
        role="entity",
        iin="791102412347",
        bin="120540123453",
        surname="ЖАКУПОВА",
        given_name="АЙГУЛЬ",
        patronymic="МАРАТОВНА",
        organisation='ТОО "ДАЛА ТРЕЙД"',
        p12_filename="entity-director.p12",
    ),
    DemoIdentity(
        key="lawyer",
        role="lawyer",
        iin="750721312346",
        bin="",
        surname="ОМАРОВ",
        given_name="ЕРЛАН",
        patronymic="БОЛАТОВИЧ",
        organisation="",
        p12_filename="lawyer.p12",
    ),
    DemoIdentity(
        key="prosecutor",
        role="prosecutor",
        iin="880130412346",
        bin="",
        surname="ИСАЕВА",
        given_name="ДИНАРА",
        patronymic="АСКАРОВНА",
        organisation="",
        p12_filename="prosecutor.p12",
    ),
    DemoIdentity(
        key="clerk",
        role="clerk",
        iin="960909412348",
        bin="",
        surname="ТОКТАРОВА",
        given_name="АЛИЯ",
        patronymic="ЕРЖАНОВНА",
        organisation="",
        p12_filename="clerk.p12",
    ),
    DemoIdentity(
        key="judge",
        role="judge",
        iin="701205312344",
        bin="",
        surname="БЕКОВ",
        given_name="НУРЛАН",
        patronymic="САПАРОВИЧ",
        organisation="",
        p12_filename="judge.p12",
    ),
    # Revoked in the test CA's CRL (and by its OCSP responder).
    DemoIdentity(
        key="citizen_revoked",
        role="citizen",
        iin="900417312346",
        bin="",
        surname="КИМ",
        given_name="ВИКТОР",
        patronymic="СЕРГЕЕВИЧ",
        organisation="",
        p12_filename="citizen2-revoked.p12",
    ),
    # Its validity ended before the other demo keys began (they are valid from 400 days back).
    DemoIdentity(
        key="expired",
        role="citizen",
        iin="820625412346",
        bin="",
        surname="ПЕТРОВА",
        given_name="ОЛЬГА",
        patronymic="ИВАНОВНА",
        organisation="",
        p12_filename="expired.p12",
    ),
    # Issued by "Foreign CA", which no trust store holds.
    DemoIdentity(
        key="foreign",
        role="citizen",
        iin="010211512342",
        bin="",
        surname="ДЖАНИБЕКОВ",
        given_name="ТИМУР",
        patronymic="АЛИЕВИЧ",
        organisation="",
        p12_filename="foreign.p12",
    ),
]


def demo_identity(key: str) -> DemoIdentity:
    for ident in DEMO_IDENTITIES:
        if ident.key == key:
            return ident
    raise KeyError(key)
