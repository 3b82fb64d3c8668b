"""The admin of the court system's reference data: regions, courts, judges and the classifier."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import CaseCategory, Court, Judge, Region, Specialisation


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_kk", "name_ru", "name_en")
    search_fields = ("code", "name_kk", "name_ru", "name_en")


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ru", "level", "region", "appeal_court", "accepts_efiling", "is_active")
    list_filter = ("level", "region", "accepts_efiling", "is_active")
    search_fields = ("code", "name_kk", "name_ru", "name_en")
    list_select_related = ("region", "appeal_court")
    autocomplete_fields = ("region", "appeal_court")
    fieldsets = (
        (None, {"fields": ("code", "level", "region", "appeal_court", "address")}),
        (_("Names"), {"fields": ("name_kk", "name_ru", "name_en")}),
        (_("Filing"), {"fields": ("case_number_template", "accepts_efiling", "is_active")}),
    )


@admin.register(CaseCategory)
class CaseCategoryAdmin(admin.ModelAdmin):
    """The unified classifier: administrators tune weights and flags here, not in code."""

    list_display = (
        "code",
        "name_ru",
        "kind",
        "instance",
        "number_code",
        "complexity_weight",
        "is_property",
        "allows_virtual_jurisdiction",
        "is_active",
    )
    # Weights change only under Distribution › Category weights, which keeps their audit trail.
    list_editable = ("is_property", "allows_virtual_jurisdiction", "is_active")
    readonly_fields = ("complexity_weight",)
    list_filter = ("kind", "instance", "is_property", "allows_virtual_jurisdiction", "is_active")
    search_fields = ("code", "name_kk", "name_ru", "name_en")
    autocomplete_fields = ("parent",)
    fieldsets = (
        (None, {"fields": ("code", "kind", "instance", "parent", "number_code")}),
        (_("Names"), {"fields": ("name_kk", "name_ru", "name_en")}),
        (
            _("Rules"),
            {"fields": ("complexity_weight", "is_property", "allows_virtual_jurisdiction", "is_active")},
        ),
    )


@admin.register(Specialisation)
class SpecialisationAdmin(admin.ModelAdmin):
    list_display = ("code", "kind", "name_kk", "name_ru", "name_en")
    list_filter = ("kind",)
    search_fields = ("code", "name_kk", "name_ru", "name_en")


@admin.register(Judge)
class JudgeAdmin(admin.ModelAdmin):
    list_display = (
        "full_name",
        "iin",
        "court",
        "position",
        "specialisation_list",
        "workload_share",
        "is_active",
    )
    list_filter = ("court__level", "specialisations", "position", "is_active", "court__region")
    search_fields = ("full_name", "iin", "court__code")
    list_select_related = ("court",)
    autocomplete_fields = ("court",)
    raw_id_fields = ("user",)
    filter_horizontal = ("specialisations",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Judge]:
        return super().get_queryset(request).prefetch_related("specialisations")

    @admin.display(description=_("specialisations"))
    def specialisation_list(self, obj: Judge) -> str:
        return ", ".join(s.name for s in obj.specialisations.all())
