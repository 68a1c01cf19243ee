"""The summary, overdue list, item detail and agency overview on a seeded database."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from messages import TELEGRAM_LIMIT, render, telegram_length
from messages.fit import render_fitted
from models.db import make_engine, make_session_factory, upgrade
from models.outbox.manual import remind_item
from models.reports.details import agency_overview, find_plans, item_detail
from models.reports.summary import build_summary, overdue_items
from models.schema.people import Responsibility
from models.schema.plans import Plan
from models.schema.reminders import Reminder
from models.statuses.reports import record_report
from scheduler.rules.domain import PlanKind, Status
from tests.support.reports_seed import BY1, NOW, RU1, RU2, seed
from tests.support.samples import EVENTS_ASSIGNMENTS, EVENTS_SAMPLE, ROADMAP_SAMPLE


@pytest.fixture
def seeded(session_factory: sessionmaker[Session]):  # type: ignore[no-untyped-def]
    return seed(session_factory)


def test_counts_by_status_section_and_agency(session_factory, seeded) -> None:
    with session_factory.begin() as session:
        summary = build_summary(session, now=NOW)
    assert summary.total == 6  # 2.4 is withdrawn
    assert summary.by_status == {
        "planned": 3,
        "in_progress": 1,
        "done": 0,
        "postponed": 1,
        "cancelled": 1,
    }
    sections = {g.title: (g.total, g.overdue) for g in summary.by_section}
    assert sections == {"1. Торговля": (3, 1), "2. Культура": (3, 1)}
    agencies = {g.title: (g.total, g.by_status["done"], g.overdue) for g in summary.by_agency}
    assert agencies == {RU1: (2, 1, 0), RU2: (3, 0, 1), BY1: (2, 0, 1)}


def test_overdue_pairs_at_fixed_now(session_factory, seeded) -> None:
    with session_factory.begin() as session:
        entries = overdue_items(session, now=NOW)
    found = {(e.number, e.agency, e.window_end, e.status) for e in entries}
    assert found == {
        ("1.1", BY1, date(2026, 3, 31), Status.IN_PROGRESS),
        ("2.3", RU2, date(2026, 1, 20), Status.PLANNED),
    }
    # 31 March 23:00 Moscow is still inside 1.1's window; 1 April 00:30 is past it.
    before = datetime(2026, 3, 31, 20, 0, tzinfo=UTC)
    after = datetime(2026, 3, 31, 21, 30, tzinfo=UTC)
    with session_factory.begin() as session:
        late_before = {e.number for e in overdue_items(session, now=before)}
        late_after = {e.number for e in overdue_items(session, now=after)}
    assert "1.1" not in late_before
    assert "1.1" in late_after


def test_a_done_report_clears_the_overdue_pair(session_factory, seeded) -> None:
    with session_factory.begin() as session:
        record_report(
            session, item_id=seeded.items["1.1"], agency_id=seeded.agencies["BY1"],
            status=Status.DONE, comment=None, now=NOW, source="button",
        )  # fmt: skip
    with session_factory.begin() as session:
        summary = build_summary(session, now=NOW + timedelta(minutes=1))
    assert [e.number for e in summary.overdue] == ["2.3"]
    assert summary.by_status["done"] == 1


def test_silent_agency_needs_two_unanswered_requests(session_factory, seeded) -> None:
    with session_factory.begin() as session:
        summary = build_summary(session, now=NOW)
    assert [(s.name, s.items, s.requests) for s in summary.silent_agencies] == [(RU2, ("2.3",), 2)]
    with session_factory.begin() as session:
        record_report(
            session, item_id=seeded.items["2.3"], agency_id=seeded.agencies["RU2"],
            status=None, comment="уточняем дату", now=NOW, source="text",
        )  # fmt: skip
    with session_factory.begin() as session:
        assert build_summary(session, now=NOW).silent_agencies == []


def test_summary_of_one_plan(sqlite_factory, reports_seeded) -> None:
    with sqlite_factory.begin() as session:
        assert build_summary(session, now=NOW, plan_id=reports_seeded.plan_id).total == 6
        assert build_summary(session, now=NOW, plan_id=reports_seeded.plan_id + 1).total == 0
        assert [p.id for p in find_plans(session, query="смоленск")] == [reports_seeded.plan_id]


def test_summary_text_is_escaped_and_russian(sqlite_factory, reports_seeded) -> None:
    with sqlite_factory.begin() as session:
        summary = build_summary(session, now=NOW)
    text = render("reports/summary.j2", summary=summary, timezone="Europe/Moscow")
    assert "Сводка на 10 мая 2026 г., 12:00" in text
    assert "<b>Итого</b>: 6 пунктов" in text
    assert "Просрочено: 2 пункта" in text
    assert "Контракты &lt;поставок&gt;" in text
    assert "<поставок>" not in text


def test_item_detail_has_windows_agencies_and_history(sqlite_factory, reports_seeded) -> None:
    with sqlite_factory.begin() as session:
        (detail,) = item_detail(session, number="2.2")
        assert item_detail(session, number="9.9") == []
    assert detail.printed_windows == [(date(2026, 2, 1), date(2026, 2, 28))]
    (agency,) = detail.agencies
    assert (agency.name, agency.status, agency.own_windows) == (RU2, Status.POSTPONED, True)
    assert agency.windows == [(date(2026, 6, 1), date(2026, 6, 30))]
    assert [(h.kind, h.comment) for h in detail.history] == [("report", "перенос на июнь")]
    text = render("reports/item.j2", details=[detail], timezone="Europe/Moscow")
    assert "свой срок: 1–30 июня 2026 г." in text


def test_agency_overview_finds_by_part_and_alias(sqlite_factory, reports_seeded) -> None:
    with sqlite_factory.begin() as session:
        by_alias = agency_overview(session, name="МИНПРОМТОРГ", now=NOW)
        by_part = agency_overview(session, name="могилевского", now=NOW)
        several = agency_overview(session, name="смоленской области", now=NOW)
        none = agency_overview(session, name="министерство обороны", now=NOW)
    assert [o.name for o in by_alias] == [RU1]
    assert [i.number for i in by_alias[0].items] == ["1.1", "1.2"]
    assert by_alias[0].contacts == 1
    (by1,) = by_part
    assert {i.number: i.overdue_since for i in by1.items} == {"1.1": date(2026, 3, 31), "1.3": None}
    assert {o.name for o in several} == {RU1, RU2}
    assert none == []


def test_remind_plans_manual_reminders_for_open_agencies(session_factory, seeded) -> None:
    with session_factory.begin() as session:
        result = remind_item(session, item_id=seeded.items["1.1"], now=NOW, today=NOW.date())
    # RU1 is done; BY1 is open but has no contact in the bot.
    assert (result.reminded, result.closed, result.without_contacts) == ([], [RU1], [BY1])
    with session_factory.begin() as session:
        result = remind_item(session, item_id=seeded.items["1.2"], now=NOW, today=NOW.date())
        (reminder,) = [session.get(Reminder, rid) for rid in result.reminder_ids]
        assert reminder is not None
        assert (reminder.kind.value, reminder.state.value) == ("manual", "pending")
        assert reminder.due_at == NOW
        assert (reminder.window_start, reminder.window_end) == (date(2026, 4, 1), date(2026, 6, 30))
        again = remind_item(session, item_id=seeded.items["1.2"], now=NOW, today=NOW.date())
    assert result.reminded == [RU1]
    assert again.already == [RU1]


def test_cli_summary_json_shape(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    seed(make_session_factory(engine))
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    result = CliRunner().invoke(main, ["summary", "--json", "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {k: data[k] for k in ("planned", "in_progress", "done", "postponed", "cancelled")} == {
        "planned": 3, "in_progress": 1, "done": 0, "postponed": 1, "cancelled": 1,
    }  # fmt: skip
    assert data["total"] == 6
    assert {(o["number"], o["side"], o["window_end"]) for o in data["overdue"]} == {
        ("1.1", "BY", "2026-03-31"),
        ("2.3", "RU", "2026-01-20"),
    }
    assert set(data["overdue"][0]) >= {"plan", "number", "title", "agency", "side", "window_end"}
    assert [s["agency"] for s in data["silent_agencies"]] == [RU2]
    assert len(data["by_section"]) == 2 and len(data["by_agency"]) == 3
    text = CliRunner().invoke(main, ["summary", "--now", NOW.isoformat()])
    assert "Итого: 6 пунктов" in text.output
    assert text.output.index("ТРЕБУЕТ ВНИМАНИЯ") < text.output.index("Итого")
    assert [o["days_late"] for o in data["overdue"]] == [110, 40]  # the latest first
    missing = CliRunner().invoke(main, ["summary", "--plan", "99"])
    assert missing.exit_code == 1
    assert "плана с номером 99 нет" in missing.output


def test_summary_of_imported_sample_plans(sqlite_factory) -> None:
    from models.importing import import_plan

    now = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    with sqlite_factory.begin() as session:
        import_plan(session, path=ROADMAP_SAMPLE, now=now)
        import_plan(session, path=EVENTS_SAMPLE, now=now, assignments=EVENTS_ASSIGNMENTS)
    with sqlite_factory.begin() as session:
        summary = build_summary(session, now=now)
    # Nothing is reported yet: every item is planned, and the events plan (H1 2026)
    # is entirely past by September.
    assert summary.total == summary.by_status["planned"] > 47
    # Every item of the events plan with an agency and a window ended by September is late.
    with sqlite_factory.begin() as session:
        plan = session.scalars(select(Plan).where(Plan.kind == PlanKind.EVENTS)).one()
        expected = {
            (plan.title, item.number)
            for item in plan.items
            if item.windows
            and min(w.end for w in item.windows) < date(2026, 9, 1)
            and session.scalar(select(Responsibility.id).where(Responsibility.item_id == item.id))
        }
    late = {(e.plan, e.number) for e in summary.overdue if e.plan == plan.title}
    assert late == expected and len(late) > 30
    assert all(e.window_end < date(2026, 9, 1) for e in summary.overdue)
    # Both sample plans together still fit one message, the problems first.
    text = render_fitted("reports/summary.j2", summary=summary, timezone="Europe/Moscow")
    assert telegram_length(text) <= TELEGRAM_LIMIT
    assert text.index("Просрочено:") < text.index("<b>Итого</b>")
    assert "… и ещё" in text


def test_item_history_shows_changes_and_withdrawal(sqlite_factory, reports_seeded) -> None:
    from models.statuses.windows import set_agency_windows

    moment = datetime(2026, 5, 9, 9, 0, tzinfo=UTC)
    with sqlite_factory.begin() as session:
        set_agency_windows(
            session, item_id=reports_seeded.items["1.2"], agency_id=reports_seeded.agencies["RU1"],
            windows=[(date(2026, 9, 1), date(2026, 9, 30))], now=moment, text="перенос на сентябрь",
        )  # fmt: skip
        (moved,) = item_detail(session, number="1.2")
        (gone,) = item_detail(session, number="2.4")
    text = render("reports/item.j2", details=[moved, gone], timezone="Europe/Moscow")
    assert "срок изменён — «перенос на сентябрь»" in text
    assert "свой срок: 1–30 сентября 2026 г." in text
    assert gone.withdrawn_at is not None and "Пункт исключён из плана" in text


def test_an_item_off_control_is_owed_by_nobody(session_factory, seeded) -> None:
    """«Снято с контроля»: not overdue, not due soon, cancelled in the calendar."""
    from icalendar import Calendar

    from messages.exports import calendar_ics
    from models.levers import Actor, close_item
    from models.reports.digest import due_soon
    from models.reports.exports import export_data
    from models.reports.snapshot import load_snapshot

    actor = Actor(user_id=1, name="Анна Петрова", contact_id=None)
    with session_factory.begin() as session:
        assert close_item(session, actor=actor, item_id=seeded.items["2.3"], now=NOW)
    with session_factory.begin() as session:
        assert [e.number for e in overdue_items(session, now=NOW)] == ["1.1"]
        snap = load_snapshot(session, now=NOW)
        assert seeded.items["2.3"] in snap.closed
        assert all(e.number != "2.3" for e in due_soon(snap, NOW - timedelta(days=30)))
        data = export_data(session, now=NOW)
    closed = [item for plan in data.plans for item in plan.items if item.number == "2.3"]
    assert closed and all(item.closed and not item.overdue for item in closed)
    calendar = Calendar.from_ical(calendar_ics(data))
    statuses = {
        str(event.get("status"))
        for event in calendar.walk("VEVENT")
        if "2.3" in str(event.get("summary"))
    }
    assert statuses == {"CANCELLED"}
