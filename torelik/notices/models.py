from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DISPATCHED = "dispatched", _("Dispatched")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """A side effect to carry out after the transaction that decided it has committed.

    Pending until every handler of its topic has run; a failure is retried at `next_attempt_at`
    (exponential backoff) and, after too many attempts, the message is failed until requeued.
    A message whose topic has no handler stays pending, untouched, until one is registered.
    """

    topic = models.CharField(_("topic"), max_length=64, db_index=True)
    payload = models.JSONField(_("payload"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # What the worker asks for: pending messages that are due.
            models.Index(fields=["status", "next_attempt_at"], name="notices_outbox_due"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk} ({self.status})"


class OutboxDelivery(models.Model):
    """One handler has run successfully for one message, committed with the handler's own writes.

    When one of two handlers fails, the message is retried only for the one that failed.
    """

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="deliveries")
    handler = models.CharField(_("handler"), max_length=200)
    delivered_at = models.DateTimeField(_("delivered at"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox delivery")
        verbose_name_plural = _("outbox deliveries")
        constraints = [
            models.UniqueConstraint(fields=["message", "handler"], name="notices_outbox_delivered_once"),
        ]

    def __str__(self) -> str:
        return f"{self.handler} <- #{self.message_id}"
