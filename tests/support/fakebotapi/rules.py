"""Telegram's rules for message text, as the fake Bot API server enforces them.

The HTML subset, entity decoding, the 4096-unit limit (UTF-16 code units after
parsing) and the inline-keyboard checks follow https://core.telegram.org/bots/api;
error descriptions imitate the real server's wording closely enough for PTB to
raise the same exceptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64

#: Tag name -> the entity type it makes.
TAG_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>")
_ATTR = re.compile(r"""([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status, description, optional parameters."""

    def __init__(
        self, status: int, description: str, *, parameters: dict[str, Any] | None = None
    ) -> None:
        self.status = status
        self.description = description
        self.parameters = parameters
        super().__init__(f"{status} {description}")

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram answers with."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class EntityParseError(ApiError):
    """HTML that Telegram refuses: «can't parse entities: …»."""

    def __init__(self, why: str) -> None:
        super().__init__(400, f"Bad Request: can't parse entities: {why}")


@dataclass(frozen=True)
class ParsedText:
    """Plain text as a chat shows it, plus Telegram-shaped entities (UTF-16 offsets)."""

    text: str
    entities: tuple[dict[str, Any], ...] = ()


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and offsets."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _attrs(raw: str) -> dict[str, str]:
    return {
        m.group(1).lower(): next((g for g in m.group(2, 3, 4) if g is not None), "")
        for m in _ATTR.finditer(raw)
    }


def _decode_entity(source: str, match: re.Match[str]) -> str:
    decimal, hexa, name = match.groups()
    if name is not None:
        if name not in NAMED_ENTITIES:
            offset = _byte_offset(source, match.start())
            raise EntityParseError(f'Unsupported HTML entity "&{name};" at byte offset {offset}')
        return NAMED_ENTITIES[name]
    code = int(decimal) if decimal is not None else int(hexa, 16)
    if code > 0x10FFFF:
        offset = _byte_offset(source, match.start())
        raise EntityParseError(f"Wrong character code at byte offset {offset}")
    return chr(code)


def _entity_for(tag: str, attrs: dict[str, str], source: str, index: int) -> dict[str, Any]:
    kind = TAG_ENTITIES[tag]
    entity: dict[str, Any] = {"type": kind}
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        offset = _byte_offset(source, index)
        raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    if tag == "a":
        entity["url"] = attrs.get("href", "")
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id", "")
    return entity


def parse_html(source: str) -> ParsedText:
    """Parse Telegram HTML into plain text and entities, or raise EntityParseError."""
    out: list[str] = []
    length = 0  # UTF-16 units emitted so far
    stack: list[tuple[str, int, dict[str, Any]]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "<":
            match = _TAG.match(source, i)
            if match is None:
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(source, i)}"
                )
            closing, name = match.group(1) == "/", match.group(2).lower()
            if closing:
                if not stack or stack[-1][0] != name:
                    expected = f'expected "</{stack[-1][0]}>"' if stack else "no tag is open"
                    raise EntityParseError(
                        f"Unmatched end tag at byte offset {_byte_offset(source, i)}, "
                        f'{expected}, found "</{name}>"'
                    )
                _, start, entity = stack.pop()
                if length > start:
                    entities.append({**entity, "offset": start, "length": length - start})
            else:
                rest = match.group(3)
                if name not in TAG_ENTITIES or rest.rstrip().endswith("/"):
                    raise EntityParseError(
                        f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, i)}'
                    )
                attrs = _attrs(rest)
                stack.append((name, length, _entity_for(name, attrs, source, i)))
            i = match.end()
            continue
        if char == "&":
            match = _ENTITY.match(source, i)
            if match is None:
                raise EntityParseError(
                    f'Character "&" must be escaped as "&amp;" at byte offset '
                    f"{_byte_offset(source, i)}"
                )
            piece = _decode_entity(source, match)
            i = match.end()
        else:
            piece = char
            i += 1
        out.append(piece)
        length += utf16_len(piece)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(out), tuple(entities))


def parse_text(text: Any, parse_mode: Any, *, limit: int = MAX_TEXT) -> ParsedText:
    """Check a message text (or caption) as Telegram would and return what the chat sees."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    mode = str(parse_mode).lower() if parse_mode else ""
    parsed = parse_html(text) if mode == "html" else ParsedText(text)
    if not parsed.text.strip():
        if limit == MAX_CAPTION:
            return ParsedText("")
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(parsed.text) > limit:
        what = "message caption is too long" if limit == MAX_CAPTION else "message is too long"
        raise ApiError(400, f"Bad Request: {what}")
    return parsed


def check_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Validate an inline keyboard; other keyboards pass through untouched."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(400, 'Bad Request: field "inline_keyboard" must be an Array of Array')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise ApiError(400, "Bad Request: BUTTON_TEXT_INVALID")
            data = button.get("callback_data")
            if data is not None:
                size = len(str(data).encode("utf-8"))
                if not 1 <= size <= MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            elif "url" not in button and "switch_inline_query" not in button:
                raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
    return markup
