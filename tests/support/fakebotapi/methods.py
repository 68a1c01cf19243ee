"""The Bot API methods the fake server answers (all but getUpdates, which waits).

Each takes the world (its lock held), the decoded parameters and the uploaded
files, and returns the `result` of a successful answer or raises ApiError.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.support.fakebotapi.rules import (
    MAX_CAPTION,
    ApiError,
    check_reply_markup,
    parse_text,
)
from tests.support.fakebotapi.state import FakeMessage, UploadedFile, World, file_object

Method = Callable[[World, dict[str, Any], dict[str, UploadedFile]], Any]

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


def chat_id_of(params: dict[str, Any]) -> int | None:
    """The numeric chat id of a call, if it names one."""
    value = params.get("chat_id")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _require_chat(params: dict[str, Any]) -> int:
    chat_id = chat_id_of(params)
    if chat_id is None:
        raise ApiError(400, "Bad Request: chat not found")
    return chat_id


def _reply_target(world: World, chat_id: int, params: dict[str, Any]) -> FakeMessage | None:
    reply = params.get("reply_parameters") or {}
    target_id = reply.get("message_id") if isinstance(reply, dict) else None
    target_id = target_id or params.get("reply_to_message_id")
    if target_id is None:
        return None
    target = world.find_message(chat_id, int(target_id))
    if target is None and not (
        isinstance(reply, dict) and reply.get("allow_sending_without_reply")
    ):
        raise ApiError(400, "Bad Request: message to be replied not found")
    return target


def _stored(world: World, params: dict[str, Any]) -> FakeMessage:
    if params.get("inline_message_id"):
        raise ApiError(400, "Bad Request: inline messages are not supported by the fake server")
    chat_id = _require_chat(params)
    message = world.find_message(chat_id, int(params.get("message_id") or 0))
    if message is None or not message.from_bot:
        raise ApiError(400, "Bad Request: message to edit not found")
    return message


def get_me(world: World, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
    return world.bot_user


def send_message(world: World, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
    chat_id = _require_chat(params)
    parsed = parse_text(params.get("text"), params.get("parse_mode"))
    markup = check_reply_markup(params.get("reply_markup"))
    message = world.add_message(
        chat_id,
        sender=world.bot_user,
        text=parsed.text,
        entities=parsed.entities,
        html=params.get("text"),
        reply_markup=markup,
        reply_to=_reply_target(world, chat_id, params),
    )
    return message.to_api()


def edit_message_text(world: World, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
    message = _stored(world, params)
    if message.document is not None or message.photo is not None:
        raise ApiError(400, "Bad Request: there is no text in the message to edit")
    parsed = parse_text(params.get("text"), params.get("parse_mode"))
    # Telegram drops the inline keyboard when an edit does not repeat it.
    markup = check_reply_markup(params.get("reply_markup"))
    if (parsed.text, parsed.entities, markup) == (
        message.text,
        message.entities,
        message.reply_markup,
    ):
        raise ApiError(400, NOT_MODIFIED)
    message.history.append(message.text)
    message.text, message.entities = parsed.text, parsed.entities
    message.html, message.reply_markup = params.get("text"), markup
    world.changed.notify_all()
    return message.to_api()


def edit_message_reply_markup(
    world: World, params: dict[str, Any], files: dict[str, UploadedFile]
) -> Any:
    message = _stored(world, params)
    markup = check_reply_markup(params.get("reply_markup"))
    if markup == message.reply_markup:
        raise ApiError(400, NOT_MODIFIED)
    message.history.append(message.text)
    message.reply_markup = markup
    world.changed.notify_all()
    return message.to_api()


def answer_callback_query(
    world: World, params: dict[str, Any], files: dict[str, UploadedFile]
) -> Any:
    query = world.callbacks.get(str(params.get("callback_query_id")))
    if query is None or query.answered:
        raise ApiError(
            400,
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
        )
    text = params.get("text")
    if text is not None and len(str(text)) > 200:
        raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
    query.answered, query.text = True, text
    query.show_alert = bool(params.get("show_alert"))
    world.changed.notify_all()
    return True


def _scope_key(params: dict[str, Any]) -> str:
    scope = params.get("scope") or {"type": "default"}
    language = params.get("language_code") or ""
    return f"{scope.get('type')}:{scope.get('chat_id', '')}:{language}"


def set_my_commands(world: World, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
    commands = params.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        if not _COMMAND.match(str(command.get("command", ""))):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
    world.commands[_scope_key(params)] = commands
    return True


def delete_my_commands(world: World, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
    world.commands.pop(_scope_key(params), None)
    return True


def set_webhook(world: World, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
    url = str(params.get("url") or "")
    if url and not url.startswith("https://"):
        raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
    if params.get("drop_pending_updates"):
        world.updates.clear()
    world.webhook = {**params, "url": url} if url else None
    return True


def delete_webhook(world: World, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
    if params.get("drop_pending_updates"):
        world.updates.clear()
    world.webhook = None
    return True


def get_webhook_info(world: World, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
    hook = world.webhook or {}
    return {
        "url": hook.get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": len(world.updates),
        "max_connections": hook.get("max_connections", 40),
        "allowed_updates": hook.get("allowed_updates", []),
    }


def get_chat(world: World, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
    chat = world.chat_for(_require_chat(params))
    return {**chat, "accent_color_id": 0, "max_reaction_count": 11}


def _upload(world: World, params: dict[str, Any], files: dict[str, UploadedFile], key: str):
    upload = files.get(key)
    if upload is None:
        known = world.files.get(str(params.get(key) or ""))
        if known is None:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        return known
    world.files[upload.file_id] = upload
    return upload


def _send_file(world: World, params: dict[str, Any], files: dict[str, UploadedFile], key: str):
    chat_id = _require_chat(params)
    upload = _upload(world, params, files, key)
    caption = params.get("caption")
    parsed = parse_text(caption or "", params.get("parse_mode"), limit=MAX_CAPTION)
    markup = check_reply_markup(params.get("reply_markup"))
    message = world.add_message(
        chat_id,
        sender=world.bot_user,
        text=parsed.text,
        entities=parsed.entities,
        html=caption,
        caption=parsed.text or None,
        reply_markup=markup,
        reply_to=_reply_target(world, chat_id, params),
        **{key: upload},
    )
    return message.to_api()


def send_document(world: World, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
    return _send_file(world, params, files, "document")


def send_photo(world: World, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
    return _send_file(world, params, files, "photo")


#: Telegram lets bots download files up to 20 MB (larger ones: «file is too big»).
DOWNLOAD_LIMIT = 20 * 1024 * 1024


def get_file(world: World, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
    upload = world.files.get(str(params.get("file_id") or ""))
    if upload is None:
        raise ApiError(400, "Bad Request: invalid file_id")
    if len(upload.data) > DOWNLOAD_LIMIT:
        raise ApiError(400, "Bad Request: file is too big")
    return {**file_object(upload), "file_path": f"documents/{upload.file_id}/{upload.filename}"}


METHODS: dict[str, Method] = {
    "getMe": get_me,
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "answerCallbackQuery": answer_callback_query,
    "setMyCommands": set_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "getChat": get_chat,
    "sendDocument": send_document,
    "sendPhoto": send_photo,
    "getFile": get_file,
}
#: Methods that put a message into a chat and so count against flood limits.
SENDING = frozenset({"sendMessage", "sendDocument", "sendPhoto"})
