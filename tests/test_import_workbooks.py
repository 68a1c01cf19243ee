"""An Excel workbook with a plan on each of several sheets (issue 12): each plan sheet is a
plan of its own — its title, period, source name and checksum — read, previewed and
imported together (all or nothing), and found again sheet by sheet at the next import.

Workbooks are built in code (tests/layout_docs.py).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from models.importing import ImportFormatError, import_plans, preview_plans
from models.schema.plans import Item, Plan
from tests.support.office_docs import write_xlsx
from tests.support.tables import dump

TODAY = date(2026, 12, 3)
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
HEADER = ["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственный исполнитель"]
CULTURE = "Министерство культуры Смоленской области"
MUSEUM = "ОГБУК «Смоленский государственный музей-заповедник»"
COVER = [
    ["УТВЕРЖДЁН"],
    ["постановлением Администрации Смоленской области"],
    ["от 12 марта 2025 г. № 214"],
    [""],
    ["ПЛАН"],
    ["мероприятий по реализации программы «Культура Смоленщины»"],
]
HANDBOOK = [["Справочник органов"], [CULTURE], [MUSEUM]]


def _sheet_2026() -> list[list[str]]:
    return [
        HEADER,
        ["1", "2", "3", "4"],
        ["1.", "Концерт ко Дню города", "май", CULTURE],
        ["2.", "Выставка «Ремёсла Смоленщины»", "июнь – июль", MUSEUM],
    ]


def _sheet_2027(deadline: str = "II квартал") -> list[list[str]]:
    return [
        ["План мероприятий на 2027 год", "", "", ""],
        HEADER,
        ["1.", "Фестиваль «Смоленская крепость»", deadline, CULTURE],
    ]


def _book(path: Path, *, deadline_2027: str = "II квартал") -> Path:
    return write_xlsx(
        path,
        {
            "Титул": (COVER, ()),
            "2026": (_sheet_2026(), ()),
            "План 2027": (_sheet_2027(deadline_2027), ("A1:D1",)),
            "Шаблон": ([HEADER], ()),
            "Справочник": (HANDBOOK, ()),
        },
    )


def _summary(data: dict[str, Any]) -> tuple[Any, ...]:
    period = data["period"]
    return (
        data["source_name"],
        data["sheet"],
        data["title"],
        data["short_name"],
        (period["source"], period["start"], period["end"]),
        data["approval"]["number"] if data["approval"] else None,
        [(i["number"], i["deadline"], i["windows"]) for i in data["items"]],
    )


def test_each_plan_sheet_is_a_plan_of_its_own(tmp_path: Path) -> None:
    """A cover lends its title and stamp; «2026» has no title rows (its name gives the
    year), «План 2027» has its own; the template and the handbook are skipped."""
    previews = preview_plans(_book(tmp_path / "Планы.xlsx"), today=TODAY)
    first, second = (p.to_json() for p in previews)
    assert _summary(first) == (
        "Планы.xlsx [2026]",
        "2026",
        "ПЛАН мероприятий по реализации программы «Культура Смоленщины» (2026)",
        "План мероприятий на 2026 год",
        ("sheet", "2026-01-01", "2026-12-31"),
        "214",
        [("1", "май", [["2026-05-01", "2026-05-31"]]),
         ("2", "июнь – июль", [["2026-06-01", "2026-07-31"]])],
    )  # fmt: skip
    assert first["period"]["explanation"] == (
        "в заголовке нет периода; период взят из названия листа «2026»"
    )
    assert _summary(second) == (
        "Планы.xlsx [План 2027]",
        "План 2027",
        "План мероприятий на 2027 год",
        "План мероприятий на 2027 год",
        ("title", "2027-01-01", "2027-12-31"),
        "214",
        [("1", "II квартал", [["2027-04-01", "2027-06-30"]])],
    )
    assert [d["text"] for d in first["doubts"]] == ["лист «Шаблон»: таблица без пунктов, пропущен"]
    assert second["doubts"] == []


def test_titles_and_names_when_sheets_say_little(tmp_path: Path) -> None:
    """Two sheets with the same title get their sheet's name after the short name; sheets
    named by default and without title rows take the file's name; a sheet's own period
    wins over its name, and a workbook title lends its period to a sheet with none."""
    same = [["План мероприятий на 2026 год", "", "", ""], *_sheet_2026()]
    sport = [row[:] for row in same]
    sport[3][1] = "Турнир по мини-футболу"
    alike = write_xlsx(tmp_path / "alike.xlsx", {"Культура": (same, ()), "Спорт": (sport, ())})
    names = [p.plan.short_name for p in preview_plans(alike, today=TODAY)]
    assert names == [
        "План мероприятий на 2026 год — Культура",
        "План мероприятий на 2026 год — Спорт",
    ]
    bare = write_xlsx(
        tmp_path / "Отдел культуры.xlsx",
        {"Лист1": (_sheet_2026(), ()), "Лист2": (_sheet_2026(), ())},
    )
    plans = [p.plan for p in preview_plans(bare, today=TODAY)]
    assert [p.title for p in plans] == ["Отдел культуры (Лист1)", "Отдел культуры (Лист2)"]
    assert {p.period_source for p in plans} == {"import_date"}
    cover = [["ПЛАН мероприятий на 2026 – 2028 годы"]]
    lent = write_xlsx(
        tmp_path / "lent.xlsx",
        {"Обложка": (cover, ()), "Культура": (_sheet_2026(), ()), "2027": (_sheet_2026(), ())},
    )
    first, second = (p.plan for p in preview_plans(lent, today=TODAY))
    assert (first.period_source, first.period_start, first.period_end) == (
        "workbook",
        date(2026, 1, 1),
        date(2028, 12, 31),
    )
    assert first.title == "ПЛАН мероприятий на 2026 – 2028 годы (Культура)"
    assert (second.period_source, second.period_start) == ("sheet", date(2027, 1, 1))


def test_a_workbook_of_one_plan_keeps_the_file_name(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        {"Справочник": (HANDBOOK, ()), "План": (_sheet_2027(), ()), "Шаблон": ([HEADER], ())},
    )
    (only,) = preview_plans(path, today=TODAY)
    assert (only.source_name, only.plan.sheet) == ("plan.xlsx", None)
    assert only.plan.title == "План мероприятий на 2027 год"


def test_imported_together_and_found_again_sheet_by_sheet(
    sqlite_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = _book(tmp_path / "Планы.xlsx")
    with sqlite_factory.begin() as session:
        reports = import_plans(session, path=path, now=NOW)
    assert [(r.source_name, r.plan_created, r.items) for r in reports] == [
        ("Планы.xlsx [2026]", True, 2),
        ("Планы.xlsx [План 2027]", True, 1),
    ]
    ids = [r.plan_id for r in reports]
    # The same workbook again: nothing changes.
    with sqlite_factory.begin() as session:
        again = import_plans(session, path=path, now=NOW)
    assert [(r.plan_id, r.same_file) for r in again] == [(ids[0], True), (ids[1], True)]
    # One sheet changed: that plan is revised, the other stays as it was.
    _book(path, deadline_2027="III квартал")
    with sqlite_factory.begin() as session:
        revised = import_plans(session, path=path, now=NOW)
        windows = session.scalars(select(Item.deadline_text).where(Item.plan_id == ids[1])).all()
        plans = session.scalar(select(func.count()).select_from(Plan))
    assert [(r.plan_id, r.same_file, r.updated) for r in revised] == [
        (ids[0], True, []),
        (ids[1], False, ["1"]),
    ]
    assert list(windows) == ["III квартал"]
    assert plans == 2


def test_a_plan_imported_alone_then_with_a_second_sheet_is_not_doubled(
    sqlite_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "plan.xlsx", {"2027": (_sheet_2027(), ())})
    with sqlite_factory.begin() as session:
        (alone,) = import_plans(session, path=path, now=NOW)
    write_xlsx(path, {"2027": (_sheet_2027(), ()), "2028": (_sheet_2027(), ())})
    with sqlite_factory.begin() as session:
        reports = import_plans(session, path=path, now=NOW)
        names = session.scalars(select(Plan.source_name).order_by(Plan.id)).all()
    assert reports[0].plan_id == alone.plan_id and not reports[0].plan_created
    # The second sheet has the same title, but it is a plan of its own.
    assert reports[1].plan_created
    assert list(names) == ["plan.xlsx [2027]", "plan.xlsx [2028]"]


def test_one_broken_sheet_refuses_the_whole_workbook(
    session_factory: sessionmaker[Session], engine: Engine, tmp_path: Path
) -> None:
    good = _book(tmp_path / "Планы.xlsx")
    with session_factory.begin() as session:
        import_plans(session, path=good, now=NOW)
    before = dump(engine)
    broken_2027 = [*_sheet_2027(), ["1.", "Повтор номера", "май", CULTURE]]
    broken = write_xlsx(
        tmp_path / "Планы.xlsx",
        {"2026": (_sheet_2026(), ()), "План 2027": (broken_2027, ())},
    )
    with pytest.raises(ImportFormatError) as caught, session_factory.begin() as session:
        import_plans(session, path=broken, now=NOW)
    assert str(caught.value) == "Планы.xlsx [План 2027]: строка 4: пункт 1 встречается дважды"
    assert dump(engine) == before


@pytest.fixture
def srok(migrated_sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", migrated_sqlite_url)
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_the_command_line_reports_each_plan(srok: CliRunner, tmp_path: Path) -> None:
    path = str(_book(tmp_path / "Планы.xlsx"))
    shown = srok.invoke(main, ["import", path, "--dry-run"])
    assert shown.exit_code == 0, shown.output
    assert "Планы.xlsx [2026]: предварительный просмотр" in shown.stdout
    assert "Планы.xlsx [План 2027]: предварительный просмотр" in shown.stdout
    assert "Лист «2026» — один из 2 планов книги" in shown.stdout
    documents = [json.loads(line) for line in srok.invoke(
        main, ["import", path, "--dry-run", "--json", "--name", "Культура"]
    ).stdout.splitlines()]  # fmt: skip
    assert [(d["sheet"], d["short_name"]) for d in documents] == [
        ("2026", "Культура — 2026"),
        ("План 2027", "Культура — План 2027"),
    ]
    imported = srok.invoke(main, ["import", path, "--json"])
    assert imported.exit_code == 0, imported.output
    assert [(r["source_name"], r["items"]) for r in json.loads(imported.stdout)] == [
        ("Планы.xlsx [2026]", 2),
        ("Планы.xlsx [План 2027]", 1),
    ]
    again = srok.invoke(main, ["import", path])
    assert again.stdout.count("без изменений (этот файл уже импортирован)") == 2
