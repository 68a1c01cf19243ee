"""Split long HTML answers under Telegram's 4096-character limit, measured as Telegram
measures it: the visible text after entity parsing (tags count nothing, «&amp;» one
character), in UTF-16 code units.

A cut falls between lines where it can, else between words, else between characters;
never inside a tag or an HTML entity. Tags open at a cut are closed at the end of one
part and reopened at the start of the next, so every part is balanced HTML.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

TELEGRAM_LIMIT = 4096
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>")
#: A tag, an entity, or one character (of the text between them).
_ATOM = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*>"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});"
    r"|.",
    re.DOTALL,
)


def telegram_length(text: str) -> int:
    """Telegram counts UTF-16 code units; an emoji outside the BMP counts twice."""
    return len(text.encode("utf-16-le")) // 2


def visible_text(html_text: str) -> str:
    """What a message shows: `html_text` without its tags, its entities decoded."""
    return html.unescape(_TAG.sub("", html_text))


def visible_length(html_text: str) -> int:
    """The length Telegram checks against its limit: the visible text in UTF-16 units."""
    return telegram_length(visible_text(html_text))


@dataclass(frozen=True)
class _Atom:
    raw: str
    units: int  # visible UTF-16 units
    tag: str = ""  # the tag's name, for tags
    closing: bool = False


def _atoms(text: str) -> list[_Atom]:
    atoms = []
    for match in _ATOM.finditer(text):
        raw = match.group(0)
        if match.group(2):
            atoms.append(_Atom(raw, 0, match.group(2).lower(), bool(match.group(1))))
        elif len(raw) > 1:  # an entity
            atoms.append(_Atom(raw, telegram_length(html.unescape(raw))))
        else:
            atoms.append(_Atom(raw, 2 if ord(raw) > 0xFFFF else 1))
    return atoms


def _apply(stack: list[_Atom], atom: _Atom) -> None:
    """Track the open tags: an opening one pushed, a closing one pops its match."""
    if not atom.tag:
        return
    if not atom.closing:
        stack.append(atom)
        return
    for i in range(len(stack) - 1, -1, -1):
        if stack[i].tag == atom.tag:
            del stack[i]
            return


def _closing(stack: list[_Atom]) -> str:
    return "".join(f"</{atom.tag}>" for atom in reversed(stack))


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Parts of at most `limit` visible units each, cut between lines (else between words,
    else between characters), never inside a tag or an entity, each part balanced."""
    if telegram_length(text) <= limit:  # the raw text is never shorter than the visible
        return [text] if text.strip() else [""]
    atoms = _atoms(text)
    parts: list[str] = []
    stack: list[_Atom] = []  # tags open where the current part starts
    start = 0
    while start < len(atoms):
        end, used = start, 0  # the longest run of atoms within the limit: [start, end)
        while end < len(atoms) and used + atoms[end].units <= limit:
            used += atoms[end].units
            end += 1
        cut = end if end == len(atoms) else _best_cut(atoms, start, end)
        opening = "".join(atom.raw for atom in stack)
        for atom in atoms[start:cut]:
            _apply(stack, atom)
        body = opening + "".join(atom.raw for atom in atoms[start:cut]) + _closing(stack)
        if visible_text(body).strip():
            parts.append(body)
        start = cut
    return parts or [""]


def _best_cut(atoms: list[_Atom], start: int, end: int) -> int:
    """Where to end a part that may run to `end`: after its last line break, else after
    its last space, else at `end` (the separator stays with the part it ends). A break in
    the part's first half is taken only when its second half has neither."""
    half = start + (end - start) // 2
    for low in (half, start):
        for separator in ("\n", " "):
            for i in range(end - 1, low, -1):
                if atoms[i].raw == separator:
                    return i + 1
    return max(end, start + 1)
