"""Automated distribution of cases: the facts it relies on, its settings and its tamper-evident log.

Facts that exclude a judge (absences, recusals, links between cases) are never edited: they are
created, and an absence can be cancelled with a timestamp, so that any past draw can be re-checked
against the facts as they were known when it ran. Weights of categories change only with a
`WeightChange` entry; the settings of the draw are versioned (`DistributionPolicy`).

Every draw, redistribution and manual assignment writes a `DistributionRecord`. Records form one
hash chain per court (`Ledger`): each holds the SHA-256 of the previous record of the same court.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.courts.models import CaseCategory as CaseCategoryProxyBase

ZERO_HASH = "0" * 64


class PeriodUnit(models.TextChoices):
    YEAR = "year", _("Calendar year")
    QUARTER = "quarter", _("Calendar quarter")
    MONTH = "month", _("Calendar month")


class ToleranceMode(models.TextChoices):
    # The judge's load as it would be after receiving the case must be within the tolerance of the
    # current minimum: keeps the spread of loads within the tolerance.
    PROJECTED = "projected", _("Load after the assignment within the tolerance of the minimum")
    # The judge's current load must be within the tolerance of the current minimum.
    CURRENT = "current", _("Current load within the tolerance of the minimum")


def default_instance_levels() -> dict[str, list[str]]:
    return {
        "first": ["district", "specialised"],
        "appeal": ["regional"],
        "cassation": ["cassation", "supreme"],
    }


def default_panel_sizes() -> dict[str, int]:
    return {"first": 1, "appeal": 3, "cassation": 3}


def default_panel_overrides() -> dict[str, int]:
    # Appeals in administrative offence cases are heard by one judge.
    return {"aoff.appeal": 1}


class DistributionPolicy(models.Model):
    """One version of the distribution settings; a change adds a version, rows are never edited."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    period = models.CharField(
        _("load period"), max_length=8, choices=PeriodUnit.choices, default=PeriodUnit.YEAR
    )
    tolerance = models.DecimalField(_("tolerance"), max_digits=6, decimal_places=2, default=Decimal("2.20"))
    tolerance_mode = models.CharField(
        _("tolerance applies to"),
        max_length=16,
        choices=ToleranceMode.choices,
        default=ToleranceMode.PROJECTED,
    )
    # The court levels whose judges hear each instance.
    instance_levels = models.JSONField(_("court levels per instance"), default=default_instance_levels)
    panel_sizes = models.JSONField(_("panel size per instance"), default=default_panel_sizes)
    panel_overrides = models.JSONField(_("panel size per category"), default=default_panel_overrides)
    # Share of the category weight that a panel member (not the reporting judge) carries.
    panel_member_factor = models.DecimalField(
        _("weight share of a panel member"), max_digits=4, decimal_places=2, default=Decimal("0.50")
    )
    # Category code -> specialisation codes a judge needs; by default any specialisation of the
    # category's kind of proceedings.
    category_specialisations = models.JSONField(_("specialisations per category"), default=dict, blank=True)
    # Kinds of proceedings and category codes in which a judge who heard a related case of the
    # same parties is excluded.
    related_case_kinds = models.JSONField(_("related-case rule: kinds"), default=list, blank=True)
    related_case_categories = models.JSONField(_("related-case rule: categories"), default=list, blank=True)
    related_case_lookback_days = models.PositiveIntegerField(
        _("related-case rule: look back, days"), default=1095
    )
    # An absence at least this long lets the chair redistribute the judge's cases.
    long_absence_days = models.PositiveIntegerField(_("long absence, days"), default=10)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("distribution settings")
        verbose_name_plural = _("distribution settings")

    def __str__(self) -> str:
        return f"v{self.version}"

    def as_snapshot(self) -> dict[str, Any]:
        """Every setting, in the form stored with each draw."""
        return {
            "version": self.version,
            "period": self.period,
            "tolerance": f"{Decimal(self.tolerance):.2f}",
            "tolerance_mode": self.tolerance_mode,
            "instance_levels": {k: list(v) for k, v in sorted(self.instance_levels.items())},
            "panel_sizes": dict(sorted(self.panel_sizes.items())),
            "panel_overrides": dict(sorted(self.panel_overrides.items())),
            "panel_member_factor": f"{Decimal(self.panel_member_factor):.2f}",
            "category_specialisations": {
                k: sorted(v) for k, v in sorted(self.category_specialisations.items())
            },
            "related_case_kinds": sorted(self.related_case_kinds),
            "related_case_categories": sorted(self.related_case_categories),
            "related_case_lookback_days": self.related_case_lookback_days,
            "long_absence_days": self.long_absence_days,
        }


class WeightChange(models.Model):
    """The audit trail of category weights: every change, and the baseline at first use."""

    category = models.ForeignKey(
        "courts.CaseCategory", on_delete=models.PROTECT, related_name="weight_changes"
    )
    at = models.DateTimeField(_("at"), db_index=True)
    old_weight = models.DecimalField(_("old weight"), max_digits=6, decimal_places=2, null=True, blank=True)
    new_weight = models.DecimalField(_("new weight"), max_digits=6, decimal_places=2)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["category", "at", "id"]
        verbose_name = _("weight change")
        verbose_name_plural = _("weight changes")


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("Leave")
    SICK_LEAVE = "sick_leave", _("Sick leave")
    TRAINING = "training", _("Training")
    SECONDMENT = "secondment", _("Secondment")


class JudgeAbsence(models.Model):
    """A judge is unavailable from `starts_on` to `ends_on` inclusive. Cancelled, never edited."""

    judge = models.ForeignKey("courts.Judge", on_delete=models.PROTECT, related_name="absences")
    kind = models.CharField(_("kind"), max_length=16, choices=AbsenceKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("recorded at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)

    class Meta:
        ordering = ["judge", "starts_on"]
        indexes = [models.Index(fields=["judge", "starts_on", "ends_on"], name="distr_absence_judge_dates")]
        verbose_name = _("judge's absence")
        verbose_name_plural = _("judges' absences")

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class RecusalKind(models.TextChoices):
    RECUSAL = "recusal", _("Recusal")
    SELF_RECUSAL = "self_recusal", _("Self-recusal")


class RecusalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


class Recusal(models.Model):
    """A recusal of a judge from one case (by a party) or a self-recusal, and its decision."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="recusals")
    judge = models.ForeignKey("courts.Judge", on_delete=models.PROTECT, related_name="recusals")
    kind = models.CharField(_("kind"), max_length=16, choices=RecusalKind.choices)
    grounds = models.TextField(_("grounds"))
    status = models.CharField(
        _("status"), max_length=16, choices=RecusalStatus.choices, default=RecusalStatus.PENDING
    )
    created_at = models.DateTimeField(_("recorded at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(_("reasons of the decision"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")


class CaseRelation(models.TextChoices):
    LOWER_INSTANCE = "lower_instance", _("The case at the lower instance")
    RETRIAL = "retrial", _("Earlier consideration of the same case")
    RELATED = "related", _("Related case of the same parties")


class CaseLink(models.Model):
    """`case` is linked to `related`: an appeal to the decided case, a retrial to the cancelled one."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="distribution_links")
    related = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(_("relation"), max_length=16, choices=CaseRelation.choices)
    created_at = models.DateTimeField(_("recorded at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "related", "relation"], name="uniq_distribution_case_link"
            )
        ]


class Ledger(models.Model):
    """The head of one court's chain of records; its row is also the court's distribution lock."""

    court = models.OneToOneField("courts.Court", on_delete=models.PROTECT, related_name="distribution_ledger")
    last_seq = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=ZERO_HASH)


class ServiceKey(models.Model):
    """Public keys of the distribution service, by id (SHA-256 of the DER public key)."""

    key_id = models.CharField(max_length=64, unique=True)
    algorithm = models.CharField(max_length=16)
    public_key_pem = models.TextField()
    created_at = models.DateTimeField()


class DaySecret(models.Model):
    """The secret of one day: committed (SHA-256, signed) before the day, revealed after it.

    `secret_box` holds the secret encrypted with the service's key; it never leaves the server.
    `secret` is filled only by the reveal.
    """

    day = models.DateField(unique=True)
    commitment = models.CharField(max_length=64)
    signature = models.TextField()
    key_id = models.CharField(max_length=64)
    secret_box = models.TextField()
    committed_at = models.DateTimeField()
    committed_late = models.BooleanField(default=False)
    secret = models.CharField(max_length=64, blank=True)
    revealed_at = models.DateTimeField(null=True, blank=True)
    # The heads of every court's chain at the end of the day, signed with the reveal.
    seal = models.TextField(blank=True)
    seal_signature = models.TextField(blank=True)

    class Meta:
        ordering = ["-day"]


class RecordKind(models.TextChoices):
    DRAW = "draw", _("Automated draw")
    REDISTRIBUTION = "redistribution", _("Redistribution")
    MANUAL = "manual", _("Manual assignment by the chair")


class RecordOutcome(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    NO_ELIGIBLE_JUDGE = "no_eligible_judge", _("No eligible judge")


class SeatRole(models.TextChoices):
    SOLE = "sole", _("Judge")
    REPORTING = "reporting", _("Reporting judge")
    MEMBER = "member", _("Member of the panel")


class DistributionRecord(models.Model):
    """One draw (or redistribution, or manual assignment) with everything needed to re-check it."""

    # Indexes are kept to those the reads use: every index is work on each of the many inserts, and
    # an index on a random key (a hash, a judge) dirties a page of its own per insert (the unique
    # (ledger, seq) serves look-ups by ledger and identifies a record).
    ledger = models.ForeignKey(Ledger, on_delete=models.PROTECT, related_name="records", db_index=False)
    seq = models.PositiveIntegerField()
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="distribution_records")
    case_number = models.CharField(max_length=40)
    kind = models.CharField(max_length=16, choices=RecordKind.choices)
    outcome = models.CharField(max_length=20, choices=RecordOutcome.choices)
    seat = models.PositiveSmallIntegerField(default=1)
    role = models.CharField(max_length=16, choices=SeatRole.choices, default=SeatRole.SOLE)
    created_at = models.DateTimeField()
    day = models.DateField(db_index=True)
    algorithm = models.CharField(max_length=40)
    policy_version = models.PositiveIntegerField()
    # Canonical JSON of the inputs: pool, settings, weights, candidates and their loads, exclusions.
    snapshot = models.TextField()
    snapshot_sha256 = models.CharField(max_length=64)
    commitment = models.CharField(max_length=64, blank=True)
    commitment_late = models.BooleanField(default=False)
    draw_hmac = models.CharField(max_length=64, blank=True)
    draw_index = models.IntegerField(null=True, blank=True)
    judge = models.ForeignKey(
        "courts.Judge",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="distribution_records",
        db_index=False,
    )
    previous_judge = models.ForeignKey(
        "courts.Judge", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    reason_code = models.CharField(max_length=32, blank=True)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # Changes to judges' loads: [[judge id, period start, signed weight], ...]
    deltas = models.JSONField(default=list)
    prev_hash = models.CharField(max_length=64)
    record_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["ledger", "seq"], name="uniq_distribution_ledger_seq")]

    def __str__(self) -> str:
        return f"{self.ledger_id}#{self.seq}"


class Assignment(models.Model):
    """A judge's seat on a case, from a record; ended by a later redistribution or manual change."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="assignments")
    # (judge, ended_at) below serves look-ups by judge.
    judge = models.ForeignKey(
        "courts.Judge", on_delete=models.PROTECT, related_name="assignments", db_index=False
    )
    seat = models.PositiveSmallIntegerField(default=1)
    role = models.CharField(max_length=16, choices=SeatRole.choices)
    record = models.ForeignKey(DistributionRecord, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    # The load this seat added to the judge, in ten-thousandths of a weight unit.
    weight_units = models.BigIntegerField()
    assigned_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by_record = models.ForeignKey(
        DistributionRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "seat", "assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "seat"],
                condition=models.Q(ended_at__isnull=True),
                name="uniq_distribution_open_seat",
            )
        ]
        indexes = [models.Index(fields=["judge", "ended_at"], name="distr_assignment_judge")]


class JudgeLoad(models.Model):
    """The maintained sum of weights assigned to a judge in one period (verify recomputes it)."""

    judge = models.ForeignKey("courts.Judge", on_delete=models.PROTECT, related_name="distribution_loads")
    period_start = models.DateField()
    # Sum of weights in ten-thousandths of a weight unit: exact integer arithmetic on every engine.
    load_units = models.BigIntegerField(default=0)
    cases = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["judge", "period_start"], name="uniq_distribution_judge_period")
        ]


class AlertKind(models.TextChoices):
    NO_ELIGIBLE_JUDGE = "no_eligible_judge", _("No eligible judge")
    WEIGHT_UNAUDITED = "weight_unaudited", _("Category weight changed without an audit entry")
    COMMITMENT_LATE = "commitment_late", _("The day's commitment was made after the day began")
    DISTRIBUTION_FAILED = "distribution_failed", _("The automated distribution failed")


class DistributionAlert(models.Model):
    """Something the court chair must see: a case that cannot be distributed, an unaudited weight."""

    kind = models.CharField(_("kind"), max_length=24, choices=AlertKind.choices)
    court = models.ForeignKey(
        "courts.Court", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="distribution_alerts"
    )
    category = models.ForeignKey(
        "courts.CaseCategory", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record = models.ForeignKey(
        DistributionRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    last_checked_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["resolved_at", "court"], name="distr_alert_open")]


class CategoryWeight(CaseCategoryProxyBase):
    """The categories' complexity weights as the admin edits them: every save writes a WeightChange."""

    class Meta:
        proxy = True
        verbose_name = _("category weight")
        verbose_name_plural = _("category weights")
