"""Labels of case history entries, as people read them."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EVENT_LABELS: dict[str, Promise] = {
    "case.registered": _("Case registered"),
    "case.awaiting_distribution": _("Awaiting distribution to a judge"),
    "submission.filed": _("Filing added to the case"),
    "case.assigned": _("Judge assigned by automated distribution"),
    "case.redistributed": _("Case redistributed to another judge"),
    "case.assigned_manually": _("Judge assigned manually by the court chair"),
    "act.signed": _("Judicial act signed"),
}


def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))
