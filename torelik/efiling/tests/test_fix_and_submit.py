"""Left without motion: fixable (and editable) until the deadline, refused after it.
Submission: signatures are verified outside the write transaction and re-checked inside it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from torelik.efiling import intake, services
from torelik.efiling.models import Submission, SubmissionStatus
from torelik.efiling.tests.test_filing import claim_input, signed_submit
from torelik.kernel.errors import DomainError
from torelik.signatures.models import SignatureRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def left(demo_court, citizen, clerk, sign):
    sub = services.create_draft(
        filer=citizen, data=claim_input(category_code="civ.alimony", fee_exemption="alimony")
    )
    sub = signed_submit(sub, citizen, sign)
    return intake.leave_without_motion(submission=sub, clerk=clerk, reasons="Приложите расчёт.")


@pytest.fixture
def owner(citizen) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(citizen)
    return client


def _expire(sub: Submission) -> dt.date:
    deadline = timezone.localdate() - dt.timedelta(days=1)
    Submission.objects.filter(pk=sub.pk).update(fix_deadline=deadline)
    sub.refresh_from_db()
    return deadline


def test_resubmission_after_the_deadline_is_refused_naming_the_date(left, citizen, sign, owner):
    deadline = _expire(left)
    with pytest.raises(DomainError) as err:
        signed_submit(left, citizen, sign)
    assert err.value.code == "fix_deadline_passed"
    payload = services.signing_payload(submission=left)
    response = owner.post(
        f"/submissions/{left.pk}/submit/", {"body_cms": sign("citizen", payload)}, follow=True
    )
    page = response.content.decode()
    assert "The deadline to fix this filing was" in page
    assert deadline.strftime("%m/%d/%Y") in page
    left.refresh_from_db()
    assert left.status == SubmissionStatus.LEFT_WITHOUT_MOTION
    russian = Client(HTTP_ACCEPT_LANGUAGE="ru")
    russian.force_login(citizen)
    page = russian.post(
        f"/submissions/{left.pk}/submit/", {"body_cms": sign("citizen", payload)}, follow=True
    ).content.decode()
    assert "The deadline to fix" not in page
    assert deadline.strftime("%d.%m.%Y") in page


def test_documents_cannot_be_added_after_the_deadline(left, citizen, pdf_bytes):
    _expire(left)
    from torelik.efiling.testing import make_pdf

    with pytest.raises(DomainError) as err:
        services.add_document(submission=left, filer=citizen, filename="late.pdf", data=make_pdf("late"))
    assert err.value.code == "fix_deadline_passed"
    assert left.documents.count() == 0


def test_a_filing_left_without_motion_can_be_edited_and_resubmitted(left, citizen, sign, owner):
    page = owner.get(f"/submissions/{left.pk}/").content.decode()
    assert "Fix the filing" in page
    data = claim_input(category_code="civ.alimony", fee_exemption="alimony", title="Исправленный иск")
    services.update_draft(submission=left, filer=citizen, data=data)
    left.refresh_from_db()
    assert left.title == "Исправленный иск"
    resubmitted = signed_submit(left, citizen, sign)
    assert resubmitted.status == SubmissionStatus.SUBMITTED


def test_signatures_are_verified_outside_the_write_transaction(demo_court, citizen, sign, monkeypatch):
    from torelik.efiling import services as module

    sub = services.create_draft(filer=citizen, data=claim_input())
    depth = len(connection.savepoint_ids)
    seen: list[int] = []
    real = module.verify_cms

    def spy(**kwargs):
        seen.append(len(connection.savepoint_ids))
        return real(**kwargs)

    monkeypatch.setattr(module, "verify_cms", spy)
    signed_submit(sub, citizen, sign)
    assert seen and all(d == depth for d in seen)


def test_a_change_between_verification_and_recording_is_refused(demo_court, citizen, sign, monkeypatch):
    from torelik.efiling import services as module

    sub = services.create_draft(filer=citizen, data=claim_input())
    real = module.verify_cms

    def verify_then_edit(**kwargs):
        verified = real(**kwargs)
        Submission.objects.filter(pk=sub.pk).update(title="Изменено другим запросом")
        return verified

    monkeypatch.setattr(module, "verify_cms", verify_then_edit)
    with pytest.raises(DomainError) as err:
        signed_submit(sub, citizen, sign)
    assert err.value.code == "submission_changed"
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.DRAFT
    assert sub.body_signature is None
    assert not SignatureRecord.objects.exists()


def test_filings_not_fixed_in_time_are_returned(left, demo_court, citizen, clerk, sign):
    other = services.create_draft(
        filer=citizen, data=claim_input(category_code="civ.alimony", fee_exemption="alimony")
    )
    other = intake.leave_without_motion(
        submission=signed_submit(other, citizen, sign), clerk=clerk, reasons="Приложите документ."
    )
    deadline = _expire(left)
    from torelik.efiling.tasks import return_expired_filings_task

    assert return_expired_filings_task.enqueue().return_value == 1
    left.refresh_from_db()
    other.refresh_from_db()
    assert left.status == SubmissionStatus.RETURNED
    assert deadline.isoformat() in left.status_changes.last().note
    assert other.status == SubmissionStatus.LEFT_WITHOUT_MOTION
