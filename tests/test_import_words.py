"""The small grammars of the importer, table-driven: bodies, stamps, titles, periods,
headers and short names, with variants the samples do not have (other regions, cases,
dashes, letter case, abbreviations)."""

from __future__ import annotations

from datetime import date

import pytest

from models.importing.agencies import read_bodies
from models.importing.front import parse_approval, read_front, units_of_paragraphs
from models.importing.header import column_role, is_column_numbers
from models.importing.naming import short_name
from models.importing.parsed import Approval, ParsedItem, ParsedPlan
from models.importing.period import parse_period_option, settle_period
from models.importing.table_items import split_place_and_date
from models.importing.text import find_period

Bodies = list[tuple[str, str | None, str | None]]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            ["комитет по культуре, туризму и внешним связям Брянской области"],
            [("комитет по культуре, туризму и внешним связям Брянской области", None, None)],
            id="comma-inside-a-name-dative-list",
        ),
        pytest.param(
            ["Министерство экономического развития, промышленности и торговли Псковской области"],
            [
                (
                    "Министерство экономического развития, промышленности и торговли "
                    "Псковской области",
                    None,
                    None,
                )
            ],
            id="comma-inside-a-name-genitive-list",
        ),
        pytest.param(
            ["ДШИ, сельские библиотеки, районный Дом ремёсел"],
            [
                ("ДШИ", None, None),
                ("сельские библиотеки", None, None),
                ("районный Дом ремёсел", None, None),
            ],
            id="lower-case-list",
        ),
        pytest.param(
            ["МБУ «ЦКС» МБУ «ЦБС»"],
            [("МБУ «ЦКС»", None, None), ("МБУ «ЦБС»", None, None)],
            id="two-without-separator",
        ),
        pytest.param(
            [
                "Управление образования Гомельского облисполкома "
                "Комитет по культуре Гомельского облисполкома"
            ],
            [
                ("Управление образования Гомельского облисполкома", None, None),
                ("Комитет по культуре Гомельского облисполкома", None, None),
            ],
            id="two-without-separator-after-a-region",
        ),
        pytest.param(
            ["Отдел культуры администрации района (по согласованию)", "Иванов И.И."],
            [("Отдел культуры администрации района", "по согласованию", "Иванов И.И.")],
            id="note-and-person-on-its-own-line",
        ),
        pytest.param(
            ["Администрация Ершичского района, глава администрации Петров П.П."],
            [("Администрация Ершичского района", None, "Петров П.П.")],
            id="person-with-post-after-a-comma",
        ),
        pytest.param(
            ["МБОУ СОШ № 2 (директор А.В. Сидорова), ОГИБДД (по договорённости)"],
            [("МБОУ СОШ № 2", None, "А.В. Сидорова"), ("ОГИБДД", "по договорённости", None)],
            id="initials-first-and-another-note",
        ),
        pytest.param(
            ["Отдел спорта (начальник отдела Сергеева Анна Викторовна)"],
            [("Отдел спорта", None, "Сергеева Анна Викторовна")],
            id="full-name-with-patronymic",
        ),
        pytest.param(
            ["Смоленская областная библиотека им. А.Т. Твардовского"],
            [("Смоленская областная библиотека им. А.Т. Твардовского", None, None)],
            id="named-after-a-person-is-not-a-person",
        ),
        pytest.param(
            ["Министерство культуры Калужской области", "ГАУК «Калужская областная филармония»"],
            [
                ("Министерство культуры Калужской области", None, None),
                ("ГАУК «Калужская областная филармония»", None, None),
            ],
            id="new-line-abbreviation-after-a-complete-name",
        ),
        pytest.param(
            ["Государственное бюджетное", "учреждение культуры «Центр»"],
            [("Государственное бюджетное учреждение культуры «Центр»", None, None)],
            id="line-break-inside-a-legal-form",
        ),
    ],
)
def test_bodies(lines: list[str], expected: Bodies) -> None:
    assert [(b.name, b.note, b.person) for b in read_bodies(lines)] == expected


def test_a_person_alone_is_a_doubt_not_a_body() -> None:
    doubts: list[str] = []
    assert read_bodies(["Иванов И.И."], doubts) == []
    assert doubts == ["лицо «Иванов И.И.» указано без органа"]


@pytest.mark.parametrize(
    ("stamp", "act", "number", "day"),
    [
        (
            [
                "УТВЕРЖДЁН",
                "постановлением Администрации",
                "Смоленской области",
                "от 12 марта 2025 г. № 214",
            ],
            "постановление Администрации Смоленской области",
            "214",
            date(2025, 3, 12),
        ),
        (
            [
                "Приложение № 2",
                "к распоряжению Губернатора Тверской области",
                "от «5» июня 2026 года N 77-рг",
            ],
            "распоряжение Губернатора Тверской области",
            "77-рг",
            date(2026, 6, 5),
        ),
        (
            ["УТВЕРЖДЕНО", "протоколом заседания рабочей группы от 20.01.26"],
            "протокол заседания рабочей группы",
            None,
            date(2026, 1, 20),
        ),
        (["УТВЕРЖДАЮ", "Глава района", "________ Петров П.П."], None, None, None),
        (["УТВЕРЖДАЮ", "Директор МБУК «ЦКС»", "«___» ________ 2026 г."], None, None, None),
    ],
)
def test_approval(stamp: list[str], act: str | None, number: str | None, day: date | None) -> None:
    approval = parse_approval(stamp)
    assert (approval.act, approval.number, approval.date) == (act, number, day)


def test_a_stamp_with_a_blank_day_still_gives_the_year() -> None:
    plan = _plan("План работы", ["март"], parse_approval(["УТВЕРЖДАЮ", "«___» ______ 2026 г."]))
    settle_period(plan, today=date(2027, 5, 1))
    assert (plan.period_source, plan.period_start) == ("approval", date(2026, 1, 1))
    assert plan.period_explanation.endswith("(2026 г.)")


@pytest.mark.parametrize(
    ("paragraphs", "title", "has_approval"),
    [
        (
            [
                "УТВЕРЖДЕН",
                "приказом от 01.02.2026 № 5",
                "ПЛАН",
                "мероприятий по охране лесов",
                "на 2026 год",
                "Настоящий план разработан в целях исполнения закона.",
            ],
            "ПЛАН мероприятий по охране лесов на 2026 год",
            True,
        ),
        (
            ["ПЛАН МЕРОПРИЯТИЙ", "ПО ПОДГОТОВКЕ К ОТОПИТЕЛЬНОМУ СЕЗОНУ", "В 2025 – 2027 ГОДАХ"],
            "ПЛАН МЕРОПРИЯТИЙ ПО ПОДГОТОВКЕ К ОТОПИТЕЛЬНОМУ СЕЗОНУ В 2025 – 2027 ГОДАХ",
            False,
        ),
        (
            [
                "План работы на март месяц",
                "В целях организации работы отдела предлагается следующее.",
            ],
            "План работы на март месяц",
            False,
        ),
    ],
)
def test_front(paragraphs: list[str], title: str, has_approval: bool) -> None:
    front = read_front(units_of_paragraphs(paragraphs))
    assert front.title == title
    assert (front.approval is not None) == has_approval


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("В 2025 – 2027 ГОДАХ", (date(2025, 1, 1), date(2027, 12, 31))),
        ("на 2026—2028 гг.", (date(2026, 1, 1), date(2028, 12, 31))),
        ("на период с 2026 по 2030 год", (date(2026, 1, 1), date(2030, 12, 31))),
        ("на март 2026 года", (date(2026, 3, 1), date(2026, 3, 31))),
        ("НА II ПОЛУГОДИЕ 2026 ГОДА", (date(2026, 7, 1), date(2026, 12, 31))),
        ("на 3 квартал 2027 года", (date(2027, 7, 1), date(2027, 9, 30))),
        ("План работы на март месяц", None),
        (
            "на 2026 год и на плановый период 2027 и 2028 годов",
            (date(2026, 1, 1), date(2028, 12, 31)),
        ),
        ("Соглашение от 8 декабря 2004 года", None),
    ],
)
def test_period_in_a_title(title: str, period: tuple[date, date] | None) -> None:
    found = find_period(title)
    assert (found[:2] if found else None) == period


def _plan(title: str, deadlines: list[str], approval: Approval | None = None) -> ParsedPlan:
    plan = ParsedPlan(title=title, kind="events", period_start=None, period_end=None)  # type: ignore[arg-type]
    plan.approval = approval
    plan.items = [ParsedItem(number=str(i), title="x", deadline=d) for i, d in enumerate(deadlines)]
    return plan


@pytest.mark.parametrize(
    ("plan", "option", "source", "start", "end"),
    [
        (
            _plan("План на 2026 год", ["май 2027"]),
            None,
            "title",
            date(2026, 1, 1),
            date(2026, 12, 31),
        ),
        (
            _plan("План", ["май 2027"], Approval("…", date=date(2025, 3, 12))),
            None,
            "approval",
            date(2025, 1, 1),
            date(2025, 12, 31),
        ),
        (
            _plan("План", ["май 2027 г.", "до 01.03.2029"]),
            None,
            "deadlines",
            date(2027, 1, 1),
            date(2029, 12, 31),
        ),
        (_plan("План", ["ежегодно"]), None, "import_date", date(2026, 1, 1), date(2026, 12, 31)),
        (
            _plan("План на 2026 год", []),
            (date(2030, 1, 1), date(2031, 12, 31)),
            "option",
            date(2030, 1, 1),
            date(2031, 12, 31),
        ),
    ],
)
def test_settle_period(
    plan: ParsedPlan, option: tuple[date, date] | None, source: str, start: date, end: date
) -> None:
    settle_period(plan, today=date(2026, 12, 3), option=option)
    assert (plan.period_source, plan.period_start, plan.period_end) == (source, start, end)
    assert plan.period_explanation and plan.period_explanation.isascii() is False


def test_period_option() -> None:
    assert parse_period_option("2026-2028") == (date(2026, 1, 1), date(2028, 12, 31))
    assert parse_period_option(" 2026 ") == (date(2026, 1, 1), date(2026, 12, 31))
    assert parse_period_option("2026–2027") == (date(2026, 1, 1), date(2027, 12, 31))
    for bad in ("2028-2026", "26", "2026-", "весна"):
        with pytest.raises(ValueError, match="период"):
            parse_period_option(bad)


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("N п/п", "number"),
        ("п/п", "number"),
        ("№№", "number"),
        ("Содержание мероприятия", "title"),
        ("Наименование", "title"),
        ("Сроки реализации", "deadline"),
        ("Дата и время проведения", "deadline"),
        ("Период", "deadline"),
        ("Срок начала", "deadline_start"),
        ("Дата окончания", "deadline_end"),
        ("Место и дата проведения", "place_and_date"),
        ("Ответствен.", "agencies"),
        ("Ответственные за исполнение", "agencies"),
        ("Соисполнители", "co_agencies"),
        ("Ожидаемый результат", "result"),
        ("Объем финансирования, тыс. руб.", "financing"),
        ("Участники мероприятия", "participants"),
        ("Цель проведения", "goal"),
        ("Код", None),
        ("Месяц", "deadline"),
        ("Тема", "title"),
        ("Целевая аудитория", "participants"),
        ("Координатор", "agencies"),
        ("Примечание", "other"),
    ],
)
def test_column_roles(header: str, role: str | None) -> None:
    assert column_role(header) == role


def test_column_number_row() -> None:
    assert is_column_numbers(["1", "2", "3", "4", "5"])
    assert is_column_numbers(["1.", "2.", "3."])
    assert not is_column_numbers(["1.", "Концерт", "май"])
    assert not is_column_numbers(["1", "2026"])


@pytest.mark.parametrize(
    ("title", "period", "name"),
    [
        (
            "ПЛАН мероприятий по развитию сотрудничества Смоленской и Могилевской областей",
            (date(2026, 1, 1), date(2028, 12, 31)),
            "План мероприятий на 2026–2028 годы (Смоленская – Могилёвская обл.)",
        ),
        (
            "Комплексный план мероприятий Брянской области",
            (date(2026, 1, 1), date(2026, 12, 31)),
            "Комплексный план мероприятий на 2026 год (Брянская обл.)",
        ),
        ("План работы", (date(2026, 3, 1), date(2026, 3, 31)), "План работы на март 2026 года"),
    ],
)
def test_short_name(title: str, period: tuple[date, date], name: str) -> None:
    assert short_name(title, period) == name


@pytest.mark.parametrize(
    ("paragraphs", "title", "act"),
    [
        (
            [
                "АДМИНИСТРАЦИЯ ВЕЛИЖСКОГО РАЙОНА",
                "ПОСТАНОВЛЕНИЕ",
                "от 10.02.2026 № 55",
                "Об утверждении плана мероприятий",
                "В соответствии с уставом администрация постановляет: утвердить план.",
                "Приложение",
                "к постановлению Администрации Велижского района",
                "от 10.02.2026 № 55",
                "ПЛАН",
                "мероприятий по благоустройству",
            ],
            "ПЛАН мероприятий по благоустройству",
            "постановление Администрации Велижского района",
        ),
        (
            ["Отдел культуры Администрации района", "План работы на март 2026 г."],
            "План работы на март 2026 г.",
            None,
        ),
    ],
)
def test_front_skips_a_decree_and_a_letterhead(
    paragraphs: list[str], title: str, act: str | None
) -> None:
    front = read_front(units_of_paragraphs(paragraphs))
    assert front.title == title
    assert (front.approval.act if front.approval else None) == act


@pytest.mark.parametrize(
    ("cell", "place", "when"),
    [
        (["г. Смоленск, 10 марта"], "г. Смоленск", "10 марта"),
        (["Мариинский театр, 5 июня 2026 г."], "Мариинский театр", "5 июня 2026 г."),
        (["15 мая 2026 г., г. Смоленск"], "г. Смоленск", "15 мая 2026 г."),
        (["Майский парк", "01.05.2026"], "Майский парк", "01.05.2026"),
        (["ДК «Юность»", "в течение года"], "ДК «Юность»", "в течение года"),
    ],
)
def test_place_and_date(cell: list[str], place: str, when: str) -> None:
    assert split_place_and_date(cell) == (place, when)
