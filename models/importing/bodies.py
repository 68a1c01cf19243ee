"""One responsible body as printed: its name, a mark kept apart («по согласованию») and
the person named in charge there («глава администрации Петров П.П.», «Иванов И.И.»)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.importing.words import BODY_NOTES, POSITIONS

_UPPER = "А-ЯЁ"
_SURNAME = rf"[{_UPPER}][а-яё]+(?:-[{_UPPER}][а-яё]+)?"
_INITIALS = rf"[{_UPPER}]\.\s?(?:[{_UPPER}]\.?)?"
_FULL_NAME = rf"{_SURNAME}\s+[{_UPPER}][а-яё]+\s+[{_UPPER}][а-яё]+(?:вич|вна|чна|ична|ич)"
_PERSON = re.compile(
    rf"(?<![А-Яа-яЁё])(?:{_FULL_NAME}|{_SURNAME}\s+{_INITIALS}|{_INITIALS}\s?{_SURNAME})"
    r"(?![а-яё])"
)
_POSITION = re.compile(
    r"(?:^|(?<=[\s,(]))(?:" + "|".join(POSITIONS) + r")[а-яё]*(?:\s+[а-яё-]+){0,6}\s*[,–—-]?\s*$",
    re.IGNORECASE,
)
_NOTE = re.compile(
    r"\(\s*(" + "|".join(BODY_NOTES) + r")[^()]*\)|[,–—-]?\s*\b(" + "|".join(BODY_NOTES) + r")\s*$",
    re.IGNORECASE,
)
_BRACKETS = re.compile(r"\(([^()]*)\)")
_TRIM = " ,;:–—-\t"
_NAMED_AFTER = re.compile(r"(?:\bим\.|\bимени)\s*$", re.IGNORECASE)


@dataclass
class Body:
    """A body's name, its mark and its person; a name may be empty for a person alone."""

    name: str
    note: str | None = None
    person: str | None = None
    #: The name is only the person's post («Глава администрации»): a body before it is theirs.
    post_only: bool = False


def _trim(text: str) -> str:
    """`text` without outer punctuation; a final dot stays after an initial («И.И.»)."""
    text = text.strip(_TRIM)
    while text.endswith(".") and not re.search(rf"(?:^|[\s.])[{_UPPER}]\.$", text):
        text = text[:-1].strip(_TRIM)
    return text


def read_body(text: str) -> Body | None:
    """The body in one piece of a responsible cell, or None for an empty piece."""
    text = _trim(text)
    if not text:
        return None
    note = None
    if match := _NOTE.search(text):
        note = (match.group(1) or match.group(2)).lower()
        text = _trim(text[: match.start()] + text[match.end() :])
    person = None
    post_only = False
    for bracket in _BRACKETS.finditer(text):
        if found := _PERSON.search(bracket.group(1)):
            person = found.group(0)
            text = _trim(text[: bracket.start()] + text[bracket.end() :])
            break
    found = _PERSON.search(text) if person is None else None
    if found and not _inside_quotes(text, found) and not _NAMED_AFTER.search(text[: found.start()]):
        person = found.group(0)
        before = text[: found.start()]
        position = _POSITION.search(before)
        name = before[: position.start()] if position else before
        if position and not name.strip(_TRIM):
            name, post_only = position.group(0), True
        text = _trim(name + " " + text[found.end() :])
        if text and text[0].islower() and position and name == position.group(0):
            text = text[0].upper() + text[1:]
    text = _trim(" ".join(text.split()))
    if not text and person is None:
        return None
    person = " ".join(person.split()) if person else None
    return Body(name=text, note=note, person=person, post_only=post_only and person is not None)


def _inside_quotes(text: str, match: re.Match[str]) -> bool:
    before = text[: match.start()]
    return before.count("«") > before.count("»") or before.count('"') % 2 == 1
