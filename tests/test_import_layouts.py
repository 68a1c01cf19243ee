"""Whole documents in the layouts real plans use, through the preview and the import.

Built in code (tests/support/office_docs.py): Word tables with a stamp, a title over several
paragraphs, two-row headers with merged cells, the column-number row, section rows,
rows split by a page break and tables cut in two; Excel with merged cells and several
sheets; OpenDocument with spans; text exports («|» cells, «|» without the leading bar,
tab-separated rows); paragraph plans; legacy formats without LibreOffice.
"""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from models.importing import ImportFormatError, import_plan, preview_plan, preview_plans
from models.schema.people import Responsibility
from models.schema.plans import Plan
from tests.support.office_docs import write_docx, write_odt, write_xlsx
from tests.support.tables import dump

TODAY = date(2026, 12, 3)
RU_CULTURE = "Министерство культуры Смоленской области"
BY_CULTURE = "Управление культуры Могилевского облисполкома"
BRYANSK = "комитет по культуре, туризму и внешним связям Брянской области"
BRYANSK_EDU = "департамент образования и науки Брянской области"
RU_EDU = "Министерство образования Смоленской области"
RU_ECONOMY = "Министерство экономического развития"


def _preview(path: Path, **options: Any) -> dict[str, Any]:
    return preview_plan(path, today=TODAY, **options).to_json()


def _items(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            i["number"],
            i["title"],
            i["deadline"],
            i["windows"],
            [(b["name"], b["side"], b["role"], b["note"], b["person"]) for b in i["bodies"]],
        )
        for i in data["items"]
    ]


def _interregional_docx(path: Path) -> Path:
    rows = [
        ["№ п/п", "Наименование мероприятия", "Срок", "", "Ответственные", ""],
        ["", "", "начала", "окончания", "от Смоленской области", "от Могилевской области"],
        ["1", "2", "3", "4", "5", "6"],
        ["I. Культура", "", "", "", "", ""],
        ["1.", "Проведение дней культуры", "2024 г.", "2030 г.", f"{RU_CULTURE} (по согласованию)",
         BY_CULTURE],
        ["", "и выставок народного творчества", "", "", "", "Иванов И.И."],
        ["2.", "Обмен делегациями", "май 2026 г.", "", BRYANSK, "ГУК «Музей» ГУО «Школа»"],
        ["II", "Молодёжная политика", "", "", "", ""],
        ["3)", "Молодёжный форум", "", "июль 2027 г.", "", "Иванов И.И."],
    ]  # fmt: skip
    front = [
        "УТВЕРЖДЕН",
        "постановлением Администрации Смоленской области",
        "от 12 марта 2025 г. № 214",
        "ПЛАН",
        "мероприятий по развитию сотрудничества",
        "Смоленской и Могилевской областей",
        "на 2026 – 2028 годы",
        "В целях реализации соглашения подготовлен настоящий план мероприятий.",
    ]
    merges = ((0, 2, 3), (0, 4, 5), (3, 0, 5), (7, 1, 5))
    return write_docx(path, front=front, rows=rows, across=merges, down=((0, 1, 0), (0, 1, 1)))


def test_word_plan_with_stamp_two_row_header_and_split_row(tmp_path: Path) -> None:
    data = _preview(_interregional_docx(tmp_path / "plan.docx"))
    assert data["title"] == (
        "ПЛАН мероприятий по развитию сотрудничества Смоленской и Могилевской областей "
        "на 2026 – 2028 годы"
    )
    assert (
        data["short_name"] == "План мероприятий на 2026–2028 годы (Смоленская – Могилёвская обл.)"
    )
    assert data["period"]["source"] == "title"
    assert data["approval"] == {
        "text": "УТВЕРЖДЕН постановлением Администрации Смоленской области "
        "от 12 марта 2025 г. № 214",
        "act": "постановление Администрации Смоленской области",
        "number": "214",
        "date": "2025-03-12",
    }
    assert [c["role"] for c in data["columns"]] == [
        "number", "title", "deadline", "deadline", "agencies", "agencies",
    ]  # fmt: skip
    assert data["sections"] == [
        {"number": "I", "title": "Культура"},
        {"number": "II", "title": "Молодёжная политика"},
    ]
    assert _items(data) == [
        (
            "1",
            "Проведение дней культуры и выставок народного творчества",
            "2024 г. – 2030 г.",
            [["2024-01-01", "2030-12-31"]],
            [
                (RU_CULTURE, "RU", "lead", "по согласованию", None),
                (BY_CULTURE, "BY", "lead", None, "Иванов И.И."),
            ],
        ),
        (
            "2",
            "Обмен делегациями",
            "май 2026 г.",
            [["2026-05-01", "2026-05-31"]],
            [
                (BRYANSK, "RU", "lead", None, None),
                ("ГУК «Музей»", "BY", "lead", None, None),
                ("ГУО «Школа»", "BY", "lead", None, None),
            ],
        ),
        ("3", "Молодёжный форум", "июль 2027 г.", [["2027-07-01", "2027-07-31"]], []),
    ]  # fmt: skip
    doubts = [d["text"] for d in data["doubts"]]
    assert "пункт 3: лицо «Иванов И.И.» указано без органа" in doubts
    assert "пункт 3: не указан ответственный" in doubts


def test_table_cut_in_two_with_the_header_repeated_and_a_merged_responsible(
    tmp_path: Path,
) -> None:
    """Word keeps a page-broken table as two when a paragraph break slipped between; the
    responsible cell merged down over two items answers for both."""
    header = ["N п/п", "Мероприятие", "Сроки проведения", "Ответственный исполнитель"]
    path = write_docx(
        tmp_path / "plan.docx",
        front=["План мероприятий на 2027 год"],
        rows=[
            header,
            ["1.1.", "Семинар", "март", "Комитет по образованию Псковской области"],
            ["1.2.", "Олимпиада", "апрель", ""],
        ],
        down=((1, 2, 3),),
    )
    from docx import Document

    document = Document(str(path))
    document.add_paragraph("")
    second = document.add_table(rows=2, cols=4)
    for c, text in enumerate(header):
        second.cell(0, c).text = text
    for c, text in enumerate(["1.3.", "Конкурс", "ноябрь", "ГБУК «Псковская библиотека»"]):
        second.cell(1, c).text = text
    document.save(str(path))
    data = _preview(path)
    got = [(i["number"], i["deadline"], [b["name"] for b in i["bodies"]]) for i in data["items"]]
    assert got == [
        ("1.1", "март", ["Комитет по образованию Псковской области"]),
        ("1.2", "апрель", ["Комитет по образованию Псковской области"]),
        ("1.3", "ноябрь", ["ГБУК «Псковская библиотека»"]),
    ]  # fmt: skip
    assert data["items"][0]["windows"] == [["2027-03-01", "2027-03-31"]]


def _xlsx_rows() -> list[list[str]]:
    return [
        ["Приложение № 2", "", "", "", ""],
        ["к постановлению Правительства Брянской области", "", "", "", ""],
        ["от 05.02.2026 № 41-п", "", "", "", ""],
        ["План мероприятий по подготовке и проведению Дня славянской письменности", "", "", "", ""],
        ["N п/п", "Мероприятие", "Дата и время проведения", "Место проведения", "Ответствен."],
        ["1", "2", "3", "4", "5"],
        ["Раздел 1. Организационные мероприятия", "", "", "", ""],
        ["1.1", "Заседание оргкомитета", "15.03.2026", "г. Брянск",
         "Департамент культуры Брянской области"],
        ["1.2", "Конкурс чтецов", "апрель", "школы области", f"{BRYANSK_EDU}, МБОУ СОШ № 1"],
        ["Итого", "", "", "", ""],
    ]  # fmt: skip


def test_excel_plan_with_merged_title_sections_and_an_approval_year(tmp_path: Path) -> None:
    merges = ("A1:E1", "A4:E4", "A7:E7")
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        {"Пояснения": ([["Составил: отдел"]], ()), "План": (_xlsx_rows(), merges)},
    )
    data = _preview(path)
    assert (
        data["title"] == "План мероприятий по подготовке и проведению Дня славянской письменности"
    )
    assert data["period"]["source"] == "approval"
    assert (data["period"]["start"], data["period"]["end"]) == ("2026-01-01", "2026-12-31")
    assert "5 февраля 2026 г." in data["period"]["explanation"]
    assert data["approval"]["act"] == "постановление Правительства Брянской области"
    assert data["approval"]["number"] == "41-п"
    assert data["sections"] == [{"number": "1", "title": "Организационные мероприятия"}]
    assert _items(data) == [
        ("1.1", "Заседание оргкомитета", "15.03.2026", [["2026-03-15", "2026-03-15"]],
         [("Департамент культуры Брянской области", "RU", "lead", None, None)]),
        ("1.2", "Конкурс чтецов", "апрель", [["2026-04-01", "2026-04-30"]],
         [(BRYANSK_EDU, "RU", "lead", None, None),
          ("МБОУ СОШ № 1", "RU", "lead", None, None)]),
    ]  # fmt: skip


def test_excel_workbook_with_two_plans_is_two_plans(tmp_path: Path) -> None:
    """preview_plan reads a file of one plan and names the sheets of a workbook of two;
    preview_plans reads each (see test_import_workbooks.py)."""
    path = write_xlsx(
        tmp_path / "plans.xlsx", {"2026": (_xlsx_rows(), ()), "2027": (_xlsx_rows(), ())}
    )
    with pytest.raises(ImportFormatError, match="листы «2026», «2027»"):
        _preview(path)
    both = preview_plans(path, today=TODAY)
    assert [(p.source_name, len(p.items)) for p in both] == [
        ("plans.xlsx [2026]", 2),
        ("plans.xlsx [2027]", 2),
    ]


def test_excel_saved_with_a_word_extension_is_read_by_content(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "plan.xlsx", {"План": (_xlsx_rows(), ())})
    renamed = path.rename(tmp_path / "plan.docx")
    assert len(_preview(renamed)["items"]) == 2


def test_opendocument_with_spans_and_place_and_date(tmp_path: Path) -> None:
    path = write_odt(
        tmp_path / "plan.odt",
        front=["УТВЕРЖДЕНО", "протоколом заседания рабочей группы от 20 января 2026 г.",
               "ПЛАН РАБОТЫ", "на март 2026 года"],
        rows=[
            ["№", "Содержание мероприятия", "Место и дата проведения", "Ответственные"],
            ["Совещания", "", "", ""],
            ["1.", "Совещание", "г. Смоленск, 10 марта",
             "Отдел культуры (начальник Сидорова А.В.)"],
            ["2.", "Выставка", "ДК, 20-25 марта", "ДШИ, сельские библиотеки, районный Дом ремёсел"],
            ["3.", "Отчёт", "г. Смоленск, 31 марта", ""],
        ],
        spans={(1, 0): (4, 1), (2, 3): (1, 2)},
    )  # fmt: skip
    data = _preview(path)
    assert data["title"] == "ПЛАН РАБОТЫ на март 2026 года"
    assert data["short_name"] == "План работы на март 2026 года"
    assert data["approval"]["act"] == "протокол заседания рабочей группы"
    assert data["approval"]["date"] == "2026-01-20"
    assert data["sections"] == [{"number": None, "title": "Совещания"}]
    assert _items(data) == [
        ("1", "Совещание", "10 марта", [["2026-03-10", "2026-03-10"]],
         [("Отдел культуры", "RU", "lead", None, "Сидорова А.В.")]),
        ("2", "Выставка", "20-25 марта", [["2026-03-20", "2026-03-25"]],
         [("Отдел культуры", "RU", "lead", None, "Сидорова А.В.")]),
        ("3", "Отчёт", "31 марта", [["2026-03-31", "2026-03-31"]], []),
    ]  # fmt: skip


TEXT_EXPORTS = {
    "legal-site-cells": (
        "ПЛАН\nмероприятий по реализации программы\n\nN п/п|\nНаименование\nмероприятия|\n"
        "Срок исполнения|\nОтветственный исполнитель|\n1|\n2|\n3|\n4|\n"
        f"1.|\nПроведение семинара|\nII квартал 2027 г.|\n{RU_EDU}|\n"
        "2.|\nПодготовка доклада|\nдекабрь 2027 г.|\nМинистерство экономического развития\n"
        "Смоленской области|\n"
    ),
    "pipes-without-leading-bar": (
        "ПЛАН\nмероприятий по реализации программы\n\n"
        "№ | Наименование мероприятия | Срок исполнения | Исполнители\n"
        "1 | 2 | 3 | 4\n"
        f"1 | Проведение семинара | II квартал 2027 г. | {RU_EDU}\n"
        "2 | Подготовка доклада | декабрь 2027 г. | Министерство экономического развития "
        "Смоленской области\n"
    ),
    "grid-table": (
        "ПЛАН\nмероприятий по реализации программы\n\n+----+----+----+----+\n"
        "| п/п | Наименование | Срок исполнения | Ответственные |\n+====+====+====+====+\n"
        "| 1. | Проведение семинара | II квартал 2027 г. | Министерство образования "
        "Смоленской области |\n+----+----+----+----+\n"
        "| 2. | Подготовка доклада | декабрь 2027 г. | Министерство экономического развития "
        "Смоленской области |\n+----+----+----+----+\n"
    ),
    "tab-separated-rows": (
        "ПЛАН\nмероприятий по реализации программы\n\n"
        "№ п/п\tНаименование мероприятия\tСрок исполнения\tОтветственные\n1\t2\t3\t4\n"
        "1.\tПроведение семинара\tII квартал 2027 г.\tМинистерство образования Смоленской области\n"
        "2.\tПодготовка доклада\tдекабрь 2027 г.\tМинистерство экономического развития "
        "Смоленской области\n"
    ),
}


@pytest.mark.parametrize("name", TEXT_EXPORTS)
def test_text_exports_read_alike(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_text(TEXT_EXPORTS[name], encoding="utf-8")
    data = _preview(path)
    assert data["title"] == "ПЛАН мероприятий по реализации программы"
    assert data["period"]["source"] == "deadlines"
    assert (data["period"]["start"], data["period"]["end"]) == ("2027-01-01", "2027-12-31")
    assert [(i["number"], i["title"], i["deadline"], i["windows"]) for i in data["items"]] == [
        ("1", "Проведение семинара", "II квартал 2027 г.", [["2027-04-01", "2027-06-30"]]),
        ("2", "Подготовка доклада", "декабрь 2027 г.", [["2027-12-01", "2027-12-31"]]),
    ]
    assert [b["name"] for b in data["items"][1]["bodies"]] == [
        "Министерство экономического развития Смоленской области"
    ]


PARAGRAPH_PLAN = """ПЛАН
основных мероприятий отдела культуры

1. Проведение районного конкурса «Юные таланты».
Срок проведения: март 2025 года
Ответственный исполнитель: отдел культуры Администрации района

2. Организация выставки декоративно-прикладного творчества.
Срок исполнения – май 2025 г.
Ответственный исполнитель: МБУК «Районный Дом культуры» (по согласованию)

3. Участие в областном фестивале.
Сроки: июнь – июль 2025 года
Ответственные: Отдел культуры, глава поселения Петров П.П.
Соисполнители: МБУ «ЦКС»
"""


def test_paragraph_plan_with_one_level_items(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PARAGRAPH_PLAN, encoding="utf-8")
    data = _preview(path)
    assert data["period"]["source"] == "deadlines"
    assert data["sections"] == []
    assert _items(data) == [
        ("1", "Проведение районного конкурса «Юные таланты».", "март 2025 года",
         [["2025-03-01", "2025-03-31"]],
         [("отдел культуры Администрации района", "RU", "lead", None, None)]),
        ("2", "Организация выставки декоративно-прикладного творчества.", "май 2025 г.",
         [["2025-05-01", "2025-05-31"]],
         [("МБУК «Районный Дом культуры»", "RU", "lead", "по согласованию", None)]),
        ("3", "Участие в областном фестивале.", "июнь – июль 2025 года",
         [["2025-06-01", "2025-07-31"]],
         [("Отдел культуры", "RU", "lead", None, "Петров П.П."),
          ("МБУ «ЦКС»", "RU", "co", None, None)]),
    ]  # fmt: skip


def test_period_and_name_options_override(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PARAGRAPH_PLAN.replace(" 2025 года", "").replace(" 2025 г.", ""), "utf-8")
    data = _preview(path, period=(date(2026, 1, 1), date(2026, 12, 31)), name="Культура района")
    assert data["period"]["source"] == "option"
    assert data["short_name"] == "Культура района"
    assert data["items"][0]["windows"] == [["2026-03-01", "2026-03-31"]]


@pytest.mark.parametrize(
    ("name", "raw", "kind"),
    [
        ("plan.rtf", b"{\\rtf1\\ansi plan}", ".rtf"),
        ("plan.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 600, ".doc"),
    ],
)
def test_legacy_formats_without_libreoffice_say_how_to_save_as_docx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, raw: bytes, kind: str
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    path = tmp_path / name
    path.write_bytes(raw)
    with pytest.raises(ImportFormatError) as caught:
        _preview(path)
    message = str(caught.value)
    assert kind in message and ".docx" in message and "LibreOffice" in message
    assert "\n" not in message


def test_import_keeps_the_inferred_period_approval_and_duties(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = _interregional_docx(tmp_path / "plan.docx")
    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    with session_factory.begin() as session:
        import_plan(session, path=path, now=now)
    with session_factory.begin() as session:
        plan = session.scalars(select(Plan)).one()
        assert (
            plan.short_name == "План мероприятий на 2026–2028 годы (Смоленская – Могилёвская обл.)"
        )
        assert (plan.approval_act, plan.approval_number, plan.approval_date) == (
            "постановление Администрации Смоленской области",
            "214",
            date(2025, 3, 12),
        )
        assert plan.period_source == "title"
        duties = {
            (r.agency.name, r.role, r.note, r.person)
            for r in session.scalars(select(Responsibility))
        }
        assert (RU_CULTURE, "lead", "по согласованию", None) in duties
        assert (BY_CULTURE, "lead", None, "Иванов И.И.") in duties


def test_import_without_any_period_takes_the_import_year(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PARAGRAPH_PLAN.replace(" 2025 года", "").replace(" 2025 г.", ""), "utf-8")
    now = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
    with session_factory.begin() as session:
        report = import_plan(session, path=path, now=now)
    assert report.items == 3
    with session_factory.begin() as session:
        plan = session.scalars(select(Plan)).one()
        assert (plan.period_start, plan.period_end, plan.period_source) == (
            date(2027, 1, 1),
            date(2027, 12, 31),
            "import_date",
        )


def test_cli_dry_run_explains_in_russian_and_opens_no_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "srok.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "plan.txt"
    path.write_text(PARAGRAPH_PLAN, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "в базу ничего не записано" in out
    assert "в заголовке нет периода; взяты годы, которые называют сроки пунктов: 2025 год" in out
    assert "Соисполнитель" in out or "соисполнитель" in out
    assert "ответственное лицо: Петров П.П." in out
    assert not database.exists()
    bad = CliRunner().invoke(main, ["import", str(path), "--dry-run", "--period", "2028-2026"])
    assert bad.exit_code == 1 and "период «2028-2026»" in bad.output


def test_numbering_restarted_in_each_section_is_qualified_by_the_section(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(
        "План мероприятий на 2026 год\n\n"
        "| № | Мероприятие | Срок | Исполнитель |\n|---|---|---|---|\n"
        "| I. Культура | | | |\n"
        "| 1 | Концерт | май | Отдел культуры |\n| 2 | Выставка | июнь | Отдел культуры |\n"
        "| II. Спорт | | | |\n"
        "| 1 | Кросс | сентябрь | Отдел спорта |\n",
        encoding="utf-8",
    )
    data = _preview(path)
    assert [i["number"] for i in data["items"]] == ["I.1", "I.2", "II.1"]
    assert any("заново в каждом разделе" in d["text"] for d in data["doubts"])
    path.write_text(path.read_text("utf-8").replace("| 2 | Выставка", "| 1 | Выставка"), "utf-8")
    with pytest.raises(ImportFormatError, match="пункт 1 встречается дважды"):
        _preview(path)


def test_a_lone_title_cell_is_a_heading_or_the_rest_of_the_item_above(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(
        "План работы на 2026 год\n\n"
        "| № | Мероприятие | Срок | Исполнитель |\n|---|---|---|---|\n"
        "| 1 | Концерт, посвящённый | май | Отдел культуры |\n"
        "| | годовщине Победы, | | |\n"
        "| | Городской парк | | |\n"
        "| | Спортивные мероприятия | | |\n"
        "| 2 | Кросс | сентябрь | Отдел спорта |\n",
        encoding="utf-8",
    )
    data = _preview(path)
    assert data["sections"] == [{"number": None, "title": "Спортивные мероприятия"}]
    assert [(i["number"], i["title"], i["section"]) for i in data["items"]] == [
        ("1", "Концерт, посвящённый годовщине Победы, Городской парк", None),
        ("2", "Кросс", "Спортивные мероприятия"),
    ]


def test_paragraph_plan_with_labels_on_the_item_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "План работы библиотеки на 2026 год\n\n"
        "1. Книжная выставка «Читаем вместе». Срок: март. Ответственный: МБУК «ЦБС».\n\n"
        "2. Литературный вечер. Срок исполнения – 2 квартал. Исполнители: отдел культуры\n",
        encoding="utf-8",
    )
    data = _preview(path)
    assert [
        (i["number"], i["title"], i["deadline"], [b["name"] for b in i["bodies"]])
        for i in data["items"]
    ] == [
        ("1", "Книжная выставка «Читаем вместе».", "март.", ["МБУК «ЦБС»"]),
        ("2", "Литературный вечер.", "2 квартал.", ["отдел культуры"]),
    ]


def test_a_numbered_row_with_only_a_title_heads_its_sub_items(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(
        "План мероприятий на 2026 год\n\n"
        "| № п/п | Наименование | Срок | Исполнитель |\n|---|---|---|---|\n"
        "| 1. | Культура | | |\n"
        "| 1.1. | Концерт | май | Отдел культуры |\n"
        "| 2. | Отчёт о выполнении плана | | |\n",
        encoding="utf-8",
    )
    data = _preview(path)
    assert data["sections"] == [{"number": "1", "title": "Культура"}]
    assert [i["number"] for i in data["items"]] == ["1.1", "2"]
    assert "пункт 2: срок не указан" in [d["text"] for d in data["doubts"]]


def test_new_format_refusals_leave_the_database_as_it_was(
    session_factory: sessionmaker[Session], engine: Engine, tmp_path: Path
) -> None:
    """All or nothing for what only the new readers refuse: a workbook of two plans given
    to import_plan (one plan; import_plans imports both), an OpenDocument text without a
    plan, a zip that is no document, a table with no items."""
    good = tmp_path / "good.txt"
    good.write_text(PARAGRAPH_PLAN, encoding="utf-8")
    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    with session_factory.begin() as session:
        import_plan(session, path=good, now=now)
    before = dump(engine)
    two = write_xlsx(tmp_path / "two.xlsx", {"А": (_xlsx_rows(), ()), "Б": (_xlsx_rows(), ())})
    prose = write_odt(tmp_path / "prose.odt", front=["Протокол совещания."], rows=[["Итоги"]])
    other = tmp_path / "archive.docx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "не документ")
    empty = tmp_path / "empty.md"
    empty.write_text("План на 2026 год\n\n| № | Мероприятие | Срок |\n|---|---|---|\n", "utf-8")
    cases = {two: "несколько планов", prose: "не распознан", other: "архив", empty: "ни одного"}
    for path, words in cases.items():
        with pytest.raises(ImportFormatError) as caught, session_factory.begin() as session:
            import_plan(session, path=path, now=now)
        assert words in str(caught.value) and "\n" not in str(caught.value)
        assert dump(engine) == before, path.name


def test_a_two_row_header_printed_again_on_the_next_page_is_skipped(tmp_path: Path) -> None:
    rows = [
        ["№", "Мероприятие", "Срок", "", "Исполнитель"],
        ["", "", "начала", "окончания", ""],
        ["1", "Ремонт", "март", "май", "Отдел строительства"],
        ["№", "Мероприятие", "Срок", "", "Исполнитель"],
        ["", "", "начала", "окончания", ""],
        ["2", "Приёмка", "июнь", "июль", "Отдел строительства"],
    ]
    path = write_docx(
        tmp_path / "plan.docx",
        front=["План работ на 2026 год"],
        rows=rows,
        across=((0, 2, 3), (3, 2, 3)),
    )
    data = _preview(path)
    assert [(i["number"], i["deadline"]) for i in data["items"]] == [
        ("1", "март – май"),
        ("2", "июнь – июль"),
    ]
    assert data["doubts"] == []


def test_one_table_per_section_with_headings_between(tmp_path: Path) -> None:
    from docx import Document

    header = ["№ п/п", "Наименование мероприятия", "Срок", "Ответственный"]
    document = Document()
    document.add_paragraph("План мероприятий на 2026 год")
    for heading, items in (
        ("1. Культура", [["1.1", "Концерт", "май", "Отдел культуры"]]),
        ("2. Спорт", [["2.1", "Кросс", "сентябрь", "Отдел спорта"]]),
    ):
        document.add_paragraph(heading)
        table = document.add_table(rows=1 + len(items), cols=4)
        for r, row in enumerate([header, *items]):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    document.add_paragraph("Начальник отдела ________ Иванов И.И.")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    data = _preview(path)
    assert data["title"] == "План мероприятий на 2026 год"
    assert data["sections"] == [
        {"number": "1", "title": "Культура"},
        {"number": "2", "title": "Спорт"},
    ]
    assert [(i["number"], i["section"]) for i in data["items"]] == [
        ("1.1", "Культура"),
        ("2.1", "Спорт"),
    ]


BOX_TABLE = """ПЛАН
мероприятий по реализации программы на 2027 год

┌────┬──────────────────────┬──────────────┬──────────────────────────┐
│ N  │    Наименование      │     Срок     │      Ответственный       │
│п/п │    мероприятия       │  исполнения  │       исполнитель        │
├────┼──────────────────────┼──────────────┼──────────────────────────┤
│ 1. │Проведение семинара   │II квартал    │Министерство образования  │
│    │по вопросам экспорта  │2027 г.       │Смоленской области        │
├────┼──────────────────────┼──────────────┼──────────────────────────┤
│ 2. │Подготовка доклада    │декабрь       │Министерство              │
│    │                      │2027 г.       │экономического развития   │
│    │                      │              │Смоленской области        │
└────┴──────────────────────┴──────────────┴──────────────────────────┘
"""


def test_box_drawing_export_with_cells_over_several_lines(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(BOX_TABLE, encoding="utf-8")
    data = _preview(path)
    assert data["title"] == "ПЛАН мероприятий по реализации программы на 2027 год"
    assert [c["role"] for c in data["columns"]] == ["number", "title", "deadline", "agencies"]
    assert _items(data) == [
        ("1", "Проведение семинара по вопросам экспорта", "II квартал 2027 г.",
         [["2027-04-01", "2027-06-30"]], [(RU_EDU, "RU", "lead", None, None)]),
        ("2", "Подготовка доклада", "декабрь 2027 г.", [["2027-12-01", "2027-12-31"]],
         [(f"{RU_ECONOMY} Смоленской области", "RU", "lead", None, None)]),
    ]  # fmt: skip


_CELLS = [
    "", "", "№ п/п", "N", "Наименование мероприятия", "Срок", "начала", "окончания",
    "Ответственные", "от Смоленской области", "Соисполнители", "Место и дата проведения",
    "1", "2", "3", "1.", "1.1.", "2)", "I.", "Раздел 2.", "Итого", "Культура",
    "концерт в парке", "май 2026 г.", "г. Смоленск, 10 марта", "МБУ «ЦКС» МБУ «ЦБС»",
    "Иванов И.И.", "глава администрации Петров П.П.", "ДШИ, сельские библиотеки",
]  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.lists(st.sampled_from(_CELLS), min_size=1, max_size=7), min_size=1, max_size=12
    )
)
def test_any_table_reads_or_fails_cleanly(tmp_path: Path, rows: list[list[str]]) -> None:
    """Tables of header words, numbers, sections and bodies in any order: a plan with
    well-formed items, or ImportFormatError — never another exception."""
    path = tmp_path / "table.md"
    lines = ["План", ""] + ["| " + " | ".join(row) + " |" for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        data = _preview(path)
    except ImportFormatError:
        return
    assert data["items"]
    assert len({i["number"] for i in data["items"]}) == len(data["items"])
    for item in data["items"]:
        assert all(b["name"].strip() for b in item["bodies"])
        assert all(a <= b for a, b in item["windows"])


def test_legacy_format_goes_through_libreoffice_when_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stand-in `soffice` that does what LibreOffice does: writes plan.docx to --outdir."""
    made = _interregional_docx(tmp_path / "made.docx")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    soffice = bin_dir / "soffice"
    soffice.write_text(
        f'#!/bin/sh\nwhile [ "$1" != "--outdir" ]; do shift; done\ncp "{made}" "$2/plan.docx"\n',
        encoding="utf-8",
    )
    soffice.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    legacy = tmp_path / "plan.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)
    assert _preview(legacy)["title"] == _preview(made)["title"]
    assert len(_preview(legacy)["items"]) == 3


def test_paragraph_items_numbered_with_a_bracket(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "План работы Совета ветеранов на 2026 год\n\n"
        "1) Чествование юбиляров\nСрок: ежемесячно\nОтветственные: Совет ветеранов\n\n"
        "2) Встреча со школьниками\nСрок: май\nОтветственные: Совет ветеранов, МБОУ СОШ № 1\n",
        encoding="utf-8",
    )
    data = _preview(path)
    assert [(i["number"], i["title"], i["deadline"]) for i in data["items"]] == [
        ("1", "Чествование юбиляров", "ежемесячно"),
        ("2", "Встреча со школьниками", "май"),
    ]
    assert [b["name"] for b in data["items"][1]["bodies"]] == ["Совет ветеранов", "МБОУ СОШ № 1"]


_ODT_LISTS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:automatic-styles>"
    '<text:list-style style:name="L1"><text:list-level-style-number text:level="1"/>'
    "</text:list-style>"
    '<text:list-style style:name="L2"><text:list-level-style-bullet text:level="1"/>'
    "</text:list-style>"
    "</office:automatic-styles><office:body><office:text>"
    "<text:p>План мероприятий на 2026 год</text:p>"
    '<text:list text:style-name="L1">'
    "<text:list-item><text:p>Смотр самодеятельности</text:p></text:list-item>"
    "</text:list>"
    "<text:p>Срок: апрель</text:p><text:p>Ответственные:</text:p>"
    '<text:list text:style-name="L2">'
    "<text:list-item><text:p>Отдел культуры</text:p></text:list-item>"
    "<text:list-item><text:p>МБУК «ЦКС»</text:p></text:list-item>"
    "</text:list>"
    '<text:list text:style-name="L1" text:continue-numbering="true">'
    "<text:list-item><text:p>Выставка</text:p></text:list-item>"
    "</text:list>"
    "<text:p>Срок: май</text:p>"
    "</office:text></office:body></office:document-content>"
)


def test_opendocument_paragraph_plan_numbers_items_and_bullets_bodies(tmp_path: Path) -> None:
    path = tmp_path / "plan.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", _ODT_LISTS)
    data = _preview(path)
    assert [(i["title"], i["deadline"]) for i in data["items"]] == [
        ("Смотр самодеятельности", "апрель"),
        ("Выставка", "май"),
    ]
    assert [b["name"] for b in data["items"][0]["bodies"]] == ["Отдел культуры", "МБУК «ЦКС»"]


@pytest.mark.parametrize(
    "first_section",
    [
        "1. Мероприятия в сфере культуры",
        "I. Мероприятия в сфере культуры",
        "Раздел 1. Мероприятия в сфере культуры",
        "1) Мероприятия в сфере культуры",
        "Мероприятия в сфере культуры и туризма Смоленской области",
    ],
)
def test_a_section_row_right_under_the_header_is_a_section(
    tmp_path: Path, first_section: str
) -> None:
    """A section row whose title begins with a header word («Мероприятия») is not read as
    a second header row (the items under it used to lose their section)."""
    from docx import Document

    from models.importing import preview_plan

    document = Document()
    document.add_paragraph("ПЛАН мероприятий на 2026 год")
    table = document.add_table(rows=0, cols=4)
    rows = [
        ["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственный исполнитель"],
        [first_section, "", "", ""],
        ["1.1", "Фестиваль народного творчества", "II квартал 2026 г.", "Министерство культуры"],
        ["2. Мероприятия в сфере спорта", "", "", ""],
        ["2.1", "Турнир по мини-футболу", "май 2026 г.", "Министерство спорта"],
    ]
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    path = tmp_path / "plan.docx"
    document.save(str(path))
    data = preview_plan(path, today=date(2026, 12, 3)).to_json()
    assert [s["title"] for s in data["sections"]][-1] == "Мероприятия в сфере спорта"
    assert len(data["sections"]) == 2
    first = data["sections"][0]["title"]
    assert "Мероприятия в сфере культуры" in first
    assert [(i["number"], i["section"]) for i in data["items"]] == [
        ("1.1", first),
        ("2.1", "Мероприятия в сфере спорта"),
    ]
