"""Filling an act's template with the case's data, in the act's language (Kazakh or Russian).

The words here are part of the court document, not of the interface: an act in Kazakh says
"талап қоюшы" whatever language the judge's screen is in, so they are data per language rather
than gettext strings. Templates: acts/drafts/<kind>.<language>.txt (Django templates, plain text).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string

from torelik.cases.models import Case, Party, PartyRole
from torelik.courts.models import Judge
from torelik.kernel.money import Money

LANGUAGES = ("kk", "ru")

TITLES: dict[str, dict[str, str]] = {
    "kk": {"decision": "ШЕШІМ", "ruling": "ҰЙҒАРЫМ", "order": "ҚАУЛЫ", "court_order": "СОТ БҰЙРЫҒЫ"},
    "ru": {
        "decision": "РЕШЕНИЕ",
        "ruling": "ОПРЕДЕЛЕНИЕ",
        "order": "ПОСТАНОВЛЕНИЕ",
        "court_order": "СУДЕБНЫЙ ПРИКАЗ",
    },
}

ROLES: dict[str, dict[str, str]] = {
    "kk": {
        PartyRole.PLAINTIFF: "талап қоюшы",
        PartyRole.DEFENDANT: "жауапкер",
        PartyRole.APPLICANT: "өтініш беруші",
        PartyRole.THIRD_PARTY: "үшінші тұлға",
        PartyRole.REPRESENTATIVE: "өкіл",
    },
    "ru": {
        PartyRole.PLAINTIFF: "истец",
        PartyRole.DEFENDANT: "ответчик",
        PartyRole.APPLICANT: "заявитель",
        PartyRole.THIRD_PARTY: "третье лицо",
        PartyRole.REPRESENTATIVE: "представитель",
    },
}

MONTHS: dict[str, tuple[str, ...]] = {
    "kk": (
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ),
    # Genitive, as dates are written: "22 ноября 2026 года".
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
}

# Labels of the PDF around the act's text.
PDF_LABELS: dict[str, dict[str, str]] = {
    "kk": {
        "case": "Іс №",
        "judge": "Судья",
        "signed": "Электрондық цифрлық қолтаңбамен қол қойылған",
        "verify": "Түпнұсқалығын тексеру",
        "code": "Тексеру коды",
        "draft": "ЖОБА — қол қойылмаған",
    },
    "ru": {
        "case": "Дело №",
        "judge": "Судья",
        "signed": "Подписано электронной цифровой подписью",
        "verify": "Проверка подлинности",
        "code": "Код проверки",
        "draft": "ПРОЕКТ — не подписан",
    },
}


def format_date(value: date, language: str) -> str:
    month = MONTHS[language][value.month - 1]
    if language == "kk":
        return f"{value.year} жылғы {value.day} {month}"
    return f"{value.day} {month} {value.year} года"


def court_name(case: Case, language: str) -> str:
    return str(getattr(case.court, f"name_{language}", "") or case.court.name)


def category_name(case: Case, language: str) -> str:
    return str(getattr(case.category, f"name_{language}", "") or case.category.name)


def default_title(kind: str, language: str) -> str:
    return TITLES[language][kind]


@dataclass(frozen=True)
class PartyLine:
    role: str
    name: str


def _names(parties: list[Party], role: str) -> str:
    return ", ".join(p.name for p in parties if p.role == role)


def fill_template(*, case: Case, judge: Judge, kind: str, language: str, act_date: date) -> tuple[str, str]:
    """(title, body) of a new draft: the template of `kind` in `language` with the case's data."""
    if language not in LANGUAGES or kind not in TITLES[language]:
        raise ValueError(f"no template for {kind}/{language}")
    parties = list(case.parties.order_by("id"))
    context = {
        "court": court_name(case, language),
        "case_number": case.number,
        "category": category_name(case, language),
        "date": format_date(act_date, language),
        "judge": judge.full_name,
        "plaintiffs": _names(parties, PartyRole.PLAINTIFF) or _names(parties, PartyRole.APPLICANT),
        "defendants": _names(parties, PartyRole.DEFENDANT),
        "parties": [PartyLine(role=ROLES[language].get(p.role, p.role), name=p.name) for p in parties],
        "claim_amount": (
            Money(case.claim_amount_tiyn).format(language) if case.claim_amount_tiyn is not None else ""
        ),
    }
    body = render_to_string(f"acts/drafts/{kind}.{language}.txt", context)
    # Templates are laid out for reading; the act's text keeps single blank lines between paragraphs.
    lines = [line.rstrip() for line in body.strip().splitlines()]
    cleaned: list[str] = []
    for line in lines:
        if line or (cleaned and cleaned[-1]):
            cleaned.append(line)
    return default_title(kind, language), "\n".join(cleaned).strip() + "\n"
