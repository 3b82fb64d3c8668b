"""Drafting: who may draft, the templates filled with the case's data, editing, the PDF."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from torelik.acts import selectors, services
from torelik.acts.models import ActStatus, JudicialAct
from torelik.acts.rendering import render_act_pdf
from torelik.acts.tests.conftest import make_judge
from torelik.kernel.errors import DomainError

pytestmark = pytest.mark.django_db

KAZAKH_LETTERS = "әғқңөұүһі"


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "act.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize(
    ("kind", "language", "title", "heading"),
    [
        ("decision", "kk", "ШЕШІМ", "ШЕШТІ:"),
        ("decision", "ru", "РЕШЕНИЕ", "РЕШИЛ:"),
        ("ruling", "kk", "ҰЙҒАРЫМ", None),
        ("ruling", "ru", "ОПРЕДЕЛЕНИЕ", None),
        ("order", "kk", "ҚАУЛЫ", None),
        ("order", "ru", "ПОСТАНОВЛЕНИЕ", None),
        ("court_order", "kk", "СОТ БҰЙРЫҒЫ", None),
        ("court_order", "ru", "СУДЕБНЫЙ ПРИКАЗ", None),
    ],
)
def test_a_draft_is_filled_with_the_case_s_data(case, judge_user, kind, language, title, heading) -> None:
    act = services.create_draft(
        case=case, user=judge_user, kind=kind, language=language, act_date=dt.date(2026, 11, 22)
    )
    assert act.status == ActStatus.DRAFT
    assert act.title == title
    assert case.number in act.body
    assert "СЕРИКОВ АЙДАР НУРЛАНОВИЧ" in act.body
    assert "«Әдемі Құрылыс Өңірі» ЖШС" in act.body
    assert case.court.name_kk if language == "kk" else case.court.name_ru in act.body
    court_name = case.court.name_kk if language == "kk" else case.court.name_ru
    assert court_name in act.body
    category = case.category.name_kk if language == "kk" else case.category.name_ru
    assert category in act.body
    assert ("2026 жылғы 22 қараша" if language == "kk" else "22 ноября 2026 года") in act.body
    assert "БЕКОВ НУРЛАН САПАРОВИЧ" in act.body
    if heading:
        assert heading in act.body


def test_the_judge_edits_the_draft(case, judge_user) -> None:
    act = services.create_draft(case=case, user=judge_user, kind="decision", language="ru")
    edited = services.update_draft(
        act=act,
        user=judge_user,
        title="  РЕШЕНИЕ   суда ",
        body="Иск удовлетворить.\r\n",
        act_date=dt.date(2026, 12, 2),
    )
    edited.refresh_from_db()
    assert edited.title == "РЕШЕНИЕ суда"
    assert edited.body == "Иск удовлетворить.\n"
    assert edited.act_date == dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("title", "body", "code", "field"),
    [
        ("", "text", "title_required", "title"),
        ("T", "   ", "body_required", "body"),
        ("T" * 256, "x", "title_too_long", "title"),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(case, judge_user, title, body, code, field) -> None:
    act = services.create_draft(case=case, user=judge_user, kind="decision", language="ru")
    before = act.body
    with pytest.raises(DomainError) as err:
        services.update_draft(act=act, user=judge_user, title=title, body=body)
    assert (err.value.code, err.value.field) == (code, field)
    act.refresh_from_db()
    assert act.body == before


def test_unknown_kind_or_language_is_refused(case, judge_user) -> None:
    with pytest.raises(DomainError) as err:
        services.create_draft(case=case, user=judge_user, kind="verdict", language="ru")
    assert err.value.field == "kind"
    with pytest.raises(DomainError) as err:
        services.create_draft(case=case, user=judge_user, kind="decision", language="en")
    assert err.value.field == "language"
    assert JudicialAct.objects.count() == 0


def test_only_a_judge_of_the_case_s_court_may_draft(case, citizen, clerk, demo_court) -> None:
    from torelik.courts.models import Court

    for user in (citizen, clerk):
        with pytest.raises(DomainError) as err:
            services.create_draft(case=case, user=user, kind="decision", language="ru")
        assert err.value.code == "not_a_judge"
    appeal_judge = make_judge(court=Court.objects.get(code="7100"), key="lawyer", username="appeal-judge")
    with pytest.raises(DomainError) as err:
        services.create_draft(case=case, user=appeal_judge, kind="decision", language="ru")
    assert err.value.code == "not_your_case"
    assert JudicialAct.objects.count() == 0


def test_once_assigned_only_the_case_s_judge_may_draft(case, judge_user, demo_court) -> None:
    colleague = make_judge(court=demo_court, key="prosecutor", username="colleague")
    # Until distribution assigns the case, any judge of the court may draft.
    assert selectors.cases_for_judge(judge=colleague.judge).filter(pk=case.pk).exists()
    case.judge = judge_user.judge
    case.save(update_fields=["judge"])
    with pytest.raises(DomainError) as err:
        services.create_draft(case=case, user=colleague, kind="decision", language="ru")
    assert err.value.code == "not_your_case"
    act = services.create_draft(case=case, user=judge_user, kind="decision", language="ru")
    with pytest.raises(DomainError):
        services.update_draft(act=act, user=colleague, title="x", body="y")


def test_the_pdf_shows_kazakh_letters_and_the_verification_address(case, judge_user, tmp_path) -> None:
    act = services.create_draft(case=case, user=judge_user, kind="decision", language="kk")
    services.update_draft(
        act=act,
        user=judge_user,
        title=act.title,
        body=act.body + "\nӘділ сот: ғ қ ң ө ұ ү һ і — Ә Ғ Қ Ң Ө Ұ Ү Һ І.\n",
    )
    act.refresh_from_db()
    text = _pdf_text(render_act_pdf(act), tmp_path)
    for letter in KAZAKH_LETTERS + KAZAKH_LETTERS.upper():
        assert letter in text, letter
    assert "ШЕШІМ" in text
    assert "Әділ сот: ғ қ ң ө ұ ү һ і" in text
    assert case.number in text
    assert act.verification_code in text.replace("\n", "")
    assert "Түпнұсқалығын тексеру" in text


def test_the_preview_is_marked_as_an_unsigned_draft_with_its_qr_code(case, judge_user, tmp_path) -> None:
    act = services.create_draft(case=case, user=judge_user, kind="ruling", language="ru")
    data = render_act_pdf(act, draft=True)
    assert "ПРОЕКТ — не подписан" in _pdf_text(data, tmp_path)
    (tmp_path / "p.pdf").write_bytes(data)
    images = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "p.pdf")], capture_output=True, text=True, check=True
    )
    assert len(images.stdout.strip().splitlines()) == 3  # two header lines and the QR code
