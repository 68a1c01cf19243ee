"""bot.chat.edit_text with any Bot: the keyboard arrives as Bot API JSON either way."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.chat import edit_text
from bot.keyboards import reminder_keyboard, reminder_keyboard_json
from bot.telegram_sender import build_bot
from tests.support.fakebotapi import FakeBotApi

CHAT = 700


@pytest.fixture
async def bot(fake_api: FakeBotApi) -> AsyncIterator[Bot]:
    async with build_bot(fake_api.token, fake_api.root) as bot:
        yield bot


async def test_a_plain_bot_edits_with_the_same_keyboard(fake_api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "Напоминание", reply_markup=reminder_keyboard(5))
    await edit_text(sent, "Напоминание\n\n<b>Отмечено</b>", reminder_keyboard_json(5))
    edited = fake_api.messages(CHAT)[0]
    assert edited.text == "Напоминание\n\nОтмечено"  # HTML parsed, as an edit by the bot
    assert edited.reply_markup == reminder_keyboard(5).to_dict()  # type: ignore[union-attr]
    # The same text again: Telegram answers «message is not modified», which is no error.
    await edit_text(sent, "Напоминание\n\n<b>Отмечено</b>", reminder_keyboard_json(5))
    assert len(edited.history) == 1


async def test_without_a_keyboard_the_buttons_go(fake_api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "Вопрос", reply_markup=reminder_keyboard(5))
    await edit_text(sent, "Ответ записан")
    assert fake_api.messages(CHAT)[0].buttons == []
