"""Admin: procedures (cases.procedure) are edited here, each edit a new version with its reason.

Versions are append-only: an administrator adds a version (the procedure's code, its definition as
JSON, the reason for the change), validated by `cases.procedure.parse` as a case would use it; the
number is the procedure's last + 1, the author and time are recorded. Existing versions are read,
never changed or deleted (cases registered under them keep following them).
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from torelik.cases import events as case_events
from torelik.cases.models import ProcedureVersion
from torelik.cases.outcomes import OUTCOME_CODES
from torelik.cases.procedure import ProcedureError, parse


class DefinitionField(forms.JSONField):
    """JSON shown indented, with Kazakh and Russian names as they are (not \\u escapes)."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)


class ProcedureVersionForm(forms.ModelForm):
    class Meta:
        model = ProcedureVersion
        fields = ["code", "definition", "reason"]
        field_classes = {"definition": DefinitionField}
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"}),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        definition = data.get("definition")
        if definition is None:
            return data  # the field's own error (not JSON, or empty) stands
        try:
            procedure = parse(
                definition,
                outcomes=OUTCOME_CODES,
                event_kinds=frozenset(case_events.registered_kinds()),
            )
        except ProcedureError as exc:
            self.add_error("definition", forms.ValidationError(str(exc.message), code=exc.code))
            return data
        code = data.get("code")
        if code and procedure.code != code:
            self.add_error(
                "definition",
                forms.ValidationError(
                    _("The definition's code “%(code)s” is not the procedure's code “%(procedure)s”.")
                    % {"code": procedure.code, "procedure": code},
                    code="procedure_code_differs",
                ),
            )
        return data


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    form = ProcedureVersionForm
    list_display = ("code", "version", "created_at", "created_by", "reason")
    list_filter = ("code",)
    search_fields = ("code", "reason")
    ordering = ("code", "-version")
    list_select_related = ("created_by",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:  # type: ignore[override]
        if obj is None:
            return ["code", "definition", "reason"]
        return ["code", "version", "created_at", "created_by", "reason", "definition"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """`?code=civil_claim`: the new version starts as a copy of the procedure's latest."""
        initial = dict(super().get_changeform_initial_data(request))
        code = initial.get("code")
        latest = ProcedureVersion.objects.filter(code=code).order_by("-version").first() if code else None
        if latest is not None:
            initial["definition"] = latest.definition
        return initial

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:  # unreachable: nobody has the change permission
            raise PermissionError("procedure versions are append-only")
        with transaction.atomic():
            # Two administrators adding a version of one procedure queue on its rows (PostgreSQL),
            # so they never take one number; the unique (code, version) constraint stands behind.
            taken = ProcedureVersion.objects.select_for_update().filter(code=obj.code)
            obj.version = max(taken.values_list("version", flat=True), default=0) + 1
            obj.created_by = request.user
            obj.created_at = timezone.now()
            obj.save()
