"""bot.http: PTB's requests over aiohttp, against the fake Bot API server over real HTTP."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from io import BytesIO

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut

from bot.http import AiohttpRequest, _env_proxy
from bot.telegram_sender import build_bot
from tests.support.fakebotapi import FakeBotApi, Fault

CHAT = 700


@pytest.fixture
async def bot(fake_api: FakeBotApi) -> AsyncIterator[Bot]:
    async with build_bot(fake_api.token, fake_api.root, read_timeout=0.25) as bot:
        yield bot


async def test_plain_calls_go_as_json_with_nested_values(fake_api: FakeBotApi, bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Выполнено", callback_data="st:1:dn")]])
    sent = await bot.send_message(CHAT, "<b>Срок</b> «II квартал»", reply_markup=keyboard)
    call = fake_api.calls("sendMessage")[0]
    assert call.params["reply_markup"] == keyboard.to_dict()  # an object, not a JSON string
    assert call.params["text"] == "<b>Срок</b> «II квартал»"
    assert sent.message_id == 1


async def test_uploads_go_as_multipart_with_name_and_type(fake_api: FakeBotApi, bot: Bot) -> None:
    data = "номер;срок\n1;II квартал\n".encode()
    await bot.send_document(CHAT, BytesIO(data), filename="план.csv", caption="выгрузка")
    call = fake_api.calls("sendDocument")[0]
    upload = call.files["document"]
    assert (upload.filename, upload.data) == ("план.csv", data)
    assert call.params["caption"] == "выгрузка"


async def test_a_slow_answer_is_timed_out(fake_api: FakeBotApi, bot: Bot) -> None:
    fake_api.inject(Fault.slow(1.0), method="sendMessage", chat_id=CHAT)
    with pytest.raises(TimedOut, match="Timed out"):
        await bot.send_message(CHAT, "медленно")


async def test_a_dropped_connection_is_a_network_error_without_the_token(
    fake_api: FakeBotApi, bot: Bot
) -> None:
    fake_api.inject(Fault.dropped(), method="sendMessage", chat_id=CHAT)
    with pytest.raises(NetworkError) as raised:
        await bot.send_message(CHAT, "обрыв")
    assert raised.value.message.startswith("aiohttp.")
    assert fake_api.token not in raised.value.message
    assert (await bot.send_message(CHAT, "снова")).message_id == 1  # the pool recovers


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_no_server_is_a_network_error_without_the_token() -> None:
    token = "123456:SECRET-token"
    url = f"http://127.0.0.1:{_closed_port()}/bot"
    bot = Bot(token, base_url=url, request=AiohttpRequest(connect_timeout=0.5))
    with pytest.raises(NetworkError) as raised:
        await bot.initialize()  # getMe
    assert "SECRET" not in raised.value.message
    await bot.shutdown()


async def test_a_request_must_be_initialized() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:9/bot1:a/getMe", "POST")


def test_the_proxy_comes_from_the_environment_unless_exempt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert _env_proxy("https", "api.telegram.org") is None
    monkeypatch.setenv("HTTPS_PROXY", "http://user:pass@proxy.local:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    assert _env_proxy("https", "api.telegram.org") == "http://user:pass@proxy.local:3128"
    assert _env_proxy("http", "api.telegram.org") is None  # no HTTP_PROXY
    assert _env_proxy("https", "127.0.0.1") is None
