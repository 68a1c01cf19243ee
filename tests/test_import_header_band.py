"""Headers of three and more rows (issue 12): a group row over sub-headers over
sub-sub-headers, merged cells at every level, read by the roles of their cells.

Each document is built in code (tests/layout_docs.py) and read through the preview;
the goldens name every column's combined header and role and every item's deadline,
windows and bodies by side.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from models.importing import preview_plan
from tests.support.office_docs import write_docx, write_xlsx

TODAY = date(2026, 12, 3)
BRYANSK = "Департамент культуры Брянской области"
BRYANSK_LIB = "ГАУК «Брянская областная научная универсальная библиотека»"
GOMEL = (
    "Главное управление идеологической работы, культуры и по делам молодёжи "
    "Гомельского облисполкома"
)
GOMEL_LIB = "ГУК «Гомельская областная универсальная библиотека»"


def _preview(path: Path) -> dict[str, Any]:
    return preview_plan(path, today=TODAY).to_json()


def _columns(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["header"], c["role"]) for c in data["columns"]]


def _items(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            i["number"],
            i["title"],
            i["deadline"],
            i["windows"],
            [(b["name"], b["side"], b["role"], b["note"]) for b in i["bodies"]],
        )
        for i in data["items"]
    ]


def _doubts(data: dict[str, Any]) -> list[str]:
    return [d["text"] for d in data["doubts"]]


def test_excel_years_over_start_and_end_merged_at_every_level(tmp_path: Path) -> None:
    """«Сроки» over «2026 | 2027» over «начало | окончание»; «№», the title and the
    responsible column merged down over the three rows; the column-number row under it."""
    rows = [
        ["ПЛАН мероприятий по реализации соглашения о сотрудничестве", "", "", "", "", "", ""],
        ["№ п/п", "Наименование мероприятия", "Сроки", "", "", "", "Ответственные"],
        ["", "", "2026 год", "", "2027 год", "", ""],
        ["", "", "начало", "окончание", "начало", "окончание", ""],
        ["1", "2", "3", "4", "5", "6", "7"],
        ["I. Культура", "", "", "", "", "", ""],
        ["1", "Фестиваль «Славянское единство»", "март", "май", "апрель", "июнь", BRYANSK],
        ["2", "Выставка", "15.03", "20.03", "", "", BRYANSK],
        ["3", "Гастроли театра", "", "", "октябрь", "", "Брянский театр драмы"],
    ]
    merges = ("A1:G1", "A2:A4", "B2:B4", "C2:F2", "G2:G4", "C3:D3", "E3:F3", "A6:G6")
    data = _preview(write_xlsx(tmp_path / "plan.xlsx", {"План": (rows, merges)}))
    assert data["title"] == "ПЛАН мероприятий по реализации соглашения о сотрудничестве"
    assert _columns(data) == [
        ("№ п/п", "number"),
        ("Наименование мероприятия", "title"),
        ("Сроки 2026 год начало", "deadline"),
        ("Сроки 2026 год окончание", "deadline"),
        ("Сроки 2027 год начало", "deadline"),
        ("Сроки 2027 год окончание", "deadline"),
        ("Ответственные", "agencies"),
    ]
    assert data["sections"] == [{"number": "I", "title": "Культура"}]
    assert (data["period"]["source"], data["period"]["start"], data["period"]["end"]) == (
        "deadlines",
        "2026-01-01",
        "2027-12-31",
    )
    assert _items(data) == [
        ("1", "Фестиваль «Славянское единство»", "март – май 2026; апрель – июнь 2027",
         [["2026-03-01", "2026-05-31"], ["2027-04-01", "2027-06-30"]],
         [(BRYANSK, "RU", "lead", None)]),
        ("2", "Выставка", "15.03.2026 – 20.03.2026", [["2026-03-15", "2026-03-20"]],
         [(BRYANSK, "RU", "lead", None)]),
        ("3", "Гастроли театра", "октябрь 2027", [["2027-10-01", "2027-10-31"]],
         [("Брянский театр драмы", "RU", "lead", None)]),
    ]  # fmt: skip
    assert _doubts(data) == []


_SIDES = [
    ["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственные", "", "", ""],
    ["", "", "", "от Брянской области", "", "от Гомельской области", ""],
    ["", "", "", "исполнитель", "соисполнитель", "исполнитель", "соисполнитель"],
]
_SIDES_ACROSS = ((0, 3, 6), (1, 3, 4), (1, 5, 6))
_SIDES_DOWN = ((0, 2, 0), (0, 2, 1), (0, 2, 2))


def test_word_sides_over_executor_and_co_executor_printed_again_on_the_next_page(
    tmp_path: Path,
) -> None:
    """«Ответственные» / «от Брянской области | от Гомельской области» / «исполнитель |
    соисполнитель»; the three header rows printed again at the top of the next page are
    no item and no section."""
    rows = [
        *_SIDES,
        ["1.", "Дни белорусской книги в Брянске", "II квартал 2026 г.", BRYANSK,
         f"{BRYANSK_LIB} (по согласованию)", GOMEL, GOMEL_LIB],
        *_SIDES,
        ["2.", "Семинар библиотекарей", "сентябрь 2026 г.", BRYANSK, "", GOMEL, ""],
    ]  # fmt: skip
    across = (*_SIDES_ACROSS, *((r + 4, a, b) for r, a, b in _SIDES_ACROSS))
    down = (*_SIDES_DOWN, *((a + 4, b + 4, c) for a, b, c in _SIDES_DOWN))
    path = write_docx(
        tmp_path / "plan.docx",
        front=["ПЛАН", "совместных мероприятий Брянской и Гомельской областей на 2026 год"],
        rows=rows,
        across=across,
        down=down,
    )
    data = _preview(path)
    assert (
        data["short_name"] == "План совместных мероприятий на 2026 год (Брянская – Гомельская обл.)"
    )
    assert _columns(data)[3:] == [
        ("Ответственные от Брянской области исполнитель", "agencies"),
        ("Ответственные от Брянской области соисполнитель", "co_agencies"),
        ("Ответственные от Гомельской области исполнитель", "agencies"),
        ("Ответственные от Гомельской области соисполнитель", "co_agencies"),
    ]
    assert data["sections"] == []
    assert _items(data) == [
        ("1", "Дни белорусской книги в Брянске", "II квартал 2026 г.",
         [["2026-04-01", "2026-06-30"]],
         [(BRYANSK, "RU", "lead", None), (BRYANSK_LIB, "RU", "co", "по согласованию"),
          (GOMEL, "BY", "lead", None), (GOMEL_LIB, "BY", "co", None)]),
        ("2", "Семинар библиотекарей", "сентябрь 2026 г.", [["2026-09-01", "2026-09-30"]],
         [(BRYANSK, "RU", "lead", None), (GOMEL, "BY", "lead", None)]),
    ]  # fmt: skip
    assert _doubts(data) == []


def test_text_export_of_a_three_row_header_loses_its_merges(tmp_path: Path) -> None:
    """A legal-act site's pipe export: the group labels stand in their first column only,
    the cells they spanned are empty, and the later columns never shift."""
    path = tmp_path / "plan.txt"
    path.write_text(
        "План мероприятий на 2026 – 2027 годы\n\n"
        "| № | Мероприятие | Сроки | | | | Исполнители |\n"
        "| | | 2026 | | 2027 | | |\n"
        "| | | с | по | с | по | |\n"
        "| 1 | Фестиваль | март | май | апрель | июнь | Отдел культуры |\n"
        "| 2 | Конкурс | 15.03 | 20.03 | | | Отдел образования |\n",
        encoding="utf-8",
    )
    data = _preview(path)
    assert [h for h, _ in _columns(data)] == [
        "№", "Мероприятие", "Сроки 2026 с", "Сроки 2026 по", "Сроки 2027 с", "Сроки 2027 по",
        "Исполнители",
    ]  # fmt: skip
    assert [(i[0], i[2], i[3]) for i in _items(data)] == [
        ("1", "март – май 2026; апрель – июнь 2027",
         [["2026-03-01", "2026-05-31"], ["2027-04-01", "2027-06-30"]]),
        ("2", "15.03.2026 – 20.03.2026", [["2026-03-15", "2026-03-20"]]),
    ]  # fmt: skip
    assert data["items"][0]["bodies"][0]["name"] == "Отдел культуры"


def test_group_row_above_the_row_that_names_the_roles(tmp_path: Path) -> None:
    """«Общие сведения» over «№ | Наименование», «Исполнение» over «Срок | Ответственный»:
    the group row is part of the header, not of the title above it."""
    rows = [
        ["ПЛАН", "", "", ""],
        ["работы отдела культуры на 2026 год", "", "", ""],
        ["Общие сведения", "", "Исполнение", ""],
        ["№", "Наименование", "Срок", "Ответственный"],
        ["1", "Концерт", "май", "Отдел культуры"],
    ]
    merges = ("A1:D1", "A2:D2", "A3:B3", "C3:D3")
    data = _preview(write_xlsx(tmp_path / "plan.xlsx", {"Лист1": (rows, merges)}))
    assert data["title"] == "ПЛАН работы отдела культуры на 2026 год"
    assert _columns(data) == [
        ("Общие сведения №", "number"),
        ("Общие сведения Наименование", "title"),
        ("Исполнение Срок", "deadline"),
        ("Исполнение Ответственный", "agencies"),
    ]
    assert [(i[0], i[1], i[3]) for i in _items(data)] == [
        ("1", "Концерт", [["2026-05-01", "2026-05-31"]])
    ]


def test_quarters_marked_under_a_year_named_above(tmp_path: Path) -> None:
    """«Срок исполнения (2026 год)» over «I кв. | II кв. | III кв. | IV кв.», a mark («+»,
    «х», «Х») in the quarters the item falls in."""
    rows = [
        ["N", "Содержание мероприятия", "Срок исполнения (2026 год)", "", "", "", "Исполнитель"],
        ["", "", "I кв.", "II кв.", "III кв.", "IV кв.", ""],
        ["1", "Отчёт о работе клубных формирований", "+", "", "+", "", "Отдел культуры"],
        ["2", "Смотр самодеятельности", "", "х", "", "", "Районный Дом культуры"],
        ["3", "Подведение итогов года", "", "", "", "Х", "Отдел культуры"],
    ]
    path = write_docx(
        tmp_path / "plan.docx",
        front=["План работы отдела культуры"],
        rows=rows,
        across=((0, 2, 5),),
        down=((0, 1, 0), (0, 1, 1), (0, 1, 6)),
    )
    data = _preview(path)
    assert [h for h, _ in _columns(data)][2:6] == [
        "Срок исполнения (2026 год) I кв.",
        "Срок исполнения (2026 год) II кв.",
        "Срок исполнения (2026 год) III кв.",
        "Срок исполнения (2026 год) IV кв.",
    ]
    assert [(i[0], i[2], i[3]) for i in _items(data)] == [
        ("1", "I кв. 2026; III кв. 2026",
         [["2026-01-01", "2026-03-31"], ["2026-07-01", "2026-09-30"]]),
        ("2", "II кв. 2026", [["2026-04-01", "2026-06-30"]]),
        ("3", "IV кв. 2026", [["2026-10-01", "2026-12-31"]]),
    ]  # fmt: skip
    assert data["period"]["source"] == "deadlines"


def test_months_in_upper_case_over_a_year(tmp_path: Path) -> None:
    """«СРОКИ ПРОВЕДЕНИЯ» over «2027 Г.» over «ЯНВ. | ФЕВ. | МАРТ»: headers in capitals."""
    rows = [
        ["№ П/П", "НАИМЕНОВАНИЕ МЕРОПРИЯТИЯ", "СРОКИ ПРОВЕДЕНИЯ", "", "", "ИСПОЛНИТЕЛИ"],
        ["", "", "2027 Г.", "", "", ""],
        ["", "", "ЯНВ.", "ФЕВ.", "МАРТ", ""],
        ["1.", "Лыжня России", "", "+", "", "Комитет по физической культуре и спорту"],
        ["2.", "Масленица", "", "+", "+", "Отдел культуры"],
    ]
    merges = ("A1:A3", "B1:B3", "C1:E1", "F1:F3", "C2:E2")
    data = _preview(write_xlsx(tmp_path / "plan.xlsx", {"Лист1": (rows, merges)}))
    assert [(i[0], i[2], i[3]) for i in _items(data)] == [
        ("1", "ФЕВ. 2027", [["2027-02-01", "2027-02-28"]]),
        ("2", "ФЕВ. 2027; МАРТ 2027", [["2027-02-01", "2027-02-28"], ["2027-03-01", "2027-03-31"]]),
    ]  # fmt: skip
    assert data["items"][0]["bodies"][0]["name"] == "Комитет по физической культуре и спорту"


def test_planned_and_actual_dates_the_actual_one_is_no_deadline(tmp_path: Path) -> None:
    rows = [
        ["№ п/п", "Мероприятие", "Срок исполнения", "", "Исполнитель"],
        ["", "", "плановый", "фактический", ""],
        ["1", "Концерт", "май 2026 г.", "20.05.2026", "Отдел культуры"],
    ]
    path = write_docx(
        tmp_path / "plan.docx",
        front=["План на 2026 год"],
        rows=rows,
        across=((0, 2, 3),),
        down=((0, 1, 0), (0, 1, 1), (0, 1, 4)),
    )
    data = _preview(path)
    assert _columns(data)[2:4] == [
        ("Срок исполнения плановый", "deadline"),
        ("Срок исполнения фактический", "other"),
    ]
    (item,) = data["items"]
    assert (item["deadline"], item["windows"]) == ("май 2026 г.", [["2026-05-01", "2026-05-31"]])
    assert "Срок исполнения фактический: 20.05.2026" in item_description(path)


def item_description(path: Path) -> str:
    """The first item's description: the columns kept as its text."""
    from models.importing.importer import read_plan

    return read_plan(path, today=TODAY).plan.items[0].description or ""


@pytest.mark.parametrize(
    "first",
    [
        ["Концерт", "май", "Отдел культуры"],  # no number column: the first item
        ["Культура", "", ""],  # a section row under the header
    ],
)
def test_the_row_under_a_one_row_header_stays_in_the_body(tmp_path: Path, first: list[str]) -> None:
    rows = [
        ["Мероприятие", "Срок", "Ответственный"],
        first,
        ["Выставка", "июнь", "Музей"],
    ]
    data = _preview(write_docx(tmp_path / "plan.docx", front=["План на 2026 год"], rows=rows))
    assert _columns(data) == [
        ("Мероприятие", "title"),
        ("Срок", "deadline"),
        ("Ответственный", "agencies"),
    ]
    titles = [i["title"] for i in data["items"]] + [s["title"] for s in data["sections"]]
    assert first[0] in titles and "Выставка" in titles


#: Small tables (header rows, then one item), merged (row, first, last) across and
#: (first, last, column) down; expected: the item's deadline and windows, its bodies.
VARIANTS: dict[str, tuple[list[list[str]], tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]] = {
    "abbreviations and a dash for no end": (
        [["№", "Наим. мероприятия", "Сроки исполнения мероприятий", "", "Отв. исполнитель"],
         ["", "", "Дата начала", "Дата окончания", ""],
         ["1", "Концерт", "01.05.2026", "—", "Отдел культуры"]],
        ((0, 2, 3),), ((0, 1, 0), (0, 1, 1), (0, 1, 4)),
        ("01.05.2026", [["2026-05-01", "2026-05-01"]], [("Отдел культуры", "RU", "lead")]),
    ),
    "capitals and «С | ПО»": (
        [["№ П/П", "СОДЕРЖАНИЕ МЕРОПРИЯТИЯ", "СРОК (ПЕРИОД)", "", "ИСПОЛНИТЕЛИ"],
         ["", "", "С", "ПО", ""],
         ["1.", "Декада инвалидов", "03.12.2026", "13.12.2026", "Отдел социальной защиты"]],
        ((0, 2, 3),), ((0, 1, 0), (0, 1, 1), (0, 1, 4)),
        ("03.12.2026 – 13.12.2026", [["2026-12-03", "2026-12-13"]],
         [("Отдел социальной защиты", "RU", "lead")]),
    ),
    "the Russian Federation and the Republic of Belarus, Pskov and Vitebsk": (
        [["№ п/п", "Мероприятие", "Срок", "Ответственные", ""],
         ["", "", "", "от Российской Федерации", "от Республики Беларусь"],
         ["1", "Форум регионов", "июнь–июль 2026 г.", "Комитет по культуре Псковской области",
          "Управление культуры Витебского облисполкома"]],
        ((0, 3, 4),), ((0, 1, 0), (0, 1, 1), (0, 1, 2)),
        ("июнь–июль 2026 г.", [["2026-06-01", "2026-07-31"]],
         [("Комитет по культуре Псковской области", "RU", "lead"),
          ("Управление культуры Витебского облисполкома", "BY", "lead")]),
    ),
    "sides named by region only": (
        [["№ п/п", "Мероприятие", "Срок", "Ответственные", ""],
         ["", "", "", "от Псковской области", "от Витебской области"],
         ["1", "Форум", "июнь — июль 2026 года", "Комитет по культуре", "Управление культуры"]],
        ((0, 3, 4),), ((0, 1, 0), (0, 1, 1), (0, 1, 2)),
        ("июнь — июль 2026 года", [["2026-06-01", "2026-07-31"]],
         [("Комитет по культуре", "RU", "lead"), ("Управление культуры", "BY", "lead")]),
    ),
    "organiser over co-executors": (
        [["№", "Наименование", "Срок", "Ответственные исполнители", ""],
         ["", "", "", "организатор", "соисполнители"],
         ["1", "Слёт волонтёров", "август 2026 г.", "Комитет по делам молодёжи",
          "МБУ «Молодёжный центр», ДШИ"]],
        ((0, 3, 4),), ((0, 1, 0), (0, 1, 1), (0, 1, 2)),
        ("август 2026 г.", [["2026-08-01", "2026-08-31"]],
         [("Комитет по делам молодёжи", "RU", "lead"), ("МБУ «Молодёжный центр»", "RU", "co"),
          ("ДШИ", "RU", "co")]),
    ),
    "years over whole spans with dashes": (
        [["№", "Мероприятие", "Сроки", "", "Ответственный"],
         ["", "", "2026", "2027", ""],
         ["1", "Пленэр", "март — май", "июнь-июль", "Художественная школа"]],
        ((0, 2, 3),), ((0, 1, 0), (0, 1, 1), (0, 1, 4)),
        ("март — май 2026; июнь-июль 2027",
         [["2026-03-01", "2026-05-31"], ["2027-06-01", "2027-07-31"]],
         [("Художественная школа", "RU", "lead")]),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", VARIANTS)
def test_header_variants(tmp_path: Path, name: str) -> None:
    rows, across, down, (deadline, windows, bodies) = VARIANTS[name]
    path = write_docx(tmp_path / "plan.docx", front=["План"], rows=rows, across=across, down=down)
    (item,) = _preview(path)["items"]
    assert (item["deadline"], item["windows"]) == (deadline, windows)
    assert [(b["name"], b["side"], b["role"]) for b in item["bodies"]] == bodies


def test_excel_header_and_column_numbers_printed_again_on_every_page(tmp_path: Path) -> None:
    """A plan converted from print: the header band and the column-number row stand again
    at the top of each page, the second time without the merges, the third time only the
    first header row; none of them is an item or a section."""
    band = [
        ["№ п/п", "Наименование мероприятия", "Сроки", "", "Исполнитель"],
        ["", "", "начало", "окончание", ""],
    ]
    numbers = ["1", "2", "3", "4", "5"]
    rows = [
        ["План работы на 2026 год", "", "", "", ""],
        *band,
        numbers,
        ["1.", "Семинар", "январь", "февраль", "Отдел культуры"],
        *band,
        numbers,
        ["2.", "Конкурс", "март", "апрель", "Отдел образования"],
        band[0],
        ["3.", "Отчёт", "ноябрь", "декабрь", "Отдел культуры"],
    ]
    merges = ("A1:E1", "A2:A3", "B2:B3", "C2:D2", "E2:E3")
    data = _preview(write_xlsx(tmp_path / "plan.xlsx", {"План": (rows, merges)}))
    assert [(i[0], i[1], i[2]) for i in _items(data)] == [
        ("1", "Семинар", "январь – февраль"),
        ("2", "Конкурс", "март – апрель"),
        ("3", "Отчёт", "ноябрь – декабрь"),
    ]
    assert data["sections"] == []
    assert _doubts(data) == []
