"""The case-event kinds distribution appends to a case's history."""

from __future__ import annotations

from typing import TypedDict

from django.utils.translation import gettext_lazy as _

from torelik.cases.events import register_event_kind


class AssignedPayload(TypedDict):
    judges: list[int]  # seat order: the presiding or sole judge first
    records: list[str]  # hashes of the distribution records
    kind: str  # RecordKind


RedistributedPayload = TypedDict(
    "RedistributedPayload",
    {"from": int, "to": int, "seat": int, "reason_code": str, "reason": str, "record": str},
)


class AssignedManuallyPayload(TypedDict):
    judge: int
    seat: int
    reason: str
    record: str


CASE_ASSIGNED = register_event_kind(
    code="case.assigned",
    label=_("Judge assigned by automated distribution"),
    payload=AssignedPayload,
    app="distribution",
).code
CASE_REDISTRIBUTED = register_event_kind(
    code="case.redistributed",
    label=_("Case redistributed to another judge"),
    payload=RedistributedPayload,
    app="distribution",
).code
CASE_ASSIGNED_MANUALLY = register_event_kind(
    code="case.assigned_manually",
    label=_("Judge assigned manually by the court chair"),
    payload=AssignedManuallyPayload,
    app="distribution",
).code
