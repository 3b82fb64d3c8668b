"""An act as a PDF (WeasyPrint, DejaVu Sans for the Kazakh letters) with its verification QR code."""

from __future__ import annotations

import functools
import threading
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from torelik.acts import drafting
from torelik.acts.models import JudicialAct

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

QR_SCALE = 4  # pixels per module in the PNG; the page sets the printed size
QR_BORDER = 4  # quiet zone, in modules, as ISO/IEC 18004 asks
QR_ERROR = "m"


def verification_url(act: JudicialAct) -> str:
    """The public page the act's QR code points to."""
    base = str(getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")
    return base + reverse("acts:verify_code", args=[act.verification_code])


def qr_png_data_uri(url: str) -> str:
    import segno

    return str(segno.make(url, error=QR_ERROR, micro=False).png_data_uri(scale=QR_SCALE, border=QR_BORDER))


def render_act_pdf(act: JudicialAct, *, draft: bool = False) -> bytes:
    """The act's PDF, unsigned; `draft` marks a preview as not signed."""
    from weasyprint import HTML  # imported here: loading WeasyPrint costs start-up time

    url = verification_url(act)
    paragraphs = [p.strip("\n") for p in act.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = render_to_string(
        "acts/pdf/act.html",
        {
            "act": act,
            "language": act.language,
            "court": drafting.court_name(act.case, act.language),
            "paragraphs": paragraphs,
            "labels": drafting.PDF_LABELS[act.language],
            "date": drafting.format_date(act.act_date, act.language),
            "verification_url": url,
            "qr": qr_png_data_uri(url),
            "draft": draft,
        },
    )
    with _FONTS_LOCK:
        return bytes(HTML(string=html, base_url=None).write_pdf(font_config=_font_config()))


# One font configuration per process: WeasyPrint builds a new one for every document unless it is
# given one, which is half the time of rendering an act; the PDF is byte for byte the same.
_FONTS_LOCK = threading.Lock()


@functools.cache
def _font_config() -> FontConfiguration:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()
