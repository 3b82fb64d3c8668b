"""Forms of the staff pages: one procedural step of a case, with the inputs the step asks for."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from torelik.cases.card import StepOption
from torelik.cases.transitions import MAX_REASON_CHARS, TransitionInput
from torelik.kernel.errors import DomainError
from torelik.kernel.money import Money

# The service's names of its inputs -> the form's fields (errors are shown beside them).
SERVICE_FIELDS = {"reason": "reason", "outcome": "outcome", "awarded_tiyn": "awarded"}


class StepForm(forms.Form):
    """The form of one step; its fields are prefixed with the step's code (one page holds several)."""

    reason = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=MAX_REASON_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, widget=forms.RadioSelect)
    awarded = forms.CharField(
        label=_("Amount awarded, tenge"),
        required=False,
        help_text=_("Optional; for example 1 234 567,89."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, data: Any = None, *, step: StepOption) -> None:
        super().__init__(data, prefix=step.code)
        self.step = step
        reason = self.fields["reason"]
        reason.required = step.requires_reason
        reason.help_text = (
            _("Required: they are written into the case's history as you give them.")
            if step.requires_reason
            else _("Optional.")
        )
        # The service's own words for a missing input, so the form and the API say the same.
        reason.error_messages["required"] = gettext("Give the reasons for “%(transition)s”.") % {
            "transition": step.name
        }
        if step.outcomes:
            outcome = self.fields["outcome"]
            assert isinstance(outcome, forms.ChoiceField)
            outcome.choices = [(o.code, o.name) for o in step.outcomes]
            outcome.required = True
            outcome.error_messages["required"] = gettext(
                "Choose the outcome of “%(transition)s”: %(choices)s."
            ) % {"transition": step.name, "choices": ", ".join(o.name for o in step.outcomes)}
            if len(step.outcomes) == 1:
                outcome.initial = step.outcomes[0].code
        else:
            del self.fields["outcome"]
            del self.fields["awarded"]

    def clean_awarded(self) -> int | None:
        raw = (self.cleaned_data.get("awarded") or "").strip()
        if not raw:
            return None
        try:
            return Money.from_tenge(raw).tiyn
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from None

    def transition_input(self) -> TransitionInput:
        data = self.cleaned_data
        return TransitionInput(
            outcome=data.get("outcome") or "",
            reason=data.get("reason") or "",
            awarded_tiyn=data.get("awarded"),
        )

    def attach(self, exc: DomainError) -> None:
        """Shows a service's refusal beside the input it names, or above the form."""
        name = SERVICE_FIELDS.get(exc.field or "")
        self.add_error(name if name in self.fields else None, str(exc.message))
