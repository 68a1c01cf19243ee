"""The fake Bot API server: Telegram's rules, its wire formats, updates, faults, limits."""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import threading
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter

from tests.support.fakebotapi import FakeBotApi, Fault
from tests.support.fakebotapi.rules import (
    ApiError,
    EntityParseError,
    parse_html,
    parse_text,
    utf16_len,
)

CHAT = 4242


@pytest.fixture
async def bot(fake_api: FakeBotApi) -> AsyncIterator[Bot]:
    async with fake_api.new_bot() as bot:
        yield bot


class ManualClock:
    """Seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in data]])


# ---- the rules, without the wire --------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "text", "entities"),
    [
        pytest.param("просто текст", "просто текст", [], id="plain"),
        pytest.param("<b>1.1</b> срок", "1.1 срок", [("bold", 0, 3)], id="bold"),
        pytest.param("a &lt;b&gt; &amp; &quot;", 'a <b> & "', [], id="named-entities"),
        pytest.param("&#34;x&#39; &#x41;", "\"x' A", [], id="numeric-entities"),
        pytest.param(
            "<i>😀<u>x</u></i>", "😀x", [("italic", 0, 3), ("underline", 2, 1)], id="utf16"
        ),
        pytest.param(
            '<a href="https://t.me/x?start=a&amp;b">ссылка</a>',
            "ссылка",
            [("text_link", 0, 6)],
            id="link",
        ),
        pytest.param('<span class="tg-spoiler">s</span>', "s", [("spoiler", 0, 1)], id="spoiler"),
        pytest.param("<blockquote expandable>q</blockquote>", "q", [], id="expandable"),
        pytest.param("a > b", "a > b", [], id="bare-gt"),
        pytest.param("<b></b>x", "x", [], id="empty-entity-dropped"),
    ],
)
def test_parse_html_accepts_telegram_html(
    source: str, text: str, entities: list[tuple[str, int, int]]
) -> None:
    parsed = parse_html(source)
    assert parsed.text == text
    got = [(e["type"], e["offset"], e["length"]) for e in parsed.entities]
    if source.startswith("<blockquote"):
        assert got == [("expandable_blockquote", 0, 1)]
    else:
        assert got == entities


@pytest.mark.parametrize(
    ("source", "why"),
    [
        pytest.param("<div>x</div>", 'Unsupported start tag "div" at byte offset 0', id="tag"),
        pytest.param("<br/>", 'Unsupported start tag "br"', id="self-closing"),
        pytest.param("<b>x", 'end tag corresponding to start tag "b"', id="unclosed"),
        pytest.param("<b><i>x</b></i>", 'expected "</i>", found "</b>"', id="misnested"),
        pytest.param("x</b>", "Unmatched end tag at byte offset 1", id="stray-end"),
        pytest.param("Т&Д", 'Character "&" must be escaped', id="bare-amp"),
        pytest.param("a &nbsp; b", 'Unsupported HTML entity "&nbsp;"', id="named-entity"),
        pytest.param("<span>x</span>", 'must have class "tg-spoiler"', id="plain-span"),
        pytest.param("ab <b", "Unclosed start tag at byte offset 3", id="open-bracket"),
    ],
)
def test_parse_html_rejects_what_telegram_rejects(source: str, why: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert caught.value.status == 400
    assert caught.value.description.startswith("Bad Request: can't parse entities: ")
    assert why in caught.value.description


def test_length_counts_utf16_units_after_parsing() -> None:
    assert parse_text("<b>" + "я" * 4096 + "</b>", "HTML").text == "я" * 4096
    with pytest.raises(ApiError, match=r"(?i)message is too long"):
        parse_text("😀" * 2049, "HTML")  # 4098 UTF-16 units, 2049 characters
    with pytest.raises(ApiError, match=r"(?i)message text is empty"):
        parse_text("<b> </b>", "HTML")
    assert parse_text("<b>x</b>", None).text == "<b>x</b>"  # no parse mode: tags are text


# ---- over HTTP, through python-telegram-bot ---------------------------------------------


async def test_send_and_edit_keep_what_the_chat_shows(fake_api: FakeBotApi, bot: Bot) -> None:
    first = await bot.send_message(CHAT, "<b>1.1</b> &amp; план", parse_mode="HTML")
    second = await bot.send_message(CHAT, "второе", reply_markup=keyboard("st:1:done"))
    other = await bot.send_message(CHAT + 1, "другой чат")
    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert first.text == "1.1 & план" and first.entities[0].type == "bold"

    await bot.edit_message_text("<i>выполнено</i>", CHAT, 2, parse_mode="HTML")
    shown = fake_api.messages(CHAT)
    assert [m.text for m in shown] == ["1.1 & план", "выполнено"]
    assert shown[1].reply_markup is None  # an edit without markup drops the keyboard
    assert shown[1].history == ["второе"]
    assert shown[1].html == "<i>выполнено</i>"

    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("<i>выполнено</i>", CHAT, 2, parse_mode="HTML")
    await bot.edit_message_reply_markup(CHAT, 2, reply_markup=keyboard("a", "b"))
    assert fake_api.messages(CHAT)[1].buttons == [[("a", "a"), ("b", "b")]]
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_reply_markup(CHAT, 2, reply_markup=keyboard("a", "b"))
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", CHAT, 99)


@pytest.mark.parametrize(
    ("text", "markup", "error"),
    [
        pytest.param("", None, r"(?i)message text is empty", id="empty"),
        pytest.param("x" * 4097, None, r"(?i)message is too long", id="long"),
        pytest.param("a & b", None, r"(?i)can't parse entities", id="amp"),
        pytest.param("ok", keyboard("x" * 65), r"(?i)BUTTON_DATA_INVALID", id="data-65"),
        pytest.param("ok", keyboard("я" * 33), r"(?i)BUTTON_DATA_INVALID", id="data-66-bytes"),
    ],
)
async def test_bad_messages_are_refused(
    fake_api: FakeBotApi, bot: Bot, text: str, markup: InlineKeyboardMarkup | None, error: str
) -> None:
    with pytest.raises(BadRequest, match=error):
        await bot.send_message(CHAT, text, parse_mode="HTML", reply_markup=markup)
    assert fake_api.messages(CHAT) == []
    assert len(fake_api.calls("sendMessage")) == 1


async def test_boundaries_that_telegram_accepts(fake_api: FakeBotApi, bot: Bot) -> None:
    await bot.send_message(CHAT, "x" * 4096, reply_markup=keyboard("я" * 32))
    assert fake_api.messages(CHAT)[0].callback_data == ["я" * 32]


async def test_wrong_token_is_unauthorized(fake_api: FakeBotApi, bot: Bot) -> None:
    fake_api.tokens = ("777:OTHER",)  # the bot's token is no longer valid
    with pytest.raises(InvalidToken, match=r"(?i)Unauthorized"):
        await bot.get_me()
    assert [c.method for c in fake_api.calls()] == ["getMe"]  # only the one at start-up


async def test_unknown_method_is_recorded_and_fails_the_check(fake_api: FakeBotApi) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{fake_api.base_url}{fake_api.token}/sendDice", data={})
    assert answer.status_code == 404
    assert answer.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    with pytest.raises(AssertionError, match=r"(?i)sendDice"):
        fake_api.assert_no_unexpected()
    fake_api.world.unexpected.clear()  # this test wanted it; let the fixture pass


@pytest.mark.parametrize("encoding", ["json", "form", "query"])
def test_every_body_encoding_decodes_the_same(encoding: str) -> None:
    params = {"chat_id": CHAT, "text": "123", "reply_markup": {"inline_keyboard": []}}
    with FakeBotApi() as api:
        url = f"{api.base_url}{api.token}/sendMessage"
        flat = {**params, "reply_markup": json.dumps(params["reply_markup"])}
        if encoding == "json":
            answer = httpx.post(url, json=params)
        elif encoding == "form":
            answer = httpx.post(url, data=flat)
        else:
            answer = httpx.get(url, params=flat)
        assert answer.json()["ok"], answer.text
        assert api.calls("sendMessage")[0].params == params  # "123" stays text, chat_id an int


async def test_documents_and_photos_are_uploaded(fake_api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_document(
        CHAT, b"PK\x03\x04xlsx", filename="svod.xlsx", caption="<b>Свод</b>", parse_mode="HTML"
    )
    await bot.send_photo(CHAT, b"\x89PNG....", filename="chart.png")
    assert sent.document.file_name == "svod.xlsx" and sent.caption == "Свод"
    document, photo = fake_api.messages(CHAT)
    assert document.document is not None and document.document.data == b"PK\x03\x04xlsx"
    assert photo.photo is not None and photo.photo.filename == "chart.png"
    assert fake_api.calls("sendDocument")[0].files["document"].filename == "svod.xlsx"
    again = await bot.send_document(CHAT, sent.document.file_id)  # resend by file_id
    assert again.document.file_id == sent.document.file_id


async def test_user_document_can_be_downloaded(fake_api: FakeBotApi, bot: Bot) -> None:
    fake_api.send_document(7, "plan.docx", b"docx-bytes", caption="новый план")
    (update,) = await bot.get_updates()
    file = await update.message.document.get_file()
    assert bytes(await file.download_as_bytearray()) == b"docx-bytes"
    assert update.message.caption == "новый план"


async def test_commands_and_webhook_are_kept(fake_api: FakeBotApi, bot: Bot) -> None:
    await bot.set_my_commands([("my", "Мои пункты"), ("help", "Справка")])
    assert [c["command"] for c in fake_api.commands()] == ["my", "help"]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("My-Items", "нельзя")])
    await bot.delete_my_commands()
    assert fake_api.commands() is None
    await bot.set_webhook("https://srok.example/hook", secret_token="s3")
    assert (await bot.get_webhook_info()).url == "https://srok.example/hook"
    with pytest.raises(Conflict, match=r"(?i)webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()
    assert fake_api.webhook is None
    assert (await bot.get_chat(CHAT)).type == "private"


# ---- simulated users and getUpdates -----------------------------------------------------


async def test_updates_follow_offset_semantics(fake_api: FakeBotApi, bot: Bot) -> None:
    first = fake_api.send_command(7, "start", "tok123")
    second = fake_api.send_text(7, "выполнено", reply_to_message_id=1)
    assert second == first + 1
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [first, second]
    assert updates[0].message.text == "/start tok123"
    assert updates[0].message.entities[0].type == "bot_command"
    assert updates[1].message.reply_to_message.message_id == 1
    assert [u.update_id for u in await bot.get_updates()] == [first, second]  # unconfirmed
    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second]
    assert await bot.get_updates(offset=second + 1) == ()
    assert fake_api.pending_updates() == []


async def test_long_poll_answers_when_a_user_writes(fake_api: FakeBotApi, bot: Bot) -> None:
    started = time.monotonic()
    timer = threading.Timer(0.15, fake_api.send_text, args=(7, "привет"))
    timer.start()
    updates = await bot.get_updates(timeout=5)
    assert [u.message.text for u in updates] == ["привет"]
    assert 0.1 < time.monotonic() - started < 2
    started = time.monotonic()
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0.2) == ()
    assert time.monotonic() - started >= 0.2


async def test_a_second_poller_terminates_the_first(fake_api: FakeBotApi, bot: Bot) -> None:
    async with fake_api.new_bot() as other_instance:
        older = asyncio.create_task(other_instance.get_updates(timeout=3))
        await fake_api.until(lambda: len(fake_api.calls("getUpdates")) == 1)
        started = time.monotonic()
        newer = asyncio.create_task(bot.get_updates(timeout=0.2))
        with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates request"):
            await older
        assert time.monotonic() - started < 1
        assert await newer == ()
    fake_api.inject(Fault.conflict(), method="getUpdates")
    with pytest.raises(Conflict):
        await bot.get_updates()


async def test_button_press_and_its_answer(fake_api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "пункт 1.1", reply_markup=keyboard("st:1:done"))
    with pytest.raises(LookupError):
        fake_api.press_button(CHAT, sent.message_id, "st:1:other")
    fake_api.press_button(CHAT, sent.message_id, "st:1:done")
    fake_api.press_button(CHAT, sent.message_id, "st:999:done", forge=True)
    pressed, forged = await bot.get_updates()
    query = pressed.callback_query
    assert query.data == "st:1:done" and query.from_user.id == CHAT
    assert query.message.message_id == sent.message_id and query.message.text == "пункт 1.1"
    assert forged.callback_query.data == "st:999:done"
    await bot.answer_callback_query(query.id, text="Записано")
    assert fake_api.callback_query(query.id).text == "Записано"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)


async def test_redelivered_update_comes_back_once(fake_api: FakeBotApi, bot: Bot) -> None:
    update_id = fake_api.send_text(7, "перенос на 15 мая")
    (_update,) = await bot.get_updates()
    assert await bot.get_updates(offset=update_id + 1) == ()
    fake_api.redeliver(update_id)
    (again,) = await bot.get_updates(offset=update_id + 1)
    assert again.update_id == update_id and again.message.text == "перенос на 15 мая"
    assert await bot.get_updates(offset=update_id + 1) == ()


def test_sync_tests_can_wait_for_the_bot() -> None:
    with FakeBotApi() as api:

        def later() -> None:
            time.sleep(0.05)
            httpx.post(f"{api.base_url}{api.token}/sendMessage", json={"chat_id": 1, "text": "hi"})

        threading.Thread(target=later).start()
        api.wait_for(lambda: bool(api.messages(1)), within=5)
        assert api.messages(1)[0].text == "hi"
        with pytest.raises(AssertionError, match=r"(?i)not met"):
            api.wait_for(lambda: False, within=0.05)


# ---- faults and flood limits ------------------------------------------------------------


async def test_faults_hit_the_chosen_calls(fake_api: FakeBotApi, bot: Bot) -> None:
    fake_api.inject(Fault.flood(7), method="sendMessage", chat_id=CHAT, times=2)
    fake_api.inject(Fault.blocked(), chat_id=CHAT + 1, times=None)
    await bot.send_message(CHAT + 2, "мимо")  # another chat: untouched
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(CHAT, "x")
        assert caught.value.retry_after == timedelta(seconds=7)
    await bot.send_message(CHAT, "x")  # the two uses are spent
    for _ in range(3):
        with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
            await bot.send_message(CHAT + 1, "x")
    fake_api.inject(Fault.bad_request("chat not found"), method="sendMessage")
    with pytest.raises(BadRequest, match=r"(?i)Chat not found"):
        await bot.send_message(CHAT, "x")
    fake_api.inject(Fault.server_error())
    with pytest.raises(NetworkError, match=r"(?i)Internal Server Error"):
        await bot.send_message(CHAT, "x")
    assert [m.text for m in fake_api.messages(CHAT)] == ["x"]


async def test_dropped_connection_and_slow_answer(fake_api: FakeBotApi) -> None:
    fake_api.inject(Fault.dropped(), method="sendMessage")
    fake_api.inject(Fault.slow(0.3), method="getMe")
    async with fake_api.new_bot() as bot:  # getMe: slow, fine
        with pytest.raises(NetworkError, match=r"(?i)disconnected"):
            await bot.send_message(CHAT, "x")
        await bot.send_message(CHAT, "x")
    assert len(fake_api.messages(CHAT)) == 1


async def test_flood_limits_when_enabled(fake_api: FakeBotApi, bot: Bot) -> None:
    clock = ManualClock()
    limiter = fake_api.enable_rate_limit(per_second=5, per_chat_interval=1.0, clock=clock)
    await bot.send_message(CHAT, "1")
    clock.now += 0.5
    with pytest.raises(RetryAfter):
        await bot.send_message(CHAT, "2")  # same chat within a second
    for chat in range(1, 10):
        with contextlib.suppress(RetryAfter):
            await bot.send_message(chat, "x")
    assert (limiter.accepted, limiter.limited) == (5, 6)
    clock.now += 1.0  # a second later both limits have room again
    await bot.send_message(CHAT, "3")
    assert limiter.accepted == 6


@given(st.text())
def test_escaped_text_always_parses_back(text: str) -> None:
    for escaped in (html.escape(text), str(markupsafe.escape(text))):
        parsed = parse_html(f"<b>{escaped}</b>")
        assert parsed.text == text
        assert all(e["offset"] + e["length"] <= utf16_len(text) for e in parsed.entities)


async def test_a_document_has_no_text_to_edit(fake_api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_document(CHAT, b"x", filename="a.ics")
    with pytest.raises(BadRequest, match=r"(?i)no text in the message"):
        await bot.edit_message_text("x", CHAT, sent.message_id)


async def test_updates_of_unwanted_types_are_dropped(fake_api: FakeBotApi, bot: Bot) -> None:
    await bot.send_message(7, "вопрос", reply_markup=keyboard("q:1"))
    fake_api.press_button(7, 1, "q:1")
    text_id = fake_api.send_text(7, "ответ")
    (update,) = await bot.get_updates(allowed_updates=["message"])
    assert update.update_id == text_id
    assert fake_api.pending_updates() == [text_id]
