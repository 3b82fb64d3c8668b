"""The court's intake: accept registers a numbered case; return and leave-without-motion need reasons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from torelik.cases.models import AppendOnlyError, Case, CaseEvent
from torelik.efiling import intake, services
from torelik.efiling.models import SubmissionStatus
from torelik.efiling.tests.test_filing import claim_input, signed_submit
from torelik.kernel.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(demo_court, citizen, sign, pdf_bytes):
    sub = services.create_draft(
        filer=citizen, data=claim_input(category_code="civ.alimony", fee_exemption="alimony")
    )
    services.add_document(
        submission=sub, filer=citizen, filename="birth.pdf", data=pdf_bytes, title="Свидетельство"
    )
    return signed_submit(sub, citizen, sign)


def test_accept_registers_a_numbered_case_with_parties_documents_and_history(submitted, clerk, citizen):
    case = intake.accept_submission(submission=submitted, clerk=clerk)
    year = timezone.now().year % 100
    assert case.number == f"7140-{year:02d}-00-2/1"
    assert case.status == "awaiting_distribution"
    assert [p.role for p in case.parties.order_by("id")] == ["plaintiff", "defendant"]
    assert case.parties.get(role="plaintiff").user == citizen
    # The signed filing body and the attachment, both with their signatures.
    assert case.documents.count() == 2
    assert all(d.signature is not None for d in case.documents.all())
    assert [e.kind for e in case.events.order_by("seq")] == ["case.registered", "case.awaiting_distribution"]
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.REGISTERED
    assert submitted.status_changes.last().note.endswith(f"{case.number}.")


def test_case_numbers_follow_each_other(demo_court, citizen, clerk, sign):
    numbers = []
    for _ in range(3):
        sub = services.create_draft(
            filer=citizen, data=claim_input(category_code="civ.alimony", fee_exemption="alimony")
        )
        numbers.append(
            intake.accept_submission(submission=signed_submit(sub, citizen, sign), clerk=clerk).number
        )
    assert [n.rsplit("/", 1)[1] for n in numbers] == ["1", "2", "3"]


def test_accepting_twice_is_refused(submitted, clerk):
    intake.accept_submission(submission=submitted, clerk=clerk)
    with pytest.raises(DomainError) as err:
        intake.accept_submission(submission=submitted, clerk=clerk)
    assert err.value.code == "not_reviewable"
    assert Case.objects.count() == 1


def test_return_needs_reasons_and_tells_the_filer(submitted, clerk):
    with pytest.raises(DomainError) as err:
        intake.return_submission(submission=submitted, clerk=clerk, reasons="   ")
    assert err.value.code == "reasons_required"
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.SUBMITTED
    intake.return_submission(submission=submitted, clerk=clerk, reasons="Иск подсуден другому суду.")
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.RETURNED
    assert submitted.return_reasons == "Иск подсуден другому суду."


def test_left_without_motion_can_be_fixed_and_resubmitted(submitted, clerk, citizen, sign):
    intake.leave_without_motion(submission=submitted, clerk=clerk, reasons="Приложите расчёт.")
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.LEFT_WITHOUT_MOTION
    assert submitted.fix_deadline > timezone.localdate()
    from torelik.efiling.testing import make_pdf

    services.add_document(
        submission=submitted, filer=citizen, filename="calc.pdf", data=make_pdf("calculation")
    )
    resubmitted = signed_submit(submitted, citizen, sign)
    assert resubmitted.status == SubmissionStatus.SUBMITTED
    case = intake.accept_submission(submission=resubmitted, clerk=clerk)
    assert case.documents.count() == 3


def test_deadline_in_the_past_is_refused(submitted, clerk):
    with pytest.raises(DomainError) as err:
        intake.leave_without_motion(
            submission=submitted, clerk=clerk, reasons="x", fix_by=timezone.localdate() - dt.timedelta(days=1)
        )
    assert err.value.code == "fix_deadline_past"


def test_clerk_of_another_court_cannot_decide(submitted, demo_court):
    from torelik.courts.models import Court, CourtLevel
    from torelik.identity.models import Role
    from torelik.identity.services import create_staff_user

    other = Court.objects.create(
        code="7150",
        level=CourtLevel.DISTRICT,
        name_kk="Басқа сот",
        name_ru="Другой суд",
        name_en="Other court",
    )
    stranger = create_staff_user(
        username="other-clerk",
        password="clerk-password-2",
        role=Role.CLERK,
        court=other,
        full_name="Other Clerk",
    )
    with pytest.raises(DomainError) as err:
        intake.accept_submission(submission=submitted, clerk=stranger)
    assert err.value.code == "forbidden"
    assert Case.objects.count() == 0


def test_case_history_is_append_only(submitted, clerk):
    case = intake.accept_submission(submission=submitted, clerk=clerk)
    event = CaseEvent.objects.filter(case=case).first()
    event.kind = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
