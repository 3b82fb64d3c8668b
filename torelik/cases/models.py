from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.kernel.appendonly import AppendOnlyError, AppendOnlyModel

__all__ = ["AppendOnlyError"]  # re-exported: callers catch it from here


class CaseStatus(models.TextChoices):
    AWAITING_DISTRIBUTION = "awaiting_distribution", _("Awaiting distribution to a judge")
    ASSIGNED = "assigned", _("Assigned to a judge")
    CLOSED = "closed", _("Closed")


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=40, unique=True)
    court = models.ForeignKey(
        "courts.Court", on_delete=models.PROTECT, related_name="cases", verbose_name=_("court")
    )
    category = models.ForeignKey(
        "courts.CaseCategory", on_delete=models.PROTECT, related_name="cases", verbose_name=_("category")
    )
    year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    status = models.CharField(
        _("status"), max_length=32, choices=CaseStatus.choices, default=CaseStatus.AWAITING_DISTRIBUTION
    )
    registered_at = models.DateTimeField(_("registered at"))
    submission = models.OneToOneField(
        "efiling.Submission", null=True, blank=True, on_delete=models.PROTECT, related_name="case"
    )
    claim_amount_tiyn = models.BigIntegerField(null=True, blank=True)
    judge = models.ForeignKey(
        "courts.Judge", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    is_sealed = models.BooleanField(_("sealed"), default=False)
    # Where the case stands in its procedure (cases.procedure): the procedure version it follows
    # and the code of its stage; only cases.services writes them.
    procedure = models.ForeignKey(
        "cases.ProcedureVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    stage = models.CharField(_("stage"), max_length=40, default="registered", db_index=True)
    stage_since = models.DateTimeField(_("at this stage since"), null=True, blank=True)
    # The seq of the history entry that moved the case into its stage (acts signed after it count).
    stage_seq = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-registered_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.number


class CaseNumberSequence(models.Model):
    """The last serial used per court, year and category code: case numbers never repeat."""

    court = models.ForeignKey("courts.Court", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    number_code = models.CharField(max_length=8)
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["court", "year", "number_code"], name="uniq_case_number_sequence")
        ]


class PartyRole(models.TextChoices):
    PLAINTIFF = "plaintiff", _("Plaintiff")
    DEFENDANT = "defendant", _("Defendant")
    APPLICANT = "applicant", _("Applicant")
    THIRD_PARTY = "third_party", _("Third party")
    REPRESENTATIVE = "representative", _("Representative")


class PersonKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    LEGAL_ENTITY = "legal_entity", _("Legal entity")


class Party(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    person_kind = models.CharField(_("person"), max_length=16, choices=PersonKind.choices)
    iin = models.CharField(_("IIN"), max_length=12, blank=True, db_index=True)
    bin = models.CharField(_("BIN"), max_length=12, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="case_parties"
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")


class CaseDocument(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    blob = models.ForeignKey("archive.Blob", on_delete=models.PROTECT, related_name="case_documents")
    title = models.CharField(_("title"), max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    signature = models.ForeignKey(
        "signatures.SignatureRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]


class CaseEvent(AppendOnlyModel):
    """One entry of the case's history. Rows are appended, never changed or removed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payload = models.JSONField(default=dict)

    class Meta:
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="uniq_case_event_seq")]

    @property
    def label(self) -> str:
        from torelik.cases.events import event_label

        return event_label(self.kind)


class ProcedureVersion(AppendOnlyModel):
    """One version of a procedure's definition (cases.procedure). Editing a procedure in the admin
    appends a new version with its reason; a case keeps the version it was registered under."""

    code = models.CharField(_("procedure"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    reason = models.TextField(_("reason for the change"))
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="uniq_procedure_version")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class CaseOutcome(AppendOnlyModel):
    """How the case ended at an instance (cases.outcomes.Outcome), with the amount awarded."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="outcomes")
    outcome = models.CharField(_("outcome"), max_length=32)
    awarded_tiyn = models.BigIntegerField(_("amount awarded"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"))
    event_seq = models.PositiveIntegerField()  # the history entry that recorded it
    transition = models.CharField(max_length=40)

    class Meta:
        ordering = ["case", "event_seq"]
