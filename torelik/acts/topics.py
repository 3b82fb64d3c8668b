"""The outbox topics of judicial acts (registered in ActsConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from torelik.acts.events import ActSignedPayload  # the same facts as the case event
from torelik.notices.outbox import OutboxTopic

# The parties are to receive the act (SMS, e-mail, post); the notices capability will register
# the handler that does it.
ACT_SIGNED = OutboxTopic(
    name="act.signed",
    label=_("A judicial act was signed (the parties are to receive it)"),
    payload=ActSignedPayload,
)

TOPICS = (ACT_SIGNED,)
