"""What the bot's end-to-end tests share: a small plan built with the ORM, a settable
clock, the real Application running against the fake Bot API server, a sent reminder."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot
from telegram.ext import Application

from bot.app import build_application
from bot.keyboards import reminder_keyboard
from bot.runner import serve
from bot.settings import Settings
from messages import render_plain
from models import (
    Delivery,
    Plan,
    Reminder,
    ReminderKind,
    ReminderState,
    Role,
    Section,
    Side,
)
from models.chats.contacts import bind_contact
from models.chats.invites import create_invite
from tests.support import builders
from tests.support.fakebotapi import DEFAULT_TOKEN, FakeBotApi, FakeMessage

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
AGENCY = "Департамент Смоленской области по культуре"
OTHER = "Комитет экономики Могилевского облисполкома"
CONTACT_USER = 6001
OTHER_USER = 6002
COORDINATOR_USER = 5001


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    plan_id: int
    agency_id: int
    other_id: int
    item_id: int  # 1.1, the agency's, Q2 2026
    other_item_id: int  # 1.2, the other agency's


def add_plan(session: Session, *, source_name: str, section: str) -> tuple[Plan, Section]:
    """A 2026 roadmap with one section, as an import leaves it (flushed, ids set)."""
    title = "Дорожная карта 2026"
    plan = builders.add_plan(session, at=NOW, source_name=source_name, title=title)
    return plan, builders.add_section(session, plan, section)


def seed(session_factory: sessionmaker[Session]) -> World:
    """One plan, two agencies, one item each (1.1 <script> in its title to test escaping)."""
    with session_factory.begin() as session:
        plan, section = add_plan(session, source_name="roadmap.txt", section="Культура")
        agencies = [
            builders.add_agency(session, AGENCY, Side.RU, at=NOW),
            builders.add_agency(session, OTHER, Side.BY, at=NOW),
        ]
        q2 = [(date(2026, 4, 1), date(2026, 6, 30))]
        items = [
            builders.add_item(
                session,
                plan,
                number,
                at=NOW,
                title=title,
                section=section,
                deadline="II квартал 2026 года",
                windows=q2,
                agencies=[agency],
            )
            for number, title, agency in [
                ("1.1", "Дни культуры <script>", agencies[0]),
                ("1.2", "Ярмарка & выставка", agencies[1]),
            ]
        ]
        return World(plan.id, agencies[0].id, agencies[1].id, items[0].id, items[1].id)


def make_settings(api: FakeBotApi, db_url: str, **extra: object) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=DEFAULT_TOKEN,  # type: ignore[arg-type]
        telegram_api_base_url=api.root,
        database_url=db_url,
        srok_coordinator_ids=[COORDINATOR_USER],
        **extra,
    )


def invite_token(
    session_factory: sessionmaker[Session], agency_id: int | None, role: Role = Role.CONTACT
) -> str:
    with session_factory.begin() as session:
        return create_invite(
            session, agency_id=agency_id, role=role, now=NOW, ttl=timedelta(days=14)
        ).token


def bind(session_factory: sessionmaker[Session], user_id: int, agency_id: int) -> int:
    """Bind a user as a contact directly (tests that do not exercise the invite)."""
    with session_factory.begin() as session:
        return bind_contact(
            session,
            user_id=user_id,
            chat_id=user_id,
            agency_id=agency_id,
            role=Role.CONTACT,
            now=NOW,
            name=f"Контакт {user_id}",
        ).id


async def send_reminder(
    bot: Bot,
    session_factory: sessionmaker[Session],
    *,
    item_id: int,
    agency_id: int,
    contact_id: int,
    chat_id: int,
    kind: ReminderKind = ReminderKind.BEFORE_END,
) -> tuple[int, int]:
    """A reminder row, delivered to `chat_id` with its status buttons: (reminder_id, message_id)."""
    with session_factory.begin() as session:
        reminder_id = builders.add_reminder(
            session,
            kind=kind,
            due_at=NOW,
            now=NOW,
            item_id=item_id,
            agency_id=agency_id,
            state=ReminderState.SENDING,
            dedup_key=f"test:{item_id}:{agency_id}:{kind}:{chat_id}",
        )
    text = render_plain("bot/help.j2", coordinator=False).splitlines()[0]
    message = await bot.send_message(
        chat_id, f"Напоминание: {text}", reply_markup=reminder_keyboard(reminder_id)
    )
    with session_factory.begin() as session:
        session.add(
            Delivery(
                reminder_id=reminder_id,
                contact_id=contact_id,
                chat_id=chat_id,
                state=ReminderState.SENT,
                message_id=message.message_id,
                sent_at=NOW,
                created_at=NOW,
            )
        )
        row = session.get_one(Reminder, reminder_id)
        row.state, row.telegram_message_id, row.sent_at = (
            ReminderState.SENT,
            message.message_id,
            NOW,
        )
    return reminder_id, message.message_id


async def remind(
    app: Application,  # type: ignore[type-arg]
    session_factory: sessionmaker[Session],
    world: World,
    contact_id: int,
) -> tuple[int, int]:
    """`send_reminder` for the seeded item and agency, to CONTACT_USER's chat."""
    return await send_reminder(
        app.bot,
        session_factory,
        item_id=world.item_id,
        agency_id=world.agency_id,
        contact_id=contact_id,
        chat_id=CONTACT_USER,
    )


@contextlib.asynccontextmanager
async def running_bot(
    settings: Settings, session_factory: sessionmaker[Session], clock: Clock
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The real Application, long polling the fake server, until the block ends."""
    app = build_application(settings, session_factory, clock=clock)
    stop = asyncio.Event()
    started = asyncio.Event()

    async def on_started(_: Application) -> None:  # type: ignore[type-arg]
        started.set()

    task = asyncio.create_task(
        serve(app, settings, stop=stop, poll_timeout=0.2, on_started=on_started)
    )
    waiter = asyncio.create_task(started.wait())
    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        waiter.cancel()
        task.result()  # raises what stopped it
    try:
        yield app
    finally:
        stop.set()
        await task


def card_data(card: FakeMessage, start: str) -> str:
    """The one button of `card` whose data is `start` or `start` and more fields
    (`mi:<item>:<code>` carries the first day of the card's window after it)."""
    (data,) = [d for d in card.callback_data if d == start or d.startswith(f"{start}:")]
    return data
