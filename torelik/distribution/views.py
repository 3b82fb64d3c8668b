"""Pages of the distribution app: the public draw report and commitments, the chairs' reports."""

from __future__ import annotations

import json
from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from torelik.distribution import selectors
from torelik.identity.models import User
from torelik.identity.permissions import staff_required
from torelik.kernel.errors import NotFoundError


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


@staff_required
def staff_reports(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    court = user.court
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today - timedelta(days=30)
    try:
        end = date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    context: dict[str, object] = {"court": court, "start": start, "end": end}
    if court is not None:
        period, rows = selectors.load_report(court=court, day=end)
        context.update(
            period=period,
            rows=rows,
            fairness=selectors.fairness(rows),
            summary=selectors.draw_summary(court=court, start=start, end=end),
        )
    context["alerts"] = selectors.open_alerts(court=court)
    return render(request, "distribution/staff.html", context)
