# ruff: noqa: F811  (fixtures imported from the acts tests are parameters here)
"""The appeal path end to end in a real Chromium: the citizen appeals the signed decision from the
case page, signs and pays; the clerk of the court that decided accepts it and, after the term,
sends the case up; the appellate court's case is registered with its drawn panel; the reporting
judge takes the steps and signs the ruling (PAdES, time-stamped); the first-instance case is then
in legal force. Signatures come from the NCALayer-compatible signer over a real WebSocket."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import pyotp
import pytest

from torelik.acts.tests.conftest import make_judge, tsa_server  # noqa: F401
from torelik.cases.models import Case
from torelik.distribution.models import CaseLink, DistributionRecord
from torelik.distribution.tests.conftest import make_judge as make_register_judge
from torelik.efiling.models import Submission, SubmissionStatus
from torelik.efiling.tests.test_appeals import _claim, _decided
from torelik.identity.models import Role
from torelik.identity.services import create_staff_user
from torelik.signatures.demo_identities import demo_identity
from torelik.signatures.ncalayer_server import start_signer_in_thread
from torelik.signatures.testing import use_demo_pki

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "clerk-password-1"
JUDGE_PASSWORD = "judge-password-1"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _staff_login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/auth/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.fill("#id_totp_code", pyotp.TOTP(SECRET).now())
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/auth/login" not in urlsplit(url).path)


def _step(page: Any, code: str) -> None:
    page.click(f"#step-{code}-button")
    page.wait_for_load_state()
    assert not page.locator(f"#step-{code} .error").count(), page.text_content(f"#step-{code}")


def test_an_appeal_goes_up_and_its_ruling_puts_the_decision_into_force(
    live_server: Any,
    demo_pki: Any,
    settings: Any,
    page: Any,
    reference_data: None,
    demo_court: Any,
    citizen: Any,
    clerk: Any,
    sign: Any,
    tsa_server: str,
) -> None:
    use_demo_pki(settings, demo_pki)
    settings.TORELIK = {**settings.TORELIK, "TSA_URL": tsa_server}
    settings.PUBLIC_BASE_URL = live_server.url
    base = live_server.url
    clerk.set_password(PASSWORD)
    clerk.totp_secret = SECRET
    clerk.save()
    # The scene: a decided claim. The first-instance judge holds the "clerk" demo key, so the demo
    # "judge" key is free for the appellate judge who will sign the ruling in the browser.
    first_judge = make_judge(court=demo_court, key="clerk", username="first-judge")
    case, act = _decided(_claim(citizen, sign, clerk), first_judge, demo_pki, key="clerk")
    appeal_court = demo_court.appeal_court
    appellate = [make_register_judge(appeal_court, f"АПЕЛЛЯЦИЯ {i}", ["civil"]) for i in range(3)]
    appeal_clerk = create_staff_user(
        username="appeal-clerk",
        password=PASSWORD,
        role=Role.CLERK,
        court=appeal_court,
        full_name="АПЕЛЛЯЦИЯЛЫҚ КЕҢСЕ",
        totp_secret=SECRET,
    )
    assert appeal_clerk.pk

    port, stop_signer = start_signer_in_thread(demo_pki.signing_key("citizen"))
    settings.TORELIK = {**settings.TORELIK, "NCALAYER_URL": f"ws://127.0.0.1:{port}", "TSA_URL": tsa_server}
    try:
        # The citizen appeals from the case page, signs and pays.
        page.goto(f"{base}/auth/login/")
        page.click("#eds-button")
        page.wait_for_url(lambda url: urlsplit(url).path == "/")
        page.goto(f"{base}/cases/{case.number}/")
        page.click("#appeal-link")
        page.check('input[name="type_key"][value="appeal"]')
        page.select_option("#id_act", str(act.pk))
        page.fill("#id_title", "Appeal against the decision")
        page.fill("#id_text", "The court misread the evidence; I ask to reverse the decision.")
        page.click("#save-review")
        page.wait_for_url(re.compile(r"/submissions/\d+/$"))
        assert case.number in page.text_content("#appealed")
        page.click("#sign-submit")
        page.wait_for_url(re.compile(r"/receipt/$"))
        appeal = Submission.objects.get(type_key="appeal")
        page.goto(f"{base}/submissions/{appeal.pk}/")
        page.click("#pay-button")
        page.get_by_role("button", name="Confirm payment").click()
        page.wait_for_url(re.compile(rf"/submissions/{appeal.pk}/$"))
        page.wait_for_selector('[data-status="submitted"]')
        page.get_by_role("button", name="Log out").click()
    finally:
        stop_signer()

    # The clerk of the court that decided accepts the appeal; the case is "appeal filed".
    _staff_login(page, base, clerk.username, PASSWORD)
    page.goto(f"{base}/staff/intake/")
    page.get_by_role("link", name=appeal.reference).click()
    page.check("#accept-confirm")
    page.click("#accept-button")
    page.wait_for_url(re.compile(r"/staff/intake/$"))
    appeal.refresh_from_db()
    assert appeal.status == SubmissionStatus.REGISTERED
    page.goto(f"{base}/staff/cases/{case.pk}/")
    assert page.get_attribute("#case-stage", "data-stage") == "appealed"
    # A month passes (the appeal term runs for every party): the stage began 40 days ago.
    Case.objects.filter(pk=case.pk).update(stage_since=case.stage_since - dt.timedelta(days=40))
    page.reload()
    _step(page, "send_up")
    assert page.get_attribute("#case-stage", "data-stage") == "on_appeal"
    page.get_by_role("button", name="Log out").click()

    higher = Case.objects.get(pk=CaseLink.objects.get(related=case, relation="lower_instance").case_id)
    panel = list(
        DistributionRecord.objects.filter(case=higher).order_by("seat").values_list("judge_id", flat=True)
    )
    assert higher.court_id == appeal_court.pk and "-2а/" in higher.number
    assert len(panel) == 3 and set(panel) == {j.pk for j in appellate}
    assert first_judge.judge.pk not in panel
    # The reporting judge drawn holds the demo "judge" key: the register gives them its IIN.
    reporting = next(j for j in appellate if j.pk == panel[0])
    ident = demo_identity("judge")
    reporting.iin, reporting.full_name = ident.iin, ident.full_name
    reporting.user = create_staff_user(
        username="appeal-judge",
        password=JUDGE_PASSWORD,
        role=Role.JUDGE,
        court=appeal_court,
        full_name=ident.full_name,
        iin=ident.iin,
        totp_secret=SECRET,
    )
    reporting.save(update_fields=["iin", "full_name", "user"])

    port, stop_signer = start_signer_in_thread(demo_pki.signing_key("judge"))
    settings.TORELIK = {**settings.TORELIK, "NCALAYER_URL": f"ws://127.0.0.1:{port}", "TSA_URL": tsa_server}
    try:
        _staff_login(page, base, "appeal-judge", JUDGE_PASSWORD)
        page.goto(f"{base}/staff/cases/{higher.pk}/")
        assert page.get_attribute("#case-stage", "data-stage") == "assigned"
        _step(page, "accept")
        _step(page, "schedule_hearing")
        page.check('#step-announce_ruling input[value="upheld"]')
        _step(page, "announce_ruling")
        assert page.get_attribute("#case-stage", "data-stage") == "decided"
        # The ruling is drafted and signed on the acts page, then given in final form.
        page.click("#judge-acts-link")
        page.select_option("#id_kind", "order")
        page.select_option("#id_language", "ru")
        page.click("#new-act-button")
        page.wait_for_url(re.compile(r"/acts/\d+/$"))
        page.click("#sign-button")
        page.wait_for_selector('#act-status[data-status="signed"]')
        page.goto(f"{base}/staff/cases/{higher.pk}/")
        _step(page, "ruling_in_full")
        assert page.get_attribute("#case-stage", "data-stage") == "ruled"
    finally:
        stop_signer()

    case.refresh_from_db()
    assert case.stage == "in_force"
    page.goto(f"{base}/staff/cases/{higher.pk}/")
    assert case.number in page.text_content("#instances")
