"""Runs the living demo's plan through the real services, in the order things happen.

Every filing, payment, acceptance, draw, procedural step and signature is an event at a moment of
the history; the events run in time order on the demo clock (`clock.py`), so each service reads
the moment of its event as "now" and writes what it would have written then. The day's routine
runs at the start of every simulated day, as the operator's timers would: the distribution commits
to the coming days' secrets and reveals the ended days', the electronic file signs a tree head.
"""

from __future__ import annotations

import base64
import functools
import heapq
import itertools
import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from torelik.acts import services as acts
from torelik.acts.models import ActStatus, JudicialAct
from torelik.acts.testing import sign_as_ncalayer
from torelik.archive import services as archive
from torelik.archive.selectors import read_blob
from torelik.archive.services import store_blob
from torelik.cases.models import Case, PartyRole
from torelik.cases.parties import PartyDetails
from torelik.cases.services import DocumentData
from torelik.cases.transitions import TransitionInput, perform_transition
from torelik.courts.models import CaseCategory, Court, Judge
from torelik.demo.living import journeys as j
from torelik.demo.living.clock import DemoClock
from torelik.demo.living.journeys import JOURNEYS, Journey, Step
from torelik.demo.living.people import (
    POLICE,
    STATE_BODIES,
    People,
    Person,
    Staff,
    demo_party,
)
from torelik.demo.living.plan import (
    DEMO_JUDGE_JOURNEYS,
    FILLER_JOURNEYS,
    PlannedCase,
    demo_court_journeys,
)
from torelik.distribution import days as distribution_days
from torelik.distribution.models import AbsenceKind, CaseLink, CaseRelation
from torelik.distribution.services import record_absence
from torelik.efiling import intake, services
from torelik.efiling.models import Submission, SubmissionStatus
from torelik.efiling.payments import demo_bank_sign
from torelik.efiling.registration import register_and_distribute
from torelik.efiling.testing import make_pdf
from torelik.identity.models import User
from torelik.identity.permissions import SYSTEM, Actor
from torelik.kernel.calendar import WorkingCalendar
from torelik.signatures.demo_identities import demo_identity
from torelik.signatures.services import record_signature
from torelik.signatures.signing import SigningKey, sign_cms
from torelik.signatures.testca import DemoPki
from torelik.signatures.verification import verify_cms

log = logging.getLogger(__name__)

OFFICE_OPENS = time(9, 30)
OFFICE_MINUTES = 7 * 60 + 30  # steps fall between 09:30 and 17:00
DAILY_ROUTINE = time(0, 15)  # after the distribution's grace period for the day that ended
MAX_EXTRA_FILINGS = 40  # filed in the last days while the demo judge still lacks a fresh case
LANGUAGES = ("ru", "kk")

CLAIM_TEXTS = {
    "civ.loan": (
        "О взыскании долга по договору займа",
        "Ответчик не вернул сумму займа в срок, указанный в расписке.",
    ),
    "civ.property": (
        "О возмещении имущественного ущерба",
        "В результате залива квартиры истцу причинён ущерб.",
    ),
    "civ.consumer": (
        "О защите прав потребителя",
        "Продавец отказался вернуть деньги за товар ненадлежащего качества.",
    ),
    "civ.housing": (
        "О выселении и снятии с регистрационного учёта",
        "Ответчик не проживает в квартире более трёх лет.",
    ),
    "civ.inheritance": (
        "О признании права собственности в порядке наследования",
        "Наследник пропустил срок.",
    ),
    "civ.divorce": (
        "О расторжении брака",
        "Совместная жизнь супругов прекращена, сохранение семьи невозможно.",
    ),
    "civ.alimony": (
        "О взыскании алиментов на содержание ребёнка",
        "Ответчик не участвует в содержании ребёнка.",
    ),
    "civ.labour": (
        "О взыскании заработной платы",
        "Работодатель не выплатил заработную плату за три месяца.",
    ),
    "civ.paternity": (
        "Об установлении отцовства",
        "Ответчик является отцом ребёнка, но отказывается это признать.",
    ),
    "civ.reinstatement": ("О восстановлении на работе", "Истец уволен без законных оснований."),
    "civ.court_order": ("О выдаче судебного приказа", "Должник не погасил задолженность по договору."),
    "adm.tax": ("Об оспаривании уведомления о результатах налоговой проверки", "Доначисление незаконно."),
    "adm.state_body": ("Об оспаривании бездействия государственного органа", "Ответ на обращение не дан."),
    "adm.land": ("Об оспаривании отказа в предоставлении земельного участка", "Отказ не мотивирован."),
    "crim.private": ("Жалоба частного обвинения", "Обвиняемый публично оскорбил заявителя (ст. 131 УК РК)."),
}


ATTACHMENTS = {
    "claim": ("Договор", "Расчёт суммы иска"),
    "court_order": ("Договор", "Расчёт задолженности"),
    "administrative_claim": ("Оспариваемое решение", "Переписка с государственным органом"),
    "private_prosecution": ("Заявление потерпевшего", "Показания свидетелей"),
}


@dataclass
class Run:
    """One planned case on its way: the filing, the case, its journey and the appellate case."""

    plan: PlannedCase
    index: int
    journey: Journey | None = None
    submission: Submission | None = None
    case: Case | None = None
    higher: Case | None = None
    client: Person | None = None
    slack: int = 0
    stopped_at: str = ""  # the step the end of the history cut off, if any


@dataclass
class Summary:
    cases: Counter[str] = field(default_factory=Counter)  # (kind, stage) -> count, as "kind/stage"
    filings: Counter[str] = field(default_factory=Counter)
    acts: int = 0
    appeals: int = 0
    appellate: Counter[str] = field(default_factory=Counter)
    demo_judge: Counter[str] = field(default_factory=Counter)
    cut_short: list[str] = field(default_factory=list)  # journeys the end of the history cut off
    off_course: list[str] = field(default_factory=list)  # cases that did not end where planned
    first_day: date | None = None
    last_day: date | None = None


class History:
    def __init__(
        self,
        *,
        plan: list[PlannedCase],
        size: int,
        first_day: date,
        end: date,
        pki: DemoPki,
        staff: Staff,
        tsa_url: str,
        filers: dict[str, User],
        chair: User | None,
        seed: int,
    ) -> None:
        self.plan = plan
        self.first_day = first_day
        self.end = end  # the history happens before this day
        self.cutoff = timezone.make_aware(datetime.combine(end, time.min))
        self.pki = pki
        self.staff = staff
        self.tsa_url = tsa_url
        self.filers = filers
        self.chair = chair
        self.clock = DemoClock()
        self.calendar = WorkingCalendar.load(years=range(first_day.year - 1, end.year + 2))
        self.people = People(seed, taken=set(Judge.objects.values_list("iin", flat=True)))
        self._queue: list[tuple[datetime, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self._routine_done = first_day - timedelta(days=2)
        self.court_pool = demo_court_journeys(size)
        self.demo_pool = list(DEMO_JUDGE_JOURNEYS)
        self._fillers = itertools.cycle(range(len(FILLER_JOURNEYS)))
        self._drawn_left = sum(1 for p in plan if p.court == "7140" and p.journey == "" and p.opens_case)
        self._extra_filings = 0
        self.runs: list[Run] = []
        self.summary = Summary(first_day=first_day, last_day=end - timedelta(days=1))
        self._categories = {c.code: c for c in CaseCategory.objects.all()}
        self._courts = {c.code: c for c in Court.objects.filter(code__in={p.court for p in plan})}
        self._keys: dict[str, SigningKey] = {}

    # ---------------------------------------------------------------- the event loop

    def at(self, moment: datetime, action: Callable[[], None]) -> None:
        heapq.heappush(self._queue, (moment, next(self._order), action))

    def run(self) -> Summary:
        for n, planned in enumerate(self.plan):
            run = Run(plan=planned, index=n)
            self.runs.append(run)
            moment = self._office(self.first_day + timedelta(days=planned.day), n * 17)
            self.at(moment, functools.partial(self._file, run))
        self._plan_absences()
        while self._queue:
            moment, _n, action = heapq.heappop(self._queue)
            if moment >= self.cutoff:
                continue
            self._routine_until(timezone.localdate(moment))
            with self.clock.at(moment):
                action()
        self._routine_until(self.end - timedelta(days=1))
        # Then today's routine, on the real clock: yesterday's secret is revealed.
        distribution_days.commit_days()
        distribution_days.reveal_days()
        archive.sign_tree_head(only_if_grown=True)
        self._sum_up()
        return self.summary

    def _routine_until(self, day: date) -> None:
        """The timers of every day up to `day`: commit and reveal day secrets, sign a tree head."""
        while self._routine_done < day:
            self._routine_done += timedelta(days=1)
            moment = timezone.make_aware(datetime.combine(self._routine_done, DAILY_ROUTINE))
            with self.clock.at(moment) as now:
                distribution_days.commit_days(now=now)
                distribution_days.reveal_days(now=now)
                archive.sign_tree_head(only_if_grown=True)

    def _office(self, day: date, salt: int) -> datetime:
        """A moment of office hours on `day`, or on the next working day."""
        working = self.calendar.next_working_day(day)
        minutes = (salt * 37) % OFFICE_MINUTES
        return timezone.make_aware(datetime.combine(working, OFFICE_OPENS)) + timedelta(minutes=minutes)

    def _later(self, run: Run, working_days: int, *, salt: int, extra_days: int = 0) -> datetime:
        now = timezone.now()
        day = self.calendar.add_working_days(timezone.localdate(now), working_days) + timedelta(
            days=extra_days
        )
        moment = self._office(day, run.index + salt)
        return max(moment, now + timedelta(minutes=20))

    # ---------------------------------------------------------------- filing

    def _file(self, run: Run) -> None:
        planned = run.plan
        if planned.source in ("indictment", "protocol"):
            self._register_from_paper(run)
            return
        filer = self.filers[planned.filer]
        data = self._draft_input(run)
        draft = services.create_draft(filer=filer, data=data)
        titles = ATTACHMENTS[planned.source][: 1 + (run.index % 3 == 0)]
        for n, title in enumerate(titles, start=1):
            services.add_document(
                submission=draft,
                filer=filer,
                filename=f"attachment-{n}.pdf",
                data=make_pdf(f"{planned.ref} attachment {n}"),
                title=title,
            )
        self.summary.filings[planned.intake] += 1
        if planned.intake == "draft":
            return
        submission = self._submit(draft, filer, planned.filer)
        run.submission = submission
        if planned.intake in ("queue", "relief"):
            return
        extra = planned.court == "7140" and planned.journey == "" and self._drawn_left <= 0
        moment = timezone.now() + timedelta(hours=1) if extra else self._later(run, 1, salt=3)
        self.at(moment, lambda: self._intake(run))

    def _draft_input(self, run: Run) -> services.DraftInput:
        planned = run.plan
        court = self._courts[planned.court]
        title, text = CLAIM_TEXTS[planned.category]
        parties: list[PartyDetails] = []
        own_role = (
            PartyRole.APPLICANT
            if planned.source in ("court_order", "private_prosecution")
            else PartyRole.PLAINTIFF
        )
        if planned.filer == "lawyer":
            run.client = self.people.person(planned.court)
            parties.append(run.client.party(own_role))
        if planned.against:
            parties.append(demo_party(planned.against, PartyRole.DEFENDANT))
        elif planned.source == "administrative_claim":
            parties.append(self.people.organisation(planned.court, STATE_BODIES).party(PartyRole.DEFENDANT))
        elif (planned.filer == "entity" and court.code == "7191") or (
            planned.category in ("civ.labour", "civ.reinstatement", "civ.consumer") and run.index % 3
        ):
            # Organisations dispute with organisations; workers and consumers sue their counterparts.
            parties.append(self.people.organisation(planned.court).party(PartyRole.DEFENDANT))
        else:
            parties.append(self.people.person(planned.court).party(PartyRole.DEFENDANT))
        amount = planned.amount
        return services.DraftInput(
            type_key=planned.source,
            court_code=planned.court,
            category_code=planned.category,
            title=title,
            text=text,
            parties=parties,
            is_property=bool(amount),
            claim_amount=str(amount) if amount else None,
            fee_exemption=planned.exemption,
        )

    def _key(self, identity: str) -> SigningKey:
        if identity not in self._keys:
            self._keys[identity] = self.pki.signing_key(identity)
        return self._keys[identity]

    def _sign(self, identity: str, data: bytes) -> str:
        """What NCALayer returns for the filer's key: a detached CMS, base64."""
        cms = sign_cms(key=self._key(identity), data=data, detached=True, signing_time=timezone.now())
        return base64.b64encode(cms).decode("ascii")

    def _submit(self, draft: Submission, filer: User, identity: str) -> Submission:
        documents: dict[int, bytes | str] = {
            d.pk: self._sign(identity, read_blob(blob=d.blob)) for d in draft.documents.select_related("blob")
        }
        submission = services.submit(
            submission=draft,
            filer=filer,
            body_cms=self._sign(identity, services.signing_payload(submission=draft)),
            document_cms=documents,
        )
        if submission.status == SubmissionStatus.AWAITING_PAYMENT:
            payment, _url = services.start_payment(submission=submission, filer=filer)
            body = json.dumps(
                {
                    "payment_reference": payment.provider_reference,
                    "status": "confirmed",
                    "amount_tiyn": payment.amount_tiyn,
                    "bank_transaction_id": f"DB{payment.pk:08d}",
                }
            ).encode()
            services.handle_payment_callback(
                provider_name="demo_bank", body=body, signature=demo_bank_sign(body)
            )
            submission.refresh_from_db()
        return submission

    def _intake(self, run: Run) -> None:
        planned, submission = run.plan, run.submission
        assert submission is not None
        clerk = self.staff.clerk(self._courts[planned.court])
        if planned.intake == "without_motion":
            intake.leave_without_motion(
                submission=submission,
                clerk=clerk,
                reasons="Не приложен документ об уплате государственной пошлины за требование о "
                "признании права; не указана цена иска.",
            )
            return
        if planned.intake == "return":
            intake.return_submission(
                submission=submission,
                clerk=clerk,
                reasons="Заявление подано в суд, которому дело неподсудно: обратитесь в суд по месту "
                "нахождения ответчика.",
            )
            return
        case = intake.accept_submission(submission=submission, clerk=clerk)
        self._registered(run, case)

    def _register_from_paper(self, run: Run) -> None:
        """The prosecutor's indictment, or the police's protocol, registered by the court's clerk."""
        planned = run.plan
        court = self._courts[planned.court]
        clerk = self.staff.clerk(court)
        accused = self.people.person(planned.court)
        if planned.source == "indictment":
            pdf = make_pdf(f"{planned.ref} indictment approved by the prosecutor")
            prosecutor = demo_identity("prosecutor")
            verified = verify_cms(cms=self._sign("prosecutor", pdf), content=pdf)
            signature = record_signature(verified=verified)
            documents = [
                DocumentData(
                    blob=store_blob(data=pdf, content_type="application/pdf"),
                    title="Обвинительный акт",
                    filename="indictment.pdf",
                    signature=signature,
                )
            ]
            parties = [
                PartyDetails(
                    role=PartyRole.APPLICANT,
                    person_kind="individual",
                    name=prosecutor.full_name,
                    iin=prosecutor.iin,
                ),
                accused.party(PartyRole.DEFENDANT),
            ]
        else:
            pdf = make_pdf(f"{planned.ref} protocol on an administrative offence")
            documents = [
                DocumentData(
                    blob=store_blob(data=pdf, content_type="application/pdf"),
                    title="Протокол об административном правонарушении",
                    filename="protocol.pdf",
                )
            ]
            police = self.people.organisation(planned.court, (POLICE,))
            parties = [police.party(PartyRole.APPLICANT), accused.party(PartyRole.DEFENDANT)]
        self.summary.filings[planned.source] += 1
        case = register_and_distribute(
            court=court,
            category=self._categories[planned.category],
            registered_at=timezone.now(),
            actor=clerk,
            parties=parties,
            documents=documents,
        )
        self._registered(run, case)

    # ---------------------------------------------------------------- the case's journey

    def _registered(self, run: Run, case: Case) -> None:
        case = Case.objects.select_related("judge__user", "court").get(pk=case.pk)
        if case.judge is None:
            raise RuntimeError(f"the draw of case {case.number} found no judge")
        run.case = case
        planned = run.plan
        name = planned.journey or self._choose(run, case)
        run.journey = journey = JOURNEYS[name]
        days_left = (self.end - timezone.localdate(case.registered_at)).days
        if journey.window is not None and journey.has_wait:
            low, high = journey.window
            tail = low + (run.index * 7) % max(high - low, 1)
            run.slack = max(days_left - journey.days_needed - tail, 0)
        if planned.court == "7140" and planned.journey == "":
            self._drawn_left -= 1
            self._more_for_the_demo_judge()
        self._next(run, steps=list(journey.steps), then=self._go_up)

    def _choose(self, run: Run, case: Case) -> str:
        """The journey of a drawn case of the demo court: the demo judge's list first, for their cases."""
        days_left = (self.end - timezone.localdate(case.registered_at)).days
        is_demo_judge = (
            case.judge is not None and case.judge.user is not None and case.judge.user.username == "judge"
        )
        pools = [self.demo_pool, self.court_pool] if is_demo_judge else [self.court_pool]
        for pool in pools:
            for n, name in enumerate(pool):
                if JOURNEYS[name].fits(days_left):
                    del pool[n]
                    if is_demo_judge:
                        self.summary.demo_judge[name] += 1
                    return name
        start = next(self._fillers)
        for offset in range(len(FILLER_JOURNEYS)):
            name = FILLER_JOURNEYS[(start + offset) % len(FILLER_JOURNEYS)]
            if JOURNEYS[name].fits(days_left):
                return name
        return "assigned"

    def _more_for_the_demo_judge(self) -> None:
        """While the demo judge's list holds journeys a fresh case can still take, file one more."""
        if self._drawn_left > 0 or self._extra_filings >= MAX_EXTRA_FILINGS:
            return
        moment = self._later_than_now(hours=2)
        days_left = (self.end - timezone.localdate(moment)).days
        if moment >= self.cutoff or not any(JOURNEYS[n].fits(days_left) for n in self.demo_pool):
            return
        self._extra_filings += 1
        planned = PlannedCase(
            ref=f"cla-x{self._extra_filings:02d}",
            court="7140",
            source="claim",
            category=("civ.loan", "civ.consumer", "civ.labour", "civ.divorce")[self._extra_filings % 4],
            filer="lawyer",
            journey="",
            day=(timezone.localdate(moment) - self.first_day).days,
            amount=350_000 if self._extra_filings % 4 < 2 else 0,
            exemption="labour" if self._extra_filings % 4 == 2 else "",
        )
        run = Run(plan=planned, index=len(self.runs))
        self.runs.append(run)
        self.at(moment, lambda: self._file(run))

    def _later_than_now(self, *, hours: int) -> datetime:
        moment = timezone.now() + timedelta(hours=hours)
        local = timezone.localtime(moment)
        if local.time() > time(17, 0) or not self.calendar.is_working_day(local.date()):
            return self._office(local.date() + timedelta(days=1), 5)
        return moment

    def _next(
        self, run: Run, *, steps: list[Step], then: Callable[[Run], None] | None, higher: bool = False
    ) -> None:
        """Schedules the first of `steps` (then the rest, one after the other), then `then`."""
        if not steps:
            if then is not None:
                then(run)
            return
        step, rest = steps[0], steps[1:]
        case = run.higher if higher else run.case
        assert case is not None and run.journey is not None
        extra = 0
        if step.wait and run.slack:
            extra, run.slack = run.slack, 0
        moment = self._later(run, step.days, salt=len(rest) * 11, extra_days=extra)
        months = run.journey.terms.get(step.code, 0)
        if months:
            case.refresh_from_db(fields=["stage_since"])
            since = timezone.localdate(case.stage_since)
            last = self.calendar.add_months(since, months)
            moment = max(moment, self._office(last + timedelta(days=1), run.index))
        if moment >= self.cutoff:
            run.stopped_at = step.code
            return

        def perform() -> None:
            self._perform(run, step, higher=higher)
            self._next(run, steps=rest, then=then, higher=higher)

        def appeal() -> None:
            # The party files; two working days later the clerk accepts, and the journey goes on.
            submission = self._file_appeal(run)
            self.at(self._later(run, 2, salt=5), lambda: self._accept_appeal(run, submission, rest, then))

        self.at(moment, appeal if step.code == j.FILE_APPEAL else perform)

    def _perform(self, run: Run, step: Step, *, higher: bool) -> None:
        case = run.higher if higher else run.case
        assert case is not None
        case = Case.objects.select_related("judge__user", "judge__court", "court").get(pk=case.pk)
        actor: Actor
        if step.by == j.JUDGE:
            assert case.judge is not None
            actor = self.staff.judge_user(case.judge)
        elif step.by == j.CLERK:
            actor = self.staff.clerk(case.court)
        else:
            actor = SYSTEM
        if step.code == j.DRAFT:
            assert isinstance(actor, User)
            acts.create_draft(case=case, user=actor, kind=step.act, language=LANGUAGES[run.index % 2])
            return
        if step.act:
            assert isinstance(actor, User)
            self._sign_act(run, case, actor, step.act)
        choices = step.outcome.split("|") if step.outcome else [""]
        perform_transition(
            case=case,
            transition=step.code,
            actor=actor,
            data=TransitionInput(outcome=choices[run.index % len(choices)], reason=step.reason),
        )

    def _sign_act(self, run: Run, case: Case, user: User, kind: str) -> None:
        assert case.judge is not None
        draft = acts.create_draft(case=case, user=user, kind=kind, language=LANGUAGES[run.index % 2])
        key = self.staff.judge_key(case.judge, user)
        sign_as_ncalayer(act=draft, user=user, key=key, tsa_url=self.tsa_url)
        self.summary.acts += 1

    # ---------------------------------------------------------------- appeals

    def _file_appeal(self, run: Run) -> Submission:
        case = run.case
        assert case is not None
        appellant = run.plan.appellant or run.plan.filer
        filer = self.filers[appellant]
        act = (
            JudicialAct.objects.filter(case=case, kind="decision", status=ActStatus.SIGNED)
            .order_by("-signed_at")
            .first()
        )
        assert act is not None, f"case {case.number} has no signed decision to appeal"
        parties = [run.client.party(PartyRole.APPLICANT)] if appellant == "lawyer" and run.client else []
        draft = services.create_draft(
            filer=filer,
            data=services.DraftInput(
                type_key="appeal",
                court_code="",
                category_code="",
                title="Апелляционная жалоба",
                text="Суд неправильно оценил доказательства и применил закон. Прошу отменить решение "
                "и принять новое решение.",
                parties=parties,
                appealed_case=case.number,
                appealed_act=act.pk,
            ),
        )
        services.add_document(
            submission=draft,
            filer=filer,
            filename="appeal-grounds.pdf",
            data=make_pdf(f"{run.plan.ref} appeal"),
        )
        self.summary.appeals += 1
        return self._submit(draft, filer, appellant)

    def _accept_appeal(
        self, run: Run, submission: Submission, rest: list[Step], then: Callable[[Run], None] | None
    ) -> None:
        assert run.case is not None
        intake.accept_submission(submission=submission, clerk=self.staff.clerk(self._courts[run.plan.court]))
        self._next(run, steps=rest, then=then)

    def _go_up(self, run: Run) -> None:
        """After the case's own steps: the appellate case's steps, then the case's steps after them."""
        assert run.journey is not None and run.case is not None
        if not any(step.code == "send_up" for step in run.journey.steps):
            return
        link = (
            CaseLink.objects.filter(related=run.case, relation=CaseRelation.LOWER_INSTANCE)
            .order_by("-id")
            .first()
        )
        if link is None:
            return
        run.higher = Case.objects.select_related("judge__user", "court").get(pk=link.case_id)
        self._next(run, steps=list(run.journey.higher), then=self._come_down, higher=True)

    def _come_down(self, run: Run) -> None:
        assert run.journey is not None
        self._next(run, steps=list(run.journey.after), then=None)

    # ---------------------------------------------------------------- the chair's facts

    def _plan_absences(self) -> None:
        """The chair of the demo court records two absences of civil judges (not the demo judge)."""
        if self.chair is None:
            return
        others = list(
            Judge.objects.filter(court__code="7140", is_active=True, user__isnull=True).order_by("id")[:2]
        )
        for n, (judge, kind, starts, length) in enumerate(
            zip(others, (AbsenceKind.LEAVE, AbsenceKind.TRAINING), (60, 130), (18, 4), strict=False)
        ):
            first = self.first_day + timedelta(days=starts)

            def absence(
                judge: Judge = judge, kind: str = kind, first: date = first, length: int = length
            ) -> None:
                record_absence(
                    judge=judge,
                    kind=kind,
                    starts_on=first,
                    ends_on=first + timedelta(days=length - 1),
                    note="Ежегодный оплачиваемый отпуск"
                    if kind == AbsenceKind.LEAVE
                    else "Курсы повышения квалификации",
                    actor=self.chair,  # type: ignore[arg-type]
                )

            self.at(self._office(first - timedelta(days=10), n), absence)

    # ---------------------------------------------------------------- the figures

    def _sum_up(self) -> None:
        for run in self.runs:
            if run.stopped_at:
                self.summary.cut_short.append(
                    f"{run.plan.ref} ({run.journey.name if run.journey else ''}): {run.stopped_at}"
                )
            if run.case is None:
                continue
            case = Case.objects.select_related("category").get(pk=run.case.pk)
            self.summary.cases[f"{case.category.kind}/{case.stage}"] += 1
            journey = run.journey
            if journey is not None and case.stage != journey.stage:
                self.summary.off_course.append(f"{case.number} ({journey.name}): {case.stage}")
            if run.higher is not None:
                higher = Case.objects.get(pk=run.higher.pk)
                self.summary.appellate[higher.stage] += 1
                if journey is not None and higher.stage != journey.higher_stage:
                    self.summary.off_course.append(f"{higher.number} ({journey.name}): {higher.stage}")
