"""The outbox topics of judicial acts (registered in ActsConfig.ready())."""

from __future__ import annotations

from typing import TypedDict

from django.utils.translation import gettext_lazy as _

from torelik.notices.outbox import OutboxTopic


class ActSignedPayload(TypedDict):
    """The same facts as the `act.signed` case event; `title` is the act's own title (data),
    `timestamp` the RFC 3161 time in ISO 8601."""

    act_id: int
    case_number: str
    kind: str  # an ActKind value
    language: str  # an ActLanguage value
    title: str
    sha256: str
    log_seq: int
    certificate_serial: str
    timestamp: str


# The parties are to receive the act (SMS, e-mail, post); the notices capability will register
# the handler that does it.
ACT_SIGNED = OutboxTopic(
    name="act.signed",
    label=_("A judicial act was signed (the parties are to receive it)"),
    payload=ActSignedPayload,
)

TOPICS = (ACT_SIGNED,)
