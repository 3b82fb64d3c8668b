from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Blob(models.Model):
    """One stored document, addressed by the SHA-256 of its bytes; never overwritten."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, primary_key=True)
    size = models.BigIntegerField(_("size, bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stored document")
        verbose_name_plural = _("stored documents")

    def __str__(self) -> str:
        return self.sha256
