"""How a case (or an instance of it) ended, as structured data: statistics and prediction read it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    # First instance (civil, administrative, special proceedings).
    GRANTED = "granted", _("Claim granted")
    PARTLY_GRANTED = "partly_granted", _("Claim partly granted")
    DISMISSED = "dismissed", _("Claim dismissed")
    TERMINATED = "terminated", _("Proceedings terminated")
    LEFT_WITHOUT_CONSIDERATION = "left_without_consideration", _("Left without consideration")
    SETTLED = "settled", _("Settlement or mediation agreement approved")
    RETURNED = "returned", _("Claim returned")
    # Court order proceedings.
    ORDER_ISSUED = "order_issued", _("Court order issued")
    ORDER_CANCELLED = "order_cancelled", _("Court order cancelled")
    # Criminal cases and administrative offences.
    CONVICTED = "convicted", _("Guilty verdict")
    ACQUITTED = "acquitted", _("Acquittal")
    PENALTY_IMPOSED = "penalty_imposed", _("Penalty imposed")
    # Appeal and cassation.
    UPHELD = "upheld", _("Upheld")
    CHANGED = "changed", _("Changed")
    REVERSED = "reversed", _("Reversed with a new decision")
    SENT_BACK = "sent_back", _("Reversed and sent back for a new hearing")


# The outcomes of a review (appeal, cassation) that put the decision below into legal force, and
# the one that sends the case back to the first instance.
REVIEW_IN_FORCE = frozenset({Outcome.UPHELD, Outcome.CHANGED, Outcome.REVERSED})
REVIEW_SENT_BACK = Outcome.SENT_BACK

OUTCOME_CODES = frozenset(Outcome.values)
