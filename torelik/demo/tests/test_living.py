"""The living demo: a small plan loaded the way `make run` loads the full one.

One test loads it (about half a minute) and checks what the issue asks: every stage of the civil
path and the main criminal stages, appeals with their appellate cases, the logs re-check, every
demo user has work, and a second load adds nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from torelik.acts.models import ActStatus, JudicialAct
from torelik.archive.models import LogEntry
from torelik.archive.verification import verify_archive
from torelik.cases.models import Case
from torelik.cases.transitions import available_transitions
from torelik.demo.loader import load_demo
from torelik.distribution import verification
from torelik.distribution.models import CaseLink, DaySecret, DistributionAlert, DistributionRecord
from torelik.efiling.appeals import review_target
from torelik.efiling.models import Submission, SubmissionStatus
from torelik.efiling.types import get_submission_type
from torelik.identity.models import User
from torelik.kernel.calendar import WorkingCalendar
from torelik.signatures.demo_identities import demo_identity

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


def test_the_living_demo(trusted_pki: Any, settings: Any) -> None:
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
