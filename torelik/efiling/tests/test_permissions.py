"""Who may act in the Judicial Office and the intake, checked where it is decided: every service
refuses a role (or a filer, or a court) that may not act, writes nothing then, and lets one that may
act do so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from torelik.cases.models import Case, CaseEvent
from torelik.courts.models import Court
from torelik.efiling import intake, permissions, services
from torelik.efiling.models import (
    FeeRelief,
    Payment,
    Submission,
    SubmissionDocument,
    SubmissionParty,
    SubmissionStatus,
    SubmissionStatusChange,
)
from torelik.efiling.permissions import PERMISSIONS, Action
from torelik.efiling.tests.test_filing import claim_input, signed_submit
from torelik.identity.models import FILER_ROLES, Role, User
from torelik.identity.permissions import SYSTEM
from torelik.identity.services import create_staff_user
from torelik.kernel.errors import PermissionDeniedError
from torelik.signatures.models import SignatureRecord

pytestmark = pytest.mark.django_db

NOT_YOURS = "This filing is not yours."
STAFF_ONLY = "Only court staff handle incoming filings."
OTHER_COURT = "This filing is addressed to another court."


def rows() -> dict[str, Any]:
    """Every row a filing or intake service may write, counted, and the filings' states."""
    return {
        "submissions": list(
            Submission.objects.order_by("pk").values_list("pk", "status", "title", "fee_relief")
        ),
        "parties": SubmissionParty.objects.count(),
        "documents": SubmissionDocument.objects.count(),
        "history": SubmissionStatusChange.objects.count(),
        "payments": Payment.objects.count(),
        "signatures": SignatureRecord.objects.count(),
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
    }


def refused(call: Callable[[], object], message: str, code: str = "forbidden") -> None:
    before = rows()
    with pytest.raises(PermissionDeniedError) as err:
        call()
    assert err.value.code == code
    with translation.override("en"):
        assert str(err.value.message) == message
    assert rows() == before


def staff(username: str, role: str, court: Court | None) -> User:
    return create_staff_user(
        username=username, password=f"{username}-password-1", role=role, court=court, full_name="STAFF"
    )


@pytest.fixture
def other_clerk(demo_court: Court) -> User:
    return staff("clerk7100", Role.CLERK, demo_court.appeal_court)


@pytest.fixture
def auditor(db: None) -> User:
    return staff("auditor", Role.AUDITOR, None)


@pytest.fixture
def submitted(demo_court: Court, citizen: User, sign: Any) -> Submission:
    sub = services.create_draft(
        filer=citizen, data=claim_input(category_code="civ.alimony", fee_exemption="alimony")
    )
    return signed_submit(sub, citizen, sign)


def test_the_map_names_every_action() -> None:
    assert set(PERMISSIONS) == set(Action)
    for action in (Action.CREATE_DRAFT, Action.EDIT_DRAFT, Action.SUBMIT, Action.PAY_FEE):
        assert PERMISSIONS[action] == FILER_ROLES
    assert Role.AUDITOR not in set().union(*(PERMISSIONS[a] for a in permissions.INTAKE_ACTIONS))


# ---------------------------------------------------------------- the filer's actions


def test_only_filers_open_drafts(demo_court: Court, citizen: User, clerk: User) -> None:
    refused(
        lambda: services.create_draft(filer=clerk, data=claim_input()),
        "Only citizens, organisations and their lawyers file here.",
    )
    refused(lambda: services.create_draft(filer=None, data=claim_input()), "Log in first.")  # type: ignore[arg-type]
    refused(
        lambda: services.create_draft(filer=SYSTEM, data=claim_input()),  # type: ignore[arg-type]
        "This needs a person's decision: the system may not do it by itself.",
        code="system_not_allowed",
    )
    assert services.create_draft(filer=citizen, data=claim_input()).filer == citizen


def test_only_the_filer_edits_the_draft(
    demo_court: Court, citizen: User, entity_user: User, clerk: User, pdf_bytes: bytes
) -> None:
    sub = services.create_draft(filer=citizen, data=claim_input())

    def edit(stranger: User) -> Callable[[], object]:
        return lambda: services.update_draft(
            submission=sub, filer=stranger, data=claim_input(title="Changed")
        )

    def attach(stranger: User) -> Callable[[], object]:
        return lambda: services.add_document(submission=sub, filer=stranger, filename="x.pdf", data=pdf_bytes)

    for stranger in (entity_user, clerk):
        refused(edit(stranger), NOT_YOURS)
        refused(attach(stranger), NOT_YOURS)
    doc = services.add_document(submission=sub, filer=citizen, filename="x.pdf", data=pdf_bytes)
    refused(
        lambda: services.remove_document(submission=sub, filer=entity_user, document_id=doc.pk), NOT_YOURS
    )
    services.remove_document(submission=sub, filer=citizen, document_id=doc.pk)
    assert (
        services.update_draft(submission=sub, filer=citizen, data=claim_input(title="Changed")).title
        == "Changed"
    )


def test_only_the_filer_submits_and_pays(
    demo_court: Court, citizen: User, entity_user: User, sign: Any
) -> None:
    sub = services.create_draft(filer=citizen, data=claim_input())
    body = sign("citizen", services.signing_payload(submission=sub))
    refused(
        lambda: services.submit(submission=sub, filer=entity_user, body_cms=body, document_cms={}), NOT_YOURS
    )
    sub = services.submit(submission=sub, filer=citizen, body_cms=body, document_cms={})
    assert sub.status == SubmissionStatus.AWAITING_PAYMENT
    refused(lambda: services.start_payment(submission=sub, filer=entity_user), NOT_YOURS)
    payment, _url = services.start_payment(submission=sub, filer=citizen)
    assert payment.submission_id == sub.pk


# ---------------------------------------------------------------- the intake


@pytest.mark.parametrize(
    "decide",
    [
        lambda sub, user: intake.take_for_review(submission=sub, clerk=user),
        lambda sub, user: intake.accept_submission(submission=sub, clerk=user),
        lambda sub, user: intake.return_submission(submission=sub, clerk=user, reasons="Not signed by hand"),
        lambda sub, user: intake.leave_without_motion(
            submission=sub, clerk=user, reasons="Attach the receipt"
        ),
    ],
    ids=["take_for_review", "accept", "return", "leave_without_motion"],
)
def test_intake_decisions_are_for_staff_of_the_filing_s_court(
    decide: Callable[[Submission, Any], object],
    submitted: Submission,
    citizen: User,
    clerk: User,
    auditor: User,
    other_clerk: User,
) -> None:
    refused(lambda: decide(submitted, citizen), STAFF_ONLY)
    refused(lambda: decide(submitted, auditor), STAFF_ONLY)
    refused(lambda: decide(submitted, other_clerk), OTHER_COURT)
    refused(lambda: decide(submitted, None), "Log in first.")
    history = submitted.status_changes.count()
    decide(submitted, clerk)
    submitted.refresh_from_db()
    assert submitted.status != SubmissionStatus.SUBMITTED and submitted.status_changes.count() == history + 1


def test_fee_relief_is_decided_by_staff_of_the_filing_s_court(
    demo_court: Court, citizen: User, clerk: User, auditor: User, other_clerk: User, sign: Any
) -> None:
    sub = services.create_draft(
        filer=citizen,
        data=claim_input(fee_deferral_requested=True, fee_deferral_reason="Нет средств до зарплаты"),
    )
    sub = signed_submit(sub, citizen, sign)
    assert sub.fee_relief == FeeRelief.PENDING

    def grant(user: Any) -> Callable[[], object]:
        return lambda: intake.decide_fee_relief(submission=sub, clerk=user, grant=True)

    refused(grant(citizen), STAFF_ONLY)
    refused(grant(auditor), STAFF_ONLY)
    refused(grant(other_clerk), OTHER_COURT)
    # A judge and a chair of the court handle filings too.
    judge = staff("judge7140", Role.JUDGE, demo_court)
    assert intake.decide_fee_relief(submission=sub, clerk=judge, grant=True).fee_relief == FeeRelief.GRANTED


def test_reading_the_intake(demo_court: Court, citizen: User, clerk: User, auditor: User) -> None:
    administrator = staff("administrator", Role.ADMIN, None)
    for user in (clerk, auditor, administrator):
        permissions.require(user, Action.READ_SUBMISSIONS)
    with pytest.raises(PermissionDeniedError):
        permissions.require(citizen, Action.READ_SUBMISSIONS)
    assert permissions.sees_every_court(administrator) and not permissions.sees_every_court(clerk)


def test_can_helpers(submitted: Submission, citizen: User, clerk: User, other_clerk: User) -> None:
    assert permissions.can_handle(clerk, submitted)
    assert not permissions.can_handle(other_clerk, submitted)
    assert not permissions.can_handle(citizen, submitted)
    assert permissions.can(citizen, Action.SUBMIT, submission=submitted)
    assert not permissions.can(clerk, Action.SUBMIT, submission=submitted)


# ---------------------------------------------------------------- the API translates


def test_the_api_answers_403_with_the_services_words(
    submitted: Submission, citizen: User, clerk: User
) -> None:
    filer = Client(HTTP_ACCEPT_LANGUAGE="kk")
    filer.force_login(citizen)
    queue = filer.post(f"/api/v1/intake/submissions/{submitted.pk}/take", content_type="application/json")
    assert queue.status_code == 403
    assert queue.json()["message"] == "Сіздің рөліңіз бұған рұқсат бермейді."
    office = Client(HTTP_ACCEPT_LANGUAGE="ru")
    office.force_login(clerk)
    body = {
        "type": "claim",
        "court": "7140",
        "category": "civ.loan",
        "title": "Заём",
        "text": "Долг.",
        "parties": [],
    }
    before = Submission.objects.count()
    draft = office.post("/api/v1/submissions", body, content_type="application/json")
    assert draft.status_code == 403
    assert draft.json() == {
        "code": "forbidden",
        "message": "Здесь подают обращения только граждане, организации и их адвокаты.",
        "field": None,
    }
    assert Submission.objects.count() == before
