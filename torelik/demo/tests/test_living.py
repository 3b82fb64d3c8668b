"""The living demo: a small plan loaded the way `make run` loads the full one.

One test loads it (about half a minute) and checks what the issue asks: every stage of the civil
path and the main criminal stages, appeals with their appellate cases, the logs re-check, every
demo user has work, a second load adds nothing, and the README's appeal can be followed today.
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from torelik.acts import services as acts
from torelik.acts.models import ActStatus, JudicialAct
from torelik.acts.testing import sign_as_ncalayer
from torelik.archive.models import LogEntry
from torelik.archive.verification import verify_archive
from torelik.cases.models import Case
from torelik.cases.transitions import TransitionInput, available_transitions, perform_transition
from torelik.demo.loader import load_demo
from torelik.distribution import verification
from torelik.distribution.models import CaseLink, DaySecret, DistributionAlert, DistributionRecord
from torelik.efiling import intake, services
from torelik.efiling.appeals import review_target
from torelik.efiling.models import Submission, SubmissionStatus
from torelik.efiling.payments import demo_bank_sign
from torelik.efiling.types import get_submission_type
from torelik.identity.models import User
from torelik.kernel.calendar import WorkingCalendar
from torelik.signatures.demo_identities import DEMO_P12_PASSWORD, demo_identity
from torelik.signatures.signing import load_p12, sign_cms
from torelik.signatures.tsa import start_tsa_in_thread

pytestmark = pytest.mark.django_db

SIZE = 20
CIVIL_STAGES = {
    "assigned",
    "preparation",
    "scheduled",
    "suspended",
    "decided",
    "appeal_term",
    "appealed",
    "on_appeal",
    "in_force",
    "enforcement",
    "returned",
    "left_without_consideration",
    "terminated",
    "archived",
}
CRIMINAL_STAGES = {
    "assigned",
    "preliminary_hearing",
    "trial",
    "suspended",
    "appeal_term",
    "in_force",
    "enforcement",
    "terminated",
    "archived",
}


def _stages(procedure: str) -> set[str]:
    return set(Case.objects.filter(procedure__code=procedure).values_list("stage", flat=True))


def _user(key: str) -> User:
    ident = demo_identity(key)
    return User.objects.get(iin=ident.iin, bin=ident.bin)


@pytest.fixture
def tsa_url(demo_pki: Any) -> Iterator[str]:
    url, stop = start_tsa_in_thread(demo_pki)
    yield url
    stop()


def test_the_living_demo(trusted_pki: Any, tsa_url: str, settings: Any) -> None:
    settings.TORELIK = {**settings.TORELIK, "TSA_URL": ""}
    summary = load_demo(pki_dir=trusted_pki.directory, living_size=SIZE)
    living = summary.living
    assert living is not None and living.made and living.summary is not None
    figures = living.summary
    # Every case reached the stage of its journey, and every appellate case its own.
    assert not figures.cut_short, figures.cut_short
    assert not figures.off_course, figures.off_course
    assert sum(figures.cases.values()) == Case.objects.exclude(court__code="7199").count() >= 100
    assert _stages("civil_claim") >= CIVIL_STAGES
    assert _stages("criminal") >= CRIMINAL_STAGES
    assert _stages("appeal") >= {"assigned", "preparation", "scheduled", "decided", "ruled"}
    assert _stages("court_order") >= {"assigned", "order_issued", "order_cancelled", "in_force", "archived"}
    assert _stages("admin_offence") >= {"scheduled", "appeal_term", "in_force", "enforcement", "terminated"}
    assert _stages("administrative") >= {"preparation", "scheduled", "in_force", "archived"}
    appellate = Case.objects.filter(court__code="7199")
    assert appellate.count() >= 9
    assert CaseLink.objects.filter(case__in=appellate, relation="lower_instance").count() == appellate.count()
    # An appellate ruling in force moved the case below: upheld (in force) and sent back.
    lower_of_ruled = Case.objects.filter(
        pk__in=CaseLink.objects.filter(case__stage="ruled").values("related")
    )
    assert {"in_force", "scheduled"} <= set(lower_of_ruled.values_list("stage", flat=True))
    assert figures.acts == JudicialAct.objects.filter(status=ActStatus.SIGNED).count() > 30

    # The electronic file and the draws re-check; no day was committed to late.
    report = verify_archive(workers=1)
    assert report.ok, report.sorted_problems()[:3]
    assert LogEntry.objects.count() > 200
    assert living.first_day is not None and living.last_day is not None
    last_revealed = DaySecret.objects.filter(revealed_at__isnull=False).order_by("-day").first()
    assert last_revealed is not None and last_revealed.day >= living.last_day - timedelta(days=1)
    checked = verification.verify(start=living.first_day, end=last_revealed.day)
    assert checked.ok, checked.findings[:3]
    assert checked.checked == DistributionRecord.objects.count() > 100
    assert not DistributionAlert.objects.exists()
    assert not DaySecret.objects.filter(committed_late=True).exists()

    # Every demo user has work.
    judge = User.objects.get(username="judge")
    judges_cases = Case.objects.filter(judge__user=judge, court__code="7140")
    assert judges_cases.count() >= 4
    assert any(available_transitions(user=judge, case=c) for c in judges_cases)
    assert JudicialAct.objects.filter(
        created_by=judge, status=ActStatus.DRAFT, case__stage="decided"
    ).exists()
    clerk = User.objects.get(username="clerk")
    queue = Submission.objects.filter(court__code="7140", status=SubmissionStatus.SUBMITTED)
    assert queue.count() >= 4
    today = timezone.localdate()
    calendar = WorkingCalendar.load(years=[today.year - 1, today.year])
    due = [
        c
        for c in Case.objects.filter(court__code="7140", stage="appealed")
        if calendar.add_months(timezone.localdate(c.stage_since), 1) < today
    ]
    assert due and any("send_up" in {t.code for t in available_transitions(user=clerk, case=c)} for c in due)
    citizen = _user("citizen")
    appealable = Case.objects.get(
        court__code="7140", stage="appeal_term", submission__filer=citizen, parties__bin="120540123453"
    )
    decision = JudicialAct.objects.get(case=appealable, kind="decision", status=ActStatus.SIGNED)
    target = review_target(
        filer=citizen,
        stype=get_submission_type("appeal"),
        case_number=appealable.number,
        act_id=decision.pk,
        restore_term_reason="",
    )
    assert target.term_ends is not None and target.term_ends >= today
    for key in ("citizen", "entity", "lawyer", "prosecutor"):
        assert (
            Case.objects.filter(parties__iin=_user(key).iin).exists()
            or Submission.objects.filter(filer=_user(key)).exists()
        ), key
    # The appeal court's civil judges log in with the published password and hold keys.
    reporting = list(User.objects.filter(username__startswith="judge-7199-"))
    assert len(reporting) == 16 and all(u.has_usable_password() for u in reporting)
    assert all((trusted_pki.directory / "judges" / f"{u.username}.p12").exists() for u in reporting)
    assert not User.objects.get(username="clerk-7195").has_usable_password()

    # Made once: a second load adds nothing.
    counts = (Case.objects.count(), Submission.objects.count(), LogEntry.objects.count())
    again = load_demo(pki_dir=trusted_pki.directory, living_size=SIZE)
    assert again.living is not None and not again.living.made
    assert (Case.objects.count(), Submission.objects.count(), LogEntry.objects.count()) == counts

    # The README's appeal, today: the citizen appeals, the clerk sends up a case whose term is
    # over, the City Court's reporting judge (a published account, a key on file) rules.
    _the_readme_appeal(trusted_pki, tsa_url, citizen, clerk, appealable, decision, due)


def _the_readme_appeal(
    pki: Any, tsa_url: str, citizen: User, clerk: User, case: Case, act: Any, due: list
) -> None:
    sign = functools.partial(_sign, pki.signing_key("citizen"))
    draft = services.create_draft(
        filer=citizen,
        data=services.DraftInput(
            type_key="appeal",
            court_code="",
            category_code="",
            title="Апелляционная жалоба",
            text="Прошу отменить решение.",
            appealed_case=case.number,
            appealed_act=act.pk,
        ),
    )
    appeal = services.submit(
        submission=draft,
        filer=citizen,
        body_cms=sign(services.signing_payload(submission=draft)),
        document_cms={},
    )
    payment, _url = services.start_payment(submission=appeal, filer=citizen)
    body = json.dumps(
        {
            "payment_reference": payment.provider_reference,
            "status": "confirmed",
            "amount_tiyn": payment.amount_tiyn,
            "bank_transaction_id": "T1",
        }
    ).encode()
    services.handle_payment_callback(provider_name="demo_bank", body=body, signature=demo_bank_sign(body))
    appeal.refresh_from_db()
    assert intake.accept_submission(submission=appeal, clerk=clerk).stage == "appealed"

    lower = due[0]
    perform_transition(case=lower, transition="send_up", actor=clerk)
    higher = Case.objects.select_related("judge__user").get(
        pk=CaseLink.objects.get(related=lower, relation="lower_instance").case_id
    )
    assert higher.court.code == "7199" and higher.judge is not None
    judge = higher.judge.user
    assert judge is not None and judge.username.startswith("judge-7199-") and judge.has_usable_password()
    for code, outcome in (("accept", ""), ("schedule_hearing", ""), ("announce_ruling", "upheld")):
        perform_transition(case=higher, transition=code, actor=judge, data=TransitionInput(outcome=outcome))
    key = load_p12(pki.directory / "judges" / f"{judge.username}.p12", DEMO_P12_PASSWORD)
    ruling = acts.create_draft(case=higher, user=judge, kind="order", language="ru")
    sign_as_ncalayer(act=ruling, user=judge, key=key, tsa_url=tsa_url)
    perform_transition(case=higher, transition="ruling_in_full", actor=judge)
    lower.refresh_from_db()
    assert lower.stage == "in_force"


def _sign(key: Any, data: bytes) -> str:
    return base64.b64encode(sign_cms(key=key, data=data, detached=True)).decode()
