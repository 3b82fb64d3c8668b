from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.kernel.appendonly import AppendOnlyModel


class MciRate(models.Model):
    """Monthly calculation index (MCI, МРП) for a calendar year, in tiyn."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    amount_tiyn = models.BigIntegerField(_("amount, tiyn"))
    legal_reference = models.CharField(_("legal reference"), max_length=255, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("MCI rate")
        verbose_name_plural = _("MCI rates")

    def __str__(self) -> str:
        return f"{self.year}: {self.amount_tiyn / 100:.0f} KZT"


class DayOffTransfer(models.Model):
    """A day-off transfer declared by the government: `working_day` is worked in place of `day_off`."""

    working_day = models.DateField(_("worked day"), unique=True)
    day_off = models.DateField(_("day off"), unique=True)
    legal_reference = models.CharField(_("legal reference"), max_length=255, blank=True)

    class Meta:
        ordering = ["working_day"]
        verbose_name = _("day-off transfer")
        verbose_name_plural = _("day-off transfers")

    def __str__(self) -> str:
        return f"{self.working_day} <-> {self.day_off}"


class AccessAudit(AppendOnlyModel):
    """Every read of a non-public record and every privileged action, append-only."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
