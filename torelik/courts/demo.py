"""A demo country: the courts of Kazakhstan with their judges, generated deterministically.

The structure follows the real judiciary (the Supreme Court, three cassation courts, a regional
court per region, specialised inter-district courts and district courts; about 370 courts and a
few thousand judges), with real regions and districts. Court codes, judges, their names and IINs
are invented: the same seed always gives the same data, so demos, screenshots and benchmarks are
reproducible.

Court codes are four digits: the region's number (ISO 3166-2:KZ, the same as in KATO) followed
by two digits of the court; "60xx" holds the national courts. In each region 01–89 are district
courts, 91–95 the specialised courts and 99 the regional court.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from torelik.kernel.errors import ConflictError
from torelik.kernel.identifiers import IdentifierError, make_iin

from .models import Court, CourtLevel, Judge, JudgePosition, Region, Specialisation
from .services import ensure_classifier

DEFAULT_SEED = 2026
# Dates are drawn relative to this day, never to today, so the data does not age between runs.
REFERENCE_DATE = date(2026, 1, 1)
NATIONAL_PREFIX = "60"

# How a court's judges get their specialisations; see _specialisations_for.
Profile = Literal["collegiums", "single", "general", "civil", "criminal"]


# --- Reference data: regions, their courts' names and places -----------------------------------


@dataclass(frozen=True)
class _Place:
    """A town or district with its own court (two courts, "No. 1" and "No. 2", when `courts` = 2)."""

    kk: str
    ru: str
    en: str
    is_city: bool
    courts: int = 1


def _c(kk: str, ru: str, en: str, courts: int = 1) -> _Place:
    return _Place(kk, ru, en, True, courts)


def _d(kk: str, ru: str, en: str, courts: int = 1) -> _Place:
    return _Place(kk, ru, en, False, courts)


@dataclass(frozen=True)
class _RegionData:
    number: str  # ISO 3166-2:KZ number; the first two digits of the region's court codes
    kk: str  # "Ақмола облысы": also the attributive in court names
    ru: str
    en: str
    kk_court: str
    ru_court: str
    en_court: str
    ru_genitive: str  # "Акмолинской области", "города Астаны"
    seat_ru: str
    size: int  # 1 small, 2 medium, 3 large: scales the number of judges
    juvenile_court: bool
    admin_offence_court: bool
    is_city: bool
    places: tuple[_Place, ...]


# fmt: off
REGIONS: tuple[_RegionData, ...] = (
    _RegionData(
        "10", "Абай облысы", "область Абай", "Abai Region",
        "Абай облыстық соты", "Суд области Абай", "Abai Regional Court", "области Абай",
        "Семей", 2, False, False, False,
        (
            _c("Семей", "Семей", "Semey", 2), _c("Курчатов", "Курчатов", "Kurchatov"),
            _d("Абай", "Абай", "Abai"), _d("Ақсуат", "Аксуат", "Aksuat"), _d("Аягөз", "Аягоз", "Ayagoz"),
            _d("Бесқарағай", "Бескарагай", "Beskaragai"), _d("Бородулиха", "Бородулиха", "Borodulikha"),
            _d("Жарма", "Жарма", "Zharma"), _d("Көкпекті", "Кокпекты", "Kokpekty"),
            _d("Үржар", "Урджар", "Urzhar"), _d("Мақаншы", "Маканчи", "Makanshy"),
            _d("Жаңасемей", "Жанасемей", "Zhanasemey"),
        ),
    ),
    _RegionData(
        "11", "Ақмола облысы", "Акмолинская область", "Akmola Region",
        "Ақмола облыстық соты", "Акмолинский областной суд", "Akmola Regional Court", "Акмолинской области",
        "Кокшетау", 2, True, False, False,
        (
            _c("Көкшетау", "Кокшетау", "Kokshetau", 2), _c("Степногор", "Степногорск", "Stepnogorsk"),
            _c("Қосшы", "Косшы", "Kosshy"), _d("Ақкөл", "Акколь", "Akkol"), _d("Аршалы", "Аршалы", "Arshaly"),
            _d("Атбасар", "Атбасар", "Atbasar"), _d("Буланды", "Буланды", "Bulandy"),
            _d("Бурабай", "Бурабай", "Burabay"), _d("Ерейментау", "Ерейментау", "Yereymentau"),
            _d("Есіл", "Есиль", "Yesil"), _d("Жарқайың", "Жаркаин", "Zharkain"),
            _d("Зеренді", "Зеренди", "Zerendi"), _d("Шортанды", "Шортанды", "Shortandy"),
            _d("Біржан сал", "Биржан сал", "Birzhan Sal"),
        ),
    ),
    _RegionData(
        "15", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region",
        "Ақтөбе облыстық соты", "Актюбинский областной суд", "Aktobe Regional Court", "Актюбинской области",
        "Актобе", 2, True, True, False,
        (
            _c("Ақтөбе", "Актобе", "Aktobe", 2), _d("Алға", "Алга", "Alga"),
            _d("Әйтеке би", "Айтеке би", "Aiteke Bi"), _d("Байғанин", "Байганин", "Baiganin"),
            _d("Қарғалы", "Каргалы", "Kargaly"), _d("Қобда", "Кобда", "Kobda"), _d("Мәртөк", "Мартук",
            "Martok"),
            _d("Мұғалжар", "Мугалжар", "Mugalzhar"), _d("Ойыл", "Уил", "Oiyl"), _d("Темір", "Темир", "Temir"),
            _d("Ырғыз", "Иргиз", "Yrgyz"), _d("Хромтау", "Хромтау", "Khromtau"),
            _d("Шалқар", "Шалкар", "Shalkar"),
        ),
    ),
    _RegionData(
        "19", "Алматы облысы", "Алматинская область", "Almaty Region",
        "Алматы облыстық соты", "Алматинский областной суд", "Almaty Regional Court", "Алматинской области",
        "Конаев", 3, True, True, False,
        (
            _c("Қонаев", "Конаев", "Konaev", 2), _c("Алатау", "Алатау", "Alatau"),
            _d("Балқаш", "Балхаш", "Balkhash"), _d("Еңбекшіқазақ", "Енбекшиказах", "Enbekshikazakh"),
            _d("Жамбыл", "Жамбыл", "Zhambyl"), _d("Іле", "Иле", "Ile"), _d("Кеген", "Кеген", "Kegen"),
            _d("Қарасай", "Карасай", "Karasai", 2), _d("Райымбек", "Райымбек", "Raiymbek"),
            _d("Талғар", "Талгар", "Talgar"), _d("Ұйғыр", "Уйгур", "Uigur"),
        ),
    ),
    _RegionData(
        "23", "Атырау облысы", "Атырауская область", "Atyrau Region",
        "Атырау облыстық соты", "Атырауский областной суд", "Atyrau Regional Court", "Атырауской области",
        "Атырау", 2, False, True, False,
        (
            _c("Атырау", "Атырау", "Atyrau", 2), _d("Жылыой", "Жылыой", "Zhylyoi"), _d("Индер", "Индер",
            "Inder"),
            _d("Исатай", "Исатай", "Isatai"), _d("Құрманғазы", "Курмангазы", "Kurmangazy"),
            _d("Қызылқоға", "Кызылкога", "Kyzylkoga"), _d("Мақат", "Макат", "Makat"),
            _d("Махамбет", "Махамбет", "Makhambet"),
        ),
    ),
    _RegionData(
        "27", "Батыс Қазақстан облысы", "Западно-Казахстанская область", "West Kazakhstan Region",
        "Батыс Қазақстан облыстық соты", "Западно-Казахстанский областной суд",
        "West Kazakhstan Regional Court",
        "Западно-Казахстанской области", "Уральск", 2, True, False, False,
        (
            _c("Орал", "Уральск", "Oral", 2), _d("Ақжайық", "Акжаик", "Akzhaik"), _d("Бөрлі", "Бурли",
            "Borli"),
            _d("Жаңақала", "Жанакала", "Zhanakala"), _d("Жәнібек", "Жанибек", "Zhanibek"),
            _d("Бәйтерек", "Байтерек", "Baiterek"), _d("Қаратөбе", "Каратобе", "Karatobe"),
            _d("Сырым", "Сырым", "Syrym"), _d("Тасқала", "Таскала", "Taskala"), _d("Теректі", "Теректы",
            "Terekti"),
            _d("Шыңғырлау", "Чингирлау", "Shyngyrlau"), _d("Бөкей Орда", "Бокей Орда", "Bokei Orda"),
            _d("Қазталов", "Казталов", "Kaztalov"),
        ),
    ),
    _RegionData(
        "31", "Жамбыл облысы", "Жамбылская область", "Zhambyl Region",
        "Жамбыл облыстық соты", "Жамбылский областной суд", "Zhambyl Regional Court", "Жамбылской области",
        "Тараз", 2, True, True, False,
        (
            _c("Тараз", "Тараз", "Taraz", 2), _d("Байзақ", "Байзак", "Baizak"), _d("Жамбыл", "Жамбыл",
            "Zhambyl"),
            _d("Жуалы", "Жуалы", "Zhualy"), _d("Қордай", "Кордай", "Korday"),
            _d("Тұрар Рысқұлов", "Турар Рыскулов", "Turar Ryskulov"), _d("Меркі", "Мерке", "Merki"),
            _d("Мойынқұм", "Мойынкум", "Moiynkum"), _d("Сарысу", "Сарысу", "Sarysu"),
            _d("Талас", "Талас", "Talas"), _d("Шу", "Шу", "Shu"),
        ),
    ),
    _RegionData(
        "33", "Жетісу облысы", "область Жетісу", "Zhetisu Region",
        "Жетісу облыстық соты", "Суд области Жетісу", "Zhetisu Regional Court", "области Жетісу",
        "Талдыкорган", 1, False, False, False,
        (
            _c("Талдықорған", "Талдыкорган", "Taldykorgan", 2), _c("Текелі", "Текели", "Tekeli"),
            _d("Ақсу", "Аксу", "Aksu"), _d("Алакөл", "Алаколь", "Alakol"), _d("Ескелді", "Ескельди",
            "Eskeldi"),
            _d("Кербұлақ", "Кербулак", "Kerbulak"), _d("Көксу", "Коксу", "Koksu"),
            _d("Панфилов", "Панфилов", "Panfilov"), _d("Сарқан", "Саркан", "Sarkan"),
            _d("Қаратал", "Каратал", "Karatal"),
        ),
    ),
    _RegionData(
        "35", "Қарағанды облысы", "Карагандинская область", "Karaganda Region",
        "Қарағанды облыстық соты", "Карагандинский областной суд", "Karaganda Regional Court",
        "Карагандинской области", "Караганда", 3, True, True, False,
        (
            _c("Қарағанды", "Караганда", "Karaganda", 2), _c("Теміртау", "Темиртау", "Temirtau", 2),
            _c("Балқаш", "Балхаш", "Balkhash"), _c("Саран", "Сарань", "Saran"),
            _c("Шахтинск", "Шахтинск", "Shakhtinsk"), _c("Приозерск", "Приозерск", "Priozersk"),
            _d("Қазыбек би", "Казыбек би", "Kazybek Bi"), _d("Әлихан Бөкейхан", "Алихан Бокейхан",
            "Alikhan Bokeikhan"),
            _d("Абай", "Абай", "Abai"), _d("Ақтоғай", "Актогай", "Aktogay"),
            _d("Бұқар жырау", "Бухар жырау", "Bukhar Zhyrau"), _d("Қарқаралы", "Каркаралы", "Karkaraly"),
            _d("Нұра", "Нура", "Nura"), _d("Осакаров", "Осакаровка", "Osakarovka"), _d("Шет", "Шет", "Shet"),
        ),
    ),
    _RegionData(
        "39", "Қостанай облысы", "Костанайская область", "Kostanay Region",
        "Қостанай облыстық соты", "Костанайский областной суд", "Kostanay Regional Court",
        "Костанайской области",
        "Костанай", 2, True, True, False,
        (
            _c("Қостанай", "Костанай", "Kostanay", 2), _c("Рудный", "Рудный", "Rudny", 2),
            _c("Лисаков", "Лисаковск", "Lisakovsk"), _c("Арқалық", "Аркалык", "Arkalyk"),
            _d("Алтынсарин", "Алтынсарин", "Altynsarin"), _d("Әулиекөл", "Аулиеколь", "Auliekol"),
            _d("Денисов", "Денисовка", "Denisovka"), _d("Жангелдин", "Джангельдин", "Zhangeldin"),
            _d("Жітіқара", "Житикара", "Zhitikara"), _d("Қамысты", "Камысты", "Kamysty"),
            _d("Қарабалық", "Карабалык", "Karabalyk"), _d("Меңдіқара", "Мендыкара", "Mendykara"),
            _d("Науырзым", "Наурзум", "Naurzum"), _d("Сарыкөл", "Сарыколь", "Sarykol"),
            _d("Федоров", "Федоровка", "Fyodorovka"), _d("Бейімбет Майлин", "Беимбет Майлин",
            "Beimbet Mailin"),
        ),
    ),
    _RegionData(
        "43", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region",
        "Қызылорда облыстық соты", "Кызылординский областной суд", "Kyzylorda Regional Court",
        "Кызылординской области", "Кызылорда", 2, False, True, False,
        (
            _c("Қызылорда", "Кызылорда", "Kyzylorda", 2), _c("Байқоңыр", "Байконыр", "Baikonyr"),
            _d("Арал", "Арал", "Aral"), _d("Жалағаш", "Жалагаш", "Zhalagash"),
            _d("Жаңақорған", "Жанакорган", "Zhanakorgan"), _d("Қазалы", "Казалы", "Kazaly"),
            _d("Қармақшы", "Кармакшы", "Karmakshy"), _d("Сырдария", "Сырдарья", "Syrdarya"),
            _d("Шиелі", "Шиели", "Shieli"),
        ),
    ),
    _RegionData(
        "47", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region",
        "Маңғыстау облыстық соты", "Мангистауский областной суд", "Mangystau Regional Court",
        "Мангистауской области", "Актау", 2, True, False, False,
        (
            _c("Ақтау", "Актау", "Aktau", 2), _c("Жаңаөзен", "Жанаозен", "Zhanaozen"),
            _d("Бейнеу", "Бейнеу", "Beineu"), _d("Қарақия", "Каракия", "Karakiya"),
            _d("Маңғыстау", "Мангистау", "Mangystau"), _d("Мұнайлы", "Мунайлы", "Munaily"),
            _d("Түпқараған", "Тупкараган", "Tupkaragan"),
        ),
    ),
    _RegionData(
        "55", "Павлодар облысы", "Павлодарская область", "Pavlodar Region",
        "Павлодар облыстық соты", "Павлодарский областной суд", "Pavlodar Regional Court",
        "Павлодарской области",
        "Павлодар", 2, True, True, False,
        (
            _c("Павлодар", "Павлодар", "Pavlodar", 2), _c("Екібастұз", "Экибастуз", "Ekibastuz", 2),
            _c("Ақсу", "Аксу", "Aksu"), _d("Ақтоғай", "Актогай", "Aktogay"), _d("Баянауыл", "Баянаул",
            "Bayanaul"),
            _d("Железин", "Железинка", "Zhelezinka"), _d("Ертіс", "Иртыш", "Yertis"),
            _d("Тереңкөл", "Теренколь", "Terenkol"), _d("Аққулы", "Аккулы", "Akkuly"), _d("Май", "Май",
            "Mai"),
            _d("Павлодар", "Павлодар", "Pavlodar"), _d("Успен", "Успенка", "Uspenka"),
            _d("Шарбақты", "Щербакты", "Sharbakty"),
        ),
    ),
    _RegionData(
        "59", "Солтүстік Қазақстан облысы", "Северо-Казахстанская область", "North Kazakhstan Region",
        "Солтүстік Қазақстан облыстық соты", "Северо-Казахстанский областной суд",
        "North Kazakhstan Regional Court", "Северо-Казахстанской области",
        "Петропавловск", 1, False, True, False,
        (
            _c("Петропавл", "Петропавловск", "Petropavl", 2), _d("Айыртау", "Айыртау", "Aiyrtau"),
            _d("Ақжар", "Акжар", "Akzhar"), _d("Аққайың", "Аккайын", "Akkaiyn"), _d("Есіл", "Есиль", "Yesil"),
            _d("Жамбыл", "Жамбыл", "Zhambyl"), _d("Мағжан Жұмабаев", "Магжан Жумабаев", "Magzhan Zhumabayev"),
            _d("Қызылжар", "Кызылжар", "Kyzylzhar"), _d("Мамлют", "Мамлютка", "Mamlyutka"),
            _d("Ғабит Мүсірепов", "Габит Мусрепов", "Gabit Musrepov"), _d("Тайынша", "Тайынша", "Tayynsha"),
            _d("Тимирязев", "Тимирязево", "Timiryazevo"), _d("Уәлиханов", "Уалиханов", "Ualikhanov"),
            _d("Шал ақын", "Шал акын", "Shal Akyn"),
        ),
    ),
    _RegionData(
        "61", "Түркістан облысы", "Туркестанская область", "Turkistan Region",
        "Түркістан облыстық соты", "Туркестанский областной суд", "Turkistan Regional Court",
        "Туркестанской области", "Туркестан", 3, True, True, False,
        (
            _c("Түркістан", "Туркестан", "Turkistan", 2), _c("Кентау", "Кентау", "Kentau"), _c("Арыс",
            "Арыс", "Arys"),
            _d("Бәйдібек", "Байдибек", "Baidibek"), _d("Қазығұрт", "Казыгурт", "Kazygurt"),
            _d("Мақтаарал", "Мактаарал", "Maktaaral"), _d("Ордабасы", "Ордабасы", "Ordabasy"),
            _d("Отырар", "Отрар", "Otyrar"), _d("Сайрам", "Сайрам", "Sairam", 2),
            _d("Сарыағаш", "Сарыагаш", "Saryagash", 2), _d("Созақ", "Сузак", "Sozak"),
            _d("Төлеби", "Толеби", "Tolebi"), _d("Түлкібас", "Тюлькубас", "Tulkibas"),
            _d("Шардара", "Шардара", "Shardara"), _d("Жетісай", "Жетысай", "Zhetisai"),
            _d("Келес", "Келес", "Keles"), _d("Сауран", "Сауран", "Sauran"),
        ),
    ),
    _RegionData(
        "62", "Ұлытау облысы", "область Ұлытау", "Ulytau Region",
        "Ұлытау облыстық соты", "Суд области Ұлытау", "Ulytau Regional Court", "области Ұлытау",
        "Жезказган", 1, False, False, False,
        (
            _c("Жезқазған", "Жезказган", "Zhezkazgan", 2), _c("Сәтбаев", "Сатпаев", "Satbayev"),
            _c("Қаражал", "Каражал", "Karazhal"), _d("Ұлытау", "Улытау", "Ulytau"),
            _d("Жаңаарқа", "Жанаарка", "Zhanaarka"),
        ),
    ),
    _RegionData(
        "63", "Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "East Kazakhstan Region",
        "Шығыс Қазақстан облыстық соты", "Восточно-Казахстанский областной суд",
        "East Kazakhstan Regional Court",
        "Восточно-Казахстанской области", "Усть-Каменогорск", 2, True, True, False,
        (
            _c("Өскемен", "Усть-Каменогорск", "Oskemen", 2), _c("Риддер", "Риддер", "Ridder"),
            _c("Алтай", "Алтай", "Altai"), _d("Глубокое", "Глубокое", "Glubokoye"), _d("Зайсан", "Зайсан",
            "Zaisan"),
            _d("Катонқарағай", "Катон-Карагай", "Katonkaragai"), _d("Күршім", "Курчум", "Kurshim"),
            _d("Самар", "Самарское", "Samar"), _d("Тарбағатай", "Тарбагатай", "Tarbagatai"),
            _d("Ұлан", "Улан", "Ulan"), _d("Шемонаиха", "Шемонаиха", "Shemonaikha"),
            _d("Марқакөл", "Маркаколь", "Markakol"),
        ),
    ),
    _RegionData(
        "71", "Астана қаласы", "город Астана", "Astana",
        "Астана қалалық соты", "Суд города Астаны", "Astana City Court", "города Астаны",
        "Астана", 3, True, True, True,
        (
            _d("Алматы", "Алматы", "Almaty", 2), _d("Байқоңыр", "Байконыр", "Baikonyr", 2),
            _d("Есіл", "Есиль", "Yesil", 2), _d("Сарыарқа", "Сарыарка", "Saryarka", 2),
            _d("Нұра", "Нура", "Nura", 2),
        ),
    ),
    _RegionData(
        "75", "Алматы қаласы", "город Алматы", "Almaty",
        "Алматы қалалық соты", "Суд города Алматы", "Almaty City Court", "города Алматы",
        "Алматы", 3, True, True, True,
        (
            _d("Алатау", "Алатау", "Alatau", 2), _d("Алмалы", "Алмалы", "Almaly", 2),
            _d("Әуезов", "Ауэзов", "Auezov", 2), _d("Бостандық", "Бостандык", "Bostandyk", 2),
            _d("Жетісу", "Жетысу", "Zhetysu", 2), _d("Медеу", "Медеу", "Medeu", 2),
            _d("Наурызбай", "Наурызбай", "Nauryzbay", 2), _d("Түрксіб", "Турксиб", "Turksib", 2),
        ),
    ),
    _RegionData(
        "79", "Шымкент қаласы", "город Шымкент", "Shymkent",
        "Шымкент қалалық соты", "Суд города Шымкента", "Shymkent City Court", "города Шымкента",
        "Шымкент", 3, True, True, True,
        (
            _d("Абай", "Абай", "Abai", 2), _d("Әл-Фараби", "Аль-Фараби", "Al-Farabi", 2),
            _d("Еңбекші", "Енбекши", "Enbekshi", 2), _d("Қаратау", "Каратау", "Karatau", 2),
            _d("Тұран", "Туран", "Turan", 2),
        ),
    ),
)

# fmt: on


@dataclass(frozen=True)
class _SpecialisedKind:
    suffix: str
    specialisation: str
    kk: str  # after "<region>ның "
    ru: str  # before the region's genitive
    en: str  # before " of <region>"


SPECIALISED_KINDS: tuple[_SpecialisedKind, ...] = (
    _SpecialisedKind(
        "91",
        "economic",
        "мамандандырылған ауданаралық экономикалық соты",
        "Специализированный межрайонный экономический суд",
        "Specialised Inter-district Economic Court",
    ),
    _SpecialisedKind(
        "92",
        "administrative",
        "мамандандырылған ауданаралық әкімшілік соты",
        "Специализированный межрайонный административный суд",
        "Specialised Inter-district Administrative Court",
    ),
    _SpecialisedKind(
        "93",
        "criminal",
        "қылмыстық істер жөніндегі мамандандырылған ауданаралық соты",
        "Специализированный межрайонный суд по уголовным делам",
        "Specialised Inter-district Criminal Court",
    ),
    _SpecialisedKind(
        "94",
        "juvenile",
        "кәмелетке толмағандардың істері жөніндегі мамандандырылған ауданаралық соты",
        "Специализированный межрайонный суд по делам несовершеннолетних",
        "Specialised Inter-district Juvenile Court",
    ),
    _SpecialisedKind(
        "95",
        "admin_offence",
        "әкімшілік құқық бұзушылық істері жөніндегі мамандандырылған соты",
        "Специализированный суд по делам об административных правонарушениях",
        "Specialised Court for Administrative Offences",
    ),
)
REGIONAL_SUFFIX = "99"

# Specialisation codes of the three collegiums of a court of review, in the order of their size.
COLLEGIUMS: tuple[tuple[str, float], ...] = (("civil", 0.45), ("criminal", 0.35), ("administrative", 0.20))

STREETS = (
    "ул. Абая",
    "ул. Кенесары",
    "пр. Республики",
    "ул. Достык",
    "ул. Бейбітшілік",
    "ул. Жибек жолы",
    "ул. Казыбек би",
    "ул. Толе би",
    "ул. Сатпаева",
    "ул. Ауэзова",
    "пр. Тауелсиздик",
    "ул. Богенбай батыра",
    "ул. Желтоксан",
    "ул. Абылай хана",
    "ул. Момышулы",
    "ул. Ыбырая Алтынсарина",
)

# --- Names ----------------------------------------------------------------------------------------

# fmt: off
# Surnames with a Russian-style ending take "-а" in the feminine; the rest are the same for both.
KAZAKH_SURNAMES = (
    "Ахметов", "Сейітов", "Жұмабаев", "Нұрланов", "Қасымов", "Омаров", "Сәрсенбаев", "Бекмұханов",
    "Әбдірахманов", "Ермеков", "Мұқанов", "Оспанов", "Исаев", "Серікбаев", "Жақсылықов", "Құдайбергенов",
    "Байжанов", "Тұрсынов", "Шәкенов", "Әлімжанов", "Иманғалиев", "Есенов", "Қалиев", "Мусин", "Рахимов",
    "Садықов", "Смағұлов", "Төлеубаев", "Үсенов", "Шаймерденов", "Ыбыраев", "Жанұзақов", "Әбенов",
    "Ғабдуллин",
    "Қожахметов", "Нұрмағанбетов", "Бектұров", "Сұлтанов", "Кенжебаев", "Темірбеков", "Досмағамбетов",
    "Өтегенов", "Бейсенов", "Жүнісов", "Қуанышев", "Мамыров", "Тәжібаев", "Оразалин", "Ділдабеков",
    "Сәрсенбай", "Жақсылық", "Нұрмұхамбет", "Әбілқайыр", "Тілеуберді",
)
KAZAKH_MALE_NAMES = (
    "Асқар", "Ерлан", "Нұрлан", "Серік", "Дәурен", "Бауыржан", "Ғалым", "Қайрат", "Мұрат", "Ержан", "Азамат",
    "Айдос", "Болат", "Дархан", "Жандос", "Марат", "Руслан", "Самат", "Талғат", "Ерболат", "Әділет", "Санжар",
    "Арман", "Бақытжан", "Мейрам", "Қанат", "Ілияс", "Өмірзақ", "Ұлан", "Жасұлан", "Ақылбек", "Нұржан",
)
KAZAKH_FEMALE_NAMES = (
    "Айгүл", "Гүлнар", "Жанар", "Әсел", "Айжан", "Динара", "Мәдина", "Ақмарал", "Сәуле", "Гүлмира", "Лаура",
    "Әйгерім", "Назгүл", "Жұлдыз", "Салтанат", "Ақерке", "Меруерт", "Данагүл", "Ботагөз", "Шынар", "Раушан",
    "Іңкәр", "Аружан", "Гаухар", "Қарлығаш", "Ләззат", "Айнұр", "Толқын", "Мөлдір", "Ұлжан",
)
OTHER_SURNAMES = (
    "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков",
    "Морозов", "Волков", "Лебедев", "Козлов", "Ким", "Цой", "Пак", "Шевченко", "Бондаренко", "Гриценко",
)
OTHER_MALE_NAMES = (
    "Сергей", "Андрей", "Дмитрий", "Александр", "Алексей", "Виктор", "Евгений", "Игорь", "Олег", "Владимир",
)
OTHER_FEMALE_NAMES = (
    "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Марина", "Анна", "Юлия", "Оксана",
)
# Patronymic stems: + "ич" (male) or + "на" (female).
OTHER_PATRONYMIC_STEMS = (
    "Сергеев", "Андреев", "Дмитриев", "Александров", "Алексеев", "Викторов", "Евгеньев", "Игорев", "Олегов",
    "Владимиров",
)
# fmt: on
OTHER_NAMES_SHARE = 0.12
HALF_TIME_SHARE = 0.02
INACTIVE_SHARE = 0.01


def _feminine_surname(surname: str) -> str:
    return surname + "а" if surname.endswith(("ов", "ев", "ин")) else surname


def _full_name(rng: random.Random, *, female: bool) -> str:
    if rng.random() < OTHER_NAMES_SHARE:
        surname = rng.choice(OTHER_SURNAMES)
        given = rng.choice(OTHER_FEMALE_NAMES if female else OTHER_MALE_NAMES)
        patronymic = rng.choice(OTHER_PATRONYMIC_STEMS) + ("на" if female else "ич")
    else:
        surname = rng.choice(KAZAKH_SURNAMES)
        given = rng.choice(KAZAKH_FEMALE_NAMES if female else KAZAKH_MALE_NAMES)
        patronymic = rng.choice(KAZAKH_MALE_NAMES) + ("қызы" if female else "ұлы")
    return f"{_feminine_surname(surname) if female else surname} {given} {patronymic}"


# --- The plan: everything decided in memory first, in a fixed order --------------------------------


@dataclass
class _CourtPlan:
    code: str
    level: str
    name_kk: str
    name_ru: str
    name_en: str
    address: str
    region: str | None  # region code
    appeal: str | None  # appeal court code
    judges: int
    profile: Profile
    specialisation: str = ""  # the one specialisation of a specialised or cassation court


@dataclass
class _JudgePlan:
    court: str
    iin: str
    full_name: str
    position: str
    workload_share: Decimal
    appointed_on: date
    is_active: bool
    specialisations: list[str] = field(default_factory=list)


def _region_code(region: _RegionData) -> str:
    return f"KZ-{region.number}"


def _address(rng: random.Random, locality: str) -> str:
    return f"{locality}, {rng.choice(STREETS)}, {rng.randint(1, 150)}"


def _region_seat(region: _RegionData) -> str:
    return f"г. {region.seat_ru}" if region.is_city else f"{region.ru}, г. {region.seat_ru}"


def _numbered(number: int, *, en: bool = False) -> str:
    if number == 1:
        return ""
    return f" No. {number}" if en else f" №{number}"


def _district_suffixes(region: _RegionData) -> list[tuple[_Place, int, str]]:
    """Each district-level court of the region with its number in the place and its code suffix."""
    courts: list[tuple[_Place, int, str]] = []
    if region.is_city:
        # In the three cities the n-th district's courts end in (10n − 1) and 10n, so that the
        # Saryarka District Court No. 2 of Astana, the court of the demo users, is 7140.
        for index, place in enumerate(region.places, start=1):
            for number in range(1, place.courts + 1):
                courts.append((place, number, f"{10 * index + number - 2:02d}"))
        return courts
    serial = 0
    for place in region.places:
        for number in range(1, place.courts + 1):
            serial += 1
            courts.append((place, number, f"{serial:02d}"))
    return courts


def _district_judges(rng: random.Random, region: _RegionData, place: _Place) -> int:
    if region.is_city:
        return rng.randint(8, 12)
    if place.courts > 1:
        return rng.randint(7, 11)
    if place.is_city:
        return rng.randint(5, 8)
    return rng.randint(4, 5)


def _plan_courts(rng: random.Random) -> list[_CourtPlan]:
    supreme = f"{NATIONAL_PREFIX}01"
    plans = [
        _CourtPlan(
            supreme,
            CourtLevel.SUPREME,
            "Қазақстан Республикасының Жоғарғы Соты",
            "Верховный Суд Республики Казахстан",
            "Supreme Court of the Republic of Kazakhstan",
            _address(rng, "г. Астана"),
            None,
            None,
            65,
            "collegiums",
        )
    ]
    cassation = (
        (
            "02",
            "criminal",
            "Қылмыстық істер жөніндегі кассациялық сот",
            "Кассационный суд по уголовным делам",
            "Cassation Court for Criminal Cases",
        ),
        (
            "03",
            "civil",
            "Азаматтық істер жөніндегі кассациялық сот",
            "Кассационный суд по гражданским делам",
            "Cassation Court for Civil Cases",
        ),
        (
            "04",
            "administrative",
            "Әкімшілік істер жөніндегі кассациялық сот",
            "Кассационный суд по административным делам",
            "Cassation Court for Administrative Cases",
        ),
    )
    for suffix, specialisation, kk, ru, en in cassation:
        # National courts have no region: their jurisdiction is the whole country.
        plans.append(
            _CourtPlan(
                f"{NATIONAL_PREFIX}{suffix}",
                CourtLevel.CASSATION,
                kk,
                ru,
                en,
                _address(rng, "г. Астана"),
                None,
                supreme,
                rng.randint(16, 22),
                "single",
                specialisation,
            )
        )
    for region in REGIONS:
        code = _region_code(region)
        regional = f"{region.number}{REGIONAL_SUFFIX}"
        regional_judges = {1: (20, 22), 2: (20, 25), 3: (26, 36)}[region.size]
        plans.append(
            _CourtPlan(
                regional,
                CourtLevel.REGIONAL,
                region.kk_court,
                region.ru_court,
                region.en_court,
                _address(rng, _region_seat(region)),
                code,
                supreme,
                rng.randint(*regional_judges),
                "collegiums",
            )
        )
        specialised_judges = {1: (4, 5), 2: (4, 7), 3: (6, 11)}[region.size]
        for kind in SPECIALISED_KINDS:
            if (kind.specialisation == "juvenile" and not region.juvenile_court) or (
                kind.specialisation == "admin_offence" and not region.admin_offence_court
            ):
                continue
            plans.append(
                _CourtPlan(
                    f"{region.number}{kind.suffix}",
                    CourtLevel.SPECIALISED,
                    f"{region.kk}ның {kind.kk}",
                    f"{kind.ru} {region.ru_genitive}",
                    f"{kind.en} of {region.en}",
                    _address(rng, _region_seat(region)),
                    code,
                    regional,
                    rng.randint(*specialised_judges),
                    "single",
                    kind.specialisation,
                )
            )
        for place, number, suffix in _district_suffixes(region):
            if place.is_city:
                kk = f"{region.kk} {place.kk} қалалық{_numbered(number)} соты"
                ru = f"Городской суд{_numbered(number)} города {place.ru} {region.ru_genitive}"
                en = f"{place.en} City Court{_numbered(number, en=True)} of {region.en}"
                locality = f"{region.ru}, г. {place.ru}"
            else:
                kk = f"{region.kk} {place.kk} аудандық{_numbered(number)} соты"
                ru = f"Районный суд{_numbered(number)} района {place.ru} {region.ru_genitive}"
                en = f"{place.en} District Court{_numbered(number, en=True)} of {region.en}"
                locality = f"г. {region.seat_ru}" if region.is_city else f"{region.ru}, район {place.ru}"
            # Where a place has two courts, No. 1 hears criminal and No. 2 civil cases.
            profile: Profile = "general" if place.courts == 1 else ("criminal" if number == 1 else "civil")
            plans.append(
                _CourtPlan(
                    f"{region.number}{suffix}",
                    CourtLevel.DISTRICT,
                    kk,
                    ru,
                    en,
                    _address(rng, locality),
                    code,
                    regional,
                    _district_judges(rng, region, place),
                    profile,
                )
            )
    return plans


def _specialisations_for(rng: random.Random, court: _CourtPlan, index: int) -> tuple[list[str], bool]:
    """The judge's specialisation codes and whether the judge chairs a collegium."""
    if court.profile == "single":
        codes = [court.specialisation]
        # Cassation judges also review the related kind: economic disputes are civil cases,
        # administrative offences reach the administrative cassation court.
        extra = {"civil": "economic", "administrative": "admin_offence"}.get(court.specialisation)
        if court.level == CourtLevel.CASSATION and extra and rng.random() < 0.3:
            codes.append(extra)
        return codes, False
    if court.profile == "collegiums":
        # Collegiums take consecutive blocks of judges; the first judge of each block chairs it.
        # The court's chair (index 0) sits in the civil collegium.
        bounds: list[tuple[str, int]] = []
        start = 0
        for position, (code, share) in enumerate(COLLEGIUMS):
            size = court.judges - start if position == len(COLLEGIUMS) - 1 else round(court.judges * share)
            bounds.append((code, start))
            start += size
        collegium, first = next((c, s) for c, s in reversed(bounds) if index >= s)
        extra_by_collegium = {
            "civil": ("economic", 0.25),
            "criminal": ("juvenile", 0.2),
            "administrative": ("admin_offence", 0.5),
        }
        extra, chance = extra_by_collegium[collegium]
        codes = [collegium, extra] if rng.random() < chance else [collegium]
        # The court's chair sits in the first collegium, which the next judge then chairs.
        return codes, index == (first or 1)
    if court.profile == "civil":
        return ["civil"], False
    if court.profile == "criminal":
        return (["criminal", "admin_offence"] if rng.random() < 0.4 else ["criminal"]), False
    # A general district court: the chair and the next two judges guarantee that both civil and
    # criminal cases can be assigned; the rest are drawn.
    if index == 0:
        codes = ["civil", "criminal"]
    elif index == 1:
        codes = ["civil"]
    elif index == 2:
        codes = ["criminal"]
    else:
        draw = rng.random()
        codes = ["civil"] if draw < 0.45 else (["criminal"] if draw < 0.8 else ["civil", "criminal"])
    if "criminal" in codes and rng.random() < 0.5:
        codes.append("admin_offence")
    return codes, False


def _iin(rng: random.Random, used: set[str], *, birth: date, female: bool) -> str:
    serial = rng.randint(0, 9999)
    for _attempt in range(10000):
        try:
            iin = make_iin(birth, "female" if female else "male", serial)
        except IdentifierError:  # this serial gives no valid check digit: take the next one
            iin = ""
        if iin and iin not in used:
            used.add(iin)
            return iin
        serial = (serial + 1) % 10000
    raise RuntimeError("no free IIN serial for the birth date")  # pragma: no cover - 10,000 serials per day


def _plan_judges(rng: random.Random, courts: list[_CourtPlan]) -> list[_JudgePlan]:
    used: set[str] = set()
    judges: list[_JudgePlan] = []
    last_day = REFERENCE_DATE - timedelta(days=1)
    for court in courts:
        for index in range(court.judges):
            female = rng.random() < 0.45
            birth = date(rng.randint(1960, 1994), 1, 1) + timedelta(days=rng.randint(0, 364))
            # Judges are appointed after about 27 (a law degree and years of legal practice).
            earliest = date(birth.year + 27, 1, 1) + timedelta(days=birth.timetuple().tm_yday - 1)
            appointed = earliest + timedelta(days=rng.randint(0, max((last_day - earliest).days, 0)))
            specialisations, collegium_chair = _specialisations_for(rng, court, index)
            if index == 0:
                position = JudgePosition.CHAIR
            elif collegium_chair:
                position = JudgePosition.COLLEGIUM_CHAIR
            else:
                position = JudgePosition.JUDGE
            half_time = index > 0 and rng.random() < HALF_TIME_SHARE
            inactive = position == JudgePosition.JUDGE and rng.random() < INACTIVE_SHARE
            judges.append(
                _JudgePlan(
                    court=court.code,
                    iin=_iin(rng, used, birth=birth, female=female),
                    full_name=_full_name(rng, female=female),
                    position=position,
                    workload_share=Decimal("0.50") if half_time else Decimal("1.00"),
                    appointed_on=min(appointed, last_day),
                    is_active=not inactive,
                    specialisations=specialisations,
                )
            )
    return judges


# --- Writing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountrySummary:
    """What the database holds after `generate_country`; `created` is False when it was kept."""

    created: bool
    seed: int | None
    regions: int
    courts: int
    judges: int
    courts_by_level: dict[str, int]
    digest: str


def generate_country(*, seed: int = DEFAULT_SEED, replace: bool = False) -> CountrySummary:
    """Create the demo regions, courts and judges; deterministic for a given seed.

    If courts already exist they are kept (created=False) unless `replace` is set; then every
    region, court and judge is deleted first, which fails with "courts_in_use" once cases, filings
    or staff refer to them. Missing rows of the classifier are restored; existing ones are kept.
    """
    with transaction.atomic():
        if Court.objects.exists():
            if not replace:
                return _summary(created=False, seed=None)
            _wipe()
        # Judges need the specialisations; a test database flushed after its migrations lacks them.
        ensure_classifier()
        rng = random.Random(seed)
        court_plans = _plan_courts(rng)
        judge_plans = _plan_judges(rng, court_plans)
        _write(court_plans, judge_plans)
        return _summary(created=True, seed=seed)


def _wipe() -> None:
    try:
        Judge.specialisations.through.objects.all().delete()
        Judge.objects.all().delete()
        # appeal_court is protected: unlink the courts from each other before deleting them.
        Court.objects.update(appeal_court=None)
        Court.objects.all().delete()
        Region.objects.all().delete()
    except ProtectedError as exc:
        raise ConflictError(
            "courts_in_use",
            _("The courts cannot be regenerated: cases, filings or staff accounts refer to them."),
        ) from exc


def _write(court_plans: list[_CourtPlan], judge_plans: list[_JudgePlan]) -> None:
    Region.objects.bulk_create(
        [Region(code=_region_code(r), name_kk=r.kk, name_ru=r.ru, name_en=r.en) for r in REGIONS]
    )
    region_ids = dict(Region.objects.values_list("code", "id"))
    Court.objects.bulk_create(
        [
            Court(
                code=plan.code,
                level=plan.level,
                name_kk=plan.name_kk,
                name_ru=plan.name_ru,
                name_en=plan.name_en,
                region_id=region_ids[plan.region] if plan.region else None,
                address=plan.address,
            )
            for plan in court_plans
        ]
    )
    court_ids = dict(Court.objects.values_list("code", "id"))
    # Appeal links are set afterwards so that courts can be inserted in one statement.
    linked = [
        Court(id=court_ids[p.code], appeal_court_id=court_ids[p.appeal]) for p in court_plans if p.appeal
    ]
    Court.objects.bulk_update(linked, ["appeal_court"], batch_size=500)

    specialisation_ids = dict(Specialisation.objects.values_list("code", "id"))
    Judge.objects.bulk_create(
        [
            Judge(
                court_id=court_ids[plan.court],
                iin=plan.iin,
                full_name=plan.full_name,
                position=plan.position,
                workload_share=plan.workload_share,
                appointed_on=plan.appointed_on,
                is_active=plan.is_active,
            )
            for plan in judge_plans
        ],
        batch_size=500,
    )
    judge_ids = dict(Judge.objects.values_list("iin", "id"))
    through = Judge.specialisations.through
    through.objects.bulk_create(
        [
            through(judge_id=judge_ids[plan.iin], specialisation_id=specialisation_ids[code])
            for plan in judge_plans
            for code in plan.specialisations
        ],
        batch_size=1000,
    )


def _summary(*, created: bool, seed: int | None) -> CountrySummary:
    levels = Counter(Court.objects.values_list("level", flat=True))
    return CountrySummary(
        created=created,
        seed=seed,
        regions=Region.objects.count(),
        courts=Court.objects.count(),
        judges=Judge.objects.count(),
        courts_by_level={level: levels.get(level, 0) for level in CourtLevel.values},
        digest=country_digest(),
    )


def country_digest() -> str:
    """SHA-256 over every region, court and judge in a canonical order: equal data, equal digest."""
    regions = list(Region.objects.order_by("code").values_list("code", "name_kk", "name_ru", "name_en"))
    courts = list(
        Court.objects.order_by("code").values_list(
            "code",
            "level",
            "name_kk",
            "name_ru",
            "name_en",
            "region__code",
            "appeal_court__code",
            "address",
            "case_number_template",
            "accepts_efiling",
            "is_active",
        )
    )
    specialisations: dict[str, list[str]] = {}
    for iin, code in Judge.specialisations.through.objects.values_list("judge__iin", "specialisation__code"):
        specialisations.setdefault(iin, []).append(code)
    judges = [
        [
            iin,
            name,
            court,
            position,
            str(share),
            appointed.isoformat(),
            active,
            sorted(specialisations.get(iin, [])),
        ]
        for iin, name, court, position, share, appointed, active in Judge.objects.order_by("iin").values_list(
            "iin", "full_name", "court__code", "position", "workload_share", "appointed_on", "is_active"
        )
    ]
    payload = json.dumps([regions, courts, judges], ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()
