"""The registry of case-event kinds, and the kinds `cases` itself appends.

Every app declares the kinds it appends in its own `events.py` (label in the reader's language,
payload shape as a TypedDict) and imports that module in its `AppConfig.ready()`; `cases` lists
only its own. Appending a kind nobody declared is refused, so a typo never reaches the history
(the per-app registry of MoJ cla_backend's event log).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class UnknownEventKind(LookupError):
    """A programming error: the kind was never declared by any app."""


@dataclass(frozen=True)
class EventKind:
    code: str
    label: Promise
    payload: type  # the TypedDict describing the payload (documentation and type checks)
    app: str


_KINDS: dict[str, EventKind] = {}


def register_event_kind(*, code: str, label: Promise, payload: type, app: str) -> EventKind:
    """Declares a kind; declaring one code twice with another meaning is a programming error."""
    kind = EventKind(code=code, label=label, payload=payload, app=app)
    existing = _KINDS.get(code)
    if existing is not None and existing != kind:
        raise ValueError(f"case-event kind {code!r} is already declared by {existing.app}")
    _KINDS[code] = kind
    return kind


def event_kind(code: str) -> EventKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise UnknownEventKind(f"no app declares the case-event kind {code!r}") from None


def require_declared(code: str) -> None:
    event_kind(code)


def registered_kinds() -> dict[str, EventKind]:
    return dict(_KINDS)


def event_label(code: str) -> str:
    kind = _KINDS.get(code)
    # History written before a kind was retired still reads: its code is shown as it was stored.
    return str(kind.label) if kind else code


# ---------------------------------------------------------------- the kinds `cases` appends


class CaseRegisteredPayload(TypedDict):
    number: str
    court: str
    category: str
    submission_id: int | None
    documents: list[str]


class EmptyPayload(TypedDict):
    pass


def _declare(code: str, label: Promise, payload: type) -> str:
    register_event_kind(code=code, label=label, payload=payload, app="cases")
    return code


CASE_REGISTERED = _declare("case.registered", _("Case registered"), CaseRegisteredPayload)
CASE_AWAITING_DISTRIBUTION = _declare(
    "case.awaiting_distribution", _("Awaiting distribution to a judge"), EmptyPayload
)


class TransitionPayload(TypedDict):
    procedure: str
    version: int
    transition: str  # its code; the label is read from the procedure in the reader's language
    to: str
    outcome: str
    reason: str  # as the judge wrote it
    awarded_tiyn: int | None
    act_id: int | None
    terms: dict[str, list[str]]  # effect (start, pause, resume, stop) -> term codes


CASE_TRANSITION = _declare("case.transition", _("Procedural step"), TransitionPayload)

__all__ = [
    "CASE_AWAITING_DISTRIBUTION",
    "CASE_REGISTERED",
    "CASE_TRANSITION",
    "EventKind",
    "UnknownEventKind",
    "event_kind",
    "event_label",
    "register_event_kind",
    "registered_kinds",
]
