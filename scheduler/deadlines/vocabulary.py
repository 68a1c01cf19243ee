"""The words of Russian plan deadlines, as data: month forms, numerals, unit words, markers.

The grammar (`grammar.py`) reads only these tables; a new spelling is one line here.
All entries are lower case with «ё» written as «е», as the tokenizer normalises them.
"""

from __future__ import annotations

#: Every form of every month: all six cases, plural-free, plus the usual abbreviations.
MONTH_FORMS: dict[int, tuple[str, ...]] = {
    1: ("январь", "января", "январе", "январю", "январем", "янв"),
    2: ("февраль", "февраля", "феврале", "февралю", "февралем", "фев", "февр"),
    3: ("март", "марта", "марте", "марту", "мартом", "мар", "мрт"),
    4: ("апрель", "апреля", "апреле", "апрелю", "апрелем", "апр"),
    5: ("май", "мая", "мае", "маю", "маем"),
    6: ("июнь", "июня", "июне", "июню", "июнем", "июн"),
    7: ("июль", "июля", "июле", "июлю", "июлем", "июл"),
    8: ("август", "августа", "августе", "августу", "августом", "авг"),
    9: ("сентябрь", "сентября", "сентябре", "сентябрю", "сентябрем", "сен", "сент"),
    10: ("октябрь", "октября", "октябре", "октябрю", "октябрем", "окт"),
    11: ("ноябрь", "ноября", "ноябре", "ноябрю", "ноябрем", "ноя", "нояб"),
    12: ("декабрь", "декабря", "декабре", "декабрю", "декабрем", "дек"),
}

#: Seasons as month spans; winter (12, 2) straddles two years: «зима 2026» is December 2025
#: to February 2026, the winter that ends in the year named.
SEASON_FORMS: dict[tuple[int, int], tuple[str, ...]] = {
    (12, 2): ("зима", "зимы", "зимой", "зимою", "зиме", "зиму", "зимний", "зимнего", "зимнем"),
    (3, 5): ("весна", "весны", "весной", "весне", "весну", "весенний", "весеннего", "весеннем"),
    (6, 8): ("лето", "лета", "летом", "лете", "летний", "летнего", "летнем"),
    (9, 11): ("осень", "осени", "осенью", "осенний", "осеннего", "осеннем"),
}

#: Ordinal numeral stems (первый, второго, третьем, четвертое …) -> number.
#: Stems up to «тридцат» serve days written as words («с первого по пятое марта»).
ORDINAL_STEMS: dict[str, int] = {
    "перв": 1,
    "втор": 2,
    "трет": 3,
    "четверт": 4,
    "пят": 5,
    "шест": 6,
    "седьм": 7,
    "восьм": 8,
    "девят": 9,
    "десят": 10,
    "одиннадцат": 11,
    "двенадцат": 12,
    "тринадцат": 13,
    "четырнадцат": 14,
    "пятнадцат": 15,
    "шестнадцат": 16,
    "семнадцат": 17,
    "восемнадцат": 18,
    "девятнадцат": 19,
    "двадцат": 20,
    "тридцат": 30,
}

#: Cardinal tens that precede an ordinal day: «двадцать восьмого», «тридцать первое».
TENS_WORDS: dict[str, int] = {"двадцать": 20, "тридцать": 30}

#: «последний» in every case and gender: the last decade, the last weekday of a month (-1).
LAST_WORDS: tuple[str, ...] = (
    "последний",
    "последнего",
    "последнему",
    "последним",
    "последнем",
    "последняя",
    "последней",
    "последнюю",
    "последнее",
    "последние",
    "последних",
)

#: Weekdays (Monday = 0) in the cases «третье воскресенье августа» and remarks use.
WEEKDAY_FORMS: dict[int, tuple[str, ...]] = {
    0: ("понедельник", "понедельника", "понедельнике", "пн"),
    1: ("вторник", "вторника", "вторнике", "вт"),
    2: ("среда", "среду", "среды", "среде", "ср"),
    3: ("четверг", "четверга", "четверге", "чт"),
    4: ("пятница", "пятницу", "пятницы", "пятнице", "пт"),
    5: ("суббота", "субботу", "субботы", "субботе", "сб"),
    6: ("воскресенье", "воскресенья", "воскресенью", "вс"),
}

#: Words naming a part of the period after them: its beginning, middle or end. After a
#: limit («до конца мая», «к началу года») the part is one day: first, middle (15th), last.
PART_WORDS: dict[str, str] = {
    "начало": "begin",
    "начала": "begin",
    "начале": "begin",
    "началу": "begin",
    "середина": "middle",
    "середины": "middle",
    "середине": "middle",
    "середину": "middle",
    "конец": "end",
    "конца": "end",
    "конце": "end",
    "концу": "end",
}

#: Endings an ordinal stem may carry in any case and gender.
ORDINAL_ENDINGS: tuple[str, ...] = (
    "ый",
    "ого",
    "ому",
    "ом",
    "ым",
    "ая",
    "ой",
    "ую",
    "ое",
    "ые",
    "ых",
    "ыми",
    "ий",
    "ья",
    "ье",
    "ьего",
    "ьему",
    "ьем",
    "ьим",
    "ьей",
    "ью",
    "ьи",
    "ьих",
)

#: Roman numerals a plan uses for quarters and half-years (Cyrillic «І» is mapped to «i»).
ROMAN_NUMERALS: dict[str, int] = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}

#: Unit words: the kind of period a numeral in front of them counts.
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "quarter": (
        "квартал",
        "квартала",
        "квартале",
        "кварталу",
        "кварталом",
        "кварталы",
        "кварталов",
        "кварталах",
        "кварталам",
        "кварталами",
        "кв",
    ),
    "half": (
        "половина",
        "половины",
        "половине",
        "половину",
        "половиной",
        "полугодие",
        "полугодия",
        "полугодии",
        "полугодию",
        "полугодием",
        "полугодий",
        "полугодиях",
        "полугодиям",
        "полугод",
        "пол",
    ),
    "year": ("год", "года", "году", "годом", "годе", "годы", "годов", "годах", "годам", "гг", "г"),
    "decade": ("декада", "декады", "декаде", "декаду", "декадой", "декадах"),
    "months": ("месяц", "месяца", "месяцев", "месяцах", "мес"),
    "day_of_month": ("число", "числа", "числу", "числе"),
    "times": ("раз", "раза"),
    "days": ("день", "дня", "дней", "дни", "суток", "недели", "недель", "неделю"),
    "stage": ("этап", "этапа", "этапе", "этапы", "этапов", "очередь", "очереди"),
}

#: Words that point at the reference year or the one after it («текущего года»).
YEAR_DEIXIS: dict[str, int] = {
    "текущего": 0,
    "текущий": 0,
    "текущем": 0,
    "этого": 0,
    "этом": 0,
    "сего": 0,
    "данного": 0,
    "отчетного": 0,
    "следующего": 1,
    "следующем": 1,
    "будущего": 1,
    "будущем": 1,
    "очередного": 1,
    "предыдущего": -1,
    "прошлого": -1,
}

#: Words that turn the next date into a limit: «до», «не позднее», «к», «по» (without «с»).
LIMIT_WORDS: frozenset[str] = frozenset({"до", "позднее", "позже", "к", "ко", "по"})

#: Words that make the next date the start of an open window: «не ранее 1 марта» (from that
#: day), «после 15 мая» (from the day after; after a period, from the day after it ends).
ONWARD_WORDS: dict[str, str] = {"ранее": "from", "раньше": "from", "после": "after"}

#: Words that open a range («с мая по июль») and close it.
RANGE_OPEN: frozenset[str] = frozenset({"с", "со", "от"})
RANGE_CLOSE: frozenset[str] = frozenset({"по", "до"})
#: The closer that makes a range even without an opening «с» («1 июня по 15 июля»).
BARE_RANGE_CLOSE = "по"

#: Words that make the next period a reported one, a deadline may close: «за III квартал –
#: не позднее 20 октября», «по итогам III квартала – до 10 октября».
REPORTED_WORDS: frozenset[str] = frozenset({"за", "итогам"})

#: Forms a marker may be made of besides words: «по полугодиям», «по кварталам» (units),
#: «второго месяца квартала» (numerals): a phrase with one is searched for markers even
#: when its words are all inert.
MARKER_UNIT_FORMS: frozenset[str] = frozenset(
    {"полугодиям", "кварталам", "первого", "второго", "третьего", "последнего"}
)

#: Words that make the next year the one earlier dates start in («начиная с 2027 года»).
STARTING_WORDS: frozenset[str] = frozenset({"начиная", "начинать"})

#: Words that say «by the end of» the next period (the limit is its last day); «конец» and
#: its forms are `PART_WORDS`.
END_WORDS: frozenset[str] = frozenset({"окончания", "окончанию", "завершения"})

#: Words that say «the whole of» the period that follows, or a remark with no date in it.
FILLER_WORDS: frozenset[str] = frozenset(
    {
        "в",
        "во",
        "на",
        "за",
        "течение",
        "протяжении",
        "срок",
        "сроки",
        "сроков",
        "не",
        "период",
        "периода",
        "периоде",
        "плановый",
        "планового",
        "плановом",
        "плановые",
        "месяца",
        "следующего",
        "следующем",
        "отчетным",
        "отчетного",
        "дата",
        "даты",
        "проведения",
        "проведение",
        "начала",
        "начало",
        "середина",
        "середины",
        "числа",
        "год",
        "ежегодно",
        "г",
        "гг",
        "годы",
        "года",
        "годов",
        "мероприятия",
        "включительно",
        "срока",
    }
)

#: Words no marker below is made of alone: a phrase whose only words are these (besides
#: months, numerals and unit words) skips the marker search. A marker pattern must contain
#: at least one word outside this set (or «раз»/«раза»).
INERT_WORDS: frozenset[str] = frozenset(
    {"в", "во", "на", "за", "с", "со", "по", "до", "к", "ко", "и", "не", "позднее", "позже",
     "течение", "конца"}
)  # fmt: skip

#: Phrases (regular expressions over normalised text) that mean «no date can be derived».
UNDATED_PATTERNS: tuple[str, ...] = (
    r"согласно\s+дат",
    r"по\s+мере\s+(?:необходимост|поступлен|готовност|возможност)",
    r"по\s+(?:особому|отдельному|утвержденному|индивидуальному)\s+(?:графику|плану)",
    r"в\s+установленн\w*\s+(?:порядке|сроки)",
    r"в\s+сроки?\s*,?\s+установленн",
    r"по\s+запрос",
    r"по\s+приглашени",
    r"по\s+факту",
    r"по\s+мере",
    r"дат[аы]\s+(?:\w+\s+){0,3}?(?:уточн|определ|не\s+определ|назнача|согласов)",
    r"сроки?\s+(?:\w+\s+){0,3}?(?:уточн|определ|согласов)",
    r"согласно\s+(?:график|план|срок|регламент|календар|положени)",
    r"в\s+соответствии\s+с\s+(?:график|план|календар|регламент|положени)",
    r"в\s+(?:дни|период|сроки|время|ходе)\s+проведения",
    r"по\s+(?:график|плану\b)",
    r"по\s+итогам\s+проведения",
    r"по\s+(?:завершени|окончани|результатам|итогам\s+(?:рассмотрени|конкурс|отбор))",
    r"в\s+рамках\b",
    r"после\s+(?:\w+\s+)?(?:проведени|завершени|подписани|утвержден|получени|поступлени)",
    r"в\s+(?:\w+\s+)?срок\s+(?:после|со\s+дня|с\s+даты|с\s+момента)",
    r"(?:дн(?:ей|я)|недел\w*|месяц\w*)\s+(?:после|со\s+дня|с\s+даты|с\s+момента|до\s+начала)",
    r"\bбез\s+срока\b",
)

#: Phrases that tie a deadline to an event Srok cannot know the date of: undated, whatever
#: dates they hold, with the event quoted in a warning («срок отсчитывается от события»).
EVENT_PATTERNS: tuple[str, ...] = (
    r"(?:со|с|от)\s+(?:дня|даты|момента)\s+(?!\d)[а-я]+(?:\s+[а-я]+)?",
    r"(?:за|через|спустя|позднее|ранее)\s+(?:\d+|[а-я]+)\s+(?:\w+\s+)?(?:дн|недел|месяц|сут|час)"
    r"[а-я]*\s+(?:до|после|с|со|от)\s+[а-я]+(?:\s+[а-я]+)?",
    r"следующ\w*\s+за\s+(?:месяцем|днем|кварталом|годом|неделей)\s+(?!отчетн)[а-я]+(?:\s+[а-я]+)?",
    r"(?:в\s+течение|в\s+период|до\s+(?:начала|окончания|конца))\s+(?:всего\s+)?"
    r"(?:отопительн|купальн|пожароопасн|паводков|навигацион|летнего\s+оздоровительн)\w*\s+[а-я]+",
    r"до\s+(?:начала|открытия|окончания|завершения)\s+(?:\w+\s+)?(?:сезона|работ|ремонта"
    r"|занятий|навигации|строительства|реализации|эксплуатации|мероприяти\w*|смены|конкурса)",
    r"по\s+(?:завершени|окончани)\w*\s+(?!года\b)[а-я]+(?:\s+[а-я]+)?",
    r"после\s+(?:\w+\s+)?(?:проведени|завершени|подписани|утвержден|получени|поступлени"
    r"|окончани|вступлени|принятия|издания|ремонта|открытия|ввода)\w*(?:\s+[а-я]+)?",
    r"(?:в\s+течение|не\s+позднее|в\s+срок\s+до)\s+\d+\s+(?:рабочих\s+|календарных\s+)?"
    r"(?:дн|недел|месяц|сут)[а-я]*(?:\s+(?:после|со|с|от)\s+[а-я]+(?:\s+[а-я]+)?)?",
)

#: Phrases that mark a date as not final.
TENTATIVE_PATTERNS: tuple[str, ...] = (
    r"будет\s+(?:сообщен|объявлен|определен|уточнен|назначен|установлен)",
    r"будут\s+(?:сообщен|объявлен|определен|уточнен|назначен|установлен)",
    r"сообщ\w*\s+дополнительно",
    r"определ\w*\s+(?:позднее|позже|дополнительно)",
    r"\bпланиру",
    r"при\s+наличии\s+(?:финансирован|средств|возможност|бюджетн|ассигнован)",
    r"при\s+условии\s+(?:финансирован|выделени|наличи)",
    r"в\s+случае\s+(?:проведени|выделени|финансирован|наличи|получени|поступлени)",
    r"уточн",
    r"предположительн",
    r"ориентировочн",
    r"по\s+согласовани",
    r"\bпримерно\b",
    r"\bприблизительно\b",
    r"\bпредварительн",
    r"\bвозможн[оы]\b",
)

#: Phrases of recurring duties -> recurrence; the first match wins, so longer ones come first.
RECURRENCE_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        r"раза?\s+в\s+пол(?:угодие|года)|полугодов|(?:дважды|два\s+раза|2\s+раза)\s+в\s+год"
        r"|ежеполугод"
        r"|каждое\s+полугодие|по\s+полугодиям|по\s+итогам\s+полугоди",
        "half_yearly",
    ),
    (
        r"ежекварт|ежекв\b|раза?\s+в\s+квартал|каждый\s+квартал|поквартальн|по\s+кварталам"
        r"|по\s+итогам\s+(?:каждого\s+)?квартал",
        "quarterly",
    ),
    (
        r"ежемесячн|ежемес\b|раза?\s+в\s+месяц|кажд(?:ый|ого)\s+месяц|помесячн|по\s+месяцам",
        "monthly",
    ),
    (
        r"еженедельн|раза?\s+в\s+неделю|каждую\s+неделю"
        r"|(?:каждый|каждую|каждое|по)\s+(?:понедельник|вторник|сред|четверг|пятниц|суббот"
        r"|воскресень)",
        "weekly",
    ),
    (r"ежегодн|раза?\s+в\s+год|каждый\s+год|по\s+итогам\s+(?:каждого\s+)?года", "yearly"),
)

#: Phrases meaning «throughout the period»: the reference year when nothing else is dated.
THROUGHOUT_PATTERNS: tuple[str, ...] = (
    r"\bпостоянно\b",
    r"\bежедневн",
    r"\b(?:в\s+течение|на\s+протяжении)\s+(?:всего\s+)?(?:периода|срока)\b",
    r"\bвесь\s+период\b",
    r"\bна\s+постоянной\s+основе\b",
    r"\b(?:в\s+течение|на\s+протяжении)\s+(?:всего\s+)?года\s+(?!\d)[а-я]",
)

#: «до 1 марта года, следующего за отчетным»: year-less dates fall in the next year.
NEXT_YEAR_PATTERN = r"год\w*,?\s+следующ\w*\s+за\s+отчетн"

#: «и плановый период»: the budget phrase whose years make one window.
PLANNING_PERIOD_PATTERN = r"планов\w*\s+период"

#: What a single date the grammar does not know must contain before dateparser is asked:
#: a digit, or a word that names a day or a month in another way or language.
FALLBACK_HINT_PATTERN = (
    r"\d|завтра|вчера|сегодня|через|недел|понедельник|вторник|сред[ау]|четверг|пятниц|суббот"
    r"|воскресен|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|today|tomorrow|yesterday"
    r"|next|last|week|mon|tue|wed|thu|fri|sat|sun"
)
