"""`srok run` with WEBHOOK_URL: the webhook is set with a secret, and only requests that
carry the secret are handled."""

from __future__ import annotations

import socket
import time

import httpx

from tests.support.botkit import Clock, make_settings, running_bot, seed
from tests.support.fakebotapi import FakeBotApi

HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _update(update_id: int, user_id: int) -> dict:  # type: ignore[type-arg]
    user = {"id": user_id, "is_bot": False, "first_name": "Вера"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Вера"},
            "from": user,
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }


async def test_webhook_with_a_secret(fake_api: FakeBotApi, sqlite_url: str, sqlite_factory) -> None:
    seed(sqlite_factory)
    port = _free_port()
    settings = make_settings(
        fake_api,
        sqlite_url,
        webhook_url="https://srok.example.org/tg/hook",
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )
    async with running_bot(settings, sqlite_factory, Clock()):
        hook = fake_api.webhook
        assert hook is not None and hook["url"] == "https://srok.example.org/tg/hook"
        secret = hook["secret_token"]
        assert len(secret) >= 32
        url = f"http://127.0.0.1:{port}/tg/hook"
        async with httpx.AsyncClient() as client:
            forged = await client.post(url, json=_update(900, 7001))
            good = await client.post(url, json=_update(901, 7002), headers={HEADER: secret})
        assert forged.status_code == 403
        assert good.status_code == 200
        await fake_api.until(lambda: bool(fake_api.messages(7002)))
    assert "/my" in fake_api.messages(7002)[0].text
    assert fake_api.messages(7001) == []
