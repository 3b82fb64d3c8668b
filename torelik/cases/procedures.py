"""The first version of each procedure (Civil Procedure Code 2015, Criminal Procedure Code 2014,
Administrative Procedure Code 2020, Code of Administrative Offences), as data.

Loaded by a data migration and by `seed_procedures`; after that the definitions are edited in the
admin, each edit a new version with its reason. Only the main stages of criminal and
administrative-offence cases are here; the civil first-instance path is whole.
"""

from __future__ import annotations

from typing import Any

Names = dict[str, str]


def n(kk: str, ru: str, en: str) -> Names:
    return {"kk": kk, "ru": ru, "en": en}


def stage(code: str, names: Names, *, closed: bool = False) -> dict[str, Any]:
    return {"code": code, "name": names, "closed": closed}


def move(
    code: str,
    names: Names,
    sources: list[str],
    target: str,
    roles: list[str],
    *,
    reason: bool = False,
    outcomes: list[str] | None = None,
    act: str = "",
    after_months: int = 0,
    start: list[str] | None = None,
    pause: list[str] | None = None,
    resume: list[str] | None = None,
    stop: list[str] | None = None,
) -> dict[str, Any]:
    terms = {k: v for k, v in (("start", start), ("pause", pause), ("resume", resume), ("stop", stop)) if v}
    return {
        "code": code,
        "name": names,
        "from": sources,
        "to": target,
        "roles": roles,
        "requires": {"reason": reason, "outcomes": outcomes or [], "act": act},
        "after_months": after_months,
        "terms": terms,
    }


JUDGE = ["judge"]
OFFICE = ["clerk", "judge", "chair"]
SYSTEM = ["system"]

# ---------------------------------------------------------------- stages shared by several procedures

REGISTERED = stage("registered", n("Тіркелді", "Зарегистрировано", "Registered"))
ASSIGNED = stage("assigned", n("Судьяға бөлінді", "Распределено судье", "Assigned to a judge"))
PREPARATION = stage(
    "preparation",
    n(
        "Іс сотта талқылауға дайындалуда",
        "Подготовка дела к судебному разбирательству",
        "Preparation for trial",
    ),
)
SCHEDULED = stage(
    "scheduled", n("Сот отырысы тағайындалды", "Назначено судебное заседание", "Hearing scheduled")
)
SUSPENDED = stage(
    "suspended", n("Іс жүргізу тоқтатыла тұрды", "Производство приостановлено", "Proceedings suspended")
)
DECIDED = stage(
    "decided",
    n("Шешімнің қарар бөлігі жарияланды", "Оглашена резолютивная часть решения", "Operative part announced"),
)
APPEAL_TERM = stage(
    "appeal_term", n("Шағымдану мерзімі өтуде", "Течёт срок обжалования", "Appeal term running")
)
APPEALED = stage("appealed", n("Шағым берілді", "Подана жалоба", "Appeal filed"))
ON_APPEAL = stage(
    "on_appeal",
    n("Іс жоғары тұрған сотқа жіберілді", "Дело направлено в вышестоящий суд", "Sent to the higher court"),
)
IN_FORCE = stage(
    "in_force", n("Заңды күшіне енді", "Вступило в законную силу", "In legal force"), closed=True
)
ENFORCEMENT = stage(
    "enforcement",
    n(
        "Атқару парағы орындауға жіберілді",
        "Исполнительный лист направлен на исполнение",
        "Writ sent for enforcement",
    ),
    closed=True,
)
RETURNED = stage(
    "returned", n("Талап арыз қайтарылды", "Исковое заявление возвращено", "Claim returned"), closed=True
)
LEFT = stage(
    "left_without_consideration",
    n("Қараусыз қалдырылды", "Оставлено без рассмотрения", "Left without consideration"),
    closed=True,
)
TERMINATED = stage(
    "terminated",
    n("Іс бойынша іс жүргізу тоқтатылды", "Производство по делу прекращено", "Proceedings terminated"),
    closed=True,
)
ARCHIVED = stage("archived", n("Мұрағатқа тапсырылды", "Сдано в архив", "Archived"), closed=True)

# ---------------------------------------------------------------- transitions shared by several procedures

ASSIGN = move(
    "assign",
    n("Судьяға бөлу", "Распределить судье", "Assign to a judge"),
    ["registered"],
    "assigned",
    SYSTEM,
)
SCHEDULE = move(
    "schedule_hearing",
    n("Сот отырысын тағайындау", "Назначить судебное заседание", "Schedule a hearing"),
    ["preparation"],
    "scheduled",
    OFFICE,
)
POSTPONE = move(
    "postpone_hearing",
    n("Сот отырысын кейінге қалдыру", "Отложить судебное заседание", "Postpone the hearing"),
    ["scheduled"],
    "preparation",
    JUDGE,
    reason=True,
)
SUSPEND = move(
    "suspend",
    n("Іс жүргізуді тоқтата тұру", "Приостановить производство", "Suspend proceedings"),
    ["preparation", "scheduled"],
    "suspended",
    JUDGE,
    reason=True,
    pause=["first_instance"],
)
RESUME = move(
    "resume",
    n("Іс жүргізуді қайта бастау", "Возобновить производство", "Resume proceedings"),
    ["suspended"],
    "preparation",
    JUDGE,
    reason=True,
    resume=["first_instance"],
)
LEAVE = move(
    "leave_without_consideration",
    n("Қараусыз қалдыру", "Оставить без рассмотрения", "Leave without consideration"),
    ["preparation", "scheduled", "suspended"],
    "left_without_consideration",
    JUDGE,
    reason=True,
    outcomes=["left_without_consideration"],
    stop=["first_instance"],
)
TERMINATE = move(
    "terminate",
    n("Іс жүргізуді тоқтату", "Прекратить производство по делу", "Terminate proceedings"),
    ["preparation", "scheduled", "suspended"],
    "terminated",
    JUDGE,
    reason=True,
    outcomes=["terminated", "settled"],
    stop=["first_instance"],
)
ANNOUNCE = move(
    "announce_decision",
    n(
        "Шешімнің қарар бөлігін жариялау",
        "Огласить резолютивную часть решения",
        "Announce the operative part",
    ),
    ["scheduled"],
    "decided",
    JUDGE,
    outcomes=["granted", "partly_granted", "dismissed"],
    stop=["first_instance"],
    start=["decision_in_full"],
)
DECISION_IN_FULL = move(
    "decision_in_full",
    n(
        "Шешімді түпкілікті нысанда шығару",
        "Изготовить решение в окончательной форме",
        "Decision in final form",
    ),
    ["decided"],
    "appeal_term",
    JUDGE,
    act="decision",
    stop=["decision_in_full"],
    start=["appeal"],
)
IN_FORCE_NO_APPEAL = move(
    "enter_into_force",
    n(
        "Шағымдалмай заңды күшіне енді",
        "Вступило в законную силу без обжалования",
        "Entered into legal force without an appeal",
    ),
    ["appeal_term"],
    "in_force",
    ["clerk", "system"],
    after_months=1,
    stop=["appeal"],
)
APPEAL_FILED = move(
    "appeal_filed",
    n("Шағым қабылданды", "Принята жалоба", "Appeal received"),
    # From "in legal force" only when the court restores a missed term (efiling.appeals).
    ["appeal_term", "in_force"],
    "appealed",
    SYSTEM,
)
SEND_UP = move(
    "send_up",
    n(
        "Істі жоғары тұрған сотқа жіберу",
        "Направить дело в вышестоящий суд",
        "Send the case to the higher court",
    ),
    ["appealed"],
    "on_appeal",
    ["clerk", "system"],
    after_months=1,
    stop=["appeal"],
)
REVIEWED_IN_FORCE = move(
    "review_decided",
    n(
        "Жоғары тұрған сот қаулы шығарды",
        "Вышестоящий суд вынес постановление",
        "The higher court ruled",
    ),
    ["on_appeal"],
    "in_force",
    SYSTEM,
    outcomes=["upheld", "changed", "reversed"],
)
SENT_BACK = move(
    "sent_back",
    n("Жаңа қарауға жіберілді", "Направлено на новое рассмотрение", "Sent back for a new hearing"),
    ["on_appeal"],
    "preparation",
    SYSTEM,
    outcomes=["sent_back"],
    start=["first_instance"],
)
ENFORCE = move(
    "send_for_enforcement",
    n(
        "Атқару парағын орындауға жіберу",
        "Направить исполнительный лист на исполнение",
        "Send the writ for enforcement",
    ),
    ["in_force"],
    "enforcement",
    ["clerk", "judge"],
)
ARCHIVE = move(
    "archive",
    n("Мұрағатқа тапсыру", "Сдать в архив", "Archive the case"),
    ["in_force", "enforcement", "returned", "left_without_consideration", "terminated"],
    "archived",
    ["clerk"],
)

ACCEPT = move(
    "accept",
    n("Іс жүргізуге қабылдау", "Принять к производству", "Accept into proceedings"),
    ["assigned"],
    "preparation",
    JUDGE,
    start=["first_instance"],
)
RETURN_CLAIM = move(
    "return_claim",
    n("Талап арызды қайтару", "Вернуть исковое заявление", "Return the claim"),
    ["assigned"],
    "returned",
    JUDGE,
    reason=True,
    outcomes=["returned"],
)

FIRST_INSTANCE_STAGES = [
    REGISTERED,
    ASSIGNED,
    PREPARATION,
    SCHEDULED,
    SUSPENDED,
    DECIDED,
    APPEAL_TERM,
    APPEALED,
    ON_APPEAL,
    IN_FORCE,
    ENFORCEMENT,
    RETURNED,
    LEFT,
    TERMINATED,
    ARCHIVED,
]
FIRST_INSTANCE_MOVES = [
    ASSIGN,
    ACCEPT,
    RETURN_CLAIM,
    SCHEDULE,
    POSTPONE,
    SUSPEND,
    RESUME,
    LEAVE,
    TERMINATE,
    ANNOUNCE,
    DECISION_IN_FULL,
    IN_FORCE_NO_APPEAL,
    APPEAL_FILED,
    SEND_UP,
    REVIEWED_IN_FORCE,
    SENT_BACK,
    ENFORCE,
    ARCHIVE,
]


def _first_instance(code: str, names: Names, applies_to: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "code": code,
        "name": names,
        "applies_to": applies_to,
        "initial": "registered",
        "stages": FIRST_INSTANCE_STAGES,
        "transitions": FIRST_INSTANCE_MOVES,
    }


CIVIL_CLAIM = _first_instance(
    "civil_claim",
    n(
        "Талап қою ісі (бірінші саты)",
        "Исковое производство (первая инстанция)",
        "Civil claim (first instance)",
    ),
    {"kinds": ["civil"], "instances": ["first"]},
)
SPECIAL = _first_instance(
    "special_proceedings",
    n("Ерекше іс жүргізу", "Особое производство", "Special proceedings"),
    {"categories": ["civ.special"]},
)
ADMINISTRATIVE = _first_instance(
    "administrative",
    n(
        "Әкімшілік іс жүргізу (бірінші саты)",
        "Административное судопроизводство (первая инстанция)",
        "Administrative case (first instance)",
    ),
    {"kinds": ["administrative"], "instances": ["first"]},
)

ORDER_ISSUED = stage(
    "order_issued", n("Сот бұйрығы шығарылды", "Вынесен судебный приказ", "Court order issued")
)
ORDER_CANCELLED = stage(
    "order_cancelled",
    n("Сот бұйрығының күші жойылды", "Судебный приказ отменён", "Court order cancelled"),
    closed=True,
)
COURT_ORDER = {
    "code": "court_order",
    "name": n("Бұйрық іс жүргізу", "Приказное производство", "Court order (simplified) proceedings"),
    "applies_to": {"categories": ["civ.court_order", "civ.simplified"]},
    "initial": "registered",
    "stages": [
        REGISTERED,
        ASSIGNED,
        ORDER_ISSUED,
        ORDER_CANCELLED,
        IN_FORCE,
        ENFORCEMENT,
        RETURNED,
        ARCHIVED,
    ],
    "transitions": [
        ASSIGN,
        RETURN_CLAIM,
        move(
            "issue_order",
            n("Сот бұйрығын шығару", "Вынести судебный приказ", "Issue the court order"),
            ["assigned"],
            "order_issued",
            JUDGE,
            outcomes=["order_issued"],
            act="court_order",
            start=["debtor_objection"],
        ),
        move(
            "cancel_order",
            n(
                "Борышкердің қарсылығы бойынша бұйрықтың күшін жою",
                "Отменить приказ по возражению должника",
                "Cancel the order on the debtor's objection",
            ),
            ["order_issued"],
            "order_cancelled",
            JUDGE,
            reason=True,
            outcomes=["order_cancelled"],
            stop=["debtor_objection"],
        ),
        move(
            "enter_into_force",
            n("Заңды күшіне енді", "Вступил в законную силу", "Entered into legal force"),
            ["order_issued"],
            "in_force",
            ["clerk", "system"],
            stop=["debtor_objection"],
        ),
        ENFORCE,
        {**ARCHIVE, "from": ["in_force", "enforcement", "returned", "order_cancelled"]},
    ],
}

PRELIMINARY = stage(
    "preliminary_hearing", n("Алдын ала тыңдау", "Предварительное слушание", "Preliminary hearing")
)
TRIAL = stage("trial", n("Басты сот талқылауы", "Главное судебное разбирательство", "Main trial"))
CRIMINAL = {
    "code": "criminal",
    "name": n(
        "Қылмыстық іс (бірінші саты)", "Уголовное дело (первая инстанция)", "Criminal case (first instance)"
    ),
    "applies_to": {"kinds": ["criminal"], "instances": ["first"]},
    "initial": "registered",
    "stages": [
        REGISTERED,
        ASSIGNED,
        PRELIMINARY,
        TRIAL,
        SUSPENDED,
        APPEAL_TERM,
        APPEALED,
        ON_APPEAL,
        IN_FORCE,
        ENFORCEMENT,
        TERMINATED,
        ARCHIVED,
    ],
    "transitions": [
        ASSIGN,
        move(
            "schedule_preliminary",
            n(
                "Алдын ала тыңдауды тағайындау",
                "Назначить предварительное слушание",
                "Schedule the preliminary hearing",
            ),
            ["assigned"],
            "preliminary_hearing",
            OFFICE,
            start=["first_instance"],
        ),
        move(
            "open_trial",
            n(
                "Басты сот талқылауын тағайындау",
                "Назначить главное судебное разбирательство",
                "Set the case for trial",
            ),
            ["preliminary_hearing"],
            "trial",
            JUDGE,
        ),
        {**SUSPEND, "from": ["preliminary_hearing", "trial"]},
        {**RESUME, "to": "trial"},
        {
            **TERMINATE,
            "from": ["preliminary_hearing", "trial", "suspended"],
            "requires": {"reason": True, "outcomes": ["terminated"], "act": ""},
        },
        move(
            "pronounce_verdict",
            n("Үкім шығару", "Провозгласить приговор", "Pronounce the verdict"),
            ["trial"],
            "appeal_term",
            JUDGE,
            outcomes=["convicted", "acquitted"],
            act="decision",
            stop=["first_instance"],
            start=["appeal"],
        ),
        IN_FORCE_NO_APPEAL,
        APPEAL_FILED,
        SEND_UP,
        REVIEWED_IN_FORCE,
        {**SENT_BACK, "to": "preliminary_hearing"},
        move(
            "send_for_execution",
            n("Үкімді орындауға жіберу", "Обратить приговор к исполнению", "Send the verdict for execution"),
            ["in_force"],
            "enforcement",
            ["clerk", "judge"],
        ),
        {**ARCHIVE, "from": ["in_force", "enforcement", "terminated"]},
    ],
}

ADMIN_OFFENCE = {
    "code": "admin_offence",
    "name": n(
        "Әкімшілік құқық бұзушылық туралы іс",
        "Дело об административном правонарушении",
        "Administrative offence case",
    ),
    "applies_to": {"kinds": ["admin_offence"], "instances": ["first"]},
    "initial": "registered",
    "stages": [
        REGISTERED,
        ASSIGNED,
        SCHEDULED,
        APPEAL_TERM,
        APPEALED,
        ON_APPEAL,
        IN_FORCE,
        ENFORCEMENT,
        TERMINATED,
        ARCHIVED,
    ],
    "transitions": [
        ASSIGN,
        {**SCHEDULE, "from": ["assigned"]},
        move(
            "impose_penalty",
            n(
                "Әкімшілік жаза қолдану туралы қаулы шығару",
                "Вынести постановление о наложении взыскания",
                "Impose a penalty",
            ),
            ["scheduled"],
            "appeal_term",
            JUDGE,
            outcomes=["penalty_imposed"],
            act="order",
            start=["appeal"],
        ),
        {
            **TERMINATE,
            "from": ["scheduled"],
            "requires": {"reason": True, "outcomes": ["terminated"], "act": ""},
        },
        {**IN_FORCE_NO_APPEAL, "after_months": 0},
        APPEAL_FILED,
        {**SEND_UP, "after_months": 0},
        REVIEWED_IN_FORCE,
        {**SENT_BACK, "to": "scheduled"},
        ENFORCE,
        {**ARCHIVE, "from": ["in_force", "enforcement", "terminated"]},
    ],
}

# ---------------------------------------------------------------- review instances

REVIEW_DECIDED = stage("decided", n("Қаулы шығарылды", "Вынесено постановление", "Ruling announced"))
REVIEW_CLOSED = stage(
    "ruled",
    n("Қаулы заңды күшіне енді", "Постановление вступило в законную силу", "Ruling in force"),
    closed=True,
)


def _review(code: str, names: Names, instance: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": names,
        "applies_to": {"instances": [instance]},
        "initial": "registered",
        "stages": [
            REGISTERED,
            ASSIGNED,
            PREPARATION,
            SCHEDULED,
            REVIEW_DECIDED,
            REVIEW_CLOSED,
            LEFT,
            ARCHIVED,
        ],
        "transitions": [
            ASSIGN,
            {**ACCEPT, "terms": {"start": [instance]}},
            SCHEDULE,
            POSTPONE,
            {**LEAVE, "from": ["preparation", "scheduled"], "terms": {"stop": [instance]}},
            move(
                "announce_ruling",
                n(
                    "Қаулының қарар бөлігін жариялау",
                    "Огласить резолютивную часть постановления",
                    "Announce the ruling",
                ),
                ["scheduled"],
                "decided",
                JUDGE,
                outcomes=["upheld", "changed", "reversed", "sent_back"],
                stop=[instance],
            ),
            move(
                "ruling_in_full",
                n(
                    "Қаулыны түпкілікті нысанда шығару",
                    "Изготовить постановление в окончательной форме",
                    "Ruling in final form",
                ),
                ["decided"],
                "ruled",
                JUDGE,
                act="order",
            ),
            {**ARCHIVE, "from": ["ruled", "left_without_consideration"]},
        ],
    }


APPEAL = _review("appeal", n("Апелляциялық іс жүргізу", "Апелляционное производство", "Appeal"), "appeal")
CASSATION = _review(
    "cassation", n("Кассациялық іс жүргізу", "Кассационное производство", "Cassation"), "cassation"
)

DEFINITIONS: list[dict[str, Any]] = [
    CIVIL_CLAIM,
    SPECIAL,
    COURT_ORDER,
    ADMINISTRATIVE,
    CRIMINAL,
    ADMIN_OFFENCE,
    APPEAL,
    CASSATION,
]
