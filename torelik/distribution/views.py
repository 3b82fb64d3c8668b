"""Pages of the distribution app: the public draw report and commitments; for court staff the
reports; for chairs, administrators and auditors the verification and the full records; for the
court chair the forms of the exceptions (manual assignment, redistribution, absences, recusals).

Auditors read every court's reports and records but change nothing: every form refuses them.
Who may see and do what is decided in `permissions.py`; the services check their acting user
again, and these pages translate the errors and show only the actions the user may take.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from torelik.courts.models import Court, Judge
from torelik.distribution import forms, permissions, selectors, services, verification
from torelik.distribution.models import JudgeAbsence, Recusal, RecusalStatus
from torelik.distribution.permissions import Action
from torelik.identity.models import Role, User
from torelik.identity.permissions import staff_required
from torelik.kernel.errors import DomainError, NotFoundError

RECORDS_PER_PAGE = 100


def public(request: HttpRequest) -> HttpResponse:
    """Find a case's judge by number; the list of day commitments and revealed secrets."""
    number = request.GET.get("number", "").strip()
    report = None
    not_found = False
    if number:
        try:
            report = selectors.public_case_report(number=number)
        except NotFoundError:
            not_found = True
    return render(
        request,
        "distribution/public.html",
        {
            "number": number,
            "report": report,
            "not_found": not_found,
            "commitments": selectors.commitments(limit=14),
            "keys": selectors.public_keys(),
        },
        status=404 if not_found else 200,
    )


def report_json(request: HttpRequest) -> HttpResponse:
    """The full draw report of a case as a JSON file, for anyone to re-check."""
    number = request.GET.get("number", "")
    try:
        report = selectors.public_case_report(number=number)
    except NotFoundError as exc:
        return JsonResponse(exc.as_dict(), status=404)
    response = HttpResponse(
        json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True), content_type="application/json"
    )
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in report["case"])
    response["Content-Disposition"] = f'attachment; filename="distribution-{safe}.json"'
    return response


# ---------------------------------------------------------------- who may do what


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _chair(request: HttpRequest) -> tuple[User, Court]:
    """The court chair acting, and their court; everyone else gets a 403 that says why."""
    user = _user(request)
    permissions.require(user, Action.USE_CHAIR_FORMS)
    assert user.court is not None  # the chair of a court (permissions checked it)
    return user, user.court


def _auditing(request: HttpRequest) -> User:
    user = _user(request)
    permissions.require_role(user, Action.READ_RECORDS)
    return user


def _records_scope(user: User, court: Court | None) -> Court | None:
    """`court` once `user` may read its records; None (every court) for those who read every court."""
    if court is None:
        permissions.require(user, Action.READ_EVERY_COURT)
    else:
        permissions.require(user, Action.READ_RECORDS, court=court)
    return court


def _chosen_court(request: HttpRequest, user: User, *, every: bool = False) -> Court | None:
    """The court whose reports to show: any court for administrators and auditors, else the user's.

    With `every`, administrators and auditors who choose no court get None: every court."""
    if permissions.can_read_every_court(user):
        code = request.GET.get("court", "")
        if code:
            court = selectors.court_by_code(code)
            if court is None:
                raise NotFoundError("not_found", _("No court with the code %(code)s.") % {"code": code})
            return court
        return user.court if user.role == Role.ADMIN and not every else None
    return user.court


def _period(request: HttpRequest, *, default_days: int = 30) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today - timedelta(days=default_days)
    try:
        end = date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    return start, end


# ---------------------------------------------------------------- reports, verification, records


@staff_required
def staff_reports(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    court = _chosen_court(request, user)
    start, end = _period(request)
    every_court = permissions.can_read_every_court(user)
    context: dict[str, object] = {
        "court": court,
        "start": start,
        "end": end,
        "may_choose_court": every_court,
        "may_audit": permissions.can_audit(user),
        "is_chair": permissions.can_use_chair_forms(user),
    }
    if every_court:
        context["courts"] = selectors.courts()
    if court is not None:
        permissions.require(user, Action.READ_REPORTS, court=court)
        period, rows = selectors.load_report(court=court, day=end)
        context.update(
            period=period,
            rows=rows,
            fairness=selectors.fairness(rows),
            summary=selectors.draw_summary(court=court, start=start, end=end),
        )
        if context["is_chair"]:
            context.update(
                absences=selectors.absences_of_court(court=court, today=timezone.localdate()),
                recusals=selectors.pending_recusals(court=court),
            )
    context["alerts"] = (
        selectors.open_alerts(court=court) if court is not None or user.role == Role.ADMIN else []
    )
    return render(request, "distribution/staff.html", context)


@staff_required
def verify_page(request: HttpRequest) -> HttpResponse:
    """Runs the verification of a period and says, in plain words, whether every record holds."""
    _auditing(request)
    report = None
    if "start" in request.GET:
        form = forms.PeriodForm(request.GET)
        if form.is_valid():
            report = verification.verify(start=form.cleaned_data["start"], end=form.cleaned_data["end"])
    else:
        today = timezone.localdate()
        form = forms.PeriodForm(initial={"start": today - timedelta(days=30), "end": today})
    findings = report.findings[:100] if report else []
    return render(
        request,
        "distribution/verify.html",
        {"form": form, "report": report, "findings": findings},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@staff_required
def records_page(request: HttpRequest) -> HttpResponse:
    """The full records of a period: a chair's court, or any court (or all) for auditors and admins."""
    user = _auditing(request)
    court = _records_scope(user, _chosen_court(request, user, every=True))
    start, end = _period(request, default_days=7)
    try:
        offset = max(0, int(request.GET.get("offset", "0")))
    except ValueError:
        offset = 0
    total, rows = selectors.records_of_period(
        court=court, start=start, end=end, offset=offset, limit=RECORDS_PER_PAGE
    )
    query: dict[str, str] = {"from": start.isoformat(), "to": end.isoformat()}
    if court is not None:
        query["court"] = court.code
    nxt = offset + RECORDS_PER_PAGE
    return render(
        request,
        "distribution/records.html",
        {
            "court": court,
            "start": start,
            "end": end,
            "total": total,
            "rows": rows,
            "first": offset + 1 if rows else 0,
            "last": offset + len(rows),
            "may_choose_court": permissions.can_read_every_court(user),
            "courts": selectors.courts() if permissions.can_read_every_court(user) else [],
            "next_url": f"?{urlencode({**query, 'offset': str(nxt)})}" if nxt < total else "",
            "prev_url": f"?{urlencode({**query, 'offset': str(max(0, offset - RECORDS_PER_PAGE))})}"
            if offset
            else "",
        },
    )


@staff_required
def record_page(request: HttpRequest, record_id: int) -> HttpResponse:
    user = _auditing(request)
    court = _records_scope(user, None if permissions.can_read_every_court(user) else user.court)
    record = selectors.record_by_id(record_id=record_id, court=court)
    return render(
        request,
        "distribution/record.html",
        {
            "record": record,
            "snapshot": json.dumps(record["snapshot"], ensure_ascii=False, indent=2, sort_keys=True),
        },
    )


@staff_required
def case_page(request: HttpRequest) -> HttpResponse:
    """One case: who holds its seats, its records and recusals; for its chair, the actions on it."""
    user = _auditing(request)
    number = request.GET.get("number", "").strip()
    if not number:
        raise NotFoundError("not_found", _("Enter the case number."))
    court = _records_scope(user, None if permissions.can_read_every_court(user) else user.court)
    data = selectors.case_for_staff(number=number, court=court)
    return render(
        request,
        "distribution/case.html",
        {**data, "is_chair": permissions.can_act_as_chair_of(user, data["case"])},
    )


# ---------------------------------------------------------------- the chair's forms


def _form_page(request: HttpRequest, template: str, form: forms.ChairForm, **extra: Any) -> HttpResponse:
    return render(
        request, template, {"form": form, **extra}, status=400 if form.is_bound and form.errors else 200
    )


def _initial(request: HttpRequest, *names: str) -> dict[str, str]:
    return {name: request.GET[name] for name in names if request.GET.get(name)}


def _back_to_reports() -> HttpResponseBase:
    return redirect(reverse("distribution:staff"))


def _seat_holder(result: services.DistributionResult) -> str:
    if not result.judges:
        return ""
    judge = Judge.objects.filter(pk=result.judges[0]).first()
    return judge.full_name if judge else ""


@staff_required
def manual_assignment(request: HttpRequest) -> HttpResponseBase:
    user, court = _chair(request)
    if request.method != "POST":
        form = forms.ManualAssignmentForm(initial={"seat": 1, **_initial(request, "case")}, court=court)
        return _form_page(request, "distribution/manual_assignment.html", form)
    form = forms.ManualAssignmentForm(request.POST, court=court)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assign_manually(
                case=data["case"], judge=data["judge"], reason=data["reason"], seat=data["seat"], actor=user
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.warning(
                request,
                _(
                    "Case %(case)s is assigned to %(judge)s by your decision. The manual assignment and "
                    "its reason are on the record and in every distribution report."
                )
                % {"case": data["case"].number, "judge": data["judge"].full_name},
            )
            return _back_to_reports()
    return _form_page(request, "distribution/manual_assignment.html", form)


@staff_required
def redistribution(request: HttpRequest) -> HttpResponseBase:
    user, court = _chair(request)
    if request.method != "POST":
        form = forms.RedistributionForm(
            initial=_initial(request, "case", "judge", "reason_code"), court=court
        )
        return _form_page(request, "distribution/redistribution.html", form)
    form = forms.RedistributionForm(request.POST, court=court)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.redistribute_case(
                case=data["case"],
                judge=data["judge"],
                reason_code=data["reason_code"],
                reason=data["reason"],
                actor=user,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            _say_redrawn(request, result)
            return _back_to_reports()
    return _form_page(request, "distribution/redistribution.html", form)


def _say_redrawn(request: HttpRequest, result: services.DistributionResult) -> None:
    if result.judges:
        messages.success(
            request,
            _("Case %(case)s was drawn again without the judge: %(judge)s now holds the seat.")
            % {"case": result.case.number, "judge": _seat_holder(result)},
        )
    else:
        messages.error(
            request,
            _(
                "No other judge may hear case %(case)s: the draw is recorded and the case waits in the "
                "alerts. You may assign a judge manually, with a reason."
            )
            % {"case": result.case.number},
        )


@staff_required
def absences(request: HttpRequest) -> HttpResponseBase:
    """The court's current and coming absences, and the form to record one."""
    user, court = _chair(request)
    if request.method == "POST":
        form = forms.AbsenceForm(request.POST, court=court)
        if form.is_valid():
            data = form.cleaned_data
            try:
                absence = services.record_absence(
                    judge=data["judge"],
                    kind=data["kind"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    note=data["note"],
                    actor=user,
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request,
                    _("The absence of %(judge)s from %(start)s to %(end)s is recorded.")
                    % {
                        "judge": absence.judge.full_name,
                        "start": absence.starts_on.strftime("%d.%m.%Y"),
                        "end": absence.ends_on.strftime("%d.%m.%Y"),
                    },
                )
                return redirect("distribution:absences")
    else:
        form = forms.AbsenceForm(initial=_initial(request, "judge"), court=court)
    return _form_page(
        request,
        "distribution/absences.html",
        form,
        absences=selectors.absences_of_court(court=court, today=timezone.localdate()),
    )


@staff_required
def cancel_absence(request: HttpRequest, absence_id: int) -> HttpResponseBase:
    user, court = _chair(request)
    absence = JudgeAbsence.objects.select_related("judge").filter(pk=absence_id, judge__court=court).first()
    if absence is None:
        raise NotFoundError("not_found", _("No such absence in your court."))
    if request.method == "POST":
        form = forms.CancelAbsenceForm(request.POST, court=court)
        if form.is_valid():
            try:
                services.cancel_absence(absence=absence, reason=form.cleaned_data["reason"], actor=user)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("The absence is cancelled."))
                return redirect("distribution:absences")
    else:
        form = forms.CancelAbsenceForm(court=court)
    return _form_page(request, "distribution/cancel_absence.html", form, absence=absence)


@staff_required
def recusals(request: HttpRequest) -> HttpResponseBase:
    """The court's recusals awaiting a decision, and the form to file one."""
    user, court = _chair(request)
    if request.method == "POST":
        form = forms.RecusalForm(request.POST, court=court)
        if form.is_valid():
            data = form.cleaned_data
            try:
                recusal = services.file_recusal(
                    case=data["case"],
                    judge=data["judge"],
                    kind=data["kind"],
                    grounds=data["grounds"],
                    actor=user,
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("The recusal is recorded. Decide it now or later."))
                return redirect("distribution:decide_recusal", recusal_id=recusal.pk)
    else:
        form = forms.RecusalForm(initial=_initial(request, "case", "judge"), court=court)
    return _form_page(
        request, "distribution/recusals.html", form, recusals=selectors.pending_recusals(court=court)
    )


@staff_required
def decide_recusal(request: HttpRequest, recusal_id: int) -> HttpResponseBase:
    user, court = _chair(request)
    recusal = Recusal.objects.select_related("case", "judge").filter(pk=recusal_id, case__court=court).first()
    if recusal is None:
        raise NotFoundError("not_found", _("No such recusal in your court."))
    holds = recusal.judge in selectors.judges_holding(case=recusal.case)
    if request.method == "POST" and recusal.status == RecusalStatus.PENDING:
        form = forms.RecusalDecisionForm(request.POST, court=court)
        if form.is_valid():
            upheld = form.cleaned_data["decision"] == "upheld"
            try:
                result = services.decide_recusal(
                    recusal=recusal, upheld=upheld, reason=form.cleaned_data["reason"], actor=user
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                if not upheld:
                    messages.success(request, _("The recusal is rejected; the judge keeps the case."))
                elif result is None:
                    messages.success(
                        request,
                        _(
                            "The recusal is upheld. The judge does not hold the case, so nothing was "
                            "drawn again."
                        ),
                    )
                else:
                    _say_redrawn(request, result)
                return _back_to_reports()
    else:
        form = forms.RecusalDecisionForm(court=court)
    query = {"case": recusal.case.number, "judge": str(recusal.judge_id), "reason_code": "recusal_upheld"}
    redistribute_url = f"{reverse('distribution:redistribution')}?{urlencode(query)}"
    return _form_page(
        request,
        "distribution/decide_recusal.html",
        form,
        recusal=recusal,
        holds=holds,
        redistribute_url=redistribute_url,
    )
