"""The words plans use, as data: column headers -> roles, heads of body names, stamp words.

The readers hold the grammar (where a header row is, where a body's name ends); what
counts as a deadline column or as the start of a body's name is listed here, so a new
spelling is one line in this file. Stems are lower case and matched at a word start.
"""

from __future__ import annotations

#: Header stems -> column role, tried in order: the first stem found in a header wins,
#: so the longer phrases («место и дата») come before their parts («место», «дата»).
HEADER_ROLES: tuple[tuple[str, str], ...] = (
    ("соисполнител", "co_agencies"),
    ("ответствен", "agencies"),
    ("исполнител", "agencies"),
    ("организатор", "agencies"),
    ("координатор", "agencies"),
    ("кто проводит", "agencies"),
    ("место и дата", "place_and_date"),
    ("дата и место", "place_and_date"),
    ("место, дата", "place_and_date"),
    ("место и сроки", "place_and_date"),
    ("место и срок", "place_and_date"),
    ("сроки и место", "place_and_date"),
    ("срок", "deadline"),
    ("дата", "deadline"),
    ("период", "deadline"),
    ("время проведения", "deadline"),
    ("годы реализации", "deadline"),
    ("год реализации", "deadline"),
    ("месяц", "deadline"),
    ("квартал", "deadline"),
    ("место", "place"),
    ("ожидаем", "result"),
    ("результат", "result"),
    ("показател", "result"),
    ("финансир", "financing"),
    ("источник", "financing"),
    ("объем", "financing"),
    ("объём", "financing"),
    ("стоимост", "financing"),
    ("сумма", "financing"),
    ("описание", "description"),
    ("участник", "participants"),
    ("целевая аудитория", "participants"),
    ("наименование", "title"),
    ("цель", "goal"),
    ("задач", "goal"),
    ("мероприяти", "title"),
    ("содержание", "title"),
    ("название", "title"),
    ("тема", "title"),
    ("вид работ", "title"),
    ("примечани", "other"),
    ("отметка", "other"),
)

#: Whole headers of the item-number column (after lower-casing and removing spaces).
NUMBER_HEADERS = frozenset({"№", "n", "no", "no.", "№п/п", "nп/п", "п/п", "№№", "№№п/п", "пп"})

#: Stems of a deadline column's start and end («Срок» over «начала | окончания»).
DEADLINE_PARTS: tuple[tuple[str, str], ...] = (
    ("начал", "deadline_start"),
    ("старт", "deadline_start"),
    ("оконч", "deadline_end"),
    ("заверш", "deadline_end"),
    # «Срок» over «плановый | фактический»: the date it was done is no deadline.
    ("фактическ", "other"),
    ("факт.", "other"),
)
#: Whole sub-headers that mean the same («с | по»).
DEADLINE_PART_WORDS: dict[str, str] = {"с": "deadline_start", "по": "deadline_end", "факт": "other"}

#: Nominative heads a body's name starts with (also in lower case after a comma or on
#: a new line of a cell). Forms of other cases would continue a name, not start one.
BODY_HEADS: tuple[str, ...] = (
    "министерство",
    "комитет",
    "главное управление",
    "управление",
    "департамент",
    "администрация",
    "правительство",
    "агентство",
    "отдел",
    "сектор",
    "служба",
    "инспекция",
    "учреждение",
    "центр",
    "фонд",
    "совет",
    "палата",
    "представительство",
    "посольство",
    "консульство",
    "университет",
    "институт",
    "академия",
    "колледж",
    "библиотека",
    "музей",
    "театр",
    "филармония",
    "дом культуры",
    "автономная некоммерческая организация",
    "автономное",
    "акционерное общество",
    "бюджетное",
    "государственное",
    "казенное",
    "казённое",
    "муниципальное",
    "областное",
    "общественная организация",
    "общество",
    "открытое акционерное общество",
    "публичное",
    "федеральное",
    "некоммерческое",
)

#: Abbreviated legal forms and bodies («МБУК «ЦКС»», «ГАУ …», «УО …»), upper case.
BODY_ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "АНО", "АО", "ГАУ", "ГАУК", "ГБУ", "ГБУК", "ГБОУ", "ГКУ", "ГОУ", "ГУ", "ГУО", "ГУК",
        "ДК", "ДШИ", "ЗАО", "КГБУ", "КУ", "МАУ", "МАУК", "МБДОУ", "МБОУ", "МБУ", "МБУК",
        "МБУ ДО", "МКУ", "МКУК", "МОУ", "МУ", "МУК", "МУП", "НКО", "ОАО", "ОГАУ", "ОГБУ",
        "ОГБУК", "ОГБОУ", "ОГКУ", "ОО", "ООО", "ПАО", "РОО", "УО", "УК", "УП", "ФГБУ",
        "ФГБОУ", "ФГУП", "ЦБС", "ЦКС", "ЧУ", "ОДО",
    }
)  # fmt: skip

#: Words that end a body's name («… Смоленской области»): a nominative head after one of
#: these starts the next body even without a comma.
NAME_ENDINGS: tuple[str, ...] = (
    "области",
    "облисполкома",
    "райисполкома",
    "горисполкома",
    "района",
    "округа",
    "города",
    "края",
    "республики",
    "федерации",
    "беларусь",
)

#: Marks kept as a note of a body, not as part of its name.
BODY_NOTES: tuple[str, ...] = (
    "по согласованию",
    "по договоренности",
    "по договорённости",
    "по приглашению",
    "при наличии",
    "в пределах компетенции",
    "координатор",
    "соисполнитель",
    "ответственный исполнитель",
)

#: Positions written before a person's name in a responsible cell.
POSITIONS: tuple[str, ...] = (
    "глава",
    "заместитель",
    "начальник",
    "председатель",
    "директор",
    "руководитель",
    "министр",
    "заведующ",
    "главный специалист",
    "специалист",
    "консультант",
    "секретарь",
    "управляющий",
)

#: Words that open the approval stamp above a plan's title.
STAMP_STARTS: tuple[str, ...] = (
    "утвержд",
    "утверждаю",
    "согласован",
    "приложение",
    "к постановлению",
    "к распоряжению",
    "к приказу",
    "к решению",
    "к протоколу",
    "к указу",
    "постановлением",
    "распоряжением",
    "приказом",
    "решением",
    "протоколом",
    "указом",
    "(в редакции",
    "в редакции",
)

#: An act named in a stamp, in any case -> its nominative form.
ACT_FORMS: tuple[tuple[str, str], ...] = (
    ("постановлени", "постановление"),
    ("распоряжени", "распоряжение"),
    ("приказ", "приказ"),
    ("решени", "решение"),
    ("протокол", "протокол"),
    ("указ", "указ"),
)

#: Regions printed with «ё» in a short name, keyed by the spelling with «е».
YO_SPELLINGS: dict[str, str] = {"Могилевская": "Могилёвская"}
