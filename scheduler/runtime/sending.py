"""What the dispatcher hands to a messenger, and what it gets back.

Neutral types: no Telegram here. `bot/telegram_sender.py` implements `Sender`
over python-telegram-bot; tests may implement it over anything.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Button:
    """An inline button; `callback_data` must fit Telegram's 1–64 bytes."""

    text: str
    callback_data: str


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to one chat; `text` is Telegram HTML, already escaped."""

    chat_id: int
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


class SendOutcome(enum.Enum):
    """How a send ended, as far as the dispatcher must act on it."""

    SENT = "sent"
    RETRY_AFTER = "retry_after"  # flood control: try again after `retry_after` seconds
    TEMPORARY = "temporary"  # network trouble or a server error: retry with backoff
    FORBIDDEN = "forbidden"  # the user blocked the bot or left: stop writing to them
    BAD_REQUEST = "bad_request"  # the message itself is refused: retrying will not help


@dataclass(frozen=True)
class SendResult:
    """The outcome, the message id when sent, the wait when rate-limited, the error text."""

    outcome: SendOutcome
    message_id: int | None = None
    retry_after: float | None = None
    error: str | None = None
    #: A text sent in several messages: the ids of the parts before the last (the last is
    #: `message_id`), or of those that went out before a part failed.
    part_ids: tuple[int, ...] = ()
    #: The chat became another (a group upgraded to a supergroup): its new id.
    migrated_to: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is SendOutcome.SENT


class Sender(Protocol):
    """Sends one message; never sleeps or retries (the dispatcher decides)."""

    async def send(self, message: OutgoingMessage) -> SendResult: ...


class Editor(Protocol):
    """Replaces the text and buttons of a message already sent.

    An edit that changes nothing («message is not modified») counts as SENT.
    """

    async def edit(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        buttons: tuple[tuple[Button, ...], ...] = (),
    ) -> SendResult: ...
