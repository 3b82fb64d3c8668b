"""Admin: the outbox, read-only for staff, with the one repair an operator needs (requeue)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from torelik.notices import services
from torelik.notices.models import OutboxDelivery, OutboxMessage, OutboxStatus


class OutboxDeliveryInline(admin.TabularInline):
    model = OutboxDelivery
    fields = ["handler", "delivered_at"]
    readonly_fields = ["handler", "delivered_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "topic", "status", "created_at", "attempts", "next_attempt_at", "dispatched_at"]
    list_filter = ["status", "topic"]
    search_fields = ["topic", "last_error"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    inlines = [OutboxDeliveryInline]
    actions = ["requeue"]

    # Messages are written by services only; the admin shows them and may requeue failed ones.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return False

    @admin.action(description=_("Requeue the selected failed messages"), permissions=["change"])
    def requeue(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        ids = list(queryset.filter(status=OutboxStatus.FAILED).values_list("id", flat=True))
        count = services.requeue_failed(ids=ids)
        self.message_user(
            request,
            ngettext("%(count)d message requeued.", "%(count)d messages requeued.", count) % {"count": count},
            messages.SUCCESS,
        )
