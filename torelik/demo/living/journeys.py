"""The paths the living demo's cases take after they are registered, as data.

A journey is the list of procedural steps one case goes through and so the stage where it stands
when the demo opens. Each step is a transition of the case's procedure (`cases.procedures`),
performed by the person the procedure names: the judge who hears the case, a clerk of its court,
or the platform (SYSTEM). Three steps are not transitions: `draft` (the judge drafts an act and
leaves it unsigned), `file_appeal` (a party files an appeal through the Judicial Office; the clerk
accepts it) and the `higher` steps, taken on the appellate case the clerk's `send_up` registers.
A step with `act` has the judge sign that act (PAdES, time-stamped) right before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil

from torelik.cases.procedures import DEFINITIONS

JUDGE, CLERK, SYSTEM, FILER = "judge", "clerk", "system", "filer"
DRAFT, FILE_APPEAL = "draft", "file_appeal"
# Days a step with a one-month term may wait for it (the term's last day moves past days off).
TERM_DAYS = 36


@dataclass(frozen=True)
class Step:
    code: str
    by: str = JUDGE
    days: int = 3  # working days after the previous step
    outcome: str = ""  # one outcome, or several separated by "|": the case's number picks one
    reason: str = ""
    act: str = ""  # the kind of act the judge signs first (or drafts, for `draft`)
    wait: bool = False  # the journey's slack (a hearing set far ahead) comes before this step


@dataclass(frozen=True)
class Journey:
    """`stage`: where the case stands at the end; `higher_stage`: its appellate case's stage.

    `window` (days before the end of the history, low and high): when the last step happens, for
    stages a case does not keep for long (a claim is accepted within days, a decision is written
    in full within five working days). A journey with a `wait` step stretches that step to land
    there; without one, the case must be registered at the right time.
    """

    name: str
    procedure: str
    stage: str
    steps: tuple[Step, ...] = ()
    higher: tuple[Step, ...] = ()
    higher_stage: str = ""
    after: tuple[Step, ...] = ()  # the case's own steps after the appellate ruling came down
    window: tuple[int, int] | None = None
    # Months of each term-bound step, from the procedure's data (filled in by `_checked`).
    terms: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def all_steps(self) -> tuple[Step, ...]:
        return self.steps + self.higher + self.after

    @property
    def days_needed(self) -> int:
        """Calendar days from registration to the last step, on the safe side."""
        total = 0
        for step in self.all_steps:
            total += TERM_DAYS if self.terms.get(step.code) else ceil(step.days * 7 / 5) + 1
            if step.code == FILE_APPEAL:
                total += 4  # the clerk accepts the appeal two working days later
        return total

    @property
    def has_wait(self) -> bool:
        return any(s.wait for s in self.all_steps)

    def fits(self, days_left: int) -> bool:
        """Whether a case registered `days_left` days before the end of the history can take it."""
        need = self.days_needed
        if self.window is None:
            return days_left > need
        low, high = self.window
        if self.has_wait:
            return days_left > need + low
        return need + low < days_left <= need + high


def _accept(days: int = 3) -> Step:
    return Step("accept", days=days)


def _schedule(*, wait: bool = False, days: int = 5) -> Step:
    return Step("schedule_hearing", by=CLERK, days=days, wait=wait)


DECISION_OUTCOMES = "granted|partly_granted|granted|dismissed"
_ANNOUNCE = Step("announce_decision", days=15, outcome=DECISION_OUTCOMES, wait=True)
_IN_FULL = Step("decision_in_full", days=4, act="decision")
_IN_FORCE = Step("enter_into_force", by=SYSTEM, days=1)
_ENFORCE = Step("send_for_enforcement", by=CLERK, days=3)
_ARCHIVE = Step("archive", by=CLERK, days=10)
_APPEAL = Step(FILE_APPEAL, by=FILER, days=8)
_SEND_UP = Step("send_up", by=CLERK, days=1)

_SCHEDULED = (_accept(), _schedule())
_DECIDED = (*_SCHEDULED, _ANNOUNCE)
_IN_FULL_STEPS = (*_DECIDED, _IN_FULL)
_APPEALED = (*_IN_FULL_STEPS, _APPEAL)
_SENT_UP = (*_APPEALED, _SEND_UP)

_RETURN = Step(
    "return_claim",
    days=3,
    outcome="returned",
    reason="Иск подан с нарушением правил подсудности (ст. 152 ГПК РК); истцу разъяснено право "
    "обратиться в суд по месту жительства ответчика.",
)
_SUSPEND = Step(
    "suspend",
    days=10,
    reason="Назначена судебная экспертиза; производство приостановлено до получения заключения.",
)
_RESUME = Step("resume", days=25, wait=True, reason="Заключение эксперта поступило в суд.")
_POSTPONE = Step(
    "postpone_hearing",
    days=10,
    reason="Неявка ответчика, извещённого надлежащим образом; ходатайство об отложении.",
)
_LEAVE = Step(
    "leave_without_consideration",
    days=15,
    outcome="left_without_consideration",
    reason="Истец дважды не явился в судебное заседание и не просил рассмотреть дело в его отсутствие.",
)
_SETTLE = Step(
    "terminate",
    days=15,
    outcome="settled",
    reason="Стороны заключили мировое соглашение; суд его утвердил.",
)


def _ruling(outcome: str) -> tuple[Step, ...]:
    return (
        _accept(),
        _schedule(days=7),
        Step("announce_ruling", days=12, outcome=outcome, wait=True),
        Step("ruling_in_full", days=4, act="order"),
    )


CIVIL: list[Journey] = [
    Journey("assigned", "civil_claim", "assigned", window=(0, 4)),
    Journey("returned", "civil_claim", "returned", (_RETURN,)),
    Journey("preparation", "civil_claim", "preparation", (_accept(),), window=(0, 25)),
    Journey(
        "preparation_postponed",
        "civil_claim",
        "preparation",
        (_accept(), _schedule(wait=True), _POSTPONE),
        window=(0, 20),
    ),
    Journey("scheduled", "civil_claim", "scheduled", (_accept(), _schedule(wait=True)), window=(0, 30)),
    Journey(
        "suspended", "civil_claim", "suspended", (_accept(), _schedule(wait=True), _SUSPEND), window=(0, 60)
    ),
    Journey(
        "resumed",
        "civil_claim",
        "scheduled",
        (_accept(), _schedule(), _SUSPEND, _RESUME, _schedule(days=4)),
        window=(0, 25),
    ),
    Journey("left", "civil_claim", "left_without_consideration", (*_SCHEDULED, _LEAVE)),
    Journey("terminated", "civil_claim", "terminated", (*_SCHEDULED, _SETTLE)),
    Journey("decided", "civil_claim", "decided", _DECIDED, window=(0, 5)),
    # The judge has drafted the decision in full and not yet signed it: the judge's next act.
    Journey(
        "decided_draft",
        "civil_claim",
        "decided",
        (*_DECIDED, Step(DRAFT, days=1, act="decision")),
        window=(0, 4),
    ),
    Journey("appeal_term", "civil_claim", "appeal_term", _IN_FULL_STEPS, window=(2, 24)),
    # The month to appeal is over and nobody appealed: the clerk records the entry into force.
    Journey("appeal_term_over", "civil_claim", "appeal_term", _IN_FULL_STEPS, window=(36, 60)),
    Journey("in_force", "civil_claim", "in_force", (*_IN_FULL_STEPS, _IN_FORCE)),
    Journey("enforcement", "civil_claim", "enforcement", (*_IN_FULL_STEPS, _IN_FORCE, _ENFORCE)),
    Journey("archived", "civil_claim", "archived", (*_IN_FULL_STEPS, _IN_FORCE, _ENFORCE, _ARCHIVE)),
    Journey("archived_settled", "civil_claim", "archived", (*_SCHEDULED, _SETTLE, _ARCHIVE)),
    Journey("archived_returned", "civil_claim", "archived", (_RETURN, _ARCHIVE)),
    # An appeal received within its term: the clerk waits for the term to end.
    Journey("appealed", "civil_claim", "appealed", _APPEALED, window=(2, 25)),
    # The term is over: the clerk sends the case up (the README's walk-through).
    Journey("appealed_due", "civil_claim", "appealed", _APPEALED, window=(36, 70)),
    Journey("on_appeal", "civil_claim", "on_appeal", _SENT_UP, higher_stage="assigned", window=(0, 4)),
    Journey(
        "on_appeal_preparation",
        "civil_claim",
        "on_appeal",
        _SENT_UP,
        higher=(_accept(),),
        higher_stage="preparation",
        window=(0, 20),
    ),
    Journey(
        "on_appeal_scheduled",
        "civil_claim",
        "on_appeal",
        _SENT_UP,
        higher=(_accept(), _schedule(days=7)),
        higher_stage="scheduled",
        window=(0, 25),
    ),
    Journey(
        "on_appeal_decided",
        "civil_claim",
        "on_appeal",
        _SENT_UP,
        higher=_ruling("upheld")[:3],
        higher_stage="decided",
        window=(0, 4),
    ),
    Journey("upheld", "civil_claim", "in_force", _SENT_UP, higher=_ruling("upheld"), higher_stage="ruled"),
    Journey(
        "upheld_enforced",
        "civil_claim",
        "enforcement",
        _SENT_UP,
        higher=_ruling("upheld"),
        higher_stage="ruled",
        after=(Step("send_for_enforcement", by=CLERK, days=5),),
    ),
    Journey("changed", "civil_claim", "in_force", _SENT_UP, higher=_ruling("changed"), higher_stage="ruled"),
    # Sent back for a new hearing: the first instance sets a hearing again.
    Journey(
        "sent_back",
        "civil_claim",
        "scheduled",
        _SENT_UP,
        higher=_ruling("sent_back"),
        higher_stage="ruled",
        after=(_schedule(days=7),),
    ),
]

ADMINISTRATIVE: list[Journey] = [
    Journey(f"adm_{j.name}", "administrative", j.stage, j.steps, window=j.window)
    for j in CIVIL
    if j.name
    in {
        "assigned",
        "preparation",
        "scheduled",
        "suspended",
        "left",
        "terminated",
        "decided",
        "appeal_term",
        "in_force",
        "archived",
    }
]

_ISSUE = Step("issue_order", days=3, act="court_order", outcome="order_issued")
_CO_IN_FORCE = Step("enter_into_force", by=CLERK, days=12)
COURT_ORDER: list[Journey] = [
    Journey("co_assigned", "court_order", "assigned", window=(0, 4)),
    Journey("co_returned", "court_order", "returned", (_RETURN,)),
    # The debtor's term to object is running.
    Journey("co_issued", "court_order", "order_issued", (_ISSUE,), window=(0, 8)),
    Journey(
        "co_cancelled",
        "court_order",
        "order_cancelled",
        (
            _ISSUE,
            Step(
                "cancel_order",
                days=7,
                outcome="order_cancelled",
                reason="Должник в установленный срок представил возражения против судебного приказа.",
            ),
        ),
    ),
    Journey("co_in_force", "court_order", "in_force", (_ISSUE, _CO_IN_FORCE)),
    Journey("co_enforcement", "court_order", "enforcement", (_ISSUE, _CO_IN_FORCE, _ENFORCE)),
    Journey("co_archived", "court_order", "archived", (_ISSUE, _CO_IN_FORCE, _ENFORCE, _ARCHIVE)),
]

_PRELIMINARY = Step("schedule_preliminary", by=CLERK, days=3)
_TRIAL = Step("open_trial", days=7, wait=True)
_VERDICT = Step("pronounce_verdict", days=20, act="decision", outcome="convicted")
_CR_IN_FORCE = Step("enter_into_force", by=SYSTEM, days=1)
CRIMINAL: list[Journey] = [
    Journey("cr_assigned", "criminal", "assigned", window=(0, 4)),
    Journey("cr_preliminary", "criminal", "preliminary_hearing", (_PRELIMINARY,), window=(0, 12)),
    Journey("cr_trial", "criminal", "trial", (_PRELIMINARY, _TRIAL), window=(0, 40)),
    Journey(
        "cr_suspended",
        "criminal",
        "suspended",
        (
            _PRELIMINARY,
            _TRIAL,
            Step("suspend", days=15, reason="Подсудимый скрылся от суда и объявлен в розыск."),
        ),
    ),
    Journey(
        "cr_terminated",
        "criminal",
        "terminated",
        (
            _PRELIMINARY,
            _TRIAL,
            Step(
                "terminate",
                days=20,
                outcome="terminated",
                reason="Примирение подсудимого с потерпевшим (ст. 68 УК РК).",
            ),
        ),
    ),
    Journey("cr_verdict", "criminal", "appeal_term", (_PRELIMINARY, _TRIAL, _VERDICT), window=(2, 24)),
    Journey("cr_in_force", "criminal", "in_force", (_PRELIMINARY, _TRIAL, _VERDICT, _CR_IN_FORCE)),
    Journey(
        "cr_acquitted",
        "criminal",
        "in_force",
        (
            _PRELIMINARY,
            _TRIAL,
            Step("pronounce_verdict", days=20, act="decision", outcome="acquitted"),
            _CR_IN_FORCE,
        ),
    ),
    Journey(
        "cr_execution",
        "criminal",
        "enforcement",
        (_PRELIMINARY, _TRIAL, _VERDICT, _CR_IN_FORCE, Step("send_for_execution", by=CLERK, days=3)),
    ),
    Journey(
        "cr_archived",
        "criminal",
        "archived",
        (
            _PRELIMINARY,
            _TRIAL,
            _VERDICT,
            _CR_IN_FORCE,
            Step("send_for_execution", by=CLERK, days=3),
            _ARCHIVE,
        ),
    ),
]

_AO_SCHEDULE = Step("schedule_hearing", by=CLERK, days=2)
_PENALTY = Step("impose_penalty", days=5, act="order", outcome="penalty_imposed")
_AO_IN_FORCE = Step("enter_into_force", by=CLERK, days=10)
ADMIN_OFFENCE: list[Journey] = [
    Journey("ao_assigned", "admin_offence", "assigned", window=(0, 3)),
    Journey("ao_scheduled", "admin_offence", "scheduled", (_AO_SCHEDULE,), window=(0, 8)),
    # The ten days to complain are running.
    Journey("ao_penalty", "admin_offence", "appeal_term", (_AO_SCHEDULE, _PENALTY), window=(0, 8)),
    Journey("ao_in_force", "admin_offence", "in_force", (_AO_SCHEDULE, _PENALTY, _AO_IN_FORCE)),
    Journey(
        "ao_enforcement", "admin_offence", "enforcement", (_AO_SCHEDULE, _PENALTY, _AO_IN_FORCE, _ENFORCE)
    ),
    Journey(
        "ao_archived",
        "admin_offence",
        "archived",
        (_AO_SCHEDULE, _PENALTY, _AO_IN_FORCE, _ENFORCE, _ARCHIVE),
    ),
    Journey(
        "ao_terminated",
        "admin_offence",
        "terminated",
        (
            _AO_SCHEDULE,
            Step(
                "terminate",
                days=5,
                outcome="terminated",
                reason="Истёк срок давности привлечения к административной ответственности.",
            ),
        ),
    ),
]


def _checked(journeys: list[Journey]) -> dict[str, Journey]:
    """Each journey's steps checked against its procedure, with the months of its term-bound steps."""
    procedures = {d["code"]: d for d in DEFINITIONS}
    found: dict[str, Journey] = {}
    for journey in journeys:
        months: dict[str, int] = {}
        for steps, procedure_code in (
            (journey.steps + journey.after, journey.procedure),
            (journey.higher, "appeal"),
        ):
            moves = {t["code"]: t for t in procedures[procedure_code]["transitions"]}
            for step in steps:
                if step.code in (DRAFT, FILE_APPEAL):
                    continue
                move = moves.get(step.code)
                if move is None:
                    raise ValueError(f"journey {journey.name}: {procedure_code} has no step {step.code}")
                if move["after_months"]:
                    months[step.code] = move["after_months"]
        if journey.name in found:
            raise ValueError(f"two journeys named {journey.name}")
        journey.terms.update(months)
        found[journey.name] = journey
    return found


# Administrative cases ("adm_…") follow the civil steps under their own procedure.
JOURNEYS: dict[str, Journey] = _checked(CIVIL + ADMINISTRATIVE + COURT_ORDER + CRIMINAL + ADMIN_OFFENCE)
