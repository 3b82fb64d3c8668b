from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import PartyRole, PersonKind
from torelik.kernel.appendonly import AppendOnlyModel


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment of the state fee")
    SUBMITTED = "submitted", _("Submitted to the court")
    UNDER_REVIEW = "under_review", _("Under review by the court")
    LEFT_WITHOUT_MOTION = "left_without_motion", _("Left without motion")
    RETURNED = "returned", _("Returned")
    REGISTERED = "registered", _("Registered")


class FeeExemption(models.TextChoices):
    NONE = "", _("No exemption")
    ALIMONY = "alimony", _("Alimony claim")
    LABOUR = "labour", _("Worker's labour claim")
    DISABILITY = "disability", _("Person with a disability of group I or II")
    DAMAGE_TO_HEALTH = "damage_to_health", _("Compensation for harm to life or health")
    OTHER = "other", _("Other exemption under the Tax Code")


class FeeRelief(models.TextChoices):
    """The court's decision on a requested exemption (that needs one) or deferral of the fee."""

    NONE = "", _("Not requested")
    PENDING = "pending", _("Awaiting the court's decision")
    GRANTED = "granted", _("Granted")
    DENIED = "denied", _("Denied")


class FeeExemptionRule(models.Model):
    """Which exemption the Tax Code gives for which case category; data, editable in the admin.

    An exemption that follows from the category itself (alimony, a worker's labour claim) applies
    at once; one that depends on the filer's circumstances (a disability, "other") waits for the
    court's decision (`needs_court_decision`). An exemption with no row here is refused.
    """

    exemption = models.CharField(_("exemption"), max_length=24, choices=FeeExemption.choices)
    # Case category code; blank means every category.
    category_code = models.CharField(_("category code"), max_length=32, blank=True)
    needs_court_decision = models.BooleanField(_("the court decides"), default=False)
    legal_reference = models.CharField(_("legal reference"), max_length=255)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["exemption", "category_code"]
        constraints = [
            models.UniqueConstraint(fields=["exemption", "category_code"], name="uniq_fee_exemption_rule")
        ]
        verbose_name = _("fee exemption rule")
        verbose_name_plural = _("fee exemption rules")

    def __str__(self) -> str:
        return f"{self.exemption} / {self.category_code or '*'}"


class Submission(models.Model):
    """Anything filed through the Judicial Office: a claim, complaint, petition or application.

    The type (`type_key`) comes from the registry in `efiling.types`: one model, many kinds.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    filer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions")
    type_key = models.CharField(_("type"), max_length=48)
    court = models.ForeignKey(
        "courts.Court", on_delete=models.PROTECT, related_name="submissions", verbose_name=_("court")
    )
    category = models.ForeignKey(
        "courts.CaseCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("category"),
    )
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
        db_index=True,
    )
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"))
    filer_kind = models.CharField(
        _("filer is"), max_length=16, choices=PersonKind.choices, default=PersonKind.INDIVIDUAL
    )
    is_property = models.BooleanField(_("property claim"), default=False)
    claim_amount_tiyn = models.BigIntegerField(_("claim amount, tiyn"), null=True, blank=True)
    virtual_jurisdiction_consent = models.BooleanField(_("consent to virtual jurisdiction"), default=False)

    fee_tiyn = models.BigIntegerField(_("state fee, tiyn"), null=True, blank=True)
    fee_explanation = models.JSONField(default=dict, blank=True)
    fee_exemption = models.CharField(
        _("fee exemption"), max_length=24, choices=FeeExemption.choices, blank=True, default=""
    )
    fee_deferral_requested = models.BooleanField(_("deferral of the fee requested"), default=False)
    fee_deferral_reason = models.TextField(_("reason for deferral"), blank=True)
    fee_relief = models.CharField(
        _("fee relief"), max_length=16, choices=FeeRelief.choices, blank=True, default=""
    )

    # The filer's signature over the canonical body (see efiling.services.canonical_body).
    body_sha256 = models.CharField(max_length=64, blank=True)
    body_signature = models.ForeignKey(
        "signatures.SignatureRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reasons = models.TextField(_("reasons"), blank=True)
    fix_deadline = models.DateField(_("deadline to fix"), null=True, blank=True)
    # An appeal, a private complaint or a cassation petition: the case and the act it is against,
    # and the motion to restore a missed term (efiling.appeals).
    appealed_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    appealed_act = models.ForeignKey(
        "acts.JudicialAct", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    restore_term_reason = models.TextField(_("motion to restore the term"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return self.reference or f"draft #{self.pk}"


class SubmissionParty(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    person_kind = models.CharField(_("person"), max_length=16, choices=PersonKind.choices)
    iin = models.CharField(_("IIN"), max_length=12, blank=True)
    bin = models.CharField(_("BIN"), max_length=12, blank=True)
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["id"]


class SubmissionDocument(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="documents")
    blob = models.ForeignKey("archive.Blob", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    title = models.CharField(_("title"), max_length=255)
    signature = models.ForeignKey(
        "signatures.SignatureRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class SubmissionStatusChange(AppendOnlyModel):
    """The submission's history as the filer sees it; append-only."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=24, choices=SubmissionStatus.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class FeeBasis(models.TextChoices):
    PERCENT_OF_CLAIM = "percent_of_claim", _("Percent of the claim amount")
    MCI_MULTIPLE = "mci_multiple", _("Multiple of the MCI")
    NONE = "none", _("No fee")


class FeeRule(models.Model):
    """A row of the state-fee table (Tax Code art. 665); data, editable in the admin."""

    submission_type = models.CharField(_("submission type"), max_length=48)
    person_kind = models.CharField(_("filer is"), max_length=16, choices=PersonKind.choices)
    # Case category code (e.g. "civ.divorce"); blank applies to every category.
    category_code = models.CharField(_("category code"), max_length=32, blank=True)
    # "property", "non_property" or "" for both.
    claim_kind = models.CharField(_("claim kind"), max_length=16, blank=True)
    basis = models.CharField(_("basis"), max_length=24, choices=FeeBasis.choices)
    rate = models.DecimalField(_("rate"), max_digits=8, decimal_places=4)
    # Percent of the first-instance rule result (appeal, court order): 100 means the full fee.
    share_percent = models.DecimalField(
        _("share of the base fee, %"), max_digits=6, decimal_places=2, default=100
    )
    cap_mci = models.DecimalField(_("cap, MCI"), max_digits=10, decimal_places=2, null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_reference = models.CharField(_("legal reference"), max_length=255)
    is_confirmed = models.BooleanField(_("confirmed from a primary source"), default=True)

    class Meta:
        ordering = ["submission_type", "category_code", "person_kind", "claim_kind", "-valid_from"]
        verbose_name = _("state fee rule")
        verbose_name_plural = _("state fee rules")

    def __str__(self) -> str:
        return f"{self.submission_type}/{self.person_kind}/{self.claim_kind or '*'}: {self.basis} {self.rate}"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class Payment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=32)
    provider_reference = models.CharField(max_length=64, unique=True)
    amount_tiyn = models.BigIntegerField()
    status = models.CharField(max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    callback = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
