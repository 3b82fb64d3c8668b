"""The seed of the unified classifier of case categories and of the judges' specialisations.

The classifier is reference data that court administrators maintain in the admin; this module
only holds its first version. Rows are matched by `code` and only missing ones are added, so an
administrator's edits of names, weights or flags are never overwritten.

About `number_code` (the category/instance part of a case number such as 7140-15-00-2/232):
the meaning of these codes is not published. Three are observed in real case numbers —
"2" (civil, first instance), "2а" (civil appeal, Cyrillic а) and "6ап" (Supreme Court,
civil) — the rest are plausible choices by analogy. All of them are configuration, editable
in the admin; nothing in the code may rely on a particular value.

`complexity_weight` is the relative effort of a case of the category (divorce = 1.0); the
distribution of cases balances judges' weighted load with it. The values are a starting point
for the courts' own calibration.

`seed_classifier` takes the model classes as arguments so that the data migration can pass the
historical models; this module imports no models.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# code, kind, instance, number_code, parent code, weight, is_property, virtual jurisdiction, names
CategoryRow = tuple[str, str, str, str, str | None, str, bool, bool, str, str, str]
# code, kind, names
SpecialisationRow = tuple[str, str, str, str, str]

# fmt: off
# code, kind, instance, number_code, parent code, weight, is_property, virtual jurisdiction,
# name_kk, name_ru, name_en
CATEGORIES: list[CategoryRow] = [
    # Civil, first instance.
    ("civ.property", "civil", "first", "2", None, "1.50", True, True,
     "Мүліктік даулар", "Имущественные споры", "Property disputes"),
    ("civ.loan", "civil", "first", "2", "civ.property", "1.00", True, True,
     "Қарыз шарттарынан туындайтын даулар", "Споры из договоров займа", "Loan disputes"),
    ("civ.consumer", "civil", "first", "2", "civ.property", "1.00", True, True,
     "Тұтынушылардың құқықтарын қорғау туралы даулар", "Споры о защите прав потребителей",
     "Consumer protection disputes"),
    # Disputes over a dwelling follow the location of the property (exclusive jurisdiction).
    ("civ.housing", "civil", "first", "2", None, "1.30", True, False,
     "Тұрғын үй даулары", "Жилищные споры", "Housing disputes"),
    # Heard where the inheritance was opened, hence no virtual jurisdiction.
    ("civ.inheritance", "civil", "first", "2", None, "1.40", True, False,
     "Мұрагерлік даулар", "Наследственные споры", "Inheritance disputes"),
    ("civ.divorce", "civil", "first", "2", None, "1.00", False, True,
     "Некені бұзу туралы істер", "О расторжении брака", "Divorce"),
    ("civ.alimony", "civil", "first", "2", None, "0.70", False, True,
     "Алимент өндіріп алу туралы істер", "О взыскании алиментов", "Alimony (maintenance)"),
    ("civ.paternity", "civil", "first", "2", None, "1.20", False, True,
     "Әкелікті анықтау туралы істер", "Об установлении отцовства", "Establishing paternity"),
    ("civ.labour", "civil", "first", "2", None, "1.20", False, True,
     "Еңбек даулары", "Трудовые споры", "Labour disputes"),
    ("civ.reinstatement", "civil", "first", "2", "civ.labour", "1.30", False, True,
     "Жұмысқа қайта алу туралы істер", "О восстановлении на работе", "Reinstatement at work"),
    ("civ.special", "civil", "first", "2", None, "0.60", False, False,
     "Ерекше іс жүргізу істері", "Дела особого производства", "Special proceedings"),
    # A court order recovers a sum: the state fee is a share of the property rate.
    ("civ.court_order", "civil", "first", "2", None, "0.30", True, True,
     "Бұйрық арқылы іс жүргізу (сот бұйрығы)", "Приказное производство (судебный приказ)",
     "Court order proceedings"),
    ("civ.simplified", "civil", "first", "2", None, "0.50", True, True,
     "Жеңілдетілген іс жүргізу", "Упрощённое производство", "Simplified procedure"),
    # Civil, review instances.
    ("civ.appeal", "civil", "appeal", "2а", None, "1.50", False, False,
     "Азаматтық істер бойынша апелляция", "Апелляция по гражданским делам", "Civil appeal"),
    ("civ.cassation", "civil", "cassation", "6ап", None, "1.80", False, False,
     "Азаматтық істер бойынша кассация", "Кассация по гражданским делам", "Civil cassation"),
    # Criminal.
    ("crim.general", "criminal", "first", "1", None, "2.00", False, False,
     "Қылмыстық істер (жария айыптау)", "Уголовные дела (публичное обвинение)",
     "Criminal cases (public prosecution)"),
    ("crim.private", "criminal", "first", "1", None, "1.20", False, False,
     "Жеке айыптау істері", "Дела частного обвинения", "Private prosecution"),
    ("crim.appeal", "criminal", "appeal", "1а", None, "2.00", False, False,
     "Қылмыстық істер бойынша апелляция", "Апелляция по уголовным делам", "Criminal appeal"),
    ("crim.cassation", "criminal", "cassation", "6уп", None, "2.20", False, False,
     "Қылмыстық істер бойынша кассация", "Кассация по уголовным делам", "Criminal cassation"),
    # Administrative offences.
    ("aoff.general", "admin_offence", "first", "5", None, "0.50", False, False,
     "Әкімшілік құқық бұзушылық туралы істер", "Дела об административных правонарушениях",
     "Administrative offence cases"),
    ("aoff.appeal", "admin_offence", "appeal", "5а", None, "0.60", False, False,
     "Әкімшілік құқық бұзушылық істері бойынша апелляция",
     "Апелляция по делам об административных правонарушениях", "Administrative offence appeal"),
    # Administrative procedure (Administrative Procedure and Process Code).
    ("adm.state_body", "administrative", "first", "3", None, "1.40", False, False,
     "Мемлекеттік органдардың әрекеттеріне (әрекетсіздігіне) және актілеріне дау айту",
     "Оспаривание действий (бездействия) и актов государственных органов",
     "Claims against state bodies"),
    ("adm.tax", "administrative", "first", "3", "adm.state_body", "1.80", False, False,
     "Салық даулары", "Налоговые споры", "Tax disputes"),
    ("adm.land", "administrative", "first", "3", "adm.state_body", "1.60", False, False,
     "Жер қатынастарынан туындайтын даулар", "Земельные споры", "Land disputes"),
    ("adm.appeal", "administrative", "appeal", "3а", None, "1.50", False, False,
     "Әкімшілік істер бойынша апелляция", "Апелляция по административным делам",
     "Administrative appeal"),
    ("adm.cassation", "administrative", "cassation", "6ад", None, "1.80", False, False,
     "Әкімшілік істер бойынша кассация", "Кассация по административным делам",
     "Administrative cassation"),
]

# code, kind, name_kk, name_ru, name_en. Juvenile cases are criminal proceedings against
# minors; economic disputes are civil proceedings between businesses.
SPECIALISATIONS: list[SpecialisationRow] = [
    ("civil", "civil", "Азаматтық істер", "Гражданские дела", "Civil cases"),
    ("criminal", "criminal", "Қылмыстық істер", "Уголовные дела", "Criminal cases"),
    ("administrative", "administrative", "Әкімшілік істер", "Административные дела",
     "Administrative cases"),
    ("admin_offence", "admin_offence", "Әкімшілік құқық бұзушылық туралы істер",
     "Дела об административных правонарушениях", "Administrative offences"),
    ("juvenile", "criminal", "Кәмелетке толмағандардың істері", "Дела несовершеннолетних",
     "Juvenile cases"),
    ("economic", "civil", "Экономикалық даулар", "Экономические споры", "Economic disputes"),
]
# fmt: on


def seed_classifier(category_model: Any, specialisation_model: Any) -> int:
    """Add the categories and specialisations that are missing; returns how many were added."""
    added = 0
    by_code: dict[str, Any] = {}
    # Parents precede their children in CATEGORIES, so a parent always exists first.
    for (code, kind, instance, number_code, parent, weight, is_property, virtual,
         name_kk, name_ru, name_en) in CATEGORIES:  # fmt: skip
        category, created = category_model.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "instance": instance,
                "number_code": number_code,
                "parent": by_code.get(parent) if parent else None,
                "complexity_weight": Decimal(weight),
                "is_property": is_property,
                "allows_virtual_jurisdiction": virtual,
                "name_kk": name_kk,
                "name_ru": name_ru,
                "name_en": name_en,
            },
        )
        by_code[code] = category
        added += int(created)
    for code, kind, name_kk, name_ru, name_en in SPECIALISATIONS:
        _specialisation, created = specialisation_model.objects.get_or_create(
            code=code, defaults={"kind": kind, "name_kk": name_kk, "name_ru": name_ru, "name_en": name_en}
        )
        added += int(created)
    return added
