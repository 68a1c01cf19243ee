"""What the fake Bot API server remembers: calls, chats' messages, queued updates, faults.

Everything here is guarded by `World.lock`: the server's event loop writes it from
its own thread while a test reads it from another.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded (multipart) or a simulated user sent."""

    file_id: str
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Call:
    """One request the server received, with its parameters decoded."""

    method: str
    params: dict[str, Any]
    at: float
    files: dict[str, UploadedFile] = field(default_factory=dict)


@dataclass
class FakeMessage:
    """A message as the chat currently shows it (edits change it in place)."""

    chat: dict[str, Any]
    message_id: int
    sender: dict[str, Any]
    date: int
    text: str = ""
    entities: tuple[dict[str, Any], ...] = ()
    html: str | None = None  # the bot's text exactly as sent
    reply_markup: dict[str, Any] | None = None
    reply_to: FakeMessage | None = None
    document: UploadedFile | None = None
    photo: UploadedFile | None = None
    caption: str | None = None
    history: list[str] = field(default_factory=list)  # texts before each edit

    @property
    def chat_id(self) -> int:
        return int(self.chat["id"])

    @property
    def from_bot(self) -> bool:
        return bool(self.sender.get("is_bot"))

    @property
    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard rows as (text, callback_data) pairs."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [[(b["text"], b.get("callback_data")) for b in row] for row in rows]

    @property
    def callback_data(self) -> list[str]:
        return [data for row in self.buttons for _, data in row if data is not None]

    def to_api(self) -> dict[str, Any]:
        """The Telegram `Message` object for this message."""
        body: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender,
            "chat": self.chat,
            "date": self.date,
        }
        if self.history:
            body["edit_date"] = self.date
        if self.document is not None:
            body["document"] = file_object(self.document)
        if self.photo is not None:
            body["photo"] = [{**file_object(self.photo), "width": 640, "height": 480}]
        if self.document is not None or self.photo is not None:
            if self.caption:
                body["caption"] = self.caption
        else:
            body["text"] = self.text
        if self.entities:
            key = "text" if "text" in body else "caption"
            body["entities" if key == "text" else "caption_entities"] = list(self.entities)
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            body["reply_markup"] = self.reply_markup
        if self.reply_to is not None:
            body["reply_to_message"] = self.reply_to.to_api()
        return body


def file_object(upload: UploadedFile) -> dict[str, Any]:
    """The Telegram `Document`-like object describing an upload."""
    return {
        "file_id": upload.file_id,
        "file_unique_id": "u" + upload.file_id,
        "file_name": upload.filename,
        "mime_type": upload.content_type,
        "file_size": len(upload.data),
    }


@dataclass(frozen=True)
class Fault:
    """How the server misbehaves on a matching call."""

    status: int = 0
    description: str = ""
    retry_after: int | None = None
    migrate_to_chat_id: int | None = None
    drop: bool = False  # close the connection without answering
    drop_after: bool = False  # do what was asked, then close the connection unanswered
    delay: float = 0.0  # answer normally, but this many seconds late

    @classmethod
    def flood(cls, retry_after: int = 5) -> Fault:
        return cls(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)

    @classmethod
    def blocked(cls) -> Fault:
        return cls(403, "Forbidden: bot was blocked by the user")

    @classmethod
    def bad_request(cls, description: str = "Bad Request: chat not found") -> Fault:
        if not description.startswith("Bad Request"):
            description = f"Bad Request: {description}"
        return cls(400, description)

    @classmethod
    def migrated(cls, new_chat_id: int) -> Fault:
        """A group that became a supergroup: Telegram names the new chat id."""
        return cls(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            migrate_to_chat_id=new_chat_id,
        )

    @classmethod
    def server_error(cls) -> Fault:
        return cls(500, "Internal Server Error")

    @classmethod
    def dropped(cls) -> Fault:
        return cls(drop=True)

    @classmethod
    def lost_answer(cls) -> Fault:
        """The call takes effect (a message is sent), but the connection drops before the
        answer: the bot cannot know, and there is no idempotency key to ask with."""
        return cls(drop_after=True)

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """Answer late. The call still takes effect, as a timed-out send to Telegram may."""
        return cls(delay=seconds)

    @classmethod
    def conflict(cls) -> Fault:
        return cls(409, "Conflict: terminated by other getUpdates request")


def fault_parameters(fault: Fault) -> dict[str, int] | None:
    """The `parameters` object of the error answer (ResponseParameters)."""
    parameters = {
        key: value
        for key, value in (
            ("retry_after", fault.retry_after),
            ("migrate_to_chat_id", fault.migrate_to_chat_id),
        )
        if value is not None
    }
    return parameters or None


@dataclass
class Injection:
    """A fault armed for a method and/or chat, for `remaining` calls (None: always)."""

    fault: Fault
    method: str | None = None
    chat_id: int | None = None
    remaining: int | None = 1
    hits: int = 0

    def matches(self, method: str, chat_id: int | None) -> bool:
        return (self.method is None or self.method == method) and (
            self.chat_id is None or self.chat_id == chat_id
        )


class RateLimiter:
    """Telegram's flood limits: N messages a second overall, one a second per chat."""

    def __init__(
        self,
        *,
        per_second: int = 30,
        per_chat_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_second = per_second
        self.per_chat_interval = per_chat_interval
        self.clock = clock
        self.accepted = 0
        self.limited = 0
        self._recent: deque[float] = deque()
        self._last_by_chat: dict[int, float] = {}

    def check(self, chat_id: int | None) -> int | None:
        """Seconds to wait if this send exceeds a limit, else None (and count it)."""
        now = self.clock()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        wait = 0.0
        if len(self._recent) >= self.per_second:
            wait = 1.0 - (now - self._recent[0])
        last = self._last_by_chat.get(chat_id) if chat_id is not None else None
        if last is not None and now - last < self.per_chat_interval:
            wait = max(wait, self.per_chat_interval - (now - last))
        if wait > 0:
            self.limited += 1
            return max(1, math.ceil(wait))
        self.accepted += 1
        self._recent.append(now)
        if chat_id is not None:
            self._last_by_chat[chat_id] = now
        return None


@dataclass
class CallbackQuery:
    """A button press handed to the bot, and how the bot answered it."""

    query_id: str
    user_id: int
    answered: bool = False
    text: str | None = None
    show_alert: bool = False


class World:
    """All state of one fake server."""

    def __init__(self, bot_user: dict[str, Any], clock: Callable[[], float]) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.bot_user = bot_user
        self.clock = clock
        self.calls: list[Call] = []
        self.unexpected: list[Call] = []
        self.chats: dict[int, list[FakeMessage]] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.updates: list[tuple[int, dict[str, Any], bool]] = []  # (id, update, forced)
        self.delivered: dict[int, dict[str, Any]] = {}
        self.next_update_id = 1
        self.callbacks: dict[str, CallbackQuery] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.webhook: dict[str, Any] | None = None
        self.files: dict[str, UploadedFile] = {}
        self.injections: list[Injection] = []
        self.rate_limiter: RateLimiter | None = None
        self._file_seq = 0

    def now(self) -> int:
        return int(self.clock())

    def new_file_id(self) -> str:
        self._file_seq += 1
        return f"file{self._file_seq:06d}"

    def take_fault(self, method: str, chat_id: int | None) -> Fault | None:
        """The fault armed for this call, if any (consumes one use)."""
        for injection in self.injections:
            if injection.remaining != 0 and injection.matches(method, chat_id):
                injection.hits += 1
                if injection.remaining is not None:
                    injection.remaining -= 1
                return injection.fault
        return None

    def chat_for(self, chat_id: int) -> dict[str, Any]:
        """The `Chat` object: private chats carry the user's name."""
        user = self.users.get(chat_id)
        if chat_id > 0:
            return {
                "id": chat_id,
                "type": "private",
                "first_name": (user or {}).get("first_name", f"Пользователь {chat_id}"),
            }
        return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}

    def add_message(self, chat_id: int, **fields: Any) -> FakeMessage:
        """Store a new message; message ids increase per chat."""
        messages = self.chats.setdefault(chat_id, [])
        message_id = (messages[-1].message_id if messages else 0) + 1
        message = FakeMessage(
            chat=self.chat_for(chat_id), message_id=message_id, date=self.now(), **fields
        )
        messages.append(message)
        self.changed.notify_all()
        return message

    def find_message(self, chat_id: int, message_id: int) -> FakeMessage | None:
        for message in self.chats.get(chat_id, []):
            if message.message_id == message_id:
                return message
        return None

    def enqueue(self, payload: dict[str, Any]) -> int:
        """Queue a new update for getUpdates; returns its update_id."""
        update_id = self.next_update_id
        self.next_update_id += 1
        update = {"update_id": update_id, **payload}
        self.updates.append((update_id, update, False))
        self.delivered[update_id] = update
        self.changed.notify_all()
        return update_id
