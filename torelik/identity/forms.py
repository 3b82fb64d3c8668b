"""Login forms. They only shape the input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class StaffLoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=512,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    totp_code = forms.CharField(
        label=_("One-time code"),
        help_text=_("Six digits from your authenticator app."),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class EdsLoginForm(forms.Form):
    """Filled in by login.js after NCALayer has signed the challenge."""

    nonce = forms.CharField(max_length=64, widget=forms.HiddenInput)
    cms = forms.CharField(max_length=400_000, widget=forms.HiddenInput, strip=True)
