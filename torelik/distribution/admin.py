"""Admin: category weights (every save writes its audit entry), absences, recusals, settings, records."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from torelik.distribution import services
from torelik.distribution.models import (
    CategoryWeight,
    DistributionAlert,
    DistributionPolicy,
    DistributionRecord,
    JudgeAbsence,
    Recusal,
    WeightChange,
)


class CategoryWeightForm(forms.ModelForm):
    reason = forms.CharField(label=_("reason for the change"), widget=forms.Textarea, required=True)

    class Meta:
        model = CategoryWeight
        fields = ["complexity_weight"]


@admin.register(CategoryWeight)
class CategoryWeightAdmin(admin.ModelAdmin):
    form = CategoryWeightForm
    list_display = ["code", "kind", "instance", "complexity_weight"]
    readonly_fields = ["code"]
    fields = ["code", "complexity_weight", "reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The weight is written by the service together with its audit entry, never directly.
        services.change_weight(
            category=obj,
            weight=form.cleaned_data["complexity_weight"],
            reason=form.cleaned_data["reason"],
            actor=request.user,  # type: ignore[arg-type]
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WeightChange)
class WeightChangeAdmin(ReadOnlyAdmin):
    list_display = ["category", "at", "old_weight", "new_weight", "actor", "reason"]


@admin.register(DistributionRecord)
class DistributionRecordAdmin(ReadOnlyAdmin):
    list_display = ["case_number", "ledger", "seq", "kind", "outcome", "judge", "day"]
    list_filter = ["kind", "outcome"]
    search_fields = ["case_number"]


@admin.register(DistributionPolicy)
class DistributionPolicyAdmin(ReadOnlyAdmin):
    list_display = ["version", "created_at", "tolerance", "tolerance_mode", "period", "reason"]


@admin.register(DistributionAlert)
class DistributionAlertAdmin(ReadOnlyAdmin):
    list_display = ["kind", "court", "case", "category", "created_at", "resolved_at"]


@admin.register(JudgeAbsence)
class JudgeAbsenceAdmin(admin.ModelAdmin):
    list_display = ["judge", "kind", "starts_on", "ends_on", "cancelled_at"]
    raw_id_fields = ["judge"]
    exclude = ["created_at", "created_by", "cancelled_at", "cancelled_by", "cancel_reason"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.record_absence(
            judge=obj.judge,
            kind=obj.kind,
            starts_on=obj.starts_on,
            ends_on=obj.ends_on,
            note=obj.note,
            actor=request.user,  # type: ignore[arg-type]
        )


@admin.register(Recusal)
class RecusalAdmin(ReadOnlyAdmin):
    list_display = ["case", "judge", "kind", "status", "created_at", "decided_at"]
