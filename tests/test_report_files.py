"""The files a coordinator gets: print setup of the workbook, calendar statuses and edges,
one chart per plan."""

from __future__ import annotations

import io
from datetime import date

from icalendar import Calendar
from openpyxl import load_workbook

from messages.exports.ics import calendar_ics
from messages.exports.xlsx import HISTORY_SHEET, LINE_POINTS, ROW_PADDING, workbook_xlsx
from models.reports.exports import export_data
from scheduler.rules.domain import Side
from tests.support.reports_seed import NOW, RU1, add_agency, add_item, add_plan


def _book(sqlite_factory):  # type: ignore[no-untyped-def]
    with sqlite_factory.begin() as session:
        data = export_data(session, now=NOW)
    return load_workbook(io.BytesIO(workbook_xlsx(data)))


def test_every_sheet_prints_landscape_fit_to_width_with_the_header_on_each_page(
    sqlite_factory, reports_seeded
) -> None:
    book = _book(sqlite_factory)
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape"
        assert setup.fitToWidth == 1 and setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.freeze_panes == "A2"
        for row in sheet.iter_rows(min_row=2):
            assert all(cell.alignment.wrap_text for cell in row)
            assert sheet.row_dimensions[row[0].row].height >= LINE_POINTS


def test_row_heights_follow_the_longest_wrapped_cell(sqlite_factory) -> None:
    with sqlite_factory.begin() as session:
        plan = add_plan(session, "План", "p.txt")
        agency = add_agency(session, RU1, Side.RU)
        long = "Проведение совместного заседания рабочей группы по вопросам " * 6
        add_item(session, plan, "1", long, [(date(2026, 5, 1), date(2026, 5, 31))], [agency])
        add_item(session, plan, "2", "Форум", [(date(2026, 5, 1), date(2026, 5, 31))], [agency])
    sheet = _book(sqlite_factory).worksheets[0]
    tall, short = sheet.row_dimensions[2].height, sheet.row_dimensions[3].height
    # 360 characters in the 48-wide title column take 8 lines; the short row is as tall as
    # its agency's status line («Министерство …: Запланировано», 71 characters, 34 wide).
    assert tall >= 8 * LINE_POINTS
    assert short == 3 * LINE_POINTS + ROW_PADDING


def test_history_sheet_speaks_russian(sqlite_factory, reports_seeded) -> None:
    history = _book(sqlite_factory)[HISTORY_SHEET]
    sources = {row[6] for row in history.iter_rows(min_row=2, values_only=True)}
    assert sources == {"кнопка"}
    assert "button" not in {str(c.value) for row in history.iter_rows() for c in row}


def test_a_cancelled_item_is_a_cancelled_event(sqlite_factory, reports_seeded) -> None:
    with sqlite_factory.begin() as session:
        events = Calendar.from_ical(calendar_ics(export_data(session, now=NOW))).walk("VEVENT")
    statuses = {str(e["SUMMARY"]): str(e["STATUS"]) for e in events}
    assert statuses["1.3. Форум"] == "CANCELLED"  # BY1, its only agency, cancelled it
    assert statuses["2.3. Дни культуры"] == "CONFIRMED"


def test_a_window_longer_than_a_month_is_its_start_and_its_end(sqlite_factory) -> None:
    with sqlite_factory.begin() as session:
        plan = add_plan(session, "Дорожная карта на 2026–2028 годы", "r.txt")
        agency = add_agency(session, RU1, Side.RU)
        add_item(session, plan, "5", "Обмен опытом", [(date(2026, 1, 1), date(2028, 12, 31))],
                 [agency])  # fmt: skip
        add_item(session, plan, "6", "Форум", [(date(2026, 6, 1), date(2026, 7, 1))], [agency])
        events = Calendar.from_ical(calendar_ics(export_data(session, now=NOW))).walk("VEVENT")
    spans = {
        str(e["SUMMARY"]): (e.decoded("DTSTART"), e.decoded("DTEND"), str(e["UID"])) for e in events
    }
    start = spans["Начало срока: 5. Обмен опытом"]
    end = spans["Окончание срока: 5. Обмен опытом"]
    assert start[:2] == (date(2026, 1, 1), date(2026, 1, 2))
    assert end[:2] == (date(2028, 12, 31), date(2029, 1, 1))
    assert start[2] != end[2]
    # Exactly a month (1 June – 1 July, 31 days): still one event over its days.
    assert spans["6. Форум"][:2] == (date(2026, 6, 1), date(2026, 7, 2))
    assert len(events) == 3


def test_the_chart_is_one_picture_per_plan_with_bands_labels_and_a_full_legend(
    sqlite_factory, reports_seeded
) -> None:
    from matplotlib.dates import date2num

    from messages.exports.chart import (
        OVERDUE_EDGE,
        TODAY_COLOUR,
        build_figure,
        chart_pngs,
        plan_rows,
    )

    same = "Проведение совместного заседания рабочей группы по вопросам"
    with sqlite_factory.begin() as session:
        plan = add_plan(session, "План мероприятий на первое полугодие 2026 года", "e.txt")
        agency = add_agency(session, "Отдел культуры", Side.BY)
        window = [(date(2026, 2, 1), date(2026, 2, 5))]
        for n, tail in ((1, "торговли"), (2, "образования")):
            title = f"{same} {tail}"
            add_item(session, plan, str(n), title, window, [agency], tentative=n == 2)
        data = export_data(session, now=NOW)
    pictures = chart_pngs(data)
    assert [p.id for p, _ in pictures] == [reports_seeded.plan_id, plan.id]
    assert all(png[:8] == b"\x89PNG\r\n\x1a\n" for _, png in pictures)
    roadmap = data.plans[0]
    figure = build_figure(
        plan_rows(roadmap), today=roadmap.today, title=roadmap.title, period=roadmap.period
    )
    axes = figure.axes[0]
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert [label.split()[0] for label in labels] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    texts = [t.get_text().strip() for t in axes.texts]
    assert "1 Торговля" in texts and "2 Культура" in texts  # a band per section
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert legend == [
        "Запланировано", "В работе", "Выполнено", "Перенос", "Отменено",
        "Дата предварительная", "Просрочено", "Сегодня", "Дата не определена",
    ]  # fmt: skip
    # The axis is the plan's own year (with a small margin), not the windows' few months.
    left, right = axes.get_xlim()
    assert left <= date2num(date(2026, 1, 1)) and right >= date2num(date(2027, 1, 1))
    assert right - left < 400
    (today,) = [line for line in axes.get_lines() if line.get_linestyle() == "--"]
    assert today.get_color() == TODAY_COLOUR != OVERDUE_EDGE
    # Titles that begin alike stay apart: numbered, on two lines at most.
    events = plan_rows(data.plans[1])
    assert [r.label.split()[0] for r in events] == ["1", "2"]
    assert all(r.label.count("\n") <= 1 for r in events)
    assert events[0].label != events[1].label and events[1].tentative


def test_cli_chart_writes_a_picture_per_plan(tmp_path, sqlite_url, monkeypatch) -> None:
    from click.testing import CliRunner

    from bot.cli import main
    from models.db import make_engine, make_session_factory, upgrade
    from tests.support.reports_seed import seed

    engine = make_engine(sqlite_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    seed(factory)
    with factory.begin() as session:
        other = add_plan(session, "План мероприятий", "events.txt")
        add_item(session, other, "1", "Концерт", [(date(2026, 5, 15), date(2026, 5, 15))], [])
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    runner, out = CliRunner(), tmp_path / "charts"
    out.mkdir()
    both = runner.invoke(main, ["chart", str(out / "c.png"), "--now", NOW.isoformat()])
    assert both.exit_code == 0, both.output
    assert sorted(p.name for p in out.iterdir()) == ["c-1.png", "c-2.png"]
    assert "c-1.png: 6 пунктов" in both.output and "c-2.png: 1 пункт" in both.output
    one = runner.invoke(main, ["chart", str(out / "one.png"), "--plan", "2"])
    assert one.exit_code == 0 and (out / "one.png").read_bytes()[:4] == b"\x89PNG"
