"""A calendar walk over the sample plans: re-plan every day, «send» what is due, check dates.

The two sample plans are imported as the importer reads them; one small plan built with
the ORM adds a Belarusian and a Russian agency whose reminders fall on 7 January and
around 9 May. A stand-in for the dispatcher marks what is due as sent each morning (and a
heads-up more than a day late as expired), so the status request → repeat → escalation
chain runs as it would.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from models import Agency, Item, Plan, Reminder, ReminderKind, ReminderState, Side, Status
from models.importing import import_plan
from models.statuses.reports import record_report
from scheduler.rules.policy import Policy
from scheduler.rules.workdays import is_working_day
from scheduler.runtime.planning import PlanResult, plan_reminders
from tests.support.planning_seed import add_item, add_plan
from tests.support.samples import EVENTS_ASSIGNMENTS, EVENTS_SAMPLE, ROADMAP_SAMPLE

POLICY = Policy()
START = datetime(2025, 12, 1, 7, tzinfo=UTC)  # 10:00 in Moscow and Minsk
DAYS = 215  # to 3 July 2026
MOGILEV = "Управление культуры Могилевского облисполкома"
SMOLENSK = "Министерство культуры и туризма Смоленской области"


@dataclass
class Walk:
    """What the walk left behind: every reminder by (plan, item, agency, kind, window, slot)."""

    rows: dict[tuple[str, str, str, str, str, str], tuple[date, str]]
    #: (plan, item, agency, kind) -> cancel reason, for cancelled reminders.
    reasons: dict[tuple[str, str, str, str], str]
    #: agency name -> RU or BY.
    countries: dict[str, str]
    created: int
    total: int
    plans_per_day: list[PlanResult]


def days() -> Iterator[datetime]:
    for n in range(DAYS):
        yield START + timedelta(days=n)


def simulate_dispatch(session: Session, now: datetime) -> None:
    """The dispatcher's effect: a heads-up over a day late expires, the rest due is sent."""
    table = Reminder.__table__
    pending = table.c.state == ReminderState.PENDING.value
    session.execute(
        update(table)
        .where(
            pending,
            table.c.kind == ReminderKind.HEADS_UP.value,
            table.c.due_at < now - timedelta(days=1),
        )
        .values(state=ReminderState.EXPIRED.value, updated_at=now)
    )
    session.execute(
        update(table)
        .where(pending, table.c.due_at <= now)
        .values(state=ReminderState.SENT.value, sent_at=now, attempts=1, updated_at=now)
    )


def seed_extra(session: Session) -> None:
    """Windows whose reminders meet 7 January and 9 May, for a Belarusian and a Russian body."""
    plan = add_plan(session, source="extra.txt")
    by = session.scalar(select(Agency).where(Agency.name == MOGILEV))
    ru = session.scalar(select(Agency).where(Agency.name == SMOLENSK))
    assert by is not None and ru is not None
    add_item(session, plan, "E1", [(date(2026, 1, 21), date(2026, 1, 23))], [by, ru])
    add_item(session, plan, "E2", [(date(2026, 5, 25), date(2026, 5, 27))], [by, ru])
    add_item(session, plan, "E3", [(date(2026, 4, 27), date(2026, 5, 8))], [by, ru])


def item_id(session: Session, source: str, number: str) -> int:
    found = session.scalar(
        select(Item.id).join(Plan).where(Plan.source_name == source, Item.number == number)
    )
    assert found is not None
    return found


def walk(session_factory: sessionmaker[Session]) -> Walk:
    with session_factory.begin() as session:
        import_plan(session, path=ROADMAP_SAMPLE, now=START)
        import_plan(session, path=EVENTS_SAMPLE, now=START, assignments=EVENTS_ASSIGNMENTS)
        seed_extra(session)
        events_2 = item_id(session, EVENTS_SAMPLE.name, "2")
        agency_2 = session.scalar(
            select(Agency.id).where(Agency.name.like("Министерство экономического развития%"))
        )
    created = 0
    results = []
    for now in days():
        with session_factory.begin() as session:
            if now.date() == date(2026, 3, 16):
                # The agency of events item 2 (10–12 March) answers after the status request.
                record_report(
                    session,
                    item_id=events_2,
                    agency_id=agency_2,  # type: ignore[arg-type]
                    status=Status.DONE,
                    comment=None,
                    now=now,
                    source="button",
                )
            result = plan_reminders(session, now=now, policy=POLICY)
            created += result.created
            results.append(result)
            if now.day == 1:
                assert plan_reminders(session, now=now, policy=POLICY) == PlanResult(
                    unchanged=result.created + result.unchanged + result.retimed + result.revived
                )
            simulate_dispatch(session, now)
    with session_factory.begin() as session:
        rows, reasons = _rows(session)
        countries = {a.name: a.side.value for a in session.scalars(select(Agency))}
        return Walk(rows, reasons, countries, created, _count(session), results)


def _rows(
    session: Session,
) -> tuple[
    dict[tuple[str, str, str, str, str, str], tuple[date, str]],
    dict[tuple[str, str, str, str], str],
]:
    query = (
        select(Reminder, Plan.source_name, Item.number, Agency.name, Agency.timezone)
        .outerjoin(Item, Item.id == Reminder.item_id)
        .outerjoin(Plan, Plan.id == Item.plan_id)
        .outerjoin(Agency, Agency.id == Reminder.agency_id)
    )
    rows = {}
    reasons = {}
    for reminder, source, number, agency, zone in session.execute(query):
        local = reminder.due_at.astimezone(ZoneInfo(zone or "Europe/Moscow"))
        window = f"{reminder.window_start}..{reminder.window_end}" if reminder.window_start else ""
        key = (
            source or "",
            number or "",
            agency or "",
            reminder.kind.value,
            window,
            reminder.slot,
        )
        assert key not in rows, f"duplicate reminder {key}"
        assert local.hour == 9 or reminder.state == ReminderState.CANCELLED, reminder
        rows[key] = (local.date(), reminder.state.value)
        if reminder.cancel_reason:
            reasons[key[:4]] = reminder.cancel_reason
    return rows, reasons


def _count(session: Session) -> int:
    return len(session.scalars(select(Reminder.id)).all())


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> Walk:
    """One walk on SQLite shared by the assertions below (it takes a few seconds)."""
    from models.db import make_engine, make_session_factory, upgrade

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('walk') / 'walk.db'}")
    upgrade(engine)
    try:
        return walk(make_session_factory(engine))
    finally:
        engine.dispose()


EVENTS = EVENTS_SAMPLE.name
ROADMAP = ROADMAP_SAMPLE.name
ECONOMY = "Министерство экономического развития Смоленской области"
W_FEB = "2026-02-09..2026-02-12"
W_MAR = "2026-03-10..2026-03-12"
W_APR = "2026-03-31..2026-04-03"

EXPECTED = [
    # Events item 1, «9-12 февраля 2026 года»: nobody answers, so the chain runs to the end.
    (EVENTS, "1", ECONOMY, "heads_up", W_FEB, "", date(2026, 1, 26), "sent"),
    (EVENTS, "1", ECONOMY, "before_end", W_FEB, "", date(2026, 2, 9), "sent"),
    (EVENTS, "1", ECONOMY, "status_request", W_FEB, "", date(2026, 2, 13), "sent"),
    (EVENTS, "1", ECONOMY, "repeat", W_FEB, "", date(2026, 2, 18), "sent"),
    (EVENTS, "1", ECONOMY, "escalation", W_FEB, "", date(2026, 2, 24), "sent"),  # 23 Feb off
    # Item 2, «10-12 марта»: 9 March is a day off, so the before-end goes on Friday 6 March;
    # `done` arrives on 16 March, after the status request: the repeat is cancelled.
    (EVENTS, "2", ECONOMY, "heads_up", W_MAR, "", date(2026, 2, 24), "sent"),
    (EVENTS, "2", ECONOMY, "before_end", W_MAR, "", date(2026, 3, 6), "sent"),
    (EVENTS, "2", ECONOMY, "status_request", W_MAR, "", date(2026, 3, 13), "sent"),
    (EVENTS, "2", ECONOMY, "repeat", W_MAR, "", date(2026, 3, 18), "cancelled"),
    # Item 3, «31 марта – 3 апреля»: across months.
    (EVENTS, "3", ECONOMY, "heads_up", W_APR, "", date(2026, 3, 17), "sent"),
    (EVENTS, "3", ECONOMY, "before_end", W_APR, "", date(2026, 3, 31), "sent"),
    (EVENTS, "3", ECONOMY, "status_request", W_APR, "", date(2026, 4, 6), "sent"),
    (EVENTS, "3", ECONOMY, "repeat", W_APR, "", date(2026, 4, 9), "sent"),
    (EVENTS, "3", ECONOMY, "escalation", W_APR, "", date(2026, 4, 14), "sent"),
    # «июнь – июль 2026 – 2028 годов»: the 2026 window within the walk, for both sides.
    *(
        (ROADMAP, "5", agency, kind, "2026-06-01..2026-07-31", "", day, state)
        for agency in (
            "Главное управление идеологической работы и по делам молодежи облисполкома",
            "Главное управление Смоленской области по делам молодежи и гражданско-"
            "патриотическому воспитанию",
        )
        for kind, day, state in (
            ("heads_up", date(2026, 5, 18), "sent"),
            ("before_end", date(2026, 7, 28), "pending"),
            ("status_request", date(2026, 8, 3), "pending"),
        )
    ),
    # A three-year window (2026 – 2028): monthly progress requests, both countries.
    *(
        (ROADMAP, "6.2", agency, "progress", "2026-01-01..2028-12-31", slot, day, state)
        for agency in (MOGILEV, SMOLENSK)
        for slot, day, state in (
            ("2026-02", date(2026, 2, 2), "sent"),
            ("2026-03", date(2026, 3, 2), "sent"),
            ("2026-04", date(2026, 4, 1), "sent"),
            ("2026-05", date(2026, 5, 4), "sent"),
            ("2026-06", date(2026, 6, 1), "sent"),
            ("2026-07", date(2026, 7, 1), "sent"),
            ("2026-08", date(2026, 8, 3), "pending"),
        )
    ),
    (ROADMAP, "6.2", MOGILEV, "heads_up", "2026-01-01..2028-12-31", "", date(2025, 12, 18), "sent"),
    # Undated roadmap item 4.1: asked monthly; Belarus works from 5 January, Russia from 12th.
    (
        ROADMAP,
        "4.1",
        "Министерство образования и науки Смоленской области",
        "ask_date",
        "",
        "2026-01",
        date(2026, 1, 12),
        "sent",
    ),
    (
        ROADMAP,
        "4.1",
        "Главное управление по образованию облисполкома",
        "ask_date",
        "",
        "2026-01",
        date(2026, 1, 5),
        "sent",
    ),
    # 7 January: the heads-up for 21–23 January moves back — in Belarus to 6 January, in
    # Russia before the New Year holidays, to 30 December.
    (
        "extra.txt",
        "E1",
        MOGILEV,
        "heads_up",
        "2026-01-21..2026-01-23",
        "",
        date(2026, 1, 6),
        "sent",
    ),
    (
        "extra.txt",
        "E1",
        SMOLENSK,
        "heads_up",
        "2026-01-21..2026-01-23",
        "",
        date(2025, 12, 30),
        "sent",
    ),
    # 9–11 May: a heads-up on Monday 11 May stays in Belarus, moves to Friday 8 May in Russia.
    (
        "extra.txt",
        "E2",
        MOGILEV,
        "heads_up",
        "2026-05-25..2026-05-27",
        "",
        date(2026, 5, 11),
        "sent",
    ),
    (
        "extra.txt",
        "E2",
        SMOLENSK,
        "heads_up",
        "2026-05-25..2026-05-27",
        "",
        date(2026, 5, 8),
        "sent",
    ),
    # A window ending Friday 8 May: the status request on 11 May in Belarus, 12 May in Russia.
    (
        "extra.txt",
        "E3",
        MOGILEV,
        "status_request",
        "2026-04-27..2026-05-08",
        "",
        date(2026, 5, 11),
        "sent",
    ),
    (
        "extra.txt",
        "E3",
        SMOLENSK,
        "status_request",
        "2026-04-27..2026-05-08",
        "",
        date(2026, 5, 12),
        "sent",
    ),
    ("extra.txt", "E3", MOGILEV, "repeat", "2026-04-27..2026-05-08", "", date(2026, 5, 14), "sent"),
    (
        "extra.txt",
        "E3",
        SMOLENSK,
        "repeat",
        "2026-04-27..2026-05-08",
        "",
        date(2026, 5, 15),
        "sent",
    ),
]


@pytest.mark.parametrize(
    ("source", "number", "agency", "kind", "window", "slot", "day", "state"), EXPECTED
)
def test_due_dates(
    walked: Walk,
    source: str,
    number: str,
    agency: str,
    kind: str,
    window: str,
    slot: str,
    day: date,
    state: str,
) -> None:
    assert walked.rows[(source, number, agency, kind, window, slot)] == (day, state)


def test_done_stops_the_chain(walked: Walk) -> None:
    kinds = {k[3] for k in walked.rows if k[:3] == (EVENTS, "2", ECONOMY)}
    assert kinds == {"heads_up", "before_end", "status_request", "repeat"}  # no escalation
    assert walked.reasons[(EVENTS, "2", ECONOMY, "repeat")] == "выполнено"


def test_roadmap_window_of_2026_has_no_progress_requests(walked: Walk) -> None:
    # Two months (61 days) is not longer than a quarter.
    assert not [k for k in walked.rows if k[:2] == (ROADMAP, "5") and k[3] == "progress"]


def test_every_reminder_falls_on_a_working_day(walked: Walk) -> None:
    for (_, _, agency, kind, _, _), (day, _) in walked.rows.items():
        if kind == "digest":  # the coordinators' (Moscow) calendar
            assert is_working_day(day, "RU"), day
            monday = day - timedelta(days=day.weekday())
            assert all(
                not is_working_day(monday + timedelta(n), "RU") for n in range(day.weekday())
            )
        else:
            assert is_working_day(day, walked.countries[agency]), (agency, kind, day)
    assert set(walked.countries.values()) == {"RU", "BY"}


def test_replanning_never_duplicates(walked: Walk) -> None:
    assert walked.created == walked.total == len(walked.rows)
    states = Counter(state for _, state in walked.rows.values())
    assert states["sent"] > 100
    assert set(states) <= {"sent", "pending", "expired", "cancelled"}


def test_weekly_digests_on_the_first_working_day_of_each_week(walked: Walk) -> None:
    digests = sorted(
        day for (_, _, _, kind, _, _), (day, _) in walked.rows.items() if kind == "digest"
    )
    weeks = [day.isocalendar()[:2] for day in digests]
    assert len(set(weeks)) == len(weeks)  # never two in one week
    # Weeks from 1 December 2025 to 31 August 2026 (the last day's horizon), less the
    # week of 5–11 January 2026: all days off in Russia, its digest goes with the next.
    assert (digests[0], digests[-1], len(digests)) == (date(2025, 12, 1), date(2026, 8, 31), 39)
    assert (2026, 2) not in weeks and date(2026, 1, 12) in digests
    # Mondays that are public holidays: the digest goes the next working day.
    moved = [day for day in digests if day.weekday() != 0]
    assert moved == [date(2026, 2, 24), date(2026, 3, 10), date(2026, 5, 12)]
    assert all(b - a <= timedelta(days=14) for a, b in pairwise(digests))


def test_belarusian_agency_in_minsk(session_factory: sessionmaker[Session]) -> None:
    """The imported Mogilev body works in Minsk time (UTC+3, like Moscow): due 06:00 UTC."""
    with session_factory.begin() as session:
        import_plan(session, path=ROADMAP_SAMPLE, now=START)
        agency = session.scalar(select(Agency).where(Agency.name == MOGILEV))
        assert agency is not None
        assert (agency.side, agency.timezone) == (Side.BY, "Europe/Minsk")
        plan_reminders(session, now=START, policy=POLICY)
        due = session.scalars(select(Reminder.due_at).where(Reminder.agency_id == agency.id))
        assert {d.astimezone(UTC).hour for d in due} == {6}
