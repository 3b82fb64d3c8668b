"""The case-event kinds the judicial acts append to a case's history."""

from __future__ import annotations

from typing import TypedDict

from django.utils.translation import gettext_lazy as _

from torelik.cases.events import register_event_kind


class ActSignedPayload(TypedDict):
    act_id: int
    case_number: str
    kind: str  # ActKind
    language: str
    title: str
    sha256: str  # of the signed PDF
    log_seq: int  # its entry in the electronic file's log
    certificate_serial: str
    timestamp: str  # the RFC 3161 time-stamp's genTime, ISO 8601


ACT_SIGNED = register_event_kind(
    code="act.signed", label=_("Judicial act signed"), payload=ActSignedPayload, app="acts"
).code
