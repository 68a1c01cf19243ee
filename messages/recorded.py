"""A reminder after a press: what was recorded, said once."""

from __future__ import annotations

import re

#: What the bot appends to a reminder after a press starts with this line break.
RECORDED_SEPARATOR = "\n\n"
#: The reminder's own status line: after a press the «Отмечено: …» line says it instead.
_STATUS_LINE = re.compile(r"^Текущий статус: [^\n]*\n?", re.MULTILINE)


def with_recorded(text: str, recorded_line: str) -> str:
    """The reminder's `text` (HTML) with `recorded_line` («Отмечено: В работе — …») in
    place of an earlier one and of its «Текущий статус: …» line."""
    marker = text.rfind(RECORDED_SEPARATOR + "Отмечено:")
    if marker >= 0:
        text = text[:marker]
    return _STATUS_LINE.sub("", text).rstrip("\n") + RECORDED_SEPARATOR + recorded_line
