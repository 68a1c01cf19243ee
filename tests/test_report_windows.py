"""A status belongs to a window, stored (issue 14): a late «Выполнено» for 2026 pressed
in 2027 closes 2026 only; words name the window they record; migration 0010 backfills the
window of the reports made before it by the day each was made."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from models import Reminder, ReminderKind, ReminderState, Side, Status, StatusReport
from models.db import alembic_config, make_session_factory
from models.reports.catalog import list_items
from models.schema.plans import Window
from models.statuses.agency_items import agency_items
from models.statuses.by_window import fold_reports, statuses_by_window
from tests.support import botkit, builders
from tests.support.botkit import (
    CONTACT_USER,
    COORDINATOR_USER,
    Clock,
    bind,
    card_data,
    make_settings,
    running_bot,
)
from tests.support.fakebotapi import FakeBotApi, FakeMessage
from tests.test_answers_that_count import add_items, confirmed, said
from tests.test_contact_day import (
    Walker,
    bind_coordinator,
    morning,
    pressed,
    sent_to,
    working_days,
)

AT = datetime(2026, 1, 1, tzinfo=UTC)
YEARLY = [(date(year, 6, 1), date(year, 7, 31)) for year in (2026, 2027, 2028)]
W2026, W2027, W2028 = YEARLY


def stored_windows(session_factory: sessionmaker[Session]) -> list[tuple[Status | None, tuple]]:
    with session_factory.begin() as session:
        return [
            (r.status, (r.window_start, r.window_end))
            for r in session.scalars(select(StatusReport).order_by(StatusReport.id))
        ]


def item_reminders(session_factory: sessionmaker[Session], item_id: int) -> list[Reminder]:
    with session_factory.begin() as session:
        return list(
            session.scalars(
                select(Reminder).where(Reminder.item_id == item_id).order_by(Reminder.id)
            )
        )


def message_about(api: FakeBotApi, reminder_id: int) -> FakeMessage:
    return next(
        m
        for m in api.messages(CONTACT_USER)
        if any(d.startswith(f"st:{reminder_id}:") for d in m.callback_data)
    )


async def test_a_late_done_for_2026_pressed_in_2027_closes_2026_only(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    """Nobody answers for 2026; in June 2027, with the 2027 window begun, the contact
    presses «Выполнено» on 2026's status request: 2026 is done, and 2027 is still reminded
    (its «скоро истекает» and its status request) and stays «Запланировано»."""
    agency_id, ids = add_items(sqlite_factory, {"8": ("Фестиваль «Славянский базар»", YEARLY)})
    bind(sqlite_factory, CONTACT_USER, agency_id)
    clock = Clock(morning(date(2026, 5, 18)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock) as app:
        walker = Walker(app, sqlite_factory, clock)
        for day in working_days(date(2026, 5, 18), date(2026, 8, 31)):
            await walker.at(morning(day))
        in_2026 = sent_to(fake_api, CONTACT_USER)
        # The heads-up, «скоро истекает», the status request and its repeat.
        assert in_2026 == 4
        request = next(
            r
            for r in item_reminders(sqlite_factory, ids["8"])
            if r.kind == ReminderKind.STATUS_REQUEST and r.window_start == W2026[0]
        )
        assert request.state == ReminderState.SENT
        for day in working_days(date(2027, 5, 10), date(2027, 6, 9)):
            await walker.at(morning(day))
        assert sent_to(fake_api, CONTACT_USER) == in_2026 + 1  # 2027's heads-up
        # 10 June 2027: 2027's window has begun; the answer is about 2026's request.
        clock.now = morning(date(2027, 6, 10), 11)
        old = message_about(fake_api, request.id)
        card = await pressed(fake_api, old, f"st:{request.id}:dn")
        assert "Отмечено: Выполнено" in card.text
        assert stored_windows(sqlite_factory) == [(Status.DONE, W2026)]
        with sqlite_factory.begin() as session:
            (row,) = list_items(session, today=date(2027, 6, 10))
            (agency,) = row["agencies"]
            assert [w["status"] for w in agency["windows_status"]] == ["done", "planned", "planned"]
            assert agency["status"] == "planned"
            (entry,) = agency_items(session, agency_id=agency_id, today=date(2027, 6, 10))
            assert entry.status == Status.PLANNED and entry.window == W2027
        pending = [
            r for r in item_reminders(sqlite_factory, ids["8"]) if r.state == ReminderState.PENDING
        ]
        assert {r.window_start.year for r in pending} == {2027}
        assert ReminderKind.BEFORE_END in {r.kind for r in pending}
        for day in working_days(date(2027, 6, 11), date(2027, 8, 4)):
            await walker.at(morning(day))
    texts = [m.text for m in fake_api.messages(CONTACT_USER)][in_2026 + 1 :]
    # 2027's «скоро истекает» and its status request: 2027 was not closed by the press.
    assert len(texts) == 2, texts
    assert "Срок исполнения скоро истекает" in texts[0] and "31 июля 2027 г." in texts[0]
    assert "Текущий статус: Запланировано" in texts[0]  # 2027's, not 2026's «Выполнено»
    assert "Срок исполнения истёк" in texts[1] and "31 июля 2027 г." in texts[1]
    assert sent_to(fake_api, CONTACT_USER) == in_2026 + 3
    cancelled_2027 = [
        r
        for r in item_reminders(sqlite_factory, ids["8"])
        if r.window_start == W2027[0] and r.cancel_reason == "выполнено"
    ]
    assert cancelled_2027 == []


async def test_words_in_reply_to_2026s_request_record_2026_and_say_so(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    """A reply in words to a reminder is about that reminder's window; words that reply to
    nothing are about the current window; each confirmation names its window."""
    agency_id, ids = add_items(sqlite_factory, {"8": ("Фестиваль «Славянский базар»", YEARLY)})
    bind(sqlite_factory, CONTACT_USER, agency_id)
    bind_coordinator(sqlite_factory)
    clock = Clock(morning(date(2026, 8, 3)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock) as app:
        walker = Walker(app, sqlite_factory, clock)
        await walker.at(morning(date(2026, 8, 3)))  # 2026's status request
        (request,) = fake_api.messages(CONTACT_USER)
        clock.now = morning(date(2027, 6, 10), 11)
        question = await said(fake_api, "выполнено", reply_to=request.message_id)
        assert "Выполнено — за срок 1 июня – 31 июля 2026 г." in question.text
        done = await confirmed(fake_api, question)
        assert "Выполнено — за срок 1 июня – 31 июля 2026 г." in done.text
        question = await said(fake_api, "Славянский базар — в работе")
        assert "В работе — за срок 1 июня – 31 июля 2027 г." in question.text
        await confirmed(fake_api, question)
        # The coordinator's /item: each status says which window it is about.
        digests = len(fake_api.messages(COORDINATOR_USER))  # Monday's digest
        fake_api.send_command(COORDINATOR_USER, "item", "8")
        await fake_api.until(lambda: len(fake_api.messages(COORDINATOR_USER)) > digests)
        card = fake_api.messages(COORDINATOR_USER)[-1]
        assert "выполнено за срок 1 июня – 31 июля 2026 г. (Контакт 6001)" in card.text
        assert "в работе за срок 1 июня – 31 июля 2027 г. (Контакт 6001)" in card.text
    # Each answer's words are kept as a comment beside its status, about the same window.
    assert stored_windows(sqlite_factory) == [
        (None, W2026),
        (Status.DONE, W2026),
        (None, W2027),
        (Status.IN_PROGRESS, W2027),
    ]
    with sqlite_factory.begin() as session:
        per = statuses_by_window(session, item_ids=[ids["8"]])[(ids["8"], agency_id)]
    assert per == [(W2026, Status.DONE), (W2027, Status.IN_PROGRESS), (W2028, Status.PLANNED)]


async def test_a_card_from_my_names_its_window_and_records_it(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    agency_id, ids = add_items(sqlite_factory, {"8": ("Фестиваль «Славянский базар»", YEARLY)})
    bind(sqlite_factory, CONTACT_USER, agency_id)
    clock = Clock(morning(date(2027, 8, 10)))  # 2027's window has ended, 2028's not begun
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock):
        fake_api.send_command(CONTACT_USER, "my")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 1)
        (listing,) = fake_api.messages(CONTACT_USER)
        fake_api.press_button(CONTACT_USER, listing.message_id, f"mc:{ids['8']}")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        card = fake_api.messages(CONTACT_USER)[1]
        assert "Статус и кнопки ниже — за срок 1 июня – 31 июля 2027 г." in card.text
        card = await pressed(fake_api, card, card_data(card, f"mi:{ids['8']}:dn"))
        assert "Отмечено: Выполнено" in card.text
        assert "за срок 1 июня – 31 июля 2027 г." in card.text
    assert stored_windows(sqlite_factory) == [(Status.DONE, W2027)]


async def test_a_card_pressed_after_the_next_window_began_records_the_window_it_showed(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    """The card showed 2026's window (its status and buttons); 2027's began before the
    press: the press is about what the card showed (its data carries the window's first
    day), not about the window current at the press."""
    agency_id, ids = add_items(sqlite_factory, {"8": ("Фестиваль «Славянский базар»", YEARLY)})
    bind(sqlite_factory, CONTACT_USER, agency_id)
    clock = Clock(morning(date(2027, 5, 28)))  # 2026's window is the latest, 2027's is ahead
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock):
        fake_api.send_command(CONTACT_USER, "my")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 1)
        (listing,) = fake_api.messages(CONTACT_USER)
        fake_api.press_button(CONTACT_USER, listing.message_id, f"mc:{ids['8']}")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        card = fake_api.messages(CONTACT_USER)[1]
        assert "за срок 1 июня – 31 июля 2026 г." in card.text
        data = card_data(card, f"mi:{ids['8']}:dn")
        assert data == f"mi:{ids['8']}:dn:20260601"
        clock.now = morning(date(2027, 6, 2))  # 2027's window has begun meanwhile
        card = await pressed(fake_api, card, data)
        assert "Отмечено: Выполнено" in card.text
        assert card_data(card, f"mi:{ids['8']}:ip").endswith(":20260601")  # still 2026's
    assert stored_windows(sqlite_factory) == [(Status.DONE, W2026)]


def test_remind_asks_for_2027_after_2026_was_done(session_factory) -> None:
    """/remind and «Напомнить ещё раз» judge the window they remind of, not the latest
    report: 2026 done, 2027 still owed."""
    from models.levers import coordinator_actor
    from models.levers.control import remind_body, set_status
    from models.outbox.manual import remind_item
    from models.statuses.reports import record_report

    with session_factory.begin() as session:
        plan = builders.add_plan(session, at=AT, end=date(2028, 12, 31))
        agency = builders.add_agency(session, botkit.AGENCY, Side.RU, at=AT)
        item = builders.add_item(session, plan, "8", at=AT, windows=YEARLY, agencies=[agency])
        now = datetime(2027, 6, 10, 9, tzinfo=UTC)
        record_report(
            session,
            item_id=item.id,
            agency_id=agency.id,
            status=Status.DONE,
            comment=None,
            now=now,
            source="button",
            window=W2026,
        )
        assert remind_body(session, item_id=item.id, agency_id=agency.id, now=now, today=now.date())
        result = remind_item(session, item_id=item.id, now=now, today=now.date())
        assert result.closed == [] and result.without_contacts == [botkit.AGENCY]
        # A coordinator's «Выполнено» now is about 2027: recorded, not taken for a repeat.
        actor = coordinator_actor(session, user_id=1, name="Координатор", configured=[1])
        changed = set_status(
            session, actor=actor, item_id=item.id, agency_id=None, status=Status.DONE, now=now
        )
        assert changed == [agency.id]
        per = statuses_by_window(session, item_ids=[item.id])[(item.id, agency.id)]
        assert per == [(W2026, Status.DONE), (W2027, Status.DONE), (W2028, Status.PLANNED)]


def test_the_stored_window_counts_and_a_row_without_one_is_read_by_its_day() -> None:
    said = [
        (date(2027, 6, 10), Status.DONE, W2026),  # late, for 2026
        (date(2027, 6, 11), Status.IN_PROGRESS, None),  # no window: 10 June 2027 -> 2027
        # A window that no longer binds (the dates moved since): read by its day too.
        (date(2028, 6, 2), Status.DONE, (date(2028, 5, 1), date(2028, 5, 31))),
    ]
    assert fold_reports(YEARLY, said) == [
        (W2026, Status.DONE),
        (W2027, Status.IN_PROGRESS),
        (W2028, Status.DONE),
    ]
    cancelled = fold_reports(YEARLY, [(date(2026, 1, 5), Status.CANCELLED, W2027)])
    assert [s for _, s in cancelled] == [Status.PLANNED, Status.CANCELLED, Status.CANCELLED]
    assert fold_reports([], said) == []


def test_migration_0010_backfills_each_reports_window(engine: Engine) -> None:
    """Reports made before 0010 get the window they were read as: the latest window of the
    agency's binding ones started on the report's day, else the first; none without windows."""
    session_factory = make_session_factory(engine)
    with session_factory.begin() as session:
        plan = builders.add_plan(session, at=AT, end=date(2028, 12, 31))
        agency = builders.add_agency(session, botkit.AGENCY, Side.RU, at=AT)
        other = builders.add_agency(session, botkit.OTHER, Side.BY, at=AT)
        yearly = builders.add_item(
            session, plan, "1", at=AT, windows=YEARLY, agencies=[agency, other]
        )
        undated = builders.add_item(session, plan, "2", at=AT, agencies=[agency])
        # The other agency named its own dates for the yearly item: those bind it.
        own = (date(2026, 9, 1), date(2026, 9, 30))
        session.add(
            Window(item_id=yearly.id, agency_id=other.id, start=own[0], end=own[1], created_at=AT)
        )
        made = [
            (yearly.id, agency.id, datetime(2026, 3, 2, 8, tzinfo=UTC)),  # before any: first
            (yearly.id, agency.id, datetime(2026, 7, 1, 8, tzinfo=UTC)),  # in 2026's
            (yearly.id, agency.id, datetime(2027, 5, 31, 23, tzinfo=UTC)),  # after 2026's end
            (yearly.id, agency.id, datetime(2027, 6, 1, 0, 30, tzinfo=UTC)),  # 2027's first day
            (yearly.id, other.id, datetime(2027, 6, 2, 8, tzinfo=UTC)),  # its own window
            (undated.id, agency.id, datetime(2026, 7, 1, 8, tzinfo=UTC)),  # no windows
        ]
        session.add_all(
            StatusReport(
                item_id=item_id,
                agency_id=agency_id,
                status=Status.IN_PROGRESS,
                source="button",
                created_at=at,
            )
            for item_id, agency_id, at in made
        )
    config = alembic_config(engine)
    command.downgrade(config, "0009")
    command.upgrade(config, "head")
    assert stored_windows(session_factory) == [
        (Status.IN_PROGRESS, W2026),
        (Status.IN_PROGRESS, W2026),
        (Status.IN_PROGRESS, W2026),
        (Status.IN_PROGRESS, W2027),
        (Status.IN_PROGRESS, own),
        (Status.IN_PROGRESS, (None, None)),
    ]


def test_words_just_after_midnight_in_moscow_are_about_the_window_begun_there(
    session_factory,
) -> None:
    """At 22:30 UTC on 31 May 2027 it is 01:30 on 1 June in Moscow, the plan's time zone:
    2027's window has begun, so a status without a window of its own is about 2027 (by UTC's
    calendar it was still 2026's)."""
    from models.statuses.reports import report_window

    with session_factory.begin() as session:
        plan = builders.add_plan(session, at=AT, end=date(2028, 12, 31))
        agency = builders.add_agency(session, botkit.AGENCY, Side.RU, at=AT)
        item = builders.add_item(session, plan, "8", at=AT, windows=YEARLY, agencies=[agency])
        night = datetime(2027, 5, 31, 22, 30, tzinfo=UTC)
        assert report_window(session, item_id=item.id, agency_id=agency.id, now=night) == W2027
        evening = datetime(2027, 5, 31, 20, 30, tzinfo=UTC)  # 23:30 in Moscow: still May
        assert report_window(session, item_id=item.id, agency_id=agency.id, now=evening) == W2026
