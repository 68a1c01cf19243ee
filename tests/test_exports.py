"""XLSX, ICS and the timeline chart, read back with their own libraries."""

from __future__ import annotations

import io
import struct
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from openpyxl import load_workbook

from bot.cli import main
from messages.exports import calendar_ics, workbook_xlsx
from messages.exports.chart import build_figure, chart_png, chart_rows
from messages.exports.xlsx import HISTORY_SHEET
from models.reports.exports import ExportData, ExportItem, ExportPlan, export_data
from scheduler.rules.domain import Side, Status
from tests.support.reports_seed import BY1, NOW, RU1, RU2, add_agency, add_item, add_plan


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


@pytest.fixture
def data(sqlite_factory, reports_seeded):  # type: ignore[no-untyped-def]
    with sqlite_factory.begin() as session:
        return export_data(session, now=NOW)


def test_xlsx_rows_statuses_and_history(data) -> None:
    book = load_workbook(io.BytesIO(workbook_xlsx(data)))
    assert len(book.sheetnames) == 2 and book.sheetnames[1] == HISTORY_SHEET
    sheet = book[book.sheetnames[0]]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["№", "Раздел", "Мероприятие"]
    rows = {
        row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)
    }
    assert list(rows) == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]  # 2.4 is withdrawn
    first = rows["1.1"]
    assert first["Ответственные (РФ)"] == RU1 and first["Ответственные (РБ)"] == BY1
    assert first["Статус"] == "В работе" and first["Просрочено"] == "да"
    assert f"{RU1}: Выполнено" in first["Статус по органам"]
    assert first["Последний комментарий"] == "подписан контракт"
    # Excel has no zones: the Moscow wall time of 2026-04-03 09:00 UTC.
    assert first["Дата последнего отчёта"].isoformat() == "2026-04-03T12:00:00"
    assert first["Окна"] == "1 января – 31 марта 2026 г."
    assert rows["2.2"]["Статус"] == "Перенос" and not rows["2.2"]["Просрочено"]
    assert rows["2.1"]["Окна"] == "дата не определена"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L7"
    status_cell = sheet.cell(row=2, column=header.index("Статус") + 1)
    assert status_cell.fill.fgColor.rgb.endswith("FFF2CC")
    history = list(book[HISTORY_SHEET].iter_rows(2, values_only=True))
    assert len(history) == 5
    assert [(r[1], r[3]) for r in history][:2] == [("1.1", "В работе"), ("2.2", "Перенос")]


def test_xlsx_sheet_names_are_valid_and_unique(sqlite_factory) -> None:
    with sqlite_factory.begin() as session:
        for n in range(2):
            plan = add_plan(
                session, "План: сотрудничество [2026/2027] * очень длинное название", f"p{n}"
            )
            add_item(session, plan, "1", "Пункт", [], [])
        data = export_data(session, now=NOW)
    names = load_workbook(io.BytesIO(workbook_xlsx(data))).sheetnames
    assert len(set(names)) == 3
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def test_ics_reads_back_with_all_day_events(data) -> None:
    calendar = Calendar.from_ical(calendar_ics(data))
    events = list(calendar.walk("VEVENT"))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    by_uid = {str(e["UID"]): e for e in events}
    # Five printed windows (2.1 is undated, 2.4 withdrawn) and 2.2's own window for RU2;
    # the two quarters (1.1, 1.2) are each two one-day events, their start and their end.
    assert len(events) == 8 == len(by_uid)
    start, end = (e for e in events if "1.1." in str(e["SUMMARY"]))
    assert str(start["SUMMARY"]).startswith("Начало срока: 1.1.")
    assert (start.decoded("DTSTART"), start.decoded("DTEND")) == (
        date(2026, 1, 1),
        date(2026, 1, 2),  # exclusive: one day
    )
    assert str(end["SUMMARY"]).startswith("Окончание срока: 1.1.")
    assert (end.decoded("DTSTART"), end.decoded("DTEND")) == (date(2026, 3, 31), date(2026, 4, 1))
    first = next(e for e in events if str(e["SUMMARY"]).startswith("1.3."))
    assert first.decoded("DTEND") == date(2026, 4, 1)  # a month: one event, exclusive end
    assert str(start["STATUS"]) == "CONFIRMED"
    assert "Контракты <поставок>" in str(start["SUMMARY"])
    own = [e for e in events if RU2 in str(e["SUMMARY"])]
    assert [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in own] == [
        (date(2026, 6, 1), date(2026, 7, 1))
    ]
    assert all(e.get("DTSTAMP") for e in events)


def test_ics_uids_are_stable_and_tentative_is_marked(sqlite_factory) -> None:
    with sqlite_factory.begin() as session:
        plan = add_plan(session, "План", "p.txt")
        agency = add_agency(session, RU1, Side.RU)
        window = (date(2026, 5, 1), date(2026, 5, 31))
        add_item(session, plan, "1", "Форум", [window], [agency], tentative=True)
        first = calendar_ics(export_data(session, now=NOW))
        later = calendar_ics(export_data(session, now=NOW + timedelta(days=3)))
    uids = [str(e["UID"]) for e in Calendar.from_ical(first).walk("VEVENT")]
    assert uids == [str(e["UID"]) for e in Calendar.from_ical(later).walk("VEVENT")]
    (event,) = Calendar.from_ical(first).walk("VEVENT")
    assert str(event["STATUS"]) == "TENTATIVE"


def test_chart_has_a_row_per_item_and_is_a_png(data) -> None:
    rows = chart_rows(data)
    assert [r.label.split()[0] for r in rows] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    figure = build_figure(rows, today=NOW.date())
    (axes,) = figure.axes[:1]
    assert [t.get_text() for t in axes.get_yticklabels()] == [r.label for r in rows]
    assert rows[0].overdue and rows[0].status == "in_progress"
    assert rows[4].windows == (
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 6, 1), date(2026, 6, 30)),
    )
    width, height = _png_size(chart_png(data))
    assert width >= 1000 and 300 <= height <= 1000


def test_chart_grows_with_items_and_stays_readable_for_fifty() -> None:
    start = date(2026, 1, 1)
    items = tuple(
        ExportItem(
            id=n, number=str(n + 1), section="", title=f"Мероприятие номер {n + 1}",
            deadline_text="", tentative=n % 7 == 0, undated=False,
            printed_windows=((start + timedelta(days=7 * n), start + timedelta(days=7 * n + 30)),),
            agencies=(), status=list(Status)[n % 5], last_comment=None, last_report_at=None,
            overdue=n % 3 == 0,
        )
        for n in range(50)
    )  # fmt: skip
    plan = ExportPlan(1, "План", "Europe/Moscow", date(2026, 6, 1), items)
    data = ExportData(now=datetime(2026, 6, 1, 9, tzinfo=UTC), plans=(plan,))
    ten = replace(data, plans=(replace(data.plans[0], items=data.plans[0].items[:10]),))
    small = chart_png(ten)
    big = chart_png(data)
    (w_small, h_small), (w_big, h_big) = _png_size(small), _png_size(big)
    assert w_small == w_big
    assert h_big > h_small * 3
    # At least ~25 px per row: labels at 8 pt do not overlap.
    assert h_big / 50 >= 25
    assert len(chart_rows(data)) == 50


def test_cli_writes_the_three_files(tmp_path, sqlite_url, monkeypatch) -> None:
    from models.db import make_engine, make_session_factory, upgrade
    from tests.support.reports_seed import seed

    engine = make_engine(sqlite_url)
    upgrade(engine)
    seed(make_session_factory(engine))
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    runner = CliRunner()
    for command, name in (("export", "a.xlsx"), ("calendar", "a.ics"), ("chart", "a.png")):
        result = runner.invoke(main, [command, str(tmp_path / name), "--now", NOW.isoformat()])
        assert result.exit_code == 0, result.output
        assert "6 пунктов" in result.output
    assert load_workbook(tmp_path / "a.xlsx").sheetnames[-1] == HISTORY_SHEET
    assert len(Calendar.from_ical((tmp_path / "a.ics").read_bytes()).walk("VEVENT")) == 8
    assert _png_size((tmp_path / "a.png").read_bytes())[0] > 0
    wrong = runner.invoke(main, ["export", str(tmp_path / "a.csv")])
    assert wrong.exit_code == 1 and ".xlsx" in wrong.output
