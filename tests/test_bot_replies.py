"""End to end: answers in words, «Перенос» with a new date, a question across a restart."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import ItemChange, Reminder, ReminderState, Role, Status, StatusReport, Window
from models.chats.contacts import bind_contact
from models.statuses.reports import current_statuses
from tests.support.botkit import (
    CONTACT_USER,
    COORDINATOR_USER,
    NOW,
    Clock,
    bind,
    make_settings,
    remind,
    running_bot,
    seed,
    send_reminder,
)
from tests.support.fakebotapi import FakeBotApi


def _reports(session_factory) -> list[StatusReport]:  # type: ignore[no-untyped-def]
    with session_factory.begin() as session:
        return list(session.scalars(select(StatusReport).order_by(StatusReport.id)))


async def test_a_reply_in_words_is_a_comment_and_sets_the_status_after_confirmation(
    fake_api: FakeBotApi, session_factory, db_url
) -> None:
    world = seed(session_factory)
    contact_id = bind(session_factory, CONTACT_USER, world.agency_id)
    async with running_bot(make_settings(fake_api, db_url), session_factory, Clock()) as app:
        reminder_id, message_id = await remind(app, session_factory, world, contact_id)
        fake_api.send_text(CONTACT_USER, "Сделали, акт <подписан>", reply_to_message_id=message_id)
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        question = fake_api.messages(CONTACT_USER)[1]
        assert "статус: Выполнено" in question.text
        ok = next(d for d in question.callback_data if d.startswith("ok:"))
        fake_api.press_button(CONTACT_USER, question.message_id, ok)
        await fake_api.until(lambda: fake_api.messages(CONTACT_USER)[1].history)
    assert "Записано по пункту 1.1" in fake_api.messages(CONTACT_USER)[1].text
    comment, status = _reports(session_factory)
    assert (comment.status, comment.comment, comment.reminder_id) == (
        None,
        "Сделали, акт <подписан>",
        reminder_id,
    )
    assert (status.status, status.source) == (Status.DONE, "text")


async def test_postponing_asks_a_date_confirms_it_and_replans(
    fake_api: FakeBotApi, session_factory, db_url
) -> None:
    world = seed(session_factory)
    contact_id = bind(session_factory, CONTACT_USER, world.agency_id)
    with session_factory.begin() as session:
        bind_contact(
            session,
            user_id=COORDINATOR_USER,
            chat_id=COORDINATOR_USER,
            agency_id=None,
            role=Role.COORDINATOR,
            now=NOW,
        )
    # Without approval (SROK_POSTPONE_APPROVAL off) the new date applies at once.
    settings = make_settings(fake_api, db_url, srok_postpone_approval=False)
    async with running_bot(settings, session_factory, Clock()) as app:
        reminder_id, message_id = await remind(app, session_factory, world, contact_id)
        fake_api.press_button(CONTACT_USER, message_id, f"st:{reminder_id}:pp")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        asked = fake_api.messages(CONTACT_USER)[1]
        assert "На какую дату переносится пункт 1.1" in asked.text
        fake_api.send_text(CONTACT_USER, "на 15 мая", reply_to_message_id=asked.message_id)
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 3)
        confirm = fake_api.messages(CONTACT_USER)[2]
        assert "новый срок: 15 мая 2026 г." in confirm.text
        fake_api.press_button(CONTACT_USER, confirm.message_id, confirm.callback_data[0])
        await fake_api.until(lambda: bool(fake_api.messages(COORDINATOR_USER)))
    told = fake_api.messages(COORDINATOR_USER)[-1].text
    assert "Перенос срока" in told and "15 мая 2026 г." in told
    assert "в плане: 1 апреля – 30 июня 2026 г." in told
    assert "Отмечено: Перенос" in fake_api.messages(CONTACT_USER)[0].text
    with session_factory.begin() as session:
        assert current_statuses(session)[(world.item_id, world.agency_id)] == Status.POSTPONED
        windows = session.scalars(select(Window).where(Window.item_id == world.item_id)).all()
        assert {(w.agency_id, w.start, w.end) for w in windows} == {
            (None, date(2026, 4, 1), date(2026, 6, 30)),  # the printed deadline stays
            (world.agency_id, date(2026, 5, 15), date(2026, 5, 15)),
        }
        change = session.scalars(select(ItemChange)).one()
        assert (change.kind, change.detail["text"]) == ("window_changed", "на 15 мая")
        planned = session.scalars(
            select(Reminder).where(
                Reminder.item_id == world.item_id,
                Reminder.agency_id == world.agency_id,
                Reminder.state == ReminderState.PENDING,
            )
        ).all()
        assert planned and {r.window_end for r in planned} == {date(2026, 5, 15)}


async def test_a_wrong_date_is_asked_again(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    world = seed(sqlite_factory)
    contact_id = bind(sqlite_factory, CONTACT_USER, world.agency_id)
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, Clock()) as app:
        reminder_id, message_id = await send_reminder(
            app.bot,
            sqlite_factory,
            item_id=world.item_id,
            agency_id=world.agency_id,
            contact_id=contact_id,
            chat_id=CONTACT_USER,
        )
        fake_api.press_button(CONTACT_USER, message_id, f"st:{reminder_id}:pp")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        fake_api.send_text(CONTACT_USER, "как получится")  # not a reply: the open question
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 3)
        assert "Не удалось понять дату" in fake_api.messages(CONTACT_USER)[2].text
        fake_api.send_text(CONTACT_USER, "II квартал 2027 года")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 4)
        confirm = fake_api.messages(CONTACT_USER)[3]
        no = next(d for d in confirm.callback_data if d.startswith("no:"))
        fake_api.press_button(CONTACT_USER, confirm.message_id, no)
        await fake_api.until(lambda: fake_api.messages(CONTACT_USER)[3].history)
    assert "ничего не записано" in fake_api.messages(CONTACT_USER)[3].text
    with sqlite_factory.begin() as session:
        assert session.scalars(select(ItemChange)).all() == []


async def test_a_pending_comment_question_survives_a_restart(
    fake_api: FakeBotApi, session_factory, db_url
) -> None:
    world = seed(session_factory)
    contact_id = bind(session_factory, CONTACT_USER, world.agency_id)
    settings = make_settings(fake_api, db_url)
    async with running_bot(settings, session_factory, Clock()) as app:
        reminder_id, message_id = await remind(app, session_factory, world, contact_id)
        fake_api.press_button(CONTACT_USER, message_id, f"st:{reminder_id}:cm")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
    asked = fake_api.messages(CONTACT_USER)[1]
    assert "Напишите комментарий к пункту 1.1" in asked.text
    # A new process: nothing is carried over but the database.
    async with running_bot(settings, session_factory, Clock()):
        fake_api.send_text(CONTACT_USER, "Ждём смету", reply_to_message_id=asked.message_id)
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 3)
    assert "Комментарий к пункту 1.1 сохранён" in fake_api.messages(CONTACT_USER)[2].text
    (report,) = _reports(session_factory)
    assert (report.comment, report.status, report.reminder_id) == ("Ждём смету", None, reminder_id)
