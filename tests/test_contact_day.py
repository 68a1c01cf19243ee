"""A contact's day, end to end: walking simulated dates, the real bot on the fake Bot API.

Each scenario counts the messages each chat gets: eight reminders due one morning are
one message whose buttons open each item's card; a three-week outage ends with one
digest and one batched status request, and no heads-up for a window already over; a
late import sends one batched status request a contact; progress requests wait 30 days
after a report.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from telegram.ext import Application

from bot.cli import main
from bot.telegram_sender import TelegramSender
from models import Reminder, ReminderKind, ReminderState, Role, Side, Status, StatusReport
from models.chats.contacts import bind_contact
from models.importing import import_plan
from models.schema.people import Agency
from scheduler.rules.policy import Policy
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher
from scheduler.runtime.pacing import Pacer
from scheduler.runtime.planning import plan_after_import, plan_reminders
from tests.support import builders, fakebotapi
from tests.support.botkit import (
    AGENCY,
    CONTACT_USER,
    COORDINATOR_USER,
    OTHER,
    Clock,
    bind,
    make_settings,
    running_bot,
)
from tests.support.fakebotapi import FakeBotApi, FakeMessage
from tests.support.samples import EVENTS_ASSIGNMENTS, EVENTS_SAMPLE, ROADMAP_SAMPLE

MOSCOW = ZoneInfo("Europe/Moscow")
POLICY = Policy()
#: A plan title as long as the real ones (330 characters): messages carry a short label.
LONG_PLAN_TITLE = (
    "План мероприятий («Дорожная карта») по реализации Соглашения между Администрацией "
    "Смоленской области Российской Федерации и Могилевским областным исполнительным "
    "комитетом Республики Беларусь о торгово-экономическом, научно-техническом и "
    "культурном сотрудничестве от 8 декабря 2004 года на 2026 – 2028 годы"
)
LONG_TITLE = (
    "Участие в Международном выставочно-ярмарочном мероприятии: 33-й международной "
    "выставке продуктов питания, напитков и сырья для их производства «Продэкспо-2026» "
    "с демонстрацией продукции предприятий региона"
)


def morning(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=MOSCOW)


def working_days(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


class Walker:
    """Plans and sends as `srok run` would at each moment: re-plan, then one sweep."""

    def __init__(
        self,
        app: Application,  # type: ignore[type-arg]
        session_factory: sessionmaker[Session],
        clock: Clock,
        policy: Policy = POLICY,
        **config: object,
    ) -> None:
        self.session_factory, self.clock, self.policy = session_factory, clock, policy
        self.dispatcher = Dispatcher(
            session_factory,
            TelegramSender(app.bot),
            config=DispatchConfig(owner="walk", **config),  # type: ignore[arg-type]
            pacer=Pacer.unlimited(),
        )

    async def at(self, moment: datetime) -> None:
        self.clock.now = moment
        with self.session_factory.begin() as session:
            plan_reminders(session, now=moment, policy=self.policy)
        await self.dispatcher.run_pass(now=moment, clock=lambda: moment)


def sent_to(api: FakeBotApi, chat_id: int) -> int:
    return sum(1 for c in api.calls("sendMessage") if c.params.get("chat_id") == chat_id)


def reminders(session_factory: sessionmaker[Session]) -> list[Reminder]:
    with session_factory.begin() as session:
        return list(session.scalars(select(Reminder).order_by(Reminder.id)))


def add_agency_plan(
    session_factory: sessionmaker[Session], windows: dict[str, tuple[date, date]], **titles: str
) -> tuple[int, int, dict[str, int]]:
    """A plan with the long title; items of AGENCY (and one of OTHER): plan, agency, items."""
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with session_factory.begin() as session:
        plan = builders.add_plan(session, at=at, title=LONG_PLAN_TITLE, end=date(2028, 12, 31))
        section = builders.add_section(session, plan, "Экономика")
        agency = builders.add_agency(session, AGENCY, Side.RU, at=at)
        other = builders.add_agency(session, OTHER, Side.BY, at=at)
        items = {
            number: builders.add_item(
                session,
                plan,
                number,
                at=at,
                title=titles.get(f"t{number.replace('.', '_')}", f"Мероприятие {number}"),
                section=section,
                windows=[window],
                agencies=[other if number == "9.9" else agency],
            ).id
            for number, window in windows.items()
        }
        return plan.id, agency.id, items


async def pressed(api: FakeBotApi, message: FakeMessage, data: str) -> FakeMessage:
    """Press a button of the contact's message and wait for the bot to edit it."""
    edits = len(message.history)
    api.press_button(CONTACT_USER, message.message_id, data)
    await api.until(lambda: len(shown(api, message.message_id).history) > edits)
    return shown(api, message.message_id)


def shown(api: FakeBotApi, message_id: int) -> FakeMessage:
    return next(m for m in api.messages(CONTACT_USER) if m.message_id == message_id)


async def test_eight_items_due_one_morning_are_one_message_with_a_card_each(
    fake_api: FakeBotApi, session_factory, db_url
) -> None:
    q2 = (date(2026, 4, 1), date(2026, 6, 30))
    numbers = [f"2.{n}" for n in range(1, 9)]
    _, agency_id, items = add_agency_plan(
        session_factory, {**dict.fromkeys(numbers, q2), "9.9": q2}, t2_3=LONG_TITLE
    )
    bind(session_factory, CONTACT_USER, agency_id)
    clock = Clock(morning(date(2026, 3, 16)))
    async with running_bot(make_settings(fake_api, db_url), session_factory, clock) as app:
        walker = Walker(app, session_factory, clock)
        per_day = {}
        for day in working_days(date(2026, 3, 16), date(2026, 3, 20)):
            before = sent_to(fake_api, CONTACT_USER)
            await walker.at(morning(day))
            per_day[day] = sent_to(fake_api, CONTACT_USER) - before
        # The eight heads-ups (14 days before 1 April) fall due on Wednesday 18 March.
        assert per_day == {
            date(2026, 3, 16): 0,
            date(2026, 3, 17): 0,
            date(2026, 3, 18): 1,
            date(2026, 3, 19): 0,
            date(2026, 3, 20): 0,
        }
        (batch,) = fake_api.messages(CONTACT_USER)
        assert "На сегодня 8 пунктов" in batch.text
        assert batch.text.count("скоро начало: 1 апреля 2026 г.") == 8
        # The plan by a short label; the long title cut at a word boundary.
        assert LONG_PLAN_TITLE not in batch.text
        assert "План мероприятий («Дорожная карта») по реализации Соглашения … на 2026–2028" in (
            batch.text
        )
        assert LONG_TITLE not in batch.text
        assert "«Продэкспо-2026»" not in batch.text and "продуктов питания, напитков…" in batch.text
        cards = [d for d in batch.callback_data if d.startswith("cd:")]
        assert len(cards) == 8 and len(batch.callback_data) == 8
        by_item = {
            r.item_id: r.id for r in reminders(session_factory) if r.kind == ReminderKind.HEADS_UP
        }
        assert cards == [f"cd:{by_item[items[n]]}" for n in numbers]

        # Each item answered from its card: open, press a status, back to the list.
        message = batch
        for number, data in zip(numbers, cards, strict=True):
            rid = int(data.removeprefix("cd:"))
            message = await pressed(fake_api, message, data)
            title = LONG_TITLE if number == "2.3" else f"Мероприятие {number}"
            assert f"Пункт {number}. {title}" in message.text  # the full text on the card
            assert "Скоро начинается срок исполнения" in message.text
            assert message.callback_data == [
                *(f"st:{rid}:{code}" for code in ("ip", "dn", "pp", "cn", "cm")),
                f"ls:{rid}",
            ]
            code = "dn" if number.endswith(("1", "2")) else "ip"
            message = await pressed(fake_api, message, f"st:{rid}:{code}")
            word = "Выполнено" if code == "dn" else "В работе"
            assert f"Отмечено: {word}" in message.text
            assert message.text.count(word) == 1  # said once: no «Текущий статус» beside it
            assert f"ls:{rid}" in message.callback_data
            message = await pressed(fake_api, message, f"ls:{rid}")
            assert "На сегодня 8 пунктов" in message.text
            assert f"п. {number}" in message.text
        assert message.text.count("(отмечено: В работе)") == 6
        assert message.text.count("(отмечено: Выполнено)") == 2

        # A card of another agency's reminder, forged onto this message: refused.
        with session_factory.begin() as session:
            other_rid = session.scalar(
                select(Reminder.id).where(Reminder.item_id == items["9.9"]).limit(1)
            )
        fake_api.press_button(CONTACT_USER, batch.message_id, f"cd:{other_rid}", forge=True)
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        assert "Пункт 9.9" not in fake_api.messages(CONTACT_USER)[0].text
    assert sent_to(fake_api, CONTACT_USER) == 2  # the batch, and the refusal
    with session_factory.begin() as session:
        statuses = Counter(s.status for s in session.scalars(select(StatusReport)))
    assert statuses == {Status.IN_PROGRESS: 6, Status.DONE: 2}


def bind_coordinator(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as session:
        bind_contact(
            session,
            user_id=COORDINATOR_USER,
            chat_id=COORDINATOR_USER,
            agency_id=None,
            role=Role.COORDINATOR,
            now=datetime(2026, 1, 1, tzinfo=UTC),
            name="Координатор",
        )


async def test_after_three_weeks_down_one_digest_one_batch_and_no_stale_heads_up(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    _, agency_id, items = add_agency_plan(
        sqlite_factory,
        {
            # Heads-up 10 Feb, «скоро истекает» 24 Feb (both while down), ended 27 Feb.
            "3.1": (date(2026, 2, 24), date(2026, 2, 27)),
            # Heads-up 2 Feb (sent), «скоро истекает» 17 Feb, ended 20 Feb while down.
            "3.2": (date(2026, 2, 16), date(2026, 2, 20)),
            # Heads-up 16 Feb while down; the window runs on after the restart.
            "3.3": (date(2026, 3, 2), date(2026, 6, 30)),
        },
    )
    bind(sqlite_factory, CONTACT_USER, agency_id)
    bind_coordinator(sqlite_factory)
    clock = Clock(morning(date(2026, 2, 2)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock) as app:
        walker = Walker(app, sqlite_factory, clock)
        for day in working_days(date(2026, 2, 2), date(2026, 2, 6)):
            await walker.at(morning(day))
        assert (sent_to(fake_api, CONTACT_USER), sent_to(fake_api, COORDINATOR_USER)) == (1, 1)
        # Down from 7 February; back on Monday 2 March at 10:00.
        await walker.at(morning(date(2026, 3, 2), 10))
        contact, coordinator = fake_api.messages(CONTACT_USER), fake_api.messages(COORDINATOR_USER)
        assert (len(contact), len(coordinator)) == (2, 2)
        batch = contact[-1]
        assert "На сегодня 2 пункта" in batch.text
        assert "п. 3.1" in batch.text and "п. 3.2" in batch.text
        assert batch.text.count("сообщите статус") == 2
        assert "скоро начало" not in batch.text and "срок истекает" not in batch.text
        for day in working_days(date(2026, 3, 3), date(2026, 3, 4)):
            await walker.at(morning(day))
    # Nothing more (the repeat comes three working days after the request, on 5 March).
    assert (sent_to(fake_api, CONTACT_USER), sent_to(fake_api, COORDINATOR_USER)) == (2, 2)
    rows = reminders(sqlite_factory)
    expired = {
        (r.item_id, r.kind, r.cancel_reason) for r in rows if r.state == ReminderState.EXPIRED
    }
    assert {
        (items["3.1"], ReminderKind.HEADS_UP, "пропущено: простой"),
        (items["3.3"], ReminderKind.HEADS_UP, "пропущено: простой"),
        (items["3.1"], ReminderKind.BEFORE_END, "пропущено: срок уже истёк"),
        (items["3.2"], ReminderKind.BEFORE_END, "пропущено: срок уже истёк"),
    } <= expired
    digests = Counter(r.state for r in rows if r.kind == ReminderKind.DIGEST and r.sent_at)
    assert digests == {ReminderState.SENT: 2}
    missed = [r for r in rows if r.kind == ReminderKind.DIGEST and r.state == ReminderState.EXPIRED]
    assert [r.slot for r in missed] == ["2026-W07", "2026-W08", "2026-W09"]


async def test_a_late_import_sends_one_batched_status_request_a_contact(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    # The events plan of the first half of 2026, imported in mid-July: most of its
    # windows have ended, and nobody was ever asked about them.
    late = morning(date(2026, 7, 15), 10)
    with sqlite_factory.begin() as session:
        report = import_plan(session, path=EVENTS_SAMPLE, now=late, assignments=EVENTS_ASSIGNMENTS)
        plan_after_import(
            session,
            plan_id=report.plan_id,
            numbers=report.created,
            whole_plan=report.plan_created,
            now=late,
            policy=POLICY,
        )
        agencies = list(session.scalars(select(Agency.id).order_by(Agency.id)))
    chats = {agency_id: 7000 + agency_id for agency_id in agencies}
    for agency_id, chat in chats.items():
        bind(sqlite_factory, chat, agency_id)
    clock = Clock(late)
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock) as app:
        dispatcher = Dispatcher(
            sqlite_factory,
            TelegramSender(app.bot),
            config=DispatchConfig(owner="late"),
            pacer=Pacer.unlimited(),
        )
        await dispatcher.run_pass(now=late, clock=lambda: late)
    rows = reminders(sqlite_factory)
    sent = [r for r in rows if r.state == ReminderState.SENT]
    requests = Counter(r.agency_id for r in sent)
    assert {r.kind for r in sent} == {ReminderKind.STATUS_REQUEST}
    assert sum(requests.values()) > 2 * len(requests)  # several overdue items a body
    # Heads-ups and «скоро истекает» of windows that ended before the import: never owed.
    assert not [
        r
        for r in rows
        if r.kind in (ReminderKind.HEADS_UP, ReminderKind.BEFORE_END)
        and r.window_end is not None
        and r.window_end < late.date()
    ]
    batched = 0
    for agency_id, count in requests.items():
        # One message a contact (a list holds up to 12 items, then another follows).
        assert sent_to(fake_api, chats[agency_id]) == math.ceil(count / 12), agency_id
        if count > 1:
            (first, *_) = fake_api.messages(chats[agency_id])
            assert "На сегодня" in first.text and "сообщите статус" in first.text
            batched += 1
    assert batched >= 3
    assert sum(sent_to(fake_api, chat) for chat in chats.values()) == sum(
        math.ceil(n / 12) for n in requests.values()
    )


def test_import_plans_at_once(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`srok reminders` right after `srok import` lists what is owed, not «Напоминаний нет»."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    imported = runner.invoke(main, ["import", str(ROADMAP_SAMPLE)])
    assert imported.exit_code == 0, imported.output
    assert "Напоминания запланированы сразу" in imported.stdout
    listed = runner.invoke(main, ["reminders", "--json"])
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.strip() not in ("", "[]")
    again = runner.invoke(main, ["import", str(ROADMAP_SAMPLE)])
    assert "Новых напоминаний нет" in again.stdout


@pytest.mark.parametrize("silence", [30, 10])
async def test_progress_requests_wait_after_a_report(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url, silence: int
) -> None:
    """A year-long window: monthly «Как продвигается работа?», but not within `silence`
    days after «В работе», and never after «Выполнено»."""
    _, agency_id, items = add_agency_plan(
        sqlite_factory, {"4.1": (date(2026, 1, 1), date(2026, 12, 31))}
    )
    bind(sqlite_factory, CONTACT_USER, agency_id)
    firsts = [date(2026, 2, 2), date(2026, 3, 2), date(2026, 4, 1), date(2026, 5, 4)]
    clock = Clock(morning(firsts[0]))
    settings = make_settings(fake_api, sqlite_url, srok_progress_silence_days=silence)
    async with running_bot(settings, sqlite_factory, clock) as app:
        walker = Walker(
            app,
            sqlite_factory,
            clock,
            Policy.from_settings(settings),
            progress_silence=timedelta(days=silence),
        )
        counts = []
        for day in firsts:
            before = sent_to(fake_api, CONTACT_USER)
            await walker.at(morning(day))
            counts.append(sent_to(fake_api, CONTACT_USER) - before)
            if day == firsts[0]:
                # The contact answers «В работе» on 16 February, from the request.
                (request,) = fake_api.messages(CONTACT_USER)
                assert "Как продвигается работа?" in request.text
                clock.now = morning(date(2026, 2, 16), 11)
                rid = int(request.callback_data[0].split(":")[1])
                await pressed(fake_api, request, f"st:{rid}:ip")
        # 2 March: 14 days after the report; 1 April: 44; 4 May: 77.
        expected = [1, 0 if silence > 14 else 1, 1, 1]
        assert counts == expected
        # «Выполнено»: nothing more is asked for this window.
        last = fake_api.messages(CONTACT_USER)[-1]
        rid = int(last.callback_data[0].split(":")[1])
        clock.now = morning(date(2026, 5, 4), 12)
        await pressed(fake_api, last, f"st:{rid}:dn")
        for day in [date(2026, 6, 1), date(2026, 7, 1), date(2026, 12, 29)]:
            await walker.at(morning(day))
        assert sent_to(fake_api, CONTACT_USER) == sum(expected)
    quiet = [
        r
        for r in reminders(sqlite_factory)
        if r.kind == ReminderKind.PROGRESS and r.item_id == items["4.1"]
    ]
    if silence > 14:  # the March one was planned in February, then cancelled
        assert any(r.cancel_reason == "орган недавно отчитался" for r in quiet)


def test_the_digest_is_never_planned_on_a_public_holiday(sqlite_factory) -> None:
    """Walked through 2026–2028 for coordinators in Moscow and in Minsk."""
    from scheduler.rules.policy import digest_specs
    from scheduler.rules.workdays import is_working_day

    for zone, country in (("Europe/Moscow", "RU"), ("Europe/Minsk", "BY")):
        policy = Policy(timezone=zone)
        days: dict[str, date] = {}
        now = datetime(2025, 12, 20, 7, tzinfo=UTC)
        while now.year < 2029:
            for spec in digest_specs(now=now, policy=policy):
                days.setdefault(spec.slot, spec.due_at.astimezone(ZoneInfo(zone)).date())
            now += timedelta(days=7)
        assert len(days) > 150
        for slot, day in days.items():
            assert is_working_day(day, country), (zone, slot, day)
            monday = day - timedelta(days=day.weekday())
            assert all(
                not is_working_day(monday + timedelta(n), country) for n in range(day.weekday())
            )
        assert len(set(days.values())) == len(days)  # never two on one day
    # The two days the issue names, in Russia: 5 January and 23 February 2026.
    with sqlite_factory.begin() as session:
        plan_reminders(session, now=datetime(2025, 12, 29, 7, tzinfo=UTC), policy=Policy())
        due = {
            r.due_at.astimezone(MOSCOW).date()
            for r in session.scalars(select(Reminder).where(Reminder.kind == ReminderKind.DIGEST))
        }
    assert date(2026, 1, 5) not in due and date(2026, 2, 23) not in due
    assert {date(2026, 1, 12), date(2026, 2, 24)} <= due


async def test_a_reply_to_a_batched_message_is_not_pinned_on_one_of_its_items(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    q2 = (date(2026, 4, 1), date(2026, 6, 30))
    _, agency_id, _ = add_agency_plan(sqlite_factory, {"5.1": q2, "5.2": q2})
    bind(sqlite_factory, CONTACT_USER, agency_id)
    clock = Clock(morning(date(2026, 3, 18)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock) as app:
        await Walker(app, sqlite_factory, clock).at(morning(date(2026, 3, 18)))
        (batch,) = fake_api.messages(CONTACT_USER)
        assert "На сегодня 2 пункта" in batch.text
        fake_api.send_text(CONTACT_USER, "выполнено", reply_to_message_id=batch.message_id)
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        asked = fake_api.messages(CONTACT_USER)[1]
        assert "О каком пункте «выполнено»?" in asked.text  # asked which, not guessed
        assert [d.split(":")[0] for d in asked.callback_data] == ["ch", "ch"]
    with sqlite_factory.begin() as session:
        assert session.scalars(select(StatusReport)).all() == []


@pytest.mark.slow
def test_srok_run_plans_at_start_up(fake_api: FakeBotApi, sqlite_url: str, tmp_path: Path) -> None:
    """A plan imported without planning (an upgrade, a crash before the night's re-plan):
    `srok run` plans it before its first sweep instead of waiting for 06:30."""
    import os
    import signal
    import subprocess
    import sys

    from models.db import make_engine, make_session_factory, upgrade

    engine = make_engine(sqlite_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        import_plan(session, path=ROADMAP_SAMPLE, now=datetime.now(UTC))
    assert reminders(factory) == []
    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN=fakebotapi.DEFAULT_TOKEN,
        TELEGRAM_API_BASE_URL=fake_api.root,
        DATABASE_URL=sqlite_url,
    )
    srok = Path(sys.executable).parent / "srok"
    process = subprocess.Popen(
        [str(srok), "run"], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        fake_api.wait_for(lambda: any(c.method == "getUpdates" for c in fake_api.world.calls), 30)
        # Polling starts after the start-up plan: the outbox is full by now.
        planned = reminders(factory)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    assert len(planned) > 10
    assert {r.kind for r in planned} >= {ReminderKind.PROGRESS, ReminderKind.DIGEST}
    engine.dispose()
