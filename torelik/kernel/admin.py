from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from torelik.kernel.models import AccessAudit, DayOffTransfer, MciRate


@admin.register(MciRate)
class MciRateAdmin(admin.ModelAdmin):
    list_display = ("year", "amount_tiyn", "legal_reference")
    search_fields = ("legal_reference",)


@admin.register(DayOffTransfer)
class DayOffTransferAdmin(admin.ModelAdmin):
    list_display = ("working_day", "day_off", "legal_reference")
    date_hierarchy = "working_day"


@admin.register(AccessAudit)
class AccessAuditAdmin(admin.ModelAdmin):
    """The audit trail is evidence: readable here, never written or erased through the admin."""

    list_display = ("at", "user", "action", "object_type", "object_id", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "user__username")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
