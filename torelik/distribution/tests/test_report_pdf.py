"""The PDF draw report: what a reader sees in it, in Kazakh, Russian and English."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext

import torelik.urls
from torelik.cases.models import Case
from torelik.courts.models import Court, Judge
from torelik.distribution import days, report_views, services
from torelik.distribution.models import AbsenceKind, DaySecret, DistributionRecord, RecusalKind
from torelik.distribution.report_pdf import exclusion_reason
from torelik.distribution.tests.conftest import judge_of, make_judge

# The project's URLs plus the PDF view, until the distribution URLconf routes it.
urlpatterns = [path("distribution/report.pdf", report_views.report_pdf), *torelik.urls.urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

KAZAKH_LETTERS = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")


def pdf_lines(content: bytes, tmp_path: Path) -> str:
    """The text of the PDF as pdftotext reads it."""
    source = tmp_path / "report.pdf"
    source.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(source), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The text of the PDF with runs of white space made single spaces (table cells wrap)."""
    return " ".join(pdf_lines(content, tmp_path).split())


def download(client: Client, number: str, tmp_path: Path, **params: str) -> str:
    response = client.get("/distribution/report.pdf", {"number": number, **params})
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return pdf_text(response.content, tmp_path)


def kk(message: str) -> str:
    with translation.override("kk"):
        return gettext(message)


def test_kazakh_report_names_the_judge_the_exclusions_and_the_hmac(
    judges: dict[str, Judge],
    register: Callable[..., Case],
    demo_court: Court,
    client: Client,
    tmp_path: Path,
    chair: Any,
) -> None:
    kazakh = make_judge(demo_court, "ҚҰНАНБАЕВА ӘСЕЛ ҒАБИТҚЫЗЫ", ["civil"])
    today = timezone.localdate()
    services.record_absence(
        judge=judges["civ2"], kind=AbsenceKind.TRAINING, starts_on=today, ends_on=today, actor=chair
    )
    case = register()
    record = DistributionRecord.objects.get(case=case)
    response = client.get("/distribution/report.pdf", {"number": case.number, "lang": "kk"})
    assert response.status_code == 200
    safe = case.number.replace("/", "_")
    assert response["Content-Disposition"] == f'attachment; filename="distribution-{safe}.pdf"'
    text = pdf_text(response.content, tmp_path)

    assert case.number in text
    assert judge_of(case).full_name in text
    assert kazakh.full_name in text  # a candidate (or the drawn judge) with Kazakh letters
    assert record.draw_hmac and record.draw_hmac in text
    assert record.record_hash in text and record.snapshot_sha256 in text
    # Headings in Kazakh, from the catalogue, with the letters proper to Kazakh intact.
    for heading in ("Distribution of cases", "Distribution records", "Candidates"):
        assert set(kk(heading)) & KAZAKH_LETTERS, f"no Kazakh translation of {heading!r}"
        assert kk(heading) in text
    assert "Астана қаласы Сарыарқа аудандық №2 соты" in text
    # The excluded judges, each with its reason in words of the report's language.
    with translation.override("kk"):
        absent = exclusion_reason(
            {"code": "absent", "kind": "training", "from": today.isoformat(), "to": today.isoformat()},
            spec_names={},
        )
    assert judges["civ2"].full_name in text and absent in text
    assert kk("Training").lower() in absent  # the kind of absence, translated
    assert judges["crim"].full_name in text


def test_english_report_explains_the_exclusions_and_how_to_recheck(
    judges: dict[str, Judge], register: Callable[..., Case], client: Client, tmp_path: Path, chair: Any
) -> None:
    today = timezone.localdate()
    services.record_absence(
        judge=judges["civ2"], kind=AbsenceKind.SICK_LEAVE, starts_on=today, ends_on=today, actor=chair
    )
    case = register()
    text = download(client, case.number, tmp_path, lang="en")
    assert "Draw report" in text and "Automated draw" in text
    assert f"Absent: sick leave, {today.isoformat()} – {today.isoformat()}" in text
    assert "No matching specialisation (has: " in text  # the criminal judge, for a divorce case
    assert "How to re-check this draw yourself" in text
    assert "HMAC-SHA256" in text and "modulo the size of the draw set" in text
    # Not revealed until the day ends; the address of the JSON report is printed.
    assert "Not revealed yet" in text
    assert "/distribution/report.json?number=" in text.replace(" ", "")


def test_language_defaults_to_the_requests(
    judges: dict[str, Judge], register: Callable[..., Case], client: Client, tmp_path: Path
) -> None:
    case = register()
    response = client.get("/distribution/report.pdf", {"number": case.number}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response["Content-Language"] == "ru"
    text = pdf_text(response.content, tmp_path)
    with translation.override("ru"):
        heading = gettext("Distribution records")
    assert heading != "Distribution records" and heading in text


def test_unknown_case_number_is_404_with_a_translated_message(client: Client, db: None) -> None:
    response = client.get("/distribution/report.pdf", {"number": "0000-00-00-0/0", "lang": "ru"})
    assert response.status_code == 404
    assert response.content.decode() == "Открытого дела с таким номером нет."
    english = client.get("/distribution/report.pdf", {"number": "nope", "lang": "en"})
    assert english.status_code == 404 and english.content.decode() == "No public case with this number."


def test_sealed_case_has_no_pdf(
    judges: dict[str, Judge], register: Callable[..., Case], client: Client
) -> None:
    case = register()
    Case.objects.filter(pk=case.pk).update(is_sealed=True)
    assert client.get("/distribution/report.pdf", {"number": case.number}).status_code == 404


def test_redistribution_and_manual_exception_appear_with_their_reasons(
    judges: dict[str, Judge], register: Callable[..., Case], chair: Any, client: Client, tmp_path: Path
) -> None:
    case = register()
    first = judge_of(case)
    recusal = services.file_recusal(
        case=case, judge=first, kind=RecusalKind.RECUSAL, grounds="Relative of the plaintiff", actor=chair
    )
    result = services.decide_recusal(
        recusal=recusal, upheld=True, reason="Relative of the plaintiff", actor=chair
    )
    assert result is not None and result.judges
    second = Judge.objects.get(pk=result.judges[0])
    other = next(
        judges[k] for k in ("civ1", "civ2", "civ3", "half") if judges[k].pk not in {first.pk, second.pk}
    )
    services.assign_manually(case=case, judge=other, reason="Urgent hearing needed today", actor=chair)
    days.reveal_days(now=timezone.now() + timedelta(days=1, hours=1))

    response = client.get("/distribution/report.pdf", {"number": case.number, "lang": "en"})
    assert response.status_code == 200
    lines = pdf_lines(response.content, tmp_path)
    text = " ".join(lines.split())
    records = list(DistributionRecord.objects.filter(case=case).order_by("id"))
    assert [r.kind for r in records] == ["draw", "redistribution", "manual"]
    # The redistribution: its reason, the judge it replaced and why that judge was excluded.
    assert "Redistribution" in text and "Recusal of the judge upheld" in text
    assert "Reason given: Relative of the plaintiff" in text
    assert f"Judge replaced {first.full_name}" in text
    assert "Recused in this case: recusal upheld" in text
    assert "Replaced by this redistribution: Recusal of the judge upheld" in text
    # The manual exception: its kind and the chair's reason; no draw.
    assert "Manual assignment by the chair" in text and "Manual exception by the chair of the court" in text
    assert "Reason given: Urgent hearing needed today" in text
    assert "No draw: the chair assigned the judge." in text
    assert other.full_name in text
    # With the day's secret revealed, both draws are re-computed and the secret is printed.
    revealed = DaySecret.objects.get(day=records[0].day).secret
    assert revealed and revealed in text
    assert text.count("Recomputed from the revealed secret: the HMAC and the drawn judge match.") == 2
    for record in records[:2]:
        assert record.draw_hmac in text
    # The command printed under each draw, copied from the PDF and run, gives the drawn index.
    commands = re.findall(r'^python3 -c "import hmac.*?^\d+$', lines, flags=re.MULTILINE | re.DOTALL)
    assert len(commands) == 2
    for command, record in zip(commands, records[:2], strict=True):
        assert record.snapshot_sha256 in command
        out = subprocess.run(["bash", "-c", command], check=True, capture_output=True, text=True).stdout
        assert int(out) == record.draw_index


def test_every_exclusion_code_reads_as_words() -> None:
    codes: list[dict[str, Any]] = [
        {"code": "court_inactive"},
        {"code": "instance", "level": "regional"},
        {"code": "inactive"},
        {"code": "not_appointed", "from": "2030-01-01"},
        {"code": "specialisation", "has": []},
        {"code": "absent", "kind": "leave", "from": "2026-01-01", "to": "2026-01-10"},
        {"code": "recused", "kind": "self_recusal"},
        {"code": "lower_instance", "case": "7140-26-00-2/1"},
        {"code": "retrial", "case": "7140-26-00-2/2"},
        {"code": "related_case", "case": "7140-26-00-2/3"},
        {"code": "on_panel"},
        {"code": "replaced", "reason": "judge_left"},
    ]
    with translation.override("en"):
        words = [exclusion_reason(c, spec_names={}) for c in codes]
    assert words == [
        "The court is not active",
        "A court of another instance (Regional court)",
        "The judge is not active",
        "Not yet appointed: appointed from 2030-01-01",
        "No matching specialisation (has: —)",
        "Absent: leave, 2026-01-01 – 2026-01-10",
        "Recused in this case: self-recusal upheld",
        "Judge of the case at the lower instance (7140-26-00-2/1)",
        "Took part in an earlier consideration of the case (7140-26-00-2/2)",
        "Judge of a related case of the same parties (7140-26-00-2/3)",
        "Already on the panel of this case",
        "Replaced by this redistribution: The judge no longer works in this court",
    ]
    assert not re.search(r"\b[a-z]+_[a-z]+\b", " ".join(words))  # no raw codes left
