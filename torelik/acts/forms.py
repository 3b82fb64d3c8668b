from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from torelik.acts.models import ActKind, ActLanguage
from torelik.acts.services import MAX_BODY_LENGTH, MAX_TITLE_LENGTH


class NewActForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of act"), choices=ActKind.choices)
    language = forms.ChoiceField(label=_("Language of the act"), choices=ActLanguage.choices)


class EditActForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE_LENGTH)
    act_date = forms.DateField(label=_("Date of the act"), widget=forms.DateInput(attrs={"type": "date"}))
    body = forms.CharField(
        label=_("Text of the act"), max_length=MAX_BODY_LENGTH, widget=forms.Textarea(attrs={"rows": 28})
    )


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("PDF of the act"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )
