"""Assignments files: who answers for the sections and items of a plan that names no one.

YAML::

    agencies:                      # optional: the side of each body (RU or BY)
      Министерство спорта Смоленской области: RU
    sections:                      # a section's title (or number) -> bodies
      В сфере спорта:
        - Министерство спорта Смоленской области
    items:                         # an item's number -> bodies (added to the section's)
      "47": [Министерство спорта Смоленской области]

A body is a name, or a mapping ``{name: …, side: BY}``. CSV has the columns
``section,item,agency,side`` (one of section and item filled in on each line).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from models.importing.agencies import side_by_name
from models.importing.errors import ImportFormatError
from models.importing.limits import load_yaml
from models.importing.parsed import ParsedAgency, ParsedPlan
from models.importing.source import decode, read_bytes
from models.importing.text import normalise_title
from scheduler.rules.domain import Side


@dataclass
class Assignments:
    """Bodies by section key (normalised title or number) and by item number."""

    path: Path
    sections: dict[str, list[ParsedAgency]] = field(default_factory=dict)
    items: dict[str, list[ParsedAgency]] = field(default_factory=dict)


def read_assignments(path: Path) -> Assignments:
    """The assignments in a YAML or CSV file; raises ImportFormatError when malformed."""
    raw = read_bytes(path)
    if not raw.strip():
        raise ImportFormatError(path, None, "файл назначений пуст")
    text = decode(path, raw)
    if path.suffix.lower() == ".csv" or text.lstrip().lower().startswith("section,"):
        return _from_csv(path, text)
    return _from_yaml(path, text)


def _from_yaml(path: Path, text: str) -> Assignments:
    try:
        data = load_yaml(path, text)  # no aliases: a 1 KB file cannot expand
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ImportFormatError(path, line, "ошибка синтаксиса YAML") from exc
    if not isinstance(data, dict) or not ({"sections", "items"} & set(data)):
        raise ImportFormatError(path, None, "нужны ключи «sections» и/или «items»")
    sides = {str(k): _side(path, v) for k, v in (data.get("agencies") or {}).items()}
    result = Assignments(path=path)
    for key, target in (("sections", result.sections), ("items", result.items)):
        mapping = data.get(key) or {}
        if not isinstance(mapping, dict):
            raise ImportFormatError(path, None, f"«{key}» должен быть словарём")
        for name, bodies in mapping.items():
            target[_key(key, name)] = [_body(path, b, sides) for b in _as_list(bodies)]
    return result


def _from_csv(path: Path, text: str) -> Assignments:
    result = Assignments(path=path)
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "agency" not in reader.fieldnames:
        raise ImportFormatError(path, 1, "нужны колонки section,item,agency,side")
    for line, row in enumerate(reader, start=2):
        name = (row.get("agency") or "").strip()
        section, item = (row.get("section") or "").strip(), (row.get("item") or "").strip()
        if not name or not (section or item):
            raise ImportFormatError(path, line, "нужны agency и section или item")
        side = _side(path, row["side"], line) if (row.get("side") or "").strip() else None
        body = ParsedAgency(
            name=name, side=side or side_by_name(name) or Side.RU, source="assignment"
        )
        target = result.items if item else result.sections
        target.setdefault(_key("items" if item else "sections", item or section), []).append(body)
    return result


def apply_assignments(plan: ParsedPlan, assignments: Assignments, *, check: bool = True) -> None:
    """Give the plan's items the bodies the file names.

    For a plan without a responsible column a key the plan lacks is an error (a typo
    would leave items without agency); a plan that names its own bodies takes only the
    keys it has, so one file can serve several plans imported together. `check=False`
    when the caller checks the keys of several plans at once (check_keys).
    """
    if check:
        check_keys([plan], assignments)
    for item in plan.items:
        bodies: list[ParsedAgency] = []
        if item.section is not None and not item.agencies:
            for key in keys_of(plan, item.section):
                bodies.extend(assignments.sections.get(key, []))
        bodies.extend(assignments.items.get(item.number, []))
        item.agencies.extend(b for b in bodies if b not in item.agencies)


def check_keys(plans: list[ParsedPlan], assignments: Assignments) -> None:
    """Every key names a section or an item of one of the plans without a responsible
    column (a workbook's sheets share one assignments file); no such plan, no check."""
    bare = [plan for plan in plans if not plan.has_agencies]
    if not bare:
        return
    keys = {key for plan in bare for key in _section_keys(plan)}
    for key in assignments.sections:
        if key not in keys:
            raise ImportFormatError(assignments.path, None, f"в плане нет раздела «{key}»")
    numbers = {item.number for plan in bare for item in plan.items}
    for number in assignments.items:
        if number not in numbers:
            raise ImportFormatError(assignments.path, None, f"в плане нет пункта {number}")


def keys_of(plan: ParsedPlan, index: int) -> list[str]:
    section = plan.sections[index]
    keys = [normalise_title(section.title).rstrip(":")]
    if section.number:
        keys.append(section.number)
    return keys


def _section_keys(plan: ParsedPlan) -> set[str]:
    return {key for i in range(len(plan.sections)) for key in keys_of(plan, i)}


def _key(kind: str, name: object) -> str:
    text = str(name).strip()
    return text.rstrip(".") if kind == "items" else normalise_title(text).rstrip(":")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _body(path: Path, value: Any, sides: dict[str, Side]) -> ParsedAgency:
    if isinstance(value, dict):
        name = str(value.get("name") or "").strip()
        side = _side(path, value["side"]) if value.get("side") else None
    else:
        name, side = str(value or "").strip(), None
    if not name:
        raise ImportFormatError(path, None, "у ответственного нет названия")
    side = side or sides.get(name) or side_by_name(name) or Side.RU
    return ParsedAgency(name=name, side=side, source="assignment")


def _side(path: Path, value: object, line: int | None = None) -> Side:
    text = str(value).strip().upper()
    if text not in ("RU", "BY"):
        raise ImportFormatError(path, line, f"сторона «{value}»: нужна RU или BY")
    return Side(text)
