"""Word's automatic list numbering turned back into the numbers a reader sees.

A paragraph numbered by Word holds no «1.1.» in its text: the number comes from its
list (`w:numPr`, directly or through its style) and the list's level formats in
numbering.xml. Counting the paragraphs of each list in order gives the numbers back;
a bullet level gives «-».
"""

from __future__ import annotations

import re
from typing import Any

from docx.document import Document as DocumentObject
from docx.oxml.ns import qn

_LEVEL_TEXT = re.compile(r"%([1-9])")


class ListNumbers:
    """Counts numbered paragraphs in document order and labels each one."""

    def __init__(self, document: DocumentObject) -> None:
        self.abstract_of: dict[str, str] = {}
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        self.style_numbering: dict[str, tuple[str, int] | None] = {}
        self.styles = document.styles
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        self._read(numbering)

    def _read(self, numbering: Any) -> None:
        for num in numbering.iterchildren(qn("w:num")):
            abstract = num.find(qn("w:abstractNumId"))
            if abstract is not None:
                self.abstract_of[num.get(qn("w:numId"))] = abstract.get(qn("w:val"))
        for abstract in numbering.iterchildren(qn("w:abstractNum")):
            key = abstract.get(qn("w:abstractNumId"))
            for level in abstract.iterchildren(qn("w:lvl")):
                fmt = _val(level, "w:numFmt") or "decimal"
                text = _val(level, "w:lvlText") or ""
                start = int(_val(level, "w:start") or 1)
                self.levels[(key, int(level.get(qn("w:ilvl")) or 0))] = (fmt, text, start)

    def label(self, paragraph: Any) -> str | None:
        """The number Word shows before `paragraph` (a python-docx Paragraph), if any."""
        found = self._numbering(paragraph)
        if found is None:
            return None
        num_id, level = found
        abstract = self.abstract_of.get(num_id, num_id)
        fmt, text, start = self.levels.get((abstract, level), ("decimal", "", 1))
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return None
        counters = self.counters.setdefault(abstract, [])
        del counters[level + 1 :]
        while len(counters) <= level:
            counters.append(start - 1 if len(counters) == level else 0)
        counters[level] += 1
        formats = [self.levels.get((abstract, i), ("decimal", "", 1))[0] for i in range(level + 1)]
        if not text:
            return ".".join(_format(n, f) for n, f in zip(counters, formats, strict=False)) + "."
        return _LEVEL_TEXT.sub(lambda m: _counter(counters, formats, int(m.group(1)) - 1), text)

    def _numbering(self, paragraph: Any) -> tuple[str, int] | None:
        ppr = paragraph._p.pPr
        num_pr = ppr.numPr if ppr is not None else None
        if num_pr is not None and num_pr.numId is not None:
            level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
            return (str(num_pr.numId.val), int(level)) if num_pr.numId.val else None
        style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
        return self._style_numbering(style_id) if style_id else None

    def _style_numbering(self, style_id: str) -> tuple[str, int] | None:
        if style_id not in self.style_numbering:
            found = None
            style = next((s for s in self.styles if s.style_id == style_id), None)
            while style is not None and found is None:
                spr = style.element.pPr
                if spr is not None and spr.numPr is not None and spr.numPr.numId is not None:
                    level = spr.numPr.ilvl.val if spr.numPr.ilvl is not None else 0
                    found = (str(spr.numPr.numId.val), int(level))
                style = style.base_style
            self.style_numbering[style_id] = found
        return self.style_numbering[style_id]


def _val(element: Any, tag: str) -> str | None:
    child = element.find(qn(tag))
    return child.get(qn("w:val")) if child is not None else None


def _counter(counters: list[int], formats: list[str], index: int) -> str:
    if index >= len(counters):
        return "1"
    return _format(counters[index], formats[index] if index < len(formats) else "decimal")


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip
_RUSSIAN_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"


def _format(number: int, fmt: str) -> str:
    """A counter as Word draws it in a level of format `fmt` (numFmt)."""
    if fmt in ("upperRoman", "lowerRoman"):
        out, rest = "", number
        for value, letters in _ROMAN:
            while rest >= value:
                out, rest = out + letters, rest - value
        return out if fmt == "upperRoman" else out.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("a") + (number - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "russianLower":
        return _RUSSIAN_LETTERS[(number - 1) % len(_RUSSIAN_LETTERS)]
    if fmt == "russianUpper":
        return _RUSSIAN_LETTERS[(number - 1) % len(_RUSSIAN_LETTERS)].upper()
    return str(number)
