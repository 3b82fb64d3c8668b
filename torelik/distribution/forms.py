"""Forms of the court chair's distribution actions and of the auditors' verification.

A form checks what the input itself can tell (a reason given, dates in order, a judge of this court,
a judge free of a recorded absence or recusal); the services check every rule again, inside their
transaction, and a refusal from them is shown next to the field it names (`add_domain_error`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Case
from torelik.courts.models import Court, Judge
from torelik.distribution import selectors
from torelik.distribution.models import AbsenceKind, RecusalKind
from torelik.distribution.services import RedistributionReason
from torelik.kernel.errors import DomainError


def _judge_label(judge: Judge) -> str:
    return judge.full_name if judge.is_active else f"{judge.full_name} ({_('no longer active')})"


def _date_field(label: Any, *, required: Any) -> forms.DateField:
    """A date typed or picked in the browser's date input, with errors in the court's words."""
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": required, "invalid": _("Enter a valid date.")},
    )


class JudgeField(forms.ModelChoiceField):
    """A judge picked from a list; any judge id is looked up, so the form can say why a judge
    outside the list (another court's) is refused rather than only "not a valid choice"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Judge"))
        kwargs.setdefault(
            "error_messages",
            {"required": _("Choose the judge."), "invalid_choice": _("Choose a judge from the list.")},
        )
        super().__init__(queryset=Judge.objects.select_related("court"), **kwargs)

    def label_from_instance(self, obj: Judge) -> str:
        return _judge_label(obj)

    def offer(self, judges: list[Judge]) -> None:
        """The judges listed in the drop-down."""
        self.widget.choices = [("", "—"), *((j.pk, _judge_label(j)) for j in judges)]


class ChairForm(forms.Form):
    """A form of the chair of `court`: a case must be of that court, a judge of it."""

    def __init__(self, *args: Any, court: Court, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.court = court

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            self._describe(name)

    def _describe(self, name: str | None) -> None:
        # Screen readers read the error with the field: the error paragraph's id is on the input.
        if name in self.fields:
            widget = self.fields[name].widget
            ids = [f"id_{name}_error"]
            if self.fields[name].help_text:
                ids.append(f"id_{name}_helptext")
            widget.attrs["aria-describedby"] = " ".join(ids)

    def add_domain_error(self, exc: DomainError) -> None:
        """A service's refusal, next to the field it names (or above the form)."""
        field = exc.field if exc.field in self.fields else None
        if field is None and exc.field == "judge_id" and "judge" in self.fields:
            field = "judge"
        self.add_error(field, str(exc.message))
        self._describe(field)

    def clean_case(self) -> Case:
        number = (self.cleaned_data.get("case") or "").strip()
        case = Case.objects.select_related("court", "category").filter(number=number).first()
        if case is None:
            raise forms.ValidationError(
                _("No case %(number)s is registered."), code="not_found", params={"number": number}
            )
        if case.court_id != self.court.pk:
            raise forms.ValidationError(
                _("Case %(number)s is in another court; only that court's chair may act on it."),
                code="other_court",
                params={"number": number},
            )
        return case

    def _judge_of_this_court(self, judge: Judge) -> None:
        if judge.court_id != self.court.pk:
            self.add_error(
                "judge",
                _("%(judge)s is a judge of another court (%(court)s).")
                % {"judge": judge.full_name, "court": judge.court.name},
            )

    def _case_number(self) -> str:
        return str(self.data.get("case") or self.initial.get("case") or "").strip()


def _case_field() -> forms.CharField:
    return forms.CharField(
        label=_("Case number"),
        max_length=40,
        error_messages={"required": _("Enter the case number.")},
    )


def _text(label: Any, required_message: Any, *, max_length: int = 2000, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": required_message},
        **kwargs,
    )


class ManualAssignmentForm(ChairForm):
    case = _case_field()
    judge = JudgeField()
    seat = forms.IntegerField(
        label=_("Seat"),
        initial=1,
        min_value=1,
        max_value=9,
        help_text=_("1 is the judge hearing the case alone, or the reporting judge of a panel."),
        error_messages={
            "required": _("This case has no such seat."),
            "min_value": _("This case has no such seat."),
            "max_value": _("This case has no such seat."),
            "invalid": _("This case has no such seat."),
        },
    )
    reason = _text(
        _("Reason for the exception"),
        _("Give the reason for the manual assignment (at least 10 characters)."),
        min_length=10,
        help_text=_("At least 10 characters. It is recorded and shown with the assignment."),
    )
    understood = forms.BooleanField(
        label=_(
            "I understand that this manual assignment, with my name and the reason, is shown in every "
            "distribution report."
        ),
        error_messages={
            "required": _("Confirm that you understand the assignment is shown in every report.")
        },
    )

    def __init__(self, *args: Any, court: Court, **kwargs: Any) -> None:
        super().__init__(*args, court=court, **kwargs)
        self.fields["reason"].error_messages["min_length"] = self.fields["reason"].error_messages["required"]
        judge_field = self.fields["judge"]
        assert isinstance(judge_field, JudgeField)
        judge_field.offer(selectors.court_judges(court=court))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        case, judge = data.get("case"), data.get("judge")
        if isinstance(case, Case) and isinstance(judge, Judge):
            self._judge_of_this_court(judge)
            if "judge" not in self.errors:
                obstacles = selectors.judge_obstacles(case=case, judge=judge, day=timezone.localdate())
                if obstacles:
                    self.add_error(
                        "judge",
                        _("This judge cannot hear the case: %(reasons)s.")
                        % {"reasons": "; ".join(obstacles)},
                    )
        return data


class RedistributionForm(ChairForm):
    case = _case_field()
    judge = JudgeField(label=_("Judge to replace"))
    reason_code = forms.ChoiceField(
        label=_("Ground"),
        choices=[
            ("", "—"),
            (RedistributionReason.RECUSAL_UPHELD, _("Recusal or self-recusal upheld")),
            (RedistributionReason.LONG_ABSENCE, _("Long absence of the judge")),
            (RedistributionReason.JUDGE_LEFT, _("The judge left the court")),
        ],
        error_messages={
            "required": _("Choose the reason for the redistribution."),
            "invalid_choice": _("Choose the reason for the redistribution."),
        },
    )
    reason = _text(_("Explanation"), _("Explain the redistribution."))

    def __init__(self, *args: Any, court: Court, **kwargs: Any) -> None:
        super().__init__(*args, court=court, **kwargs)
        case = Case.objects.filter(number=self._case_number(), court=court).first()
        listed = selectors.judges_holding(case=case) if case else []
        judge_field = self.fields["judge"]
        assert isinstance(judge_field, JudgeField)
        # With the case known, the judges holding it; else every judge of the court, gone ones too.
        judge_field.offer(listed or selectors.court_judges(court=court, active_only=False))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        case, judge = data.get("case"), data.get("judge")
        if (
            isinstance(case, Case)
            and isinstance(judge, Judge)
            and judge not in selectors.judges_holding(case=case)
        ):
            self.add_error(
                "judge",
                _("%(judge)s does not hold case %(case)s.") % {"judge": judge.full_name, "case": case.number},
            )
        return data


class AbsenceForm(ChairForm):
    judge = JudgeField()
    kind = forms.ChoiceField(
        label=_("Kind of absence"),
        choices=[("", "—"), *AbsenceKind.choices],
        error_messages={
            "required": _("Choose the kind of absence."),
            "invalid_choice": _("Choose the kind of absence."),
        },
    )
    starts_on = _date_field(_("First day"), required=_("Enter the first day."))
    ends_on = _date_field(_("Last day"), required=_("Enter the last day."))
    note = forms.CharField(label=_("Note (order number, etc.)"), max_length=500, required=False)

    def __init__(self, *args: Any, court: Court, **kwargs: Any) -> None:
        super().__init__(*args, court=court, **kwargs)
        judge_field = self.fields["judge"]
        assert isinstance(judge_field, JudgeField)
        judge_field.offer(selectors.court_judges(court=court))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        judge = data.get("judge")
        if isinstance(judge, Judge):
            self._judge_of_this_court(judge)
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if isinstance(starts_on, date) and isinstance(ends_on, date) and ends_on < starts_on:
            self.add_error("ends_on", _("The absence ends before it starts."))
        return data


class CancelAbsenceForm(ChairForm):
    reason = _text(
        _("Reason for cancelling"), _("Give the reason for cancelling the absence."), max_length=500
    )


class RecusalForm(ChairForm):
    case = _case_field()
    judge = JudgeField()
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", "—"), *RecusalKind.choices],
        error_messages={
            "required": _("Choose recusal or self-recusal."),
            "invalid_choice": _("Choose recusal or self-recusal."),
        },
    )
    grounds = _text(_("Grounds"), _("State the grounds."), max_length=5000)

    def __init__(self, *args: Any, court: Court, **kwargs: Any) -> None:
        super().__init__(*args, court=court, **kwargs)
        case = Case.objects.filter(number=self._case_number(), court=court).first()
        listed = selectors.judges_holding(case=case) if case else []
        judge_field = self.fields["judge"]
        assert isinstance(judge_field, JudgeField)
        judge_field.offer(listed or selectors.court_judges(court=court))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        case, judge = data.get("case"), data.get("judge")
        if (
            isinstance(case, Case)
            and isinstance(judge, Judge)
            and judge.court_id != case.court_id
            and judge not in selectors.judges_holding(case=case)
        ):
            self.add_error(
                "judge",
                _("%(judge)s neither holds case %(case)s nor sits in its court.")
                % {"judge": judge.full_name, "case": case.number},
            )
        return data


class RecusalDecisionForm(ChairForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("upheld", _("Uphold: the judge steps down")), ("rejected", _("Reject"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision."), "invalid_choice": _("Choose the decision.")},
    )
    reason = _text(_("Reasons of the decision"), _("Give the reasons of the decision."))


class PeriodForm(forms.Form):
    """A period for the verification and the records (both days included)."""

    start = _date_field(_("From"), required=_("Enter the first day."))
    end = _date_field(_("To"), required=_("Enter the last day."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("end", _("The end of the period is before its start."))
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_error"
        return data
