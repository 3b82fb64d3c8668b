from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.kernel.i18n import localized


class TrilingualName(models.Model):
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Region(TrilingualName):
    code = models.CharField(_("code"), max_length=8, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class CourtLevel(models.TextChoices):
    SUPREME = "supreme", _("Supreme Court")
    CASSATION = "cassation", _("Cassation court")
    REGIONAL = "regional", _("Regional court")
    SPECIALISED = "specialised", _("Specialised inter-district court")
    DISTRICT = "district", _("District court")


class Court(TrilingualName):
    code = models.CharField(_("code"), max_length=4, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=CourtLevel.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="courts")
    appeal_court = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lower_courts",
        verbose_name=_("appeal court"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    # Format of case numbers; fields: court, yy, yyyy, category, serial.
    case_number_template = models.CharField(
        _("case number format"), max_length=64, default="{court}-{yy}-00-{category}/{serial}"
    )
    accepts_efiling = models.BooleanField(_("accepts e-filing"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("court")
        verbose_name_plural = _("courts")

    def clean(self) -> None:
        super().clean()
        check_case_number_template(self.case_number_template)


CASE_NUMBER_FIELDS = frozenset({"court", "yy", "yyyy", "category", "serial"})


def check_case_number_template(template: str) -> None:
    """Refuses a case-number format that would fail at registration or give two cases one number.

    Case numbers are unique across courts and years, so the format needs the court, a year and
    the serial; any other field, or a malformed brace, would raise when the clerk accepts a filing.
    """
    import string

    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    try:
        fields = {
            name for _text, name, _spec, _conv in string.Formatter().parse(template) if name is not None
        }
    except ValueError:
        raise ValidationError(
            {"case_number_template": gettext("The case number format has an unmatched “{” or “}”.")}
        ) from None
    unknown = fields - CASE_NUMBER_FIELDS
    if unknown or "" in fields:
        raise ValidationError(
            {
                "case_number_template": gettext(
                    "Unknown field %(fields)s in the case number format; allowed: %(allowed)s."
                )
                % {
                    "fields": ", ".join(sorted("{" + f + "}" for f in unknown or {""})),
                    "allowed": ", ".join("{" + f + "}" for f in sorted(CASE_NUMBER_FIELDS)),
                }
            }
        )
    missing = [f for f in ("court", "serial") if f not in fields]
    if not fields & {"yy", "yyyy"}:
        missing.append("yy")
    if missing:
        raise ValidationError(
            {
                "case_number_template": gettext(
                    "The case number format must contain %(fields)s, or numbers would repeat."
                )
                % {"fields": ", ".join("{" + f + "}" for f in missing)}
            }
        )
    try:
        sample = template.format(court="7140", yy="26", yyyy=2026, category="2а", serial=123456)
    except (ValueError, IndexError, KeyError):
        raise ValidationError(
            {
                "case_number_template": gettext(
                    "The case number format cannot be applied; check the braces and formats."
                )
            }
        ) from None
    if len(sample) > 40:
        raise ValidationError(
            {"case_number_template": gettext("Case numbers in this format are longer than 40 characters.")}
        )


class CaseKind(models.TextChoices):
    CIVIL = "civil", _("Civil")
    CRIMINAL = "criminal", _("Criminal")
    ADMIN_OFFENCE = "admin_offence", _("Administrative offence")
    ADMINISTRATIVE = "administrative", _("Administrative")


class Instance(models.TextChoices):
    FIRST = "first", _("First instance")
    APPEAL = "appeal", _("Appeal")
    CASSATION = "cassation", _("Cassation")


class CaseCategory(TrilingualName):
    """The unified classifier of case categories; editable in the admin."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind of proceedings"), max_length=16, choices=CaseKind.choices)
    instance = models.CharField(
        _("instance"), max_length=16, choices=Instance.choices, default=Instance.FIRST
    )
    # The category/instance code inside the case number, e.g. "2" or "2а".
    number_code = models.CharField(_("code in case number"), max_length=8)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    complexity_weight = models.DecimalField(
        _("complexity weight"), max_digits=6, decimal_places=2, default=Decimal("1.00")
    )
    is_property = models.BooleanField(_("property dispute"), default=False)
    allows_virtual_jurisdiction = models.BooleanField(_("allows virtual jurisdiction"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")


class Specialisation(TrilingualName):
    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind of proceedings"), max_length=16, choices=CaseKind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("specialisation")
        verbose_name_plural = _("specialisations")


class JudgePosition(models.TextChoices):
    JUDGE = "judge", _("Judge")
    CHAIR = "chair", _("Chair of the court")
    COLLEGIUM_CHAIR = "collegium_chair", _("Chair of a collegium")


class Judge(models.Model):
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="judges", verbose_name=_("court"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="judge"
    )
    iin = models.CharField(_("IIN"), max_length=12, unique=True)
    full_name = models.CharField(_("full name"), max_length=255)
    position = models.CharField(
        _("position"), max_length=20, choices=JudgePosition.choices, default=JudgePosition.JUDGE
    )
    specialisations = models.ManyToManyField(
        Specialisation, related_name="judges", verbose_name=_("specialisations")
    )
    # Share of a full workload (0.5 = half-time); distribution normalises by it.
    workload_share = models.DecimalField(
        _("workload share"), max_digits=3, decimal_places=2, default=Decimal("1.00")
    )
    appointed_on = models.DateField(_("appointed on"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["court__code", "full_name"]
        verbose_name = _("judge")
        verbose_name_plural = _("judges")

    def __str__(self) -> str:
        return self.full_name
