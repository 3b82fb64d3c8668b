"""Who may draft and sign judicial acts, checked where it is decided: every service refuses a user
who is not the case's (or the act's) judge, writes nothing then, and lets the judge act."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from torelik.acts import permissions, services
from torelik.acts.models import JudicialAct
from torelik.acts.permissions import PERMISSIONS, Action
from torelik.acts.testing import sign_as_ncalayer
from torelik.acts.tests.conftest import make_judge
from torelik.archive.models import Blob, LogEntry
from torelik.cases.models import Case, CaseEvent
from torelik.courts.models import Court
from torelik.identity.models import Role, User
from torelik.identity.permissions import SYSTEM
from torelik.kernel.errors import PermissionDeniedError
from torelik.signatures.models import SignatureRecord

pytestmark = pytest.mark.django_db

NOT_A_JUDGE = "Only a judge may draft and sign judicial acts."
NOT_YOUR_CASE = "Only the judge of this case may write its acts."
NOT_YOUR_ACT = "Only the judge who drafted this act may change or sign it."


def rows() -> dict[str, Any]:
    """Every row an acts service may write, counted, and the acts as they stand."""
    return {
        "acts": list(
            JudicialAct.objects.order_by("pk").values_list(
                "pk", "status", "title", "body", "prepared_digest", "signature_id"
            )
        ),
        "blobs": Blob.objects.count(),
        "log": LogEntry.objects.count(),
        "signatures": SignatureRecord.objects.count(),
        "events": CaseEvent.objects.count(),
    }


def refused(call: Callable[[], object], code: str, message: str) -> None:
    before = rows()
    with pytest.raises(PermissionDeniedError) as err:
        call()
    assert err.value.code == code
    with translation.override("en"):
        assert str(err.value.message) == message
    assert rows() == before


@pytest.fixture
def colleague(demo_court: Court) -> User:
    """Another judge of the same court."""
    return make_judge(court=demo_court, key="prosecutor", username="colleague")


@pytest.fixture
def appeal_judge(demo_court: Court) -> User:
    return make_judge(court=Court.objects.get(code="7100"), key="lawyer", username="appeal-judge")


@pytest.fixture
def draft(case: Case, judge_user: User) -> JudicialAct:
    return services.create_draft(case=case, user=judge_user, kind="decision", language="kk")


def test_the_map_names_every_action() -> None:
    assert set(PERMISSIONS) == set(Action)
    assert all(roles == frozenset({Role.JUDGE, Role.CHAIR}) for roles in PERMISSIONS.values())


def test_drafting(case: Case, judge_user: User, citizen: User, clerk: User, appeal_judge: User) -> None:
    def draft_as(user: Any) -> Callable[[], object]:
        return lambda: services.create_draft(case=case, user=user, kind="decision", language="ru")

    for user in (citizen, clerk):
        refused(draft_as(user), "not_a_judge", NOT_A_JUDGE)
    refused(draft_as(appeal_judge), "not_your_case", NOT_YOUR_CASE)
    refused(draft_as(None), "forbidden", "Log in first.")
    refused(
        draft_as(SYSTEM),
        "system_not_allowed",
        "This needs a person's decision: the system may not do it by itself.",
    )
    act = draft_as(judge_user)()
    assert isinstance(act, JudicialAct) and act.created_by == judge_user


def test_a_judge_without_an_active_register_entry_is_not_a_judge(case: Case, judge_user: User) -> None:
    from torelik.courts.models import Judge

    Judge.objects.filter(user=judge_user).update(is_active=False)
    refused(
        lambda: services.create_draft(case=case, user=judge_user, kind="decision", language="ru"),
        "not_a_judge",
        NOT_A_JUDGE,
    )


def test_editing_and_preparing(draft: JudicialAct, judge_user: User, colleague: User, clerk: User) -> None:
    refused(
        lambda: services.update_draft(act=draft, user=colleague, title="x", body="y"),
        "not_your_act",
        NOT_YOUR_ACT,
    )
    refused(
        lambda: services.update_draft(act=draft, user=clerk, title="x", body="y"), "not_a_judge", NOT_A_JUDGE
    )
    refused(lambda: services.prepare_signing(act=draft, user=colleague), "not_your_act", NOT_YOUR_ACT)
    refused(lambda: services.prepare_signing(act=draft, user=clerk), "not_a_judge", NOT_A_JUDGE)
    assert services.update_draft(act=draft, user=judge_user, title="Шешім", body="Мәтін").title == "Шешім"
    assert services.prepare_signing(act=draft, user=judge_user).act.prepared_digest


def test_signing(
    draft: JudicialAct, judge_user: User, colleague: User, citizen: User, tsa: str, trusted_pki: Any
) -> None:
    services.prepare_signing(act=draft, user=judge_user)
    refused(
        lambda: services.sign_act(act=draft, user=colleague, cms="bm90IGEgY21z"), "not_your_act", NOT_YOUR_ACT
    )
    refused(
        lambda: services.sign_act(act=draft, user=citizen, cms="bm90IGEgY21z"), "not_a_judge", NOT_A_JUDGE
    )
    signed = sign_as_ncalayer(act=draft, user=judge_user, key=trusted_pki.signing_key("judge"))
    assert signed.is_signed


def test_once_the_case_is_assigned_only_its_judge_acts(
    case: Case, judge_user: User, colleague: User, draft: JudicialAct
) -> None:
    assert permissions.can_draft(colleague, case)  # nobody is assigned yet: any judge of the court
    case.judge = judge_user.judge  # type: ignore[attr-defined]
    case.save(update_fields=["judge"])
    assert not permissions.can_draft(colleague, case)
    assert permissions.can_draft(judge_user, case) and permissions.can_sign(judge_user, draft)
    assert not permissions.can_sign(colleague, draft)


def test_the_api_and_the_pages_answer_403_with_the_services_words(
    case: Case, clerk: User, citizen: User
) -> None:
    api = Client(HTTP_ACCEPT_LANGUAGE="ru")
    api.force_login(clerk)
    answer = api.post(
        "/api/v1/acts",
        {"case_id": case.pk, "kind": "decision", "language": "ru"},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert answer.json() == {
        "code": "not_a_judge",
        "message": "Готовить и подписывать судебные акты может только судья.",
        "field": None,
    }
    page = Client(HTTP_ACCEPT_LANGUAGE="kk")
    page.force_login(citizen)
    refused_page = page.get("/acts/")
    assert refused_page.status_code == 403
    assert "Сот актілерін тек судья дайындап, оларға қол қоя алады." in refused_page.content.decode()
    assert JudicialAct.objects.count() == 0
