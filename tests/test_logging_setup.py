"""Structured logs: JSON lines carry the ids of what they are about, never the token."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest
from telegram import Update

from bot.cli.demo_sender import ConsoleSender
from bot.logging_setup import JsonFormatter, TextFormatter, TokenFilter, configure_logging
from bot.updates import log_ids
from models.db import make_engine, make_session_factory, upgrade
from models.schema.reminders import Reminder
from scheduler.rules.domain import ReminderKind, ReminderState
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher
from tests.support.builders import add_reminder
from tests.support.dispatch_seed import WORKING_NOW, seed_plan
from tests.support.fakebotapi import DEFAULT_TOKEN

Lines = Callable[[], list[dict[str, object]]]


@pytest.fixture
def json_lines() -> Iterator[Lines]:
    """Records of every logger at INFO and up, as the JSON objects `srok run` would print."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(TokenFilter(DEFAULT_TOKEN))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


async def test_a_dispatch_line_in_json_carries_the_reminder_item_plan_agency_and_chat(
    sqlite_url: str, json_lines: Lines
) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        seeded = seed_plan(session, now=WORKING_NOW, items=1, agencies=1)
        reminder_id = add_reminder(
            session,
            kind=ReminderKind.STATUS_REQUEST,
            due_at=WORKING_NOW,
            now=WORKING_NOW,
            item_id=seeded.item_ids[0],
            agency_id=seeded.agency_ids[0],
        )
    dispatcher = Dispatcher(
        factory, ConsoleSender(io.StringIO()), config=DispatchConfig(owner="t", work_hours=None)
    )
    report = await dispatcher.run_pass(now=WORKING_NOW)
    with factory.begin() as session:
        assert session.get(Reminder, reminder_id).state == ReminderState.SENT  # type: ignore[union-attr]
    engine.dispose()
    assert report.delivered == 1
    chat = seeded.contact_chats[seeded.agency_ids[0]][0]
    sent = [line for line in json_lines() if line["logger"] == "scheduler.runtime.dispatch"]
    assert len(sent) == 1
    line = sent[0]
    assert (line["reminder_id"], line["chat_id"], line["level"]) == (reminder_id, chat, "INFO")
    assert (line["item_id"], line["plan_id"], line["agency_id"]) == (
        seeded.item_ids[0],
        seeded.plan_id,
        seeded.agency_ids[0],
    )
    assert line["message"] == f"reminder {reminder_id} to chat {chat}: sent"
    assert line["time"].endswith("+00:00")  # type: ignore[union-attr]


def test_json_lines_hide_the_token_keep_the_exception_and_skip_absent_ids(
    json_lines: Lines,
) -> None:
    log = logging.getLogger("srok.test")
    try:
        raise RuntimeError(f"POST http://x/bot{DEFAULT_TOKEN}/getMe failed")
    except RuntimeError:
        log.exception("call %s", f"/bot{DEFAULT_TOKEN}/getMe", extra={"update_id": 17})
    log.warning("plain")
    failed, plain = json_lines()
    assert DEFAULT_TOKEN not in json.dumps([failed, plain])
    assert failed["message"] == "call /bot<token>/getMe" and failed["update_id"] == 17
    assert "RuntimeError" in failed["exception"]  # type: ignore[operator]
    assert set(plain) == {"time", "level", "logger", "message"}


def test_text_lines_end_with_the_ids_they_carry() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sent %s", (5,), None)
    record.reminder_id, record.chat_id = 5, 1001
    assert TextFormatter().format(record).endswith("x: sent 5 [reminder_id=5 chat_id=1001]")


def test_an_update_is_logged_with_its_chat() -> None:
    update = Update.de_json(
        {
            "update_id": 41,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 7001, "type": "private"},
                "text": "/start",
            },
        },
        None,
    )
    assert log_ids(update) == {"update_id": 41, "chat_id": 7001}  # type: ignore[arg-type]


def test_configure_logging_formats_every_root_handler_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [handler])
    configure_logging("json", token=DEFAULT_TOKEN)
    configure_logging("json", token=DEFAULT_TOKEN)
    logging.getLogger("srok.test").warning("token %s", DEFAULT_TOKEN, extra={"item_id": 3})
    monkeypatch.undo()
    assert [type(f) for f in handler.filters] == [TokenFilter]
    assert json.loads(stream.getvalue()) | {"time": ""} == {
        "time": "",
        "level": "WARNING",
        "logger": "srok.test",
        "message": "token <token>",
        "item_id": 3,
    }
