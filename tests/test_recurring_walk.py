"""A calendar walk over a three-year plan with a quarterly duty (issue 13, family 3).

The plan is the roadmap sample's first item with its deadline replaced by a quarterly
report; the importer reads it over the plan's period (2026–2028), so the item has twelve
windows, each quarter through the 10th of the month after it. Walking the calendar, with
a stand-in dispatcher that marks due reminders as sent, every quarter gets its reminder
before its end and its status request after it, for each responsible agency.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import Agency, Item, Reminder, ReminderKind, ReminderState
from models.importing import import_plan
from models.statuses.windows import windows_by_item
from scheduler.rules.policy import Policy
from scheduler.runtime.planning import plan_reminders
from tests.support.samples import ROADMAP_SAMPLE
from tests.test_calendar_walk import simulate_dispatch

POLICY = Policy()
START = datetime(2025, 12, 1, 7, tzinfo=UTC)
QUARTERLY = "ежеквартально, до 10 числа месяца, следующего за отчётным кварталом"


def quarterly_plan(tmp_path: Path) -> Path:
    """The roadmap's title and its item 1.1 (with both sides' agencies), due quarterly."""
    text = ROADMAP_SAMPLE.read_text(encoding="utf-8")
    first_item = text[: text.index("1.2. ")]
    assert "Срок: 2026 – 2028 годы." in first_item
    path = tmp_path / "quarterly_roadmap.txt"
    path.write_text(first_item.replace("2026 – 2028 годы.", QUARTERLY + "."), encoding="utf-8")
    return path


def expected_windows() -> list[tuple[date, date]]:
    windows = []
    for year in (2026, 2027, 2028):
        for first_month in (1, 4, 7, 10):
            after = first_month + 3
            deadline = date(year + (after > 12), (after - 1) % 12 + 1, 10)
            windows.append((date(year, first_month, 1), deadline))
    return windows


def test_a_quarterly_duty_is_reminded_in_each_of_its_twelve_quarters(tmp_path: Path) -> None:
    from models.db import make_engine, make_session_factory, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'walk.db'}")  # SQLite only: a long walk
    upgrade(engine)
    try:
        walk(make_session_factory(engine), tmp_path)
    finally:
        engine.dispose()


def walk(session_factory: sessionmaker[Session], tmp_path: Path) -> None:
    with session_factory.begin() as session:
        import_plan(session, path=quarterly_plan(tmp_path), now=START)
        item = session.scalars(select(Item)).one()
        stored = windows_by_item(session, item_ids=[item.id])[item.id]
        agencies = [agency.id for agency in session.scalars(select(Agency))]
    assert len(agencies) >= 2
    for windows in stored.values():  # each agency's windows: the twelve quarters
        assert sorted((w[0], w[1]) for w in windows) == expected_windows()

    now = START
    while now.date() <= date(2029, 2, 1):  # a day at a time would take minutes: 2 days
        with session_factory.begin() as session:
            plan_reminders(session, now=now, policy=POLICY)
            simulate_dispatch(session, now)
        now += timedelta(days=2)

    with session_factory.begin() as session:
        sent = session.execute(
            select(
                Reminder.agency_id, Reminder.kind, Reminder.window_start, Reminder.window_end
            ).where(Reminder.state == ReminderState.SENT)
        ).all()
    for agency in agencies:
        for kind in (ReminderKind.BEFORE_END, ReminderKind.STATUS_REQUEST):
            windows = sorted({(s, e) for a, k, s, e in sent if a == agency and k == kind})
            assert windows == expected_windows(), (agency, kind)
