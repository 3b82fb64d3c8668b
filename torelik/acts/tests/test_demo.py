"""`load_demo_acts` signs one act on a demo case, once."""

from __future__ import annotations

import pytest

from torelik.acts.demo import load_demo_acts
from torelik.acts.models import JudicialAct

pytestmark = pytest.mark.django_db


def test_the_demo_signs_one_act_and_is_idempotent(case, judge_user, trusted_pki) -> None:
    act = load_demo_acts()
    assert act is not None and act.is_signed and act.case == case
    assert load_demo_acts() is None
    assert JudicialAct.objects.filter(status="signed").count() == 1


def test_without_a_case_the_demo_does_nothing(judge_user, trusted_pki) -> None:
    assert load_demo_acts() is None
    assert not JudicialAct.objects.exists()
