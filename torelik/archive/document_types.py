"""The first version of the classification of document types in the electronic case file.

Reference data that court administrators maintain in the admin; rows are matched by `code` and
only missing ones are added, so edits of names or retention periods are never overwritten.

Retention periods (years the bytes are kept after the document entered the file; None = kept
permanently) are NOT confirmed from a primary source: the courts' nomenclature of files with
retention periods is not published in a form we could check. Every period below is "(confirm)"
data — `retention_confirmed` is False for each row until an administrator confirms it.
Judicial acts that decide a case are kept permanently; recordings of hearings five years, as the
issue that introduced the e-file states; the rest ten years as a cautious starting point.

`seed_document_types` takes the model class so that the data migration can pass the historical
model; this module imports no models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

# code, retention years (None = permanent), name_kk, name_ru, name_en
DocumentTypeRow = tuple[str, int | None, str, str, str]

# fmt: off
DOCUMENT_TYPES: list[DocumentTypeRow] = [
    # Filings of the parties.
    ("claim", 10, "Талап арыз", "Исковое заявление", "Statement of claim"),
    ("complaint", 10, "Шағым", "Жалоба", "Complaint"),
    ("application", 10, "Өтініш", "Заявление", "Application"),
    ("petition", 10, "Өтінішхат", "Ходатайство", "Petition"),
    ("attachment", 10, "Қосымша", "Приложение", "Attachment"),
    ("evidence", 10, "Дәлелдеме", "Доказательство", "Evidence"),
    # Judicial acts.
    ("act.decision", None, "Сот шешімі", "Решение суда", "Decision"),
    ("act.sentence", None, "Сот үкімі", "Приговор суда", "Sentence"),
    ("act.resolution", None, "Сот қаулысы", "Постановление суда", "Resolution"),
    ("act.ruling", 10, "Сот ұйғарымы", "Определение суда", "Ruling"),
    ("act.court_order", 10, "Сот бұйрығы", "Судебный приказ", "Court order"),
    # Hearings.
    ("hearing.record", 10, "Сот отырысының хаттамасы", "Протокол судебного заседания", "Hearing record"),
    ("hearing.audio", 5, "Сот отырысының аудиожазбасы", "Аудиозапись судебного заседания",
     "Audio recording of a hearing"),
    ("hearing.video", 5, "Сот отырысының бейнежазбасы", "Видеозапись судебного заседания",
     "Video recording of a hearing"),
    # Notices and receipts.
    ("notice.evidence", 5, "Хабарламаның тапсырылғаны туралы дәлел", "Подтверждение вручения извещения",
     "Evidence of notice delivery"),
    ("receipt.filing", 5, "Өтініштің қабылданғаны туралы түбіртек", "Квитанция о приёме обращения",
     "Filing receipt"),
    ("receipt.fee", 5, "Мемлекеттік баждың төленгені туралы түбіртек",
     "Квитанция об уплате государственной пошлины", "State fee payment receipt"),
    ("signature", 10, "Электрондық цифрлық қолтаңба файлы", "Файл электронной цифровой подписи",
     "Electronic signature file"),
]
# fmt: on

# The document type of a filing's own body (its signed JSON), by submission type; anything else
# that comes with a filing is an attachment.
FILING_BODY_TYPES = {
    "claim": "claim",
    "administrative_claim": "claim",
    "private_prosecution": "complaint",
    "petition": "petition",
}
DEFAULT_FILING_BODY_TYPE = "application"


def filing_document_type(*, submission_type: str | None, is_body: bool) -> str:
    if not is_body:
        return "attachment"
    return FILING_BODY_TYPES.get(submission_type or "", DEFAULT_FILING_BODY_TYPE)


def seed_document_types(model: Any) -> int:
    """Add the document types that are missing; returns how many were added."""
    added = 0
    for position, (code, years, name_kk, name_ru, name_en) in enumerate(DOCUMENT_TYPES):
        _row, created = model.objects.get_or_create(
            code=code,
            defaults={
                "retention_years": years,
                "retention_confirmed": False,
                "position": position * 10,
                "name_kk": name_kk,
                "name_ru": name_ru,
                "name_en": name_en,
            },
        )
        added += int(created)
    return added


def add_years(moment: datetime, years: int) -> datetime:
    """`moment` plus whole calendar years; 29 February becomes 28 February in a common year."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def retention_end(filed_at: datetime, years: int | None) -> datetime | None:
    """When the retention period of a document filed at `filed_at` ends; None: kept permanently."""
    return None if years is None else add_years(filed_at, years)
