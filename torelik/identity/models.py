from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    ENTITY = "entity", _("Legal entity representative")
    LAWYER = "lawyer", _("Lawyer")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    PSC_OPERATOR = "psc_operator", _("Public service centre operator")
    CLERK = "clerk", _("Court clerk")
    JUDGE = "judge", _("Judge")
    CHAIR = "chair", _("Court chair")
    ADMIN = "admin", _("Administrator")
    # Reads the distribution reports and records of every court and runs their verification;
    # changes nothing.
    AUDITOR = "auditor", _("Auditor")


FILER_ROLES = frozenset({Role.CITIZEN, Role.ENTITY, Role.LAWYER, Role.PROSECUTOR, Role.PSC_OPERATOR})
# Auditors log in like court staff (password and one-time code) but hold no court and act on nothing.
STAFF_ROLES = frozenset({Role.CLERK, Role.JUDGE, Role.CHAIR, Role.ADMIN, Role.AUDITOR})


class User(AbstractUser):
    """A person who uses Torelik.

    Filers are identified by the IIN (and BIN for an organisation) in their signing certificate;
    court staff by username, password and TOTP.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    iin = models.CharField(_("IIN"), max_length=12, blank=True, db_index=True)
    bin = models.CharField(_("BIN"), max_length=12, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=255, blank=True)
    court = models.ForeignKey(
        "courts.Court",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("court"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    totp_secret = models.CharField(max_length=64, blank=True)
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    @property
    def is_filer(self) -> bool:
        return self.role in FILER_ROLES

    @property
    def is_court_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def display_name(self) -> str:
        # Official order in Kazakhstan: surname, given name, patronymic.
        full = " ".join(part for part in (self.last_name, self.first_name) if part)
        return full or self.username


class LoginChallenge(models.Model):
    """A one-time nonce the browser must have signed to log in with a digital signature."""

    nonce = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class LoginAttempt(models.Model):
    """Failed and successful logins, for rate limits and the audit."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    method = models.CharField(max_length=16)  # "eds" or "password"
    identifier = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    success = models.BooleanField(default=False)
    reason = models.CharField(max_length=64, blank=True)
