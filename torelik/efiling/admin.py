from __future__ import annotations

from django.contrib import admin

from torelik.efiling.models import FeeExemptionRule, FeeRule


@admin.register(FeeRule)
class FeeRuleAdmin(admin.ModelAdmin):
    list_display = (
        "submission_type",
        "category_code",
        "person_kind",
        "claim_kind",
        "basis",
        "rate",
        "valid_from",
    )
    list_filter = ("submission_type", "person_kind", "basis", "is_confirmed")


@admin.register(FeeExemptionRule)
class FeeExemptionRuleAdmin(admin.ModelAdmin):
    list_display = ("exemption", "category_code", "needs_court_decision", "is_active", "legal_reference")
    list_filter = ("exemption", "needs_court_decision", "is_active")
