"""Simulated Telegram users: they write, send commands and files, press buttons.

Each helper queues an update for getUpdates and returns its update_id (ids
increase). A mixin of `FakeBotApi`, which provides `world` and `notify_threadsafe`.
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.support.fakebotapi.state import CallbackQuery, Fault, Injection, UploadedFile, World


class SimulatedUsers:
    """Helpers that play the human side of a chat."""

    world: World

    def notify_threadsafe(self) -> None:  # provided by the server
        raise NotImplementedError

    def user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
    ) -> dict[str, Any]:
        """The `User` object of a simulated user (registered on first use)."""
        with self.world.lock:
            known = self.world.users.setdefault(
                user_id,
                {
                    "id": user_id,
                    "is_bot": False,
                    "first_name": f"Пользователь {user_id}",
                    "language_code": "ru",
                },
            )
            for key, value in (
                ("first_name", first_name),
                ("last_name", last_name),
                ("username", username),
            ):
                if value is not None:
                    known[key] = value
            return dict(known)

    def _queue(self, payload: dict[str, Any]) -> int:
        with self.world.lock:
            update_id = self.world.enqueue(payload)
        self.notify_threadsafe()
        return update_id

    def _user_message(
        self,
        user_id: int,
        chat_id: int | None,
        reply_to_message_id: int | None,
        **fields: Any,
    ) -> int:
        sender = self.user(user_id)
        chat = user_id if chat_id is None else chat_id
        with self.world.lock:
            reply_to = None
            if reply_to_message_id is not None:
                reply_to = self.world.find_message(chat, reply_to_message_id)
                if reply_to is None:
                    raise LookupError(f"no message {reply_to_message_id} in chat {chat}")
            message = self.world.add_message(chat, sender=sender, reply_to=reply_to, **fields)
            return self._queue({"message": message.to_api()})

    def send_text(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> int:
        """The user writes `text` (in their private chat unless `chat_id` is given)."""
        return self._user_message(user_id, chat_id, reply_to_message_id, text=text)

    def send_command(
        self,
        user_id: int,
        command: str,
        args: str = "",
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> int:
        """The user sends `/command args` (a `bot_command` entity, as clients mark it)."""
        head = "/" + command.lstrip("/")
        text = f"{head} {args}" if args else head
        entity = {"type": "bot_command", "offset": 0, "length": len(head.encode("utf-16-le")) // 2}
        return self._user_message(
            user_id, chat_id, reply_to_message_id, text=text, entities=(entity,)
        )

    def send_document(
        self,
        user_id: int,
        filename: str,
        data: bytes,
        *,
        content_type: str = "application/octet-stream",
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> int:
        """The user sends a file; the bot can fetch it with getFile and the file URL."""
        with self.world.lock:
            upload = UploadedFile(self.world.new_file_id(), filename, content_type, data)
            self.world.files[upload.file_id] = upload
        return self._user_message(user_id, chat_id, None, document=upload, caption=caption)

    def press_button(
        self,
        user_id: int,
        message_id: int,
        callback_data: str,
        chat_id: int | None = None,
        *,
        forge: bool = False,
    ) -> int:
        """The user presses a button of the bot's message `message_id`.

        The message must carry a button with this data unless `forge` is set
        (a tampered client sending arbitrary data).
        """
        sender = self.user(user_id)
        chat = user_id if chat_id is None else chat_id
        with self.world.lock:
            message = self.world.find_message(chat, message_id)
            if message is None or not message.from_bot:
                raise LookupError(f"no bot message {message_id} in chat {chat}")
            if not forge and callback_data not in message.callback_data:
                raise LookupError(
                    f"message {message_id} has no button {callback_data!r}: {message.callback_data}"
                )
            query_id = uuid.uuid4().hex[:16]
            self.world.callbacks[query_id] = CallbackQuery(query_id, user_id)
            query = {
                "id": query_id,
                "from": sender,
                "message": message.to_api(),
                "chat_instance": str(abs(chat)),
                "data": callback_data,
            }
            return self._queue({"callback_query": query})

    def upgrade_group(
        self, old_chat_id: int, new_chat_id: int, *, user_id: int | None = None
    ) -> Injection:
        """The group `old_chat_id` becomes the supergroup `new_chat_id`: from now on every
        call naming the old chat is answered 400 with `migrate_to_chat_id`, as Telegram
        does. With `user_id` (who upgraded it), the two service messages are queued too:
        `migrate_to_chat_id` in the old chat, `migrate_from_chat_id` in the new one."""
        with self.world.lock:
            injection = Injection(Fault.migrated(new_chat_id), None, old_chat_id, None)
            self.world.injections.append(injection)
        if user_id is not None:
            sender = self.user(user_id)
            date = self.world.now()
            old_chat = {"id": old_chat_id, "type": "group", "title": f"Group {old_chat_id}"}
            for chat, key, value in (
                (old_chat, "migrate_to_chat_id", new_chat_id),
                (self.world.chat_for(new_chat_id), "migrate_from_chat_id", old_chat_id),
            ):
                message = {"message_id": 1, "from": sender, "chat": chat, "date": date}
                self._queue({"message": {**message, key: value}})
        return injection

    def redeliver(self, update_id: int) -> None:
        """Hand an update to the bot once more, as Telegram does after a lost confirmation."""
        with self.world.lock:
            update = self.world.delivered[update_id]
            self.world.updates.append((update_id, update, True))
            self.world.updates.sort(key=lambda entry: entry[0])
            self.world.changed.notify_all()
        self.notify_threadsafe()

    def last_callback_query(self) -> CallbackQuery:
        """The most recent button press and the bot's answer to it."""
        with self.world.lock:
            return list(self.world.callbacks.values())[-1]
