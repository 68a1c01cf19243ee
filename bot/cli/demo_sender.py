"""A `Sender` that prints each message as its recipient would read it (for `srok demo`)."""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from typing import TextIO

from scheduler.runtime.sending import OutgoingMessage, SendOutcome, SendResult


class _PlainText(HTMLParser):
    """Telegram HTML to what the chat shows: tags dropped, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """The plain text of a Telegram HTML message."""
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def buttons_line(message: OutgoingMessage) -> list[str]:
    """The keyboard as «[В работе] [Выполнено]», one line per row."""
    return [" ".join(f"[{b.text}]" for b in row) for row in message.buttons if row]


class ConsoleSender:
    """Prints every message to `out` (standard output by default); every send succeeds.

    `names` maps chat ids to who reads them, so the demo says «Кому: Контакт …».
    """

    def __init__(self, out: TextIO | None = None, *, names: dict[int, str] | None = None) -> None:
        self.out = out or sys.stdout
        self.names = names or {}
        self.sent = 0

    async def send(self, message: OutgoingMessage) -> SendResult:
        self.sent += 1
        who = self.names.get(message.chat_id, f"чат {message.chat_id}")
        lines = [f"── Кому: {who} ──", html_to_text(message.text), *buttons_line(message), ""]
        self.out.write("\n".join(lines) + "\n")
        return SendResult(SendOutcome.SENT, message_id=self.sent)
