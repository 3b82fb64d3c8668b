"""The living demo's plan: which cases are filed, where, by whom, when, and how far each goes.

A fixed list, drawn from a fixed seed: the same `size` gives the same plan on every machine. Days
count from the first day of the history (`day` 0) to its end (`horizon`, the day before the demo
opens). Most cases have their journey fixed here; the civil claims the lawyer files with the demo
court (`journey` "") take theirs after the draw: a case drawn to the demo judge takes the next of
`DEMO_JUDGE_JOURNEYS`, any other the next of `DEMO_COURT_JOURNEYS` (see `history.py`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from torelik.demo.living.journeys import JOURNEYS, Journey

SEED = 2026
DEFAULT_SIZE = 300
HORIZON = 200  # days of history before the demo opens
DEMO_COURT = "7140"
INTAKE_DAYS = 3  # a filing waits at most this long for the clerk

# Courts of the plan: the demo court and a dozen others (first instance), their appeal court 7199.
CIVIL_COURTS = ("7140", "7140", "7140", "7110", "7130", "7540", "3502")
APPEAL_COURTS = ("7140", "7140", "7110")  # both appeal to 7199, the Astana City Court
ECONOMIC_COURT = "7191"
ADMINISTRATIVE_COURT = "7192"
CRIMINAL_COURTS = ("7139", "7193", "7509")
ADMIN_OFFENCE_COURT = "7195"
COURT_ORDER_COURTS = ("7140", "7140", "7110", "7540")

PROPERTY_CATEGORIES = ("civ.loan", "civ.property", "civ.consumer", "civ.housing", "civ.inheritance")
OTHER_CATEGORIES = ("civ.divorce", "civ.alimony", "civ.labour", "civ.paternity", "civ.reinstatement")
ADMINISTRATIVE_CATEGORIES = ("adm.tax", "adm.state_body", "adm.land")

# After the draw, in the demo court (the first journey that fits the time left is taken).
DEMO_JUDGE_JOURNEYS = (
    "decided_draft",
    "in_force",
    "suspended",
    "appeal_term",
    "scheduled",
    "preparation_postponed",
    "decided_draft",
    "scheduled",
    "preparation",
    "assigned",
    "assigned",
)
DEMO_COURT_JOURNEYS = (
    ("archived", 6),
    ("enforcement", 5),
    ("in_force", 8),
    ("archived_settled", 3),
    ("terminated", 6),
    ("left", 4),
    ("returned", 3),
    ("appeal_term", 4),
    ("suspended", 4),
    ("decided", 2),
    ("scheduled", 8),
    ("preparation_postponed", 4),
    ("preparation", 6),
    ("assigned", 6),
)
# When both lists are used up or nothing in them fits, the first of these that fits.
FILLER_JOURNEYS = (
    "archived",
    "terminated",
    "in_force",
    "left",
    "enforcement",
    "suspended",
    "scheduled",
    "preparation_postponed",
    "preparation",
    "assigned",
)


@dataclass(frozen=True)
class PlannedCase:
    """One filing (or, for `indictment` and `protocol`, a case the clerk registers from paper).

    `source`: claim, court_order, administrative_claim, private_prosecution (the Judicial Office),
    indictment (sent by the prosecutor), protocol (an administrative offence, from the police).
    `intake`: accept (the clerk registers it), queue (it waits in the intake queue), relief (it
    waits for the clerk's decision on a fee exemption), without_motion (the clerk left it without
    motion; the filer has to fix it), return (the clerk returned it), draft (never submitted).
    """

    ref: str
    court: str
    source: str
    category: str
    filer: str  # the demo identity who files; "" when the clerk registers the case
    journey: str  # "" in the demo court: chosen after the draw
    day: int
    appellant: str = ""  # who files the appeal, when the journey has one (default: the filer)
    against: str = ""  # a demo identity who is the defendant
    exemption: str = ""
    amount: int = 0  # tenge, for a property claim
    intake: str = "accept"

    @property
    def opens_case(self) -> bool:
        return self.intake == "accept"


def _scaled(count: int, size: int) -> int:
    return max(1, round(count * size / DEFAULT_SIZE))


class _Planner:
    def __init__(self, size: int, horizon: int, seed: int) -> None:
        self.size = size
        self.horizon = horizon
        self.rng = random.Random(seed)
        self.cases: list[PlannedCase] = []

    def day_for(self, journey: Journey) -> int:
        """A filing day from which the journey ends inside the history (and inside its window)."""
        need = journey.days_needed + INTAKE_DAYS
        last = self.horizon - need - 1
        if journey.window is None:
            return self.rng.randint(0, max(last, 0))
        low, high = journey.window
        if not journey.all_steps:
            return self.rng.randint(max(self.horizon - high - INTAKE_DAYS, 0), self.horizon - INTAKE_DAYS)
        if journey.has_wait:
            return self.rng.randint(0, max(last - low, 0))
        return self.rng.randint(max(last - high, 0), max(last - low, 0))

    def add(
        self, source: str, journey: str, count: int, *, courts: tuple[str, ...], **fields: object
    ) -> None:
        for _ in range(_scaled(count, self.size)):
            court = self.rng.choice(courts)
            self.cases.append(
                self._case(source, journey, court=court, **fields)  # type: ignore[arg-type]
            )

    def _case(
        self,
        source: str,
        journey: str,
        *,
        court: str,
        filer: str = "",
        filers: tuple[str, ...] = (),
        category: str = "",
        categories: tuple[str, ...] = (),
        day: int | None = None,
        **fields: object,
    ) -> PlannedCase:
        who = filer or (self.rng.choice(filers) if filers else "")
        what = category or self.rng.choice(categories or _categories_for(source, who, court))
        when = day if day is not None else (self.day_for(JOURNEYS[journey]) if journey else 0)
        amount = _amount(self.rng, what) if what in (*PROPERTY_CATEGORIES, "civ.court_order") else 0
        exemption = "alimony" if what == "civ.alimony" else ("labour" if what == "civ.labour" else "")
        case = PlannedCase(
            ref="",
            court=court,
            source=source,
            category=what,
            filer=who,
            journey=journey,
            day=when,
            amount=amount,
            exemption=exemption,
        )
        return replace(case, **fields)  # type: ignore[arg-type]

    def one(self, source: str, journey: str, *, court: str, **fields: object) -> None:
        self.cases.append(self._case(source, journey, court=court, **fields))  # type: ignore[arg-type]


def _categories_for(source: str, filer: str, court: str) -> tuple[str, ...]:
    if source == "court_order":
        return ("civ.court_order",)
    if source == "administrative_claim":
        return ADMINISTRATIVE_CATEGORIES
    if source == "private_prosecution":
        return ("crim.private",)
    if source == "indictment":
        return ("crim.general",)
    if source == "protocol":
        return ("aoff.general",)
    if filer == "entity" or court == ECONOMIC_COURT:
        return ("civ.loan", "civ.property", "civ.consumer")
    return PROPERTY_CATEGORIES + OTHER_CATEGORIES


def _amount(rng: random.Random, category: str) -> int:
    if category == "civ.court_order":
        return rng.choice((85_000, 120_500, 240_000, 356_800, 512_000))
    return rng.choice((150_000, 420_000, 780_000, 1_250_000, 2_600_000, 5_400_000, 12_000_000))


def build_plan(*, size: int = DEFAULT_SIZE, horizon: int = HORIZON, seed: int = SEED) -> list[PlannedCase]:
    """The cases of the living demo, in the order they are filed (`size`: about how many cases)."""
    p = _Planner(size, horizon, seed)
    lawyer_or_citizen = ("lawyer", "lawyer", "lawyer", "citizen")

    # The demo users' own cases, one of each whatever the size: what the README walks through.
    p.one(
        "claim", "appeal_term", court=DEMO_COURT, filer="citizen", category="civ.consumer", against="entity"
    )
    p.one("claim", "in_force", court=DEMO_COURT, filer="citizen", category="civ.loan")
    p.one("claim", "upheld", court=DEMO_COURT, filer="citizen", category="civ.property")
    p.one("claim", "preparation", court=DEMO_COURT, filer="citizen", category="civ.housing")
    p.one("claim", "scheduled", court="7110", filer="lawyer", category="civ.loan", against="citizen")
    p.one("claim", "appealed_due", court=DEMO_COURT, filer="entity", category="civ.loan", appellant="entity")
    p.one("claim", "appealed_due", court=DEMO_COURT, filer="lawyer", category="civ.property")
    p.one("claim", "appeal_term_over", court=DEMO_COURT, filer="lawyer", category="civ.loan")
    p.one("claim", "appeal_term_over", court=DEMO_COURT, filer="entity", category="civ.consumer")
    p.one("claim", "enforcement", court=DEMO_COURT, filer="entity", category="civ.loan")
    p.one(
        "administrative_claim",
        "adm_scheduled",
        court=ADMINISTRATIVE_COURT,
        filer="entity",
        category="adm.tax",
    )
    p.one("private_prosecution", "cr_trial", court="7139", filer="citizen")
    # Filings the clerk of the demo court has not decided on yet, and the filers' unfinished ones.
    end = horizon - 1
    p.one("claim", "", court=DEMO_COURT, filer="lawyer", category="civ.loan", intake="queue", day=end)
    p.one("claim", "", court=DEMO_COURT, filer="citizen", category="civ.divorce", intake="queue", day=end)
    p.one("court_order", "", court=DEMO_COURT, filer="entity", intake="queue", day=end - 1)
    p.one("claim", "", court=DEMO_COURT, filer="lawyer", category="civ.labour", intake="queue", day=end - 2)
    p.one(
        "claim",
        "",
        court=DEMO_COURT,
        filer="citizen",
        category="civ.property",
        exemption="disability",
        intake="relief",
        day=end,
    )
    p.one(
        "claim",
        "",
        court=DEMO_COURT,
        filer="citizen",
        category="civ.inheritance",
        intake="without_motion",
        day=end - 3,
    )
    p.one(
        "claim",
        "",
        court=DEMO_COURT,
        filer="citizen",
        category="civ.paternity",
        intake="return",
        day=end - 20,
    )
    p.one("claim", "", court="7110", filer="lawyer", category="civ.property", intake="return", day=end - 9)
    p.one("claim", "", court=DEMO_COURT, filer="citizen", category="civ.loan", intake="draft", day=end)

    # Civil claims in the demo court and four others, at every stage of the civil path.
    civil = (
        ("assigned", 5),
        ("returned", 3),
        ("preparation", 6),
        ("preparation_postponed", 4),
        ("scheduled", 8),
        ("suspended", 4),
        ("resumed", 3),
        ("left", 4),
        ("terminated", 5),
        ("decided", 3),
        ("appeal_term", 6),
        ("in_force", 10),
        ("enforcement", 8),
        ("archived", 8),
        ("archived_settled", 3),
        ("archived_returned", 2),
    )
    for journey, count in civil:
        p.add("claim", journey, count, courts=CIVIL_COURTS, filers=("lawyer", "lawyer", "entity", "citizen"))
    # Appeals, and the appellate cases the Astana City Court registers for them.
    appeals = (
        ("appealed", 2),
        ("on_appeal", 2),
        ("on_appeal_preparation", 1),
        ("on_appeal_scheduled", 1),
        ("on_appeal_decided", 2),
        ("upheld", 2),
        ("upheld_enforced", 1),
        ("changed", 1),
        ("sent_back", 2),
    )
    for journey, count in appeals:
        p.add("claim", journey, count, courts=APPEAL_COURTS, filers=("lawyer", "lawyer", "entity"))
    # Economic disputes of organisations, administrative claims against state bodies.
    for journey, count in (("preparation", 2), ("scheduled", 2), ("in_force", 3), ("archived", 2)):
        p.add("claim", journey, count, courts=(ECONOMIC_COURT,), filer="entity")
    administrative = (
        ("adm_assigned", 1),
        ("adm_preparation", 2),
        ("adm_scheduled", 2),
        ("adm_suspended", 1),
        ("adm_left", 1),
        ("adm_terminated", 1),
        ("adm_decided", 1),
        ("adm_appeal_term", 2),
        ("adm_in_force", 3),
        ("adm_archived", 2),
    )
    for journey, count in administrative:
        p.add(
            "administrative_claim",
            journey,
            count,
            courts=(ADMINISTRATIVE_COURT,),
            filers=("entity", "lawyer", "citizen"),
        )
    # Court orders: debts the organisation collects without a hearing.
    court_orders = (
        ("co_assigned", 2),
        ("co_returned", 1),
        ("co_issued", 3),
        ("co_cancelled", 2),
        ("co_in_force", 3),
        ("co_enforcement", 4),
        ("co_archived", 3),
    )
    for journey, count in court_orders:
        p.add("court_order", journey, count, courts=COURT_ORDER_COURTS, filers=("entity", "entity", "lawyer"))
    # Criminal cases the prosecutor sends to court, and complaints of private prosecution.
    criminal = (
        ("cr_assigned", 2),
        ("cr_preliminary", 3),
        ("cr_trial", 4),
        ("cr_suspended", 2),
        ("cr_terminated", 3),
        ("cr_verdict", 4),
        ("cr_in_force", 4),
        ("cr_acquitted", 1),
        ("cr_execution", 4),
        ("cr_archived", 3),
    )
    for journey, count in criminal:
        p.add("indictment", journey, count, courts=CRIMINAL_COURTS, filer="prosecutor")
    for journey, count in (("cr_preliminary", 1), ("cr_terminated", 1), ("cr_in_force", 1)):
        p.add("private_prosecution", journey, count, courts=("7139",), filers=lawyer_or_citizen)
    # Administrative offences the police bring to the specialised court.
    offences = (
        ("ao_assigned", 2),
        ("ao_scheduled", 3),
        ("ao_penalty", 3),
        ("ao_in_force", 4),
        ("ao_enforcement", 4),
        ("ao_archived", 3),
        ("ao_terminated", 2),
    )
    for journey, count in offences:
        p.add("protocol", journey, count, courts=(ADMIN_OFFENCE_COURT,))
    # The lawyer's claims in the demo court whose journeys follow the draw (see the module doc).
    # The civil bench of the demo court has eight judges: about one drawn case in eight is the demo
    # judge's. More are filed in the last days if the demo judge still lacks a fresh case.
    drawn = max(round(8 * len(DEMO_JUDGE_JOURNEYS) * size / DEFAULT_SIZE), 2 * len(DEMO_JUDGE_JOURNEYS))
    step = max((horizon - 2) / drawn, 0.5)
    for n in range(drawn):
        p.one("claim", "", court=DEMO_COURT, filer="lawyer", day=min(int(n * step), horizon - 2))

    ordered = sorted(p.cases, key=lambda c: c.day)
    return [replace(c, ref=f"{c.source[:3]}-{n + 1:03d}") for n, c in enumerate(ordered)]


def demo_court_journeys(size: int) -> list[str]:
    """The journeys the demo court's drawn cases take, in order of preference."""
    return [name for name, count in DEMO_COURT_JOURNEYS for _ in range(_scaled(count, size))]
