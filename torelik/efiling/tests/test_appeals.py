# ruff: noqa: F811  (fixtures imported from the acts tests are parameters here)
"""An appeal through the Judicial Office, end to end by the services: the party files it against the
signed decision, the court that decided receives it, the case goes up after the term, the appellate
court's panel is drawn without the judge below, and its ruling puts the decision into legal force."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from torelik.acts import services as acts
from torelik.acts.testing import sign_as_ncalayer
from torelik.acts.tests.conftest import _reference_rows, judge_user, tsa, tsa_server  # noqa: F401
from torelik.cases.models import Case, CaseEvent, CaseOutcome
from torelik.cases.services import record_assignment
from torelik.cases.transitions import TransitionInput, perform_transition
from torelik.distribution.models import CaseLink, DistributionRecord
from torelik.distribution.tests.conftest import make_judge
from torelik.efiling import intake, services
from torelik.efiling.models import Submission, SubmissionStatus
from torelik.efiling.payments import demo_bank_sign
from torelik.efiling.tests.test_filing import _notice, signed_submit
from torelik.identity.models import Role
from torelik.identity.permissions import SYSTEM
from torelik.identity.services import create_staff_user
from torelik.kernel.errors import DomainError

pytestmark = pytest.mark.django_db
LATER = dt.timedelta(days=40)


def _claim(citizen, sign, clerk):
    from torelik.efiling.tests.test_filing import claim_input

    sub = services.create_draft(
        filer=citizen, data=claim_input(category_code="civ.alimony", fee_exemption="alimony")
    )
    sub = signed_submit(sub, citizen, sign)
    return intake.accept_submission(submission=sub, clerk=clerk)


def _decided(case, judge_user, trusted_pki, key="judge"):
    record_assignment(case=case, judge_id=judge_user.judge.pk)
    for code, data in (
        ("accept", TransitionInput()),
        ("schedule_hearing", TransitionInput()),
        ("announce_decision", TransitionInput(outcome="granted")),
    ):
        perform_transition(case=case, transition=code, actor=judge_user, data=data)
    draft = acts.create_draft(case=case, user=judge_user, kind="decision", language="ru")
    act = sign_as_ncalayer(act=draft, user=judge_user, key=trusted_pki.signing_key(key))
    case = perform_transition(case=case, transition="decision_in_full", actor=judge_user)
    assert case.stage == "appeal_term"
    return case, act


def _appeal_input(case, act, **extra):
    return services.DraftInput(
        type_key="appeal",
        court_code="",
        category_code="",
        title="Апелляционная жалоба",
        text="Прошу отменить решение.",
        appealed_case=case.number,
        appealed_act=act.pk,
        **extra,
    )


@pytest.fixture
def appeal_court_clerk(demo_court):
    return create_staff_user(
        username="appeal-clerk",
        password="clerk-password-1",
        role=Role.CLERK,
        court=demo_court.appeal_court,
        full_name="АППЕЛЯЦИЯ КЛЕРК",
        totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    )


def test_the_appeal_path_end_to_end(demo_court, citizen, clerk, sign, judge_user, tsa, trusted_pki):
    appellate = [make_judge(demo_court.appeal_court, f"АПЕЛЛЯЦИЯ {i}", ["civil"]) for i in range(4)]
    case, act = _decided(_claim(citizen, sign, clerk), judge_user, trusted_pki)

    draft = services.create_draft(filer=citizen, data=_appeal_input(case, act))
    assert (draft.court_id, draft.category_id, draft.appealed_case_id) == (
        case.court_id,
        case.category_id,
        case.pk,
    )
    appeal = signed_submit(draft, citizen, sign)
    # The appeal's fee: half of the first-instance fee of a non-property claim (0.5 MCI of 2026).
    assert appeal.status == SubmissionStatus.AWAITING_PAYMENT
    assert appeal.fee_tiyn == 4325 * 100 // 4
    assert appeal.fee_explanation["share_percent"] == "50"
    payment, _url = services.start_payment(submission=appeal, filer=citizen)
    body = _notice(payment)
    services.handle_payment_callback(provider_name="demo_bank", body=body, signature=demo_bank_sign(body))
    appeal.refresh_from_db()
    # Received by the court that decided: the appeal and its documents join the case.
    joined = intake.accept_submission(submission=appeal, clerk=clerk)
    assert joined.pk == case.pk
    case.refresh_from_db()
    assert case.stage == "appealed"
    assert case.documents.filter(filename=f"{appeal.reference}.json").exists()

    # After the appeal term the clerk sends the case up: the appeal court registers its own case.
    perform_transition(case=case, transition="send_up", actor=clerk, now=timezone.now() + LATER)
    link = CaseLink.objects.get(related=case, relation="lower_instance")
    higher = Case.objects.get(pk=link.case_id)
    assert higher.court_id == demo_court.appeal_court_id
    assert higher.number.startswith(f"{demo_court.appeal_court.code}-") and "-2а/" in higher.number
    assert higher.procedure.code == "appeal"
    assert higher.documents.filter(filename=f"{appeal.reference}.json").exists()
    panel = list(
        DistributionRecord.objects.filter(case=higher).order_by("seat").values_list("judge_id", flat=True)
    )
    assert len(panel) == 3 and set(panel) <= {j.pk for j in appellate}
    assert judge_user.judge.pk not in panel

    # The appellate court upholds; its ruling in final form puts the decision below into force.
    reporting = appellate[[j.pk for j in appellate].index(panel[0])]
    reporting_user = create_staff_user(
        username="appeal-judge",
        password="judge-password-1",
        role=Role.JUDGE,
        court=demo_court.appeal_court,
        full_name=reporting.full_name,
        totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    )
    reporting.user = reporting_user
    reporting.save(update_fields=["user"])
    for code, data in (
        ("accept", TransitionInput()),
        ("schedule_hearing", TransitionInput()),
        ("announce_ruling", TransitionInput(outcome="upheld")),
    ):
        perform_transition(case=higher, transition=code, actor=reporting_user, data=data)
    from torelik.cases.tests.conftest import sign_act

    sign_act(higher, "order")  # the PAdES signing of an act is proved above and in acts' tests
    perform_transition(case=higher, transition="ruling_in_full", actor=reporting_user)
    case.refresh_from_db()
    assert case.stage == "in_force"
    assert list(CaseOutcome.objects.filter(case=case).values_list("outcome", flat=True)) == [
        "granted",
        "upheld",
    ]


def test_appeals_refused_with_nothing_written(
    demo_court, citizen, entity_user, clerk, sign, judge_user, tsa, trusted_pki
):
    case, act = _decided(_claim(citizen, sign, clerk), judge_user, trusted_pki)
    before = Submission.objects.count()

    def refused(filer, data):
        with override("en"), pytest.raises(DomainError) as err:
            services.create_draft(filer=filer, data=data)
        assert Submission.objects.count() == before
        return err.value

    # Someone who is not a party does not even see the case.
    assert refused(entity_user, _appeal_input(case, act)).code == "case_not_found"
    # An act that cannot be appealed: a ruling is challenged by a private complaint.
    ruling = acts.create_draft(case=case, user=judge_user, kind="ruling", language="ru")
    ruling = sign_as_ncalayer(act=ruling, user=judge_user, key=trusted_pki.signing_key("judge"))
    error = refused(citizen, _appeal_input(case, ruling))
    assert (error.code, error.field) == ("act_not_appealable", "appealed_act")
    assert (
        str(error.message)
        == "“Appeal against a decision” cannot be filed against an act of this kind (ruling)."
    )
    # After the term, without a motion to restore it.
    perform_transition(case=case, transition="enter_into_force", actor=SYSTEM, now=timezone.now() + LATER)
    error = refused(citizen, _appeal_input(case, act))
    assert (error.code, error.field) == ("term_passed", "restore_term_reason")


def test_one_open_appeal_per_act_and_filer(demo_court, citizen, clerk, sign, judge_user, tsa, trusted_pki):
    case, act = _decided(_claim(citizen, sign, clerk), judge_user, trusted_pki)
    services.create_draft(filer=citizen, data=_appeal_input(case, act))
    with pytest.raises(DomainError) as err:
        services.create_draft(filer=citizen, data=_appeal_input(case, act))
    assert err.value.code == "appeal_already_filed"
    assert (
        CaseEvent.objects.filter(
            case=case, kind="case.transition", payload__transition="appeal_filed"
        ).count()
        == 0
    )
