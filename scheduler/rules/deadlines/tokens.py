"""Normalisation and tokenizing: words, numbers, numeric dates, numerals, dashes, punctuation."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from scheduler.rules.deadlines import vocabulary as vocab

# Every dash, minus and hyphen look-alike becomes «-»; every space-like character one space.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d"
_OTHERS = {"ё": "е", "і": "i", "«": " ", "»": " ", '"': " ", "\u00ad": None, "\u200b": None}
_OTHERS |= {"\ufeff": None, "\u2060": None}  # zero-width signs Word leaves inside words
# Roman numeral signs (Ⅰ … Ⅻ, after lower-casing ⅰ … ⅻ) as the letters plans usually type.
_ROMAN_SIGNS = dict(
    zip(
        "ⅰⅱⅲⅳⅴⅵⅶⅷⅸⅹⅺⅻ",
        ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"],
        strict=True,
    )
)
_TRANSLATION = str.maketrans(dict.fromkeys(_DASHES, "-") | _OTHERS | _ROMAN_SIGNS)

# One optional space is part of each match, so the scanner never fails on a blank; words,
# the commonest tokens, come first; digit-led forms go longest first (an ISO date before a
# number). No look-behind is needed: a number token always takes every digit in a row.
_TOKEN = re.compile(
    r" ?(?:(?P<rord>[ivx]{1,4} ?- ?(?:ого|ой|ый|ом|ое|го|е|й|м|я)(?![а-яa-z]))"
    r"|(?P<word>[а-я]+|[a-z]+)"
    r"|(?P<iso>\d{4}-\d{1,2}-\d{1,2}(?!\d))"
    r"|(?P<date>\d{1,2}\.\d{1,2}(?:\.\d{1,4})?(?![\d.]\d))"
    r"|(?P<time>\d{1,2}:\d{2}(?!\d))"
    r"|(?P<ord>\d{1,2} ?- ?(?:ого|ому|ый|ой|ий|ом|ое|ая|ых|го|му|е|й|м|я|х)(?![а-яa-z]))"
    r"|(?P<num>\d+)"
    r"|(?P<dash>-|(?<=\d{4})/(?=\d{4}))"
    r"|(?P<sep>[,;:])"
    r"|(?P<lp>[(\[])"
    r"|(?P<rp>[)\]])"
    r"|(?P<dot>\.)"
    r"|(?P<other>\S))"
)
_new = tuple.__new__


class Token(NamedTuple):
    """One token: its kind, its value (a number, a word, a kind-specific tuple) and its text.

    The kind tells the value's type, which the grammar relies on without checking it:
    "num", "numeral", "month", "weekday": int; "season": (first month, last month);
    "date": (day, month, year | None, the year's digits); "word", "unit" and the rest: str.
    """

    kind: str
    #: A tagged value that mypy cannot narrow by `kind` (a plain str): hence Any.
    value: Any
    text: str


# `str.translate` looks up every character of non-ASCII text in the table; most phrases
# have none of its characters, and one scan for them is several times cheaper.
_TRANSLATED = re.compile("[" + re.escape("".join(chr(code) for code in _TRANSLATION)) + "]")


_DASH_RUN = re.compile(r"-(?: ?-)+")


def normalise(text: str) -> str:
    """Lower case, «ё» as «е», one kind of dash (a run of them is one), one space between
    words."""
    lowered = text.lower()
    if _TRANSLATED.search(lowered) is not None:
        lowered = lowered.translate(_TRANSLATION)
    spaced = " ".join(lowered.split())
    if "--" in spaced or "- -" in spaced:  # «5 июня--9 июня»
        spaced = _DASH_RUN.sub("-", spaced)
    return spaced


def _ordinal(word: str) -> int | None:
    for stem, number in vocab.ORDINAL_STEMS.items():
        if word.startswith(stem) and word[len(stem) :] in vocab.ORDINAL_ENDINGS:
            return number
    return None


def _build_word_table() -> dict[str, tuple[str, object]]:
    table: dict[str, tuple[str, object]] = {}
    for unit, forms in vocab.UNIT_WORDS.items():
        for form in forms:
            table[form] = ("unit", unit)
    for month, forms in vocab.MONTH_FORMS.items():
        for form in forms:
            table[form] = ("month", month)
    for months, forms in vocab.SEASON_FORMS.items():
        for form in forms:
            table[form] = ("season", months)
    for roman, number in vocab.ROMAN_NUMERALS.items():
        table[roman] = ("numeral", number)
    for word, number in vocab.TENS_WORDS.items():
        table[word] = ("numeral", number)
    for word in vocab.LAST_WORDS:
        table[word] = ("numeral", -1)
    for weekday, forms in vocab.WEEKDAY_FORMS.items():
        for form in forms:
            table[form] = ("weekday", weekday)
    return table


_WORDS = _build_word_table()


@lru_cache(maxsize=4096)
def classify(word: str) -> tuple[str, object]:
    """A word's class: ("month", 3), ("unit", "quarter"), ("numeral", 2) or ("word", word)."""
    known = _WORDS.get(word)
    if known is not None:
        return known
    number = _ordinal(word)
    if number is not None:
        return ("numeral", number)
    return ("word", word)


# Tokens are immutable: one per known word, shared by every phrase that uses it.
_WORD_TOKENS = {word: Token(kind, value, word) for word, (kind, value) in _WORDS.items()}


@lru_cache(maxsize=4096)
def word_token(word: str) -> Token:
    """The token of a word the tables do not list (an ordinal form, or a plain word)."""
    return Token(*classify(word), word)


def _numeric_date(text: str) -> tuple[int, int, int | None, int]:
    parts = text.split(".")
    year = int(parts[2]) if len(parts) == 3 else None
    digits = len(parts[2]) if len(parts) == 3 else 0
    return int(parts[0]), int(parts[1]), year, digits


_GROUP = _TOKEN.groupindex
_WORD, _NUM, _DATE, _ISO, _ORD, _RORD = (
    _GROUP[name] for name in ("word", "num", "date", "iso", "ord", "rord")
)
#: Group number -> token kind, for the kinds whose value is their text.
_KINDS = {index: name for name, index in _GROUP.items()}


def tokenize(normalised: str) -> list[Token]:
    """Tokens of normalised text; spaces vanish, everything else becomes a token."""
    tokens: list[Token] = []
    append = tokens.append
    words = _WORD_TOKENS
    # Every group is a named kind and the only capturing one, so `lastindex` tells the kind
    # with one integer comparison; words and numbers, the commonest tokens, are tested first.
    for match in _TOKEN.finditer(normalised):
        index: int = match.lastindex  # type: ignore[assignment]  # every alternative is a group
        text = match[index]
        if index == _WORD:
            append(words.get(text) or word_token(text))
        elif index == _NUM:
            append(_new(Token, ("num", int(text), text)))
        elif index == _DATE:
            append(_new(Token, ("date", _numeric_date(text), text)))
        elif index == _ISO:
            year, month, day = (int(part) for part in text.split("-"))
            append(_new(Token, ("date", (day, month, year, 4), text)))
        elif index == _ORD:
            append(_new(Token, ("numeral", int(text[:2].rstrip(" -")), text)))
        elif index == _RORD:  # «I-е полугодие», «II-й квартал»
            numeral = vocab.ROMAN_NUMERALS.get(text.partition("-")[0].strip())
            append(_new(Token, ("numeral", numeral, text) if numeral else ("other", text, text)))
        else:
            append(_new(Token, (_KINDS[index], text, text)))
    return tokens
