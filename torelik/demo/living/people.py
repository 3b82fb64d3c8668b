"""The people of the living demo: the parties it invents, the court staff it needs and their keys.

Parties (plaintiffs the lawyer represents, defendants, the accused, organisations and state bodies)
are invented from a fixed seed with valid IINs and BINs that belong to nobody. Court staff: a clerk
for every court of the plan, and an account for every judge who takes a step in a demo case,
linked to the judge's entry in the register (`Judge.user`). These accounts have no password
(nobody logs in with them), except the judges of the civil collegium of the demo court's appeal
court: they get the demo's published password, so the README's appeal can be followed by whoever
the draw seats on its panel. Judges sign their acts with keys the demo CA issues: in memory, or
for the appeal court in `PKI_DIR/judges/<username>.p12`, where the demo signer can load them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password

from torelik.cases.models import PersonKind
from torelik.cases.parties import PartyDetails
from torelik.courts.demo import (
    KAZAKH_FEMALE_NAMES,
    KAZAKH_MALE_NAMES,
    KAZAKH_SURNAMES,
    OTHER_FEMALE_NAMES,
    OTHER_MALE_NAMES,
    OTHER_PATRONYMIC_STEMS,
    OTHER_SURNAMES,
    STREETS,
)
from torelik.courts.models import Court, Judge
from torelik.identity.models import Role, User
from torelik.identity.services import create_staff_user
from torelik.kernel.identifiers import IdentifierError, make_bin, make_iin
from torelik.signatures.demo_identities import demo_identity
from torelik.signatures.signing import SigningKey
from torelik.signatures.testca import DemoPki, PersonSubject, issue_person_key

JUDGE_KEYS_DIR = "judges"
DEMO_JUDGE_USERNAME = "judge"
DEMO_CLERK_USERNAME = "clerk"

ORGANISATIONS = (
    'ТОО "АСТАНА СТРОЙ СЕРВИС"',
    'ТОО "КАЗ МИКРОКРЕДИТ"',
    'АО "НАРОДНЫЙ СБЕРЕГАТЕЛЬНЫЙ"',
    'ТОО "ЖИЛСТРОЙИНВЕСТ"',
    'ТОО "ЕВРАЗИЯ ЛОГИСТИК"',
    'ИП "ТЕМИРОВ"',
    'ТОО "КОММУНАЛЬНЫЕ СЕТИ ЕСИЛЬ"',
    'ТОО "СТЕПНОЙ АГРО"',
)
STATE_BODIES = (
    "РГУ «Управление государственных доходов по району Сарыарка ДГД по г. Астане»",
    "ГУ «Управление земельных отношений города Астаны»",
    "ГУ «Аппарат акима района Сарыарка города Астаны»",
    "РГУ «Департамент экологии по городу Астане»",
)
POLICE = "ГУ «Департамент полиции города Астаны МВД РК»"
CITIES = {"71": "г. Астана", "75": "г. Алматы", "35": "г. Караганда"}


@dataclass(frozen=True)
class Person:
    name: str
    iin: str
    address: str

    def party(self, role: str) -> PartyDetails:
        return PartyDetails(
            role=role, person_kind=PersonKind.INDIVIDUAL, name=self.name, iin=self.iin, address=self.address
        )


@dataclass(frozen=True)
class Organisation:
    name: str
    bin: str
    address: str

    def party(self, role: str) -> PartyDetails:
        return PartyDetails(
            role=role, person_kind=PersonKind.LEGAL_ENTITY, name=self.name, bin=self.bin, address=self.address
        )


class People:
    """Invented parties, one seeded generator for the whole plan: the same plan, the same people."""

    def __init__(self, seed: int, taken: set[str]) -> None:
        self.rng = random.Random(seed)
        self.taken = set(taken)

    def person(self, court: str) -> Person:
        female = self.rng.random() < 0.5
        if self.rng.random() < 0.3:
            surname = self.rng.choice(OTHER_SURNAMES)
            given = self.rng.choice(OTHER_FEMALE_NAMES if female else OTHER_MALE_NAMES)
            patronymic = self.rng.choice(OTHER_PATRONYMIC_STEMS) + ("на" if female else "ич")
            surname = surname + "а" if female and surname.endswith(("ов", "ев", "ин")) else surname
        else:
            surname = self.rng.choice(KAZAKH_SURNAMES)
            given = self.rng.choice(KAZAKH_FEMALE_NAMES if female else KAZAKH_MALE_NAMES)
            patronymic = self.rng.choice(KAZAKH_MALE_NAMES) + ("қызы" if female else "ұлы")
            surname = surname + "а" if female and surname.endswith(("ов", "ев", "ин")) else surname
        birth = date(self.rng.randint(1955, 2003), 1, 1) + timedelta(days=self.rng.randint(0, 364))
        return Person(
            name=f"{surname} {given} {patronymic}",
            iin=self._number(lambda serial: make_iin(birth, "female" if female else "male", serial)),
            address=self._address(court),
        )

    def organisation(self, court: str, names: tuple[str, ...] = ORGANISATIONS) -> Organisation:
        year, month = self.rng.randint(2005, 2020), self.rng.randint(1, 12)
        return Organisation(
            name=self.rng.choice(names),
            bin=self._number(lambda serial: make_bin(year, month, 4, 0, serial * 7)),
            address=self._address(court),
        )

    def _address(self, court: str) -> str:
        city = CITIES.get(court[:2], "г. Астана")
        return (
            f"{city}, {self.rng.choice(STREETS)}, {self.rng.randint(1, 150)}, кв. {self.rng.randint(1, 200)}"
        )

    def _number(self, make: object) -> str:
        serial = self.rng.randint(0, 9999)
        for _ in range(10000):
            try:
                number = make(serial)  # type: ignore[operator]
            except IdentifierError:
                number = ""
            if number and number not in self.taken:
                self.taken.add(number)
                return str(number)
            serial = (serial + 1) % 10000
        raise RuntimeError("no free identification number")  # pragma: no cover


def demo_party(key: str, role: str) -> PartyDetails:
    """A demo identity (the citizen, the organisation) named as a party to someone else's filing."""
    ident = demo_identity(key)
    if ident.bin:
        return PartyDetails(
            role=role,
            person_kind=PersonKind.LEGAL_ENTITY,
            name=ident.organisation,
            bin=ident.bin,
            address="г. Астана",
        )
    return PartyDetails(role=role, person_kind=PersonKind.INDIVIDUAL, name=ident.full_name, iin=ident.iin)


class Staff:
    """Court staff accounts and judges' keys, made the first time the history needs them."""

    def __init__(self, *, pki: DemoPki, staff_password: str, totp_secret: str) -> None:
        self.pki = pki
        self.totp_secret = totp_secret
        self._password_hash = make_password(staff_password)  # one hash for every published account
        self._clerks: dict[int, User] = {}
        self._keys: dict[int, SigningKey] = {}
        self._usernames: dict[int, str] = {}
        self.created: list[str] = []
        self.with_password: set[int] = set()  # judges (by id) whose account opens with the password

    def clerk(self, court: Court) -> User:
        found = self._clerks.get(court.pk)
        if found is None:
            username = DEMO_CLERK_USERNAME if court.code == "7140" else f"clerk-{court.code}"
            found = User.objects.filter(username=username).first() or self._staff(
                username=username, role=Role.CLERK, court=court, full_name=f"Секретарь суда {court.code}"
            )
            self._clerks[court.pk] = found
        return found

    def judge_user(self, judge: Judge) -> User:
        """The account of the judge (created, and linked to the register's entry, when missing)."""
        if judge.user_id is not None:
            return judge.user  # type: ignore[return-value]
        user = self._staff(
            username=self.username(judge),
            role=Role.JUDGE,
            court=judge.court,
            full_name=judge.full_name,
            iin=judge.iin,
            published=judge.pk in self.with_password,
        )
        judge.user = user
        judge.save(update_fields=["user"])
        return user

    def username(self, judge: Judge) -> str:
        if judge.pk not in self._usernames:
            ids = list(
                Judge.objects.filter(court_id=judge.court_id).order_by("id").values_list("id", flat=True)
            )
            for n, pk in enumerate(ids, start=1):
                self._usernames[pk] = f"judge-{judge.court.code}-{n:02d}"
        return self._usernames[judge.pk]

    def judge_key(self, judge: Judge, user: User) -> SigningKey:
        """The judge's signing key: the demo judge's `judge.p12`, else one the demo CA issues."""
        if user.username == DEMO_JUDGE_USERNAME:
            return self.pki.signing_key("judge")
        key = self._keys.get(judge.pk)
        if key is None:
            path = self.key_path(user.username) if judge.pk in self.with_password else None
            key = issue_person_key(
                self.pki, PersonSubject.of_full_name(judge.full_name, iin=judge.iin), p12_path=path
            )
            self._keys[judge.pk] = key
        return key

    def key_path(self, username: str) -> Path:
        return self.pki.directory / JUDGE_KEYS_DIR / f"{username}.p12"

    def open_to_login(self, judges: list[Judge]) -> None:
        """These judges' accounts get the published password, and their keys a file for the signer."""
        for judge in judges:
            self.with_password.add(judge.pk)
            user = self.judge_user(judge)
            self.judge_key(judge, user)

    def _staff(
        self,
        *,
        username: str,
        role: str,
        court: Court,
        full_name: str,
        iin: str = "",
        published: bool = False,
    ) -> User:
        user = create_staff_user(
            username=username,
            password=None,
            password_hash=self._password_hash if published else "",
            role=role,
            court=court,
            full_name=full_name,
            totp_secret=self.totp_secret,
            iin=iin,
        )
        self.created.append(username)
        return user
