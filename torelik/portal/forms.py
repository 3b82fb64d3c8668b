from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import PartyRole, PersonKind
from torelik.courts.models import CaseCategory, Court
from torelik.efiling.models import FeeExemption
from torelik.efiling.types import SUBMISSION_TYPES


def _court_choices() -> list[tuple[str, Any]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for court in Court.objects.filter(is_active=True, accepts_efiling=True).select_related("region"):
        region = court.region.name if court.region else str(_("Republic level"))
        groups.setdefault(region, []).append((court.code, f"{court.code} — {court.name}"))
    return [("", _("Choose a court")), *sorted(groups.items())]


def _category_choices() -> list[tuple[str, Any]]:
    codes = {code for t in SUBMISSION_TYPES.values() for code in t.categories}
    return [("", _("Default for the kind of filing"))] + [
        (c.code, c.name) for c in CaseCategory.objects.filter(code__in=codes, is_active=True)
    ]


class DraftForm(forms.Form):
    type_key = forms.ChoiceField(label=_("Kind of filing"))
    court = forms.ChoiceField(label=_("Court"))
    category = forms.ChoiceField(label=_("Category"), required=False)
    title = forms.CharField(label=_("Title"), max_length=255)
    text = forms.CharField(label=_("Text of the filing"), widget=forms.Textarea(attrs={"rows": 10}))
    is_property = forms.BooleanField(label=_("Property claim (with a claim amount)"), required=False)
    claim_amount = forms.CharField(
        label=_("Claim amount, tenge"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    virtual_jurisdiction_consent = forms.BooleanField(
        label=_("I agree that any available judge in the country may hear the case (virtual jurisdiction)"),
        required=False,
    )
    fee_exemption = forms.ChoiceField(
        label=_("Exemption from the state fee"), choices=FeeExemption.choices, required=False
    )
    fee_deferral_requested = forms.BooleanField(label=_("I ask to defer the state fee"), required=False)
    fee_deferral_reason = forms.CharField(
        label=_("Reason for the deferral"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_choices("type_key", [(t.key, t.label) for t in SUBMISSION_TYPES.values()])
        self._set_choices("court", _court_choices())
        self._set_choices("category", _category_choices())

    def _set_choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *PartyRole.choices], required=False)
    person_kind = forms.ChoiceField(label=_("Person"), choices=PersonKind.choices, required=False)
    name = forms.CharField(label=_("Full name or organisation"), max_length=255, required=False)
    iin = forms.CharField(
        label=_("IIN"), max_length=12, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    bin = forms.CharField(
        label=_("BIN"), max_length=12, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)


PartyFormSet = formset_factory(PartyForm, extra=3, max_num=20)


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("PDF document"))
    title = forms.CharField(label=_("Title"), max_length=255, required=False)


class ReviewForm(forms.Form):
    """An appeal, a private complaint or a cassation petition against an act of the filer's case."""

    type_key = forms.ChoiceField(label=_("Kind of filing"), widget=forms.RadioSelect)
    act = forms.TypedChoiceField(label=_("The act you challenge"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=255)
    text = forms.CharField(label=_("Text of the filing"), widget=forms.Textarea(attrs={"rows": 10}))
    restore_term_reason = forms.CharField(
        label=_("Motion to restore the term (only if the term has passed): the reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, acts: list[tuple[int, str]], types: list[tuple[str, Any]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("type_key", types), ("act", acts)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
