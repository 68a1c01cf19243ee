"""TelegramSender against the fake Bot API server over real HTTP: outcomes for each answer."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import InvalidToken

from bot.telegram_sender import TelegramSender, bot_api_urls, build_bot
from scheduler.runtime.sending import Button, OutgoingMessage, SendOutcome
from tests.support.fakebotapi import FakeBotApi, Fault

CHAT = 500
STATUS = ((Button("Выполнено", "st:7:done"), Button("Перенос", "st:7:moved")),)


@pytest.fixture
async def bot(fake_api: FakeBotApi) -> AsyncIterator[Bot]:
    async with build_bot(fake_api.token, fake_api.root, read_timeout=0.25) as bot:
        yield bot


@pytest.fixture
def sender(bot: Bot) -> TelegramSender:
    return TelegramSender(bot)


def test_urls_follow_the_design_rule() -> None:
    assert bot_api_urls("http://127.0.0.1:8081/") == (
        "http://127.0.0.1:8081/bot",
        "http://127.0.0.1:8081/file/bot",
    )
    bot = build_bot("42:abc", "https://api.telegram.org")
    assert bot.base_url == "https://api.telegram.org/bot42:abc"
    assert bot.base_file_url == "https://api.telegram.org/file/bot42:abc"


async def test_sent_message_has_its_id_html_and_buttons(
    fake_api: FakeBotApi, sender: TelegramSender
) -> None:
    first = await sender.send(OutgoingMessage(CHAT, "<b>1.1</b> Обмен &amp; визиты", STATUS))
    second = await sender.send(OutgoingMessage(CHAT, "второе"))
    assert first.outcome is SendOutcome.SENT and first.ok
    assert (first.message_id, second.message_id) == (1, 2)
    shown = fake_api.messages(CHAT)
    assert shown[0].text == "1.1 Обмен & визиты"
    assert shown[0].entities[0]["type"] == "bold"
    assert shown[0].callback_data == ["st:7:done", "st:7:moved"]
    assert shown[1].reply_markup is None
    assert fake_api.calls("sendMessage")[0].params["parse_mode"] == "HTML"


@pytest.mark.parametrize(
    ("fault", "outcome", "error_part"),
    [
        pytest.param(Fault.flood(7), SendOutcome.RETRY_AFTER, "retry in 7", id="429"),
        pytest.param(Fault.blocked(), SendOutcome.FORBIDDEN, "blocked by the user", id="403"),
        pytest.param(Fault.bad_request("chat not found"), SendOutcome.BAD_REQUEST, "chat not found",
                     id="400"),
        pytest.param(Fault.server_error(), SendOutcome.TEMPORARY, "internal server error",
                     id="500"),
        pytest.param(Fault(502, "Bad Gateway"), SendOutcome.TEMPORARY, "bad gateway", id="502"),
        pytest.param(Fault.dropped(), SendOutcome.TEMPORARY, "disconnected", id="dropped"),
        pytest.param(Fault.slow(1.5), SendOutcome.TEMPORARY, "timed out", id="slow"),
    ],
)  # fmt: skip
async def test_each_answer_maps_to_one_outcome(
    fake_api: FakeBotApi,
    sender: TelegramSender,
    fault: Fault,
    outcome: SendOutcome,
    error_part: str,
) -> None:
    fake_api.inject(fault, method="sendMessage", chat_id=CHAT)
    started = time.monotonic()
    result = await sender.send(OutgoingMessage(CHAT, "напоминание", STATUS))
    assert result.outcome is outcome
    assert result.message_id is None
    assert error_part in (result.error or "").lower()
    assert len(fake_api.calls("sendMessage")) == 1  # one attempt: no retries inside
    assert time.monotonic() - started < 1.2  # and no sleeping (the slow one is cut at 0.25 s)
    if outcome is SendOutcome.RETRY_AFTER:
        assert result.retry_after == 7.0
    assert (await sender.send(OutgoingMessage(CHAT, "снова"))).outcome is SendOutcome.SENT


async def test_refused_html_is_a_bad_request(fake_api: FakeBotApi, sender: TelegramSender) -> None:
    result = await sender.send(OutgoingMessage(CHAT, "ООО «Рога & копыта»"))
    assert result.outcome is SendOutcome.BAD_REQUEST
    assert "can't parse entities" in (result.error or "").lower()
    too_long = await sender.send(OutgoingMessage(CHAT, "ы" * 4097))
    assert too_long.outcome is SendOutcome.BAD_REQUEST
    bad_button = await sender.send(OutgoingMessage(CHAT, "x", ((Button("x", "я" * 40),),)))
    assert bad_button.outcome is SendOutcome.BAD_REQUEST
    assert fake_api.messages(CHAT) == []


async def test_edit_replaces_and_an_identical_edit_is_not_an_error(
    fake_api: FakeBotApi, sender: TelegramSender
) -> None:
    sent = await sender.send(OutgoingMessage(CHAT, "1.1 — ждём ответа", STATUS))
    assert sent.message_id is not None
    done = await sender.edit(CHAT, sent.message_id, "1.1 — <i>выполнено</i>")
    assert (done.outcome, done.message_id) == (SendOutcome.SENT, sent.message_id)
    again = await sender.edit(CHAT, sent.message_id, "1.1 — <i>выполнено</i>")
    assert again.outcome is SendOutcome.SENT
    (shown,) = fake_api.messages(CHAT)
    assert (shown.text, shown.reply_markup) == ("1.1 — выполнено", None)
    assert shown.history == ["1.1 — ждём ответа"]
    missing = await sender.edit(CHAT, 99, "x")
    assert missing.outcome is SendOutcome.BAD_REQUEST
    fake_api.inject(Fault.blocked(), method="editMessageText")
    blocked = await sender.edit(CHAT, sent.message_id, "другое")
    assert blocked.outcome is SendOutcome.FORBIDDEN


async def test_flood_limit_of_one_chat_reaches_the_dispatcher_as_retry_after(
    fake_api: FakeBotApi, sender: TelegramSender
) -> None:
    limiter = fake_api.enable_rate_limit(per_chat_interval=1.0, clock=lambda: 1000.0)
    results = [await sender.send(OutgoingMessage(CHAT, f"№{n}")) for n in range(3)]
    assert [r.outcome for r in results] == [
        SendOutcome.SENT,
        SendOutcome.RETRY_AFTER,
        SendOutcome.RETRY_AFTER,
    ]
    assert results[1].retry_after == 1.0
    assert (limiter.accepted, limiter.limited) == (1, 2)


async def test_migrated_group_is_a_bad_request_naming_the_new_chat(
    fake_api: FakeBotApi, sender: TelegramSender
) -> None:
    fake_api.inject(Fault.migrated(-1001234), method="sendMessage")
    result = await sender.send(OutgoingMessage(-42, "в группу"))
    assert result.outcome is SendOutcome.BAD_REQUEST
    assert result.error == "chat migrated to -1001234"


async def test_a_revoked_token_is_not_blamed_on_the_message(
    fake_api: FakeBotApi, sender: TelegramSender
) -> None:
    fake_api.tokens = ()  # revoked in @BotFather after the bot started
    with pytest.raises(InvalidToken):
        await sender.send(OutgoingMessage(CHAT, "x"))
    assert [c.method for c in fake_api.calls()] == ["getMe"]  # the 401 is not recorded
