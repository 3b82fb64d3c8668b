"""Reads of judicial acts: who may see which act, and the checks behind the verification page.

Access is decided in `permissions.py`: the judge whose `courts.Judge` belongs to the case's court
drafts and signs its acts — the case's assigned judge once there is one, any judge of the court
while `case.judge` is empty (distribution comes later). Parties and court staff see signed acts of
the cases open to them (`cases.selectors.cases_visible_to`); drafts stay with their judge.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from torelik.acts import permissions
from torelik.acts.models import ActStatus, JudicialAct
from torelik.acts.permissions import Action, judge_of
from torelik.cases.models import Case
from torelik.cases.selectors import cases_visible_to
from torelik.courts.models import Judge
from torelik.identity.models import User
from torelik.kernel.errors import NotFoundError
from torelik.signatures.pades import PdfSignatureReport, validate_pdf


def require_judge(*, user: User) -> Judge:
    """The acting judge of the judge's pages; PermissionDeniedError (not_a_judge) for anyone else."""
    return permissions.require(user, Action.OPEN_JUDGE_PAGES)


def cases_for_judge(*, judge: Judge) -> QuerySet[Case]:
    """Cases whose acts `judge` may draft (the rule is `permissions.judged_cases`)."""
    return permissions.judged_cases(judge=judge)


def case_for_judge(*, user: User, case_id: int) -> tuple[Case, Judge]:
    judge = require_judge(user=user)
    case = cases_for_judge(judge=judge).filter(pk=case_id).first()
    if case is None:
        raise NotFoundError("case_not_found", _("No case of yours has this number."))
    return case, judge


def act_for_judge(*, user: User, act_id: int) -> JudicialAct:
    """An act (draft or signed) of a case the user judges."""
    judge = require_judge(user=user)
    act = (
        JudicialAct.objects.select_related("case__court", "case__category", "judge", "pdf", "signature")
        .filter(pk=act_id, case__in=cases_for_judge(judge=judge))
        .first()
    )
    if act is None:
        raise NotFoundError("act_not_found", _("There is no such act in your cases."))
    return act


def acts_for_case(*, case: Case) -> QuerySet[JudicialAct]:
    """The signed acts of a case, oldest first: what the parties see on the case page.

    This and acts_for_judge_case select what api.act_out reads of each act (its case's number,
    judge, signature), so a list costs one query however many acts it has.
    """
    return (
        JudicialAct.objects.filter(case=case, status=ActStatus.SIGNED)
        .select_related("case", "judge", "pdf", "signature")
        .order_by("signed_at", "id")
    )


def acts_for_judge_case(*, case: Case) -> QuerySet[JudicialAct]:
    """Every act of a case, drafts included: for its judge."""
    return (
        JudicialAct.objects.filter(case=case)
        .select_related("case", "judge", "pdf", "signature")
        .order_by("created_at", "id")
    )


def visible_acts(*, user: User, case: Case) -> QuerySet[JudicialAct]:
    """What `user` may list for `case`: drafts too for its judge, signed acts for everyone else."""
    judge = judge_of(user=user)
    if judge is not None and cases_for_judge(judge=judge).filter(pk=case.pk).exists():
        return acts_for_judge_case(case=case)
    return acts_for_case(case=case)


def case_visible_to(*, user: User, case_id: int) -> Case:
    case = cases_visible_to(user=user).filter(pk=case_id).first()
    if case is None:
        raise NotFoundError("case_not_found", _("No such case is open to you."))
    return case


def act_for_reader(*, user: User, act_id: int) -> JudicialAct:
    """A signed act of a case open to `user` (a party, the filer, the court's staff), or its
    judge's own act in any state."""
    act = JudicialAct.objects.select_related("case", "judge", "pdf", "signature").filter(pk=act_id).first()
    if act is not None and not act.is_signed:
        judge = judge_of(user=user)
        if judge is None or not cases_for_judge(judge=judge).filter(pk=act.case_id).exists():
            act = None
    if act is None or not cases_visible_to(user=user).filter(pk=act.case_id).exists():
        raise NotFoundError("act_not_found", _("There is no such act in the cases open to you."))
    return act


def act_by_code(*, code: str) -> JudicialAct:
    act = (
        JudicialAct.objects.select_related("case", "judge", "pdf", "signature")
        .filter(verification_code=code, status=ActStatus.SIGNED)
        .first()
    )
    if act is None:
        raise NotFoundError("act_not_found", _("No signed act has this verification code."))
    return act


def act_by_sha256(*, sha256: str) -> JudicialAct | None:
    return (
        JudicialAct.objects.select_related("case", "judge", "pdf", "signature")
        .filter(pdf__sha256=sha256.lower(), status=ActStatus.SIGNED)
        .first()
    )


def mask_iin(iin: str) -> str:
    """Enough of an IIN to match it with one's own records, not enough to learn it."""
    return f"{iin[:2]}{'•' * 8}{iin[-2:]}" if len(iin) == 12 else ""


# --- checking an uploaded PDF --------------------------------------------------------------------

AUTHENTIC = "authentic"  # the act in the file, its signature holds
CHANGED = "changed"  # carries an act's signature, but the file differs from the act in the file
NOT_IN_FILE = "not_in_file"  # no act in the file has these bytes or this signature
SIGNATURE_PROBLEM = "signature_problem"  # the act in the file, but its signature does not hold now


@dataclass(frozen=True)
class ActCheck:
    sha256: str
    size: int
    verdict: str
    act: JudicialAct | None  # the act in the file with these exact bytes
    related_act: JudicialAct | None  # the act whose signature the file carries, if not the same bytes
    report: PdfSignatureReport
    notes: list[str] = field(default_factory=list)

    @property
    def is_act_in_file(self) -> bool:
        return self.act is not None

    @property
    def shown_act(self) -> JudicialAct | None:
        return self.act or self.related_act


def check_pdf(*, data: bytes, expected: JudicialAct | None = None) -> ActCheck:
    """Is `data` an act in the e-file (by SHA-256), and does its PAdES signature hold (pyHanko)?

    With `expected` (the act of a QR link) the file must be that act. Reads only; writes nothing.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    act = act_by_sha256(sha256=sha256)
    report = validate_pdf(pdf=data)
    related = None
    if act is None and report.signed:
        related = _act_by_embedded_signature(data)
    notes: list[str] = []
    if expected is not None and act is not None and act.pk != expected.pk:
        notes.append(_("This file is another act in the file, not the one of this verification code."))
        act = None
    if expected is not None and related is not None and related.pk != expected.pk:
        notes.append(
            _("This file carries the signature of another act, not the one of this verification code.")
        )
    if act is not None:
        verdict = AUTHENTIC if report.ok else SIGNATURE_PROBLEM
    elif related is not None and report.signed:
        verdict = CHANGED
    else:
        verdict = NOT_IN_FILE
    return ActCheck(
        sha256=sha256,
        size=len(data),
        verdict=verdict,
        act=act,
        related_act=related,
        report=report,
        notes=notes,
    )


def _act_by_embedded_signature(data: bytes) -> JudicialAct | None:
    """The signed act whose signature value the PDF's first signature carries."""
    from torelik.signatures.pades import first_signature_value

    value = first_signature_value(data)
    if value is None:
        return None
    return (
        JudicialAct.objects.select_related("case", "judge", "pdf", "signature")
        .filter(signature_value_sha256=hashlib.sha256(value).hexdigest(), status=ActStatus.SIGNED)
        .first()
    )
