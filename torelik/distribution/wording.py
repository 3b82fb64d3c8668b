"""The reasons and choices of distribution records in words of the active language (reports, the
PDF, error messages)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from torelik.courts.models import CourtLevel
from torelik.distribution.models import AbsenceKind, RecusalKind


def choice_label(choices: Any, value: Any) -> str:
    """The translated label of a choice; the raw value when the code is unknown (a newer engine)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def redistribution_reason(code: str) -> str:
    labels = {
        "recusal_upheld": _("Recusal of the judge upheld"),
        "long_absence": _("Long absence of the judge"),
        "judge_left": _("The judge no longer works in this court"),
    }
    return labels.get(code, code)


def specialisations(codes: list[str] | None, names: dict[str, str]) -> str:
    return ", ".join(names.get(c, c) for c in codes or []) or "—"


def exclusion_reason(reason: dict[str, Any], *, spec_names: dict[str, str]) -> str:
    """One reason from a snapshot's `excluded` list, in words of the active language."""
    code = str(reason.get("code", ""))
    case = str(reason.get("case", ""))
    if code == "court_inactive":
        return _("The court is not active")
    if code == "instance":
        return _("A court of another instance (%(level)s)") % {
            "level": choice_label(CourtLevel, reason.get("level"))
        }
    if code == "inactive":
        return _("The judge is not active")
    if code == "not_appointed":
        return _("Not yet appointed: appointed from %(date)s") % {"date": reason.get("from", "")}
    if code == "specialisation":
        return _("No matching specialisation (has: %(specs)s)") % {
            "specs": specialisations(reason.get("has"), spec_names)
        }
    if code == "absent":
        return _("Absent: %(kind)s, %(start)s – %(end)s") % {
            "kind": choice_label(AbsenceKind, reason.get("kind")).lower(),
            "start": reason.get("from", ""),
            "end": reason.get("to", ""),
        }
    if code == "recused":
        return _("Recused in this case: %(kind)s upheld") % {
            "kind": choice_label(RecusalKind, reason.get("kind")).lower()
        }
    if code == "lower_instance":
        return _("Judge of the case at the lower instance (%(case)s)") % {"case": case}
    if code == "retrial":
        return _("Took part in an earlier consideration of the case (%(case)s)") % {"case": case}
    if code == "related_case":
        return _("Judge of a related case of the same parties (%(case)s)") % {"case": case}
    if code == "on_panel":
        return _("Already on the panel of this case")
    if code == "replaced":
        return _("Replaced by this redistribution: %(reason)s") % {
            "reason": redistribution_reason(str(reason.get("reason", "")))
        }
    return code
