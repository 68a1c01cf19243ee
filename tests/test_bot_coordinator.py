"""Coordinator commands end to end: the real Application against the fake Bot API server."""

from __future__ import annotations

import io
from datetime import date

from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from models import Invite, Reminder, ReminderKind
from tests.support.botkit import Clock, running_bot
from tests.support.fakebotapi import DEFAULT_TOKEN, FakeBotApi
from tests.support.fakebotapi.rules import MAX_TEXT
from tests.support.reports_seed import (
    BY1,
    CONTACT_USER,
    COORDINATOR_USER,
    NOW,
    RU1,
    RU2,
    bulk_plan,
    seed,
)

#: A coordinator by configuration only (SROK_COORDINATOR_IDS), not bound in the database.
CONFIGURED = 5002


def _settings(api: FakeBotApi, db_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=DEFAULT_TOKEN,  # type: ignore[arg-type]
        telegram_api_base_url=api.root,
        database_url=db_url,
        srok_coordinator_ids=[CONFIGURED],
    )


def _url(factory: sessionmaker[Session]) -> str:
    return factory.kw["bind"].url.render_as_string(hide_password=False)


async def _ask(api: FakeBotApi, user: int, command: str, args: str = "", count: int = 1) -> list:  # type: ignore[type-arg]
    """Send `/command args` and wait for `count` more bot messages in the user's chat."""
    before = len(api.messages(user))
    api.send_command(user, command, args)
    await api.until(lambda: len(api.messages(user)) >= before + count)
    return api.messages(user)[before:]


async def test_summary_and_overdue_for_a_bound_coordinator(
    fake_api: FakeBotApi, session_factory, db_url
) -> None:
    seed(session_factory)
    async with running_bot(_settings(fake_api, db_url), session_factory, Clock(NOW)):
        (summary,) = await _ask(fake_api, COORDINATOR_USER, "summary")
        (no_plan,) = await _ask(fake_api, COORDINATOR_USER, "summary", "77")
        (overdue,) = await _ask(fake_api, COORDINATOR_USER, "overdue")
    assert "Сводка на 10 мая 2026 г., 12:00" in summary.text
    assert "Итого: 6 пунктов" in summary.text
    assert "Контракты <поставок>" in summary.text  # escaped on the wire, shown as written
    assert f"{RU2} (RU): 2 запроса, пункты 2.3" in summary.text
    assert "Плана 77 нет. Планы в базе:" in no_plan.text and "/summary 1 — Дорожная" in no_plan.text
    assert "Просрочено: 2 пункта у 2 органов" in overdue.text
    assert f"{BY1} (BY) — 1 пункт\n• 1.1 Контракты <поставок> — срок истёк" in overdue.text


async def test_a_contact_is_refused_politely(
    fake_api: FakeBotApi, sqlite_factory, reports_seeded
) -> None:
    async with running_bot(_settings(fake_api, _url(sqlite_factory)), sqlite_factory, Clock(NOW)):
        replies = [await _ask(fake_api, CONTACT_USER, c) for c in ("summary", "export", "chart")]
    assert all("только координаторам" in r[0].text for r in replies)
    assert not fake_api.calls("sendDocument") and not fake_api.calls("sendPhoto")


async def test_item_agency_and_lookups(
    fake_api: FakeBotApi, sqlite_factory, reports_seeded
) -> None:
    async with running_bot(_settings(fake_api, _url(sqlite_factory)), sqlite_factory, Clock(NOW)):
        (item,) = await _ask(fake_api, CONFIGURED, "item", "2.2")
        (missing,) = await _ask(fake_api, CONFIGURED, "item", "9.9")
        (agency,) = await _ask(fake_api, CONFIGURED, "agency", "минпромторг")
        (unknown,) = await _ask(fake_api, CONFIGURED, "agency", "министерство обороны")
    assert "Пункт 2.2" in item.text and "перенос — «перенос на июнь»" in item.text
    assert "свой срок: 1–30 июня 2026 г." in item.text
    assert "Пункт «9.9» не найден" in missing.text
    assert agency.text.startswith(RU1)
    assert "1.1 Контракты <поставок> — выполнено" in agency.text
    assert "не найден" in unknown.text


async def test_files_xlsx_ics_and_chart(
    fake_api: FakeBotApi, sqlite_factory, reports_seeded
) -> None:
    async with running_bot(_settings(fake_api, _url(sqlite_factory)), sqlite_factory, Clock(NOW)):
        (xlsx,) = await _ask(fake_api, CONFIGURED, "export")
        (ics,) = await _ask(fake_api, CONFIGURED, "calendar")
        (chart,) = await _ask(fake_api, CONFIGURED, "chart")
    assert xlsx.document is not None and xlsx.document.filename == "srok-2026-05-10.xlsx"
    book = load_workbook(io.BytesIO(xlsx.document.data))
    numbers = [row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert numbers == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    assert "6 пунктов" in (xlsx.caption or "")
    assert ics.document is not None
    events = Calendar.from_ical(ics.document.data).walk("VEVENT")
    assert len(events) == 8  # the two quarters as their start and their end
    # The chart is a document (full resolution), never a photo Telegram would shrink.
    assert chart.photo is None and chart.document is not None
    assert chart.document.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert chart.document.filename == "srok-1-2026-05-10.png"
    assert fake_api.calls("sendDocument") and not fake_api.calls("sendPhoto")


async def test_remind_queues_manual_reminders(
    fake_api: FakeBotApi, sqlite_factory, reports_seeded
) -> None:
    async with running_bot(_settings(fake_api, _url(sqlite_factory)), sqlite_factory, Clock(NOW)):
        (reply,) = await _ask(fake_api, CONFIGURED, "remind", "1.2")
        (nobody,) = await _ask(fake_api, CONFIGURED, "remind", "2.3")
    assert "Напоминание уйдёт сейчас 1 органу" in reply.text and RU1 in reply.text
    assert "нет контактов в боте" in nobody.text
    with sqlite_factory.begin() as session:
        (reminder,) = session.scalars(select(Reminder).where(Reminder.kind == ReminderKind.MANUAL))
        assert reminder.item_id == reports_seeded.items["1.2"]
        assert reminder.due_at == NOW
        assert reminder.window_end == date(2026, 6, 30)


async def test_invite_gives_a_deep_link(
    fake_api: FakeBotApi, sqlite_factory, reports_seeded
) -> None:
    async with running_bot(_settings(fake_api, _url(sqlite_factory)), sqlite_factory, Clock(NOW)):
        (reply,) = await _ask(fake_api, CONFIGURED, "invite", "по культуре")
        (vague,) = await _ask(fake_api, CONFIGURED, "invite", "смоленской")
    assert "https://t.me/srok_test_bot?start=" in reply.text
    assert RU2 in reply.text
    assert "нескольким органам" in vague.text
    with sqlite_factory.begin() as session:
        (invite,) = session.scalars(select(Invite))
        assert invite.agency_id == reports_seeded.agencies["RU2"]


async def test_a_500_item_summary_is_one_message(fake_api: FakeBotApi, sqlite_factory) -> None:
    with sqlite_factory.begin() as session:
        bulk_plan(
            session, items=500, agencies=1, reports=0,
            agency_name="Управление по делам <очень> длинного названия",
        )  # fmt: skip
    async with running_bot(_settings(fake_api, _url(sqlite_factory)), sqlite_factory, Clock(NOW)):
        (summary,) = await _ask(fake_api, CONFIGURED, "summary")
    assert len(summary.text.encode("utf-16-le")) // 2 <= MAX_TEXT
    assert "Просрочено: 500 пунктов" in summary.text and "Итого: 500 пунктов" in summary.text
    assert "& Ко — " in summary.text and "Управление по делам <очень>" in summary.text
    assert summary.callback_data == ["rp:ov:0", "rp:ag:0", "rp:sc:0"]
