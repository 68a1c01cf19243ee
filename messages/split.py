"""Split long HTML answers under Telegram's 4096-character limit at line boundaries."""

from __future__ import annotations

import re

TELEGRAM_LIMIT = 4096
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)([^>]*)>")


def telegram_length(text: str) -> int:
    """Telegram counts UTF-16 code units; an emoji outside the BMP counts twice."""
    return len(text.encode("utf-16-le")) // 2


def _open_tags(html: str, stack: list[str]) -> list[str]:
    """The stack of open tags (as their opening text) after `html`."""
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if _tag_name(stack[i]) == name:
                    del stack[i]
                    break
        else:
            stack.append(match.group(0))
    return stack


def _tag_name(opening: str) -> str:
    match = _TAG.match(opening)
    return match.group(2).lower() if match else ""


def _closing(stack: list[str]) -> str:
    return "".join(f"</{_tag_name(t)}>" for t in reversed(stack))


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Parts of at most `limit` units, cut between lines; tags open at a cut are closed
    at the end of one part and reopened at the start of the next. A single line longer
    than the limit is cut between words (or, failing that, between characters)."""
    parts: list[str] = []
    current = ""
    stack: list[str] = []
    for line in _lines_within(text, limit // 2):
        candidate = f"{current}\n{line}" if current else line
        if telegram_length(candidate + _closing(_open_tags(candidate, []))) <= limit:
            current = candidate
            continue
        if current:
            stack = _open_tags(current, [])
            parts.append(current + _closing(stack))
            current = "".join(stack) + line
        else:
            current = line
    if current.strip():
        parts.append(current)
    return parts or [""]


def _lines_within(text: str, width: int) -> list[str]:
    """The lines of `text`, each no longer than `width` (long ones cut between words)."""
    out: list[str] = []
    for line in text.split("\n"):
        while telegram_length(line) > width:
            cut = line.rfind(" ", 0, width)
            cut = cut if cut > 0 else width
            out.append(line[:cut])
            line = line[cut:].lstrip(" ")
        out.append(line)
    return out
