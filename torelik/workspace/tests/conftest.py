"""The cases tests' judge and case (a civil claim of the citizen, drawn to the judge), for the case
card; `appeal_of(case)` registers the appeal that reviews a case."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from torelik.cases.models import Case, PartyRole, PersonKind
from torelik.cases.parties import PartyDetails
from torelik.cases.services import register_case
from torelik.cases.tests.conftest import case, judge, new_case  # noqa: F401 (fixtures)
from torelik.courts.models import CaseCategory
from torelik.identity.permissions import SYSTEM


@pytest.fixture
def appeal_of(citizen: Any) -> Any:
    def _make(lower: Case) -> Case:
        from torelik.distribution.models import CaseLink, CaseRelation

        assert lower.court.appeal_court is not None
        appeal = register_case(
            court=lower.court.appeal_court,
            category=CaseCategory.objects.get(code="civ.appeal"),
            registered_at=timezone.now(),
            actor=SYSTEM,
            parties=[
                PartyDetails(
                    role=PartyRole.APPLICANT, person_kind=PersonKind.INDIVIDUAL, name="ИСТЕЦ", iin=citizen.iin
                )
            ],
            documents=[],
        )
        CaseLink.objects.create(
            case=appeal, related=lower, relation=CaseRelation.LOWER_INSTANCE, created_at=timezone.now()
        )
        return appeal

    return _make
