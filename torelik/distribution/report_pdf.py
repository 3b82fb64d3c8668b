"""The public draw report of a case as a PDF (WeasyPrint, DejaVu fonts for the Kazakh letters).

It renders what `selectors.public_case_report` returns, record by record, in words: the pool, the
settings, the candidates and their loads, who was excluded and why, the draw set, the day's
commitment and secret, the HMAC and the hash chain, and how anyone can re-check the draw. The
JSON report stays the machine-readable source; the PDF points to it by URL and QR code.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from torelik.cases.models import CaseStatus
from torelik.courts.models import CaseCategory, CaseKind, Court, CourtLevel, Judge, Specialisation
from torelik.distribution import crypto
from torelik.distribution.models import (
    PeriodUnit,
    RecordKind,
    RecordOutcome,
    SeatRole,
    ToleranceMode,
)
from torelik.distribution.wording import choice_label as _label
from torelik.distribution.wording import exclusion_reason, redistribution_reason
from torelik.distribution.wording import specialisations as _specialisations
from torelik.kernel.i18n import localized

__all__ = ["exclusion_reason", "render_draw_report_pdf", "report_context"]

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def json_report_url(number: str) -> str:
    """The JSON report of the case, as an absolute URL when PUBLIC_BASE_URL is set."""
    base = str(getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")
    return f"{base}{reverse('distribution:report_json')}?{urlencode({'number': number})}"


def _public_url(name: str) -> str:
    base = str(getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")
    return base + reverse(name)


def _qr_data_uri(url: str) -> str:
    import segno

    return str(segno.make(url, error="m", micro=False).png_data_uri(scale=4, border=4))


def _recheck(record: dict[str, Any], draw_set: list[int]) -> str:
    """Redoes the draw from the revealed secret, as a reader of the report would."""
    secret_hex = record.get("revealed_secret") or ""
    if not secret_hex:
        return ""
    try:
        secret = bytes.fromhex(secret_hex)
    except ValueError:
        return _("The revealed secret is not hexadecimal.")
    if crypto.sha256_hex(secret) != record["commitment"]:
        return _("The revealed secret does not match the day's commitment.")
    if crypto.sha256_hex(crypto.canonical_json(record["snapshot"])) != record["snapshot_sha256"]:
        return _("The snapshot does not match its SHA-256.")
    digest = crypto.draw_hmac(secret, record["case"], record["snapshot_sha256"])
    if not hmac.compare_digest(digest, record["draw_hmac"] or ""):
        return _("The HMAC does not recompute.")
    index = crypto.draw_index(digest, len(draw_set))
    if index != record["draw_index"] or draw_set[index] != record["judge_id"]:
        return _("The drawn judge does not follow from the HMAC.")
    return _("Recomputed from the revealed secret: the HMAC and the drawn judge match.")


def _record_context(
    raw: dict[str, Any],
    *,
    case_number: str,
    court_names: dict[str, str],
    spec_names: dict[str, str],
    judge_names: dict[int, str],
) -> dict[str, Any]:
    snap: dict[str, Any] = raw.get("snapshot") or {}
    draw: dict[str, Any] = snap.get("draw") or {}
    draw_ids = [int(j) for j in draw.get("set", [])]
    in_set = set(draw_ids)
    candidates = [
        {
            **row,
            "in_set": int(row["judge"]) in in_set,
            "drawn": int(row["judge"]) == raw.get("judge_id") and raw["kind"] != RecordKind.MANUAL,
        }
        for row in snap.get("candidates", [])
    ]
    excluded = [
        {
            "judge": e.get("judge"),
            "name": e.get("name", ""),
            "court": e.get("court", ""),
            "reasons": [exclusion_reason(r, spec_names=spec_names) for r in e.get("reasons", [])],
        }
        for e in snap.get("excluded", [])
    ]
    pool: dict[str, Any] = snap.get("pool") or {}
    policy: dict[str, Any] = snap.get("policy") or {}
    period: dict[str, Any] = snap.get("period") or {}
    category: dict[str, Any] = snap.get("category") or {}
    pool_court = pool.get("court") or ""
    created = datetime.fromisoformat(raw["created_at"]) if raw.get("created_at") else None
    if raw["kind"] == RecordKind.REDISTRIBUTION:
        reason_title = redistribution_reason(raw.get("reason_code", ""))
    elif raw["kind"] == RecordKind.MANUAL:
        reason_title = _("Manual exception by the chair of the court")
    else:
        reason_title = ""
    draw_ctx = None
    if draw:
        draw_ctx = {
            "judges": [{"id": j, "name": judge_names.get(j, str(j))} for j in draw_ids],
            "size": len(draw_ids),
            "min_load": draw.get("min_load", ""),
            "threshold": draw.get("threshold", ""),
            "fallback": bool(draw.get("fallback")),
            "mode": _label(ToleranceMode, draw.get("mode")),
            "tolerance": draw.get("tolerance", ""),
        }
    is_draw = bool(draw_ctx) and bool(raw.get("draw_hmac"))
    return {
        **raw,
        "case": case_number,
        "created": created,
        "kind_label": _label(RecordKind, raw["kind"]),
        "outcome_label": _label(RecordOutcome, raw.get("outcome")),
        "assigned": raw.get("outcome") == RecordOutcome.ASSIGNED,
        "role_label": _label(SeatRole, raw.get("role")),
        "seats": snap.get("seats"),
        "court_name": court_names.get(raw.get("court", ""), ""),
        "reason_title": reason_title,
        "previous_judge": judge_names.get(raw.get("previous_judge_id") or 0, ""),
        "pool": {
            "national": pool.get("scope") == "national",
            "court": pool_court,
            "court_name": court_names.get(pool_court, ""),
            "levels": ", ".join(_label(CourtLevel, lvl) for lvl in pool.get("levels", [])) or "—",
            "specialisations": _specialisations(pool.get("specialisations"), spec_names)
            if pool.get("specialisations")
            else "",
            "kind": _label(CaseKind, pool.get("kind")),
        },
        "policy": {
            "version": policy.get("version", raw.get("policy_version")),
            "tolerance": policy.get("tolerance", ""),
            "mode": _label(ToleranceMode, policy.get("tolerance_mode")),
            "period": _label(PeriodUnit, policy.get("period")),
        },
        "period": period,
        "category_weight": category.get("weight", ""),
        "load_delta": snap.get("load_delta", ""),
        "formula": snap.get("formula", ""),
        "candidates": candidates,
        "excluded": excluded,
        "draw": draw_ctx,
        "is_draw": is_draw,
        "recheck": _recheck({**raw, "case": case_number}, draw_ids) if is_draw else "",
    }


def _names(report: dict[str, Any]) -> tuple[dict[str, str], dict[str, str], dict[int, str]]:
    """Court and specialisation names in the active language, and the names of the judges named."""
    courts: set[str] = {report["court"]}
    specs: set[str] = set()
    judges: dict[int, str] = {}
    wanted: set[int] = set()
    for record in report["records"]:
        snap = record.get("snapshot") or {}
        courts.add(record.get("court", ""))
        pool = snap.get("pool") or {}
        if pool.get("court"):
            courts.add(pool["court"])
        specs.update(pool.get("specialisations") or [])
        for row in snap.get("candidates", []):
            judges[int(row["judge"])] = row.get("name", "")
        for row in snap.get("excluded", []):
            judges[int(row["judge"])] = row.get("name", "")
            for reason in row.get("reasons", []):
                specs.update(reason.get("has") or [])
        for key in ("judge_id", "previous_judge_id"):
            if record.get(key):
                wanted.add(int(record[key]))
    missing = wanted - set(judges)
    if missing:
        judges.update(Judge.objects.filter(pk__in=missing).values_list("pk", "full_name"))
    court_names = {c.code: localized(c, "name") for c in Court.objects.filter(code__in=courts)}
    spec_names = {s.code: localized(s, "name") for s in Specialisation.objects.filter(code__in=specs)}
    return court_names, spec_names, judges


def report_context(report: dict[str, Any]) -> dict[str, Any]:
    """The template's context; call with the report's language active."""
    court_names, spec_names, judge_names = _names(report)
    category = CaseCategory.objects.filter(code=report["category"]).first()
    json_url = json_report_url(report["case"])
    return {
        "language": translation.get_language(),
        "report": report,
        "case_number": report["case"],
        "court_code": report["court"],
        "court_name": court_names.get(report["court"], ""),
        "category": localized(category, "name") if category else report["category"],
        "category_code": report["category"],
        "status": _label(CaseStatus, report.get("status")),
        "seats": [{**s, "role_label": _label(SeatRole, s.get("role"))} for s in report.get("seats", [])],
        "records": [
            _record_context(
                r,
                case_number=report["case"],
                court_names=court_names,
                spec_names=spec_names,
                judge_names=judge_names,
            )
            for r in report["records"]
        ],
        "generated": timezone.now(),
        "json_url": json_url,
        "qr": _qr_data_uri(json_url),
        "public_url": _public_url("distribution:public"),
        "commitments_url": _public_url("api:list_commitments"),
        "keys_url": _public_url("api:list_public_keys"),
    }


def render_draw_report_pdf(*, report: dict[str, Any], language: str) -> bytes:
    """The draw report (`selectors.public_case_report`) as a PDF in `language` (kk, ru or en)."""
    from weasyprint import HTML  # imported here: loading WeasyPrint costs start-up time

    if language not in LANGUAGES:
        raise ValueError(f"unsupported language: {language}")
    with translation.override(language):
        html = render_to_string("distribution/report_pdf.html", report_context(report))
    return bytes(HTML(string=html, base_url=None).write_pdf())
