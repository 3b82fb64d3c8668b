"""The public draw report of a case as a PDF download (no login, no CAPTCHA, like the JSON report)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils import translation
from django.utils.translation import gettext as _

from torelik.distribution import selectors
from torelik.distribution.report_pdf import LANGUAGES, render_draw_report_pdf
from torelik.kernel.errors import NotFoundError


def report_pdf(request: HttpRequest) -> HttpResponse:
    """?number=<case number>&lang=kk|ru|en (by default the language of the request)."""
    language = request.GET.get("lang", "")
    if language not in LANGUAGES:
        language = translation.get_language() or "ru"
        if language not in LANGUAGES:
            language = "ru"
    try:
        report = selectors.public_case_report(number=request.GET.get("number", ""))
    except NotFoundError:
        with translation.override(language):
            message = _("No public case with this number.")
        return HttpResponseNotFound(message, content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        render_draw_report_pdf(report=report, language=language), content_type="application/pdf"
    )
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in report["case"])
    response["Content-Disposition"] = f'attachment; filename="distribution-{safe}.pdf"'
    response["Content-Language"] = language
    return response
