"""Reading a contact's answer in words: does it name a status, and a date?"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from scheduler.rules.deadlines import DeadlineParse, parse_deadline
from scheduler.rules.domain import Status

#: Word stems per status, tried in this order (so «перенос» wins over a date word).
#: Each pattern matches at a word start; `ё` is folded to `е` before matching.
STATUS_PATTERNS: tuple[tuple[Status, re.Pattern[str]], ...] = (
    (
        Status.CANCELLED,
        re.compile(r"\b(отмен\w*|не +состо\w*|не +будет +провод\w*|снят\w* +с +контрол\w*)"),
    ),
    (Status.POSTPONED, re.compile(r"\b(перенос\w*|перенес\w*|перенест\w*|отлож\w*)")),
    (
        Status.IN_PROGRESS,
        re.compile(
            r"\b(в +работе|в +процессе|выполняе\w*|выполняю\w*|ведетс\w*|ведем|работаем|"
            r"занимаемс\w*|начали|начата|начато|приступил\w*|готовим|идет +подготовк\w*|в +стадии)"
        ),
    ),
    (
        Status.DONE,
        re.compile(
            r"\b(выполнен\w*|выполнил\w*|сделал\w*|сделано|сделан\w*|готово|исполнен\w*|"
            r"завершен\w*|завершил\w*|проведен\w*|провели|состоял\w*|реализован\w*)"
        ),
    ),
)
#: «не выполнено», «ещё не сделали» do not report the status; «будет проведено» is not done.
_NEGATION = re.compile(r"\b(не|нет) +$")
_FUTURE = re.compile(r"\b(будет|будут) +$")
#: Words around a date in «перенос на 15 мая», «перенесли до конца июня».
_DATE_LEAD = re.compile(r"^\s*(на|до|к|в|по|срок[а-я]*|дат[а-я]*|:|—|-|,)\s+", re.IGNORECASE)
#: Words that try to name a date (a day, a month, a year) even when no date can be read.
_NAMES_A_DATE = re.compile(r"\d")
#: How far past the end of its plan's period a postponement may reach.
POSTPONE_BEYOND_PERIOD = timedelta(days=3 * 366)

#: Why a date named for a postponement is not taken (see `date_problem`).
UNREADABLE = "unreadable"  # names a date that does not exist or lies out of any range
PAST = "past"  # already gone
BEFORE_PERIOD = "before_period"  # before the plan's period starts
BEYOND_PERIOD = "beyond_period"  # far beyond the plan's period


#: An answer's windows; a module-level name, since `Answer.date` hides the type in the class.
_Windows = tuple[tuple[date, date], ...]


@dataclass(frozen=True)
class Answer:
    """What a free-text answer says; `date` is the parse of the date it names, if any."""

    text: str
    status: Status | None
    date: DeadlineParse | None
    #: The words that were read for a date (after the status words, or the whole text).
    date_text: str = ""

    @property
    def windows(self) -> _Windows:
        return self.date.windows if self.date else ()


def _fold(text: str) -> str:
    """Lower case, `ё` as `е`, whitespace as single spaces; keeps positions for ASCII and
    Cyrillic, so an index into the folded text is an index into the original."""
    return re.sub(r"\s", " ", text.lower().replace("ё", "е"))


def find_status(text: str) -> tuple[Status | None, int]:
    """The status a text names and where its words end; negated words («не выполнено») count
    as no status."""
    folded = _fold(text)
    for status, pattern in STATUS_PATTERNS:
        for match in pattern.finditer(folded):
            before = folded[: match.start()]
            if _NEGATION.search(before):
                continue
            if status == Status.DONE and _FUTURE.search(before):
                continue
            return status, match.end()
    return None, 0


def _date_words(text: str) -> str:
    """`text` without the words that lead to a date («на», «до», «срок», dashes)."""
    candidate = text.strip(" .,!;:—-")
    while True:
        stripped = _DATE_LEAD.sub("", candidate, count=1)
        if stripped == candidate:
            return candidate
        candidate = stripped


def read_date(
    text: str, *, reference: date, period: tuple[date, date] | None = None
) -> DeadlineParse | None:
    """The date a text names (by the deadline grammar), or None when it names none; a
    recurring answer («ежеквартально, до 10 числа …») gives its windows over `period`, the
    plan's (start, end)."""
    candidate = _date_words(text)
    if not candidate:
        return None
    parsed = parse_deadline(candidate, reference=reference, period=period)
    return parsed if parsed.windows else None


def read_answer(text: str, *, reference: date, period: tuple[date, date] | None = None) -> Answer:
    """Read a status and a date from a contact's words; dates after «перенос» come first.
    `period` is the plan's (start, end), for a recurring date."""
    status, end = find_status(text)
    parsed = None
    date_text = text[end:] if status is not None else text
    if status is not None and end < len(text):
        parsed = read_date(text[end:], reference=reference, period=period)
    if parsed is None and status in (None, Status.POSTPONED):
        parsed = read_date(text, reference=reference, period=period)
    return Answer(text=text, status=status, date=parsed, date_text=_date_words(date_text))


def date_problem(
    answer: Answer, *, today: date, period: tuple[date, date], expects_date: bool
) -> str | None:
    """Why the date an answer names cannot be a new deadline (UNREADABLE, PAST,
    BEFORE_PERIOD, BEYOND_PERIOD), or None when it can or none is named.

    `expects_date`: the answer is a postponement or answers «на какую дату?»; only then are
    words that try to name a date and cannot be read («31 декабря 9999 года») refused —
    elsewhere digits are just part of a comment.
    """
    windows = answer.windows
    if not windows:
        return UNREADABLE if expects_date and _NAMES_A_DATE.search(answer.date_text) else None
    start, end = min(s for s, _ in windows), max(e for _, e in windows)
    if end < today:
        return PAST
    if end < period[0]:
        return BEFORE_PERIOD
    if start > period[1] + POSTPONE_BEYOND_PERIOD:
        return BEYOND_PERIOD
    return None
