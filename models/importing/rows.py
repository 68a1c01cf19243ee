"""Row builders and batched INSERTs for the importer: agencies, new items and their rows.

New items go in with one executemany per table (Core, not the ORM's bulk path, which
costs more per row than the database does), so a 10,000-item plan stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models.base import Base
from models.importing.agencies import TIMEZONES, normalise_name
from models.importing.parsed import ParsedAgency, ParsedItem
from models.importing.pg_copy import copy_rows, next_ids
from models.schema.people import Agency, AgencyAlias, Responsibility
from models.schema.plans import Item, ItemChange, Plan, Window
from scheduler.rules.deadlines import DeadlineParse

Parse = Callable[[str], DeadlineParse]


class AgencyBook:
    """Agency ids by normalised name, loaded once; the missing ones made in one batch."""

    def __init__(self, session: Session, *, now: datetime) -> None:
        self.session = session
        self.now = now
        self.created = 0
        self.ids: dict[str, int] = {}
        for agency_id, name in session.execute(select(Agency.id, Agency.name)):
            self.ids.setdefault(normalise_name(name), agency_id)
        for alias, agency_id in session.execute(select(AgencyAlias.alias, AgencyAlias.agency_id)):
            self.ids.setdefault(alias, agency_id)

    def prepare(self, wanted: Iterable[ParsedAgency]) -> None:
        """Create every agency in `wanted` not known yet, with its alias."""
        missing: dict[str, ParsedAgency] = {}
        for parsed in wanted:
            key = normalise_name(parsed.name)
            if key not in self.ids:
                missing.setdefault(key, parsed)
        if not missing:
            return
        rows = [
            {"name": p.name, "side": p.side, "timezone": TIMEZONES[p.side], "created_at": self.now}
            for p in missing.values()
        ]
        ids = insert_returning_ids(self.session, model=Agency, rows=rows)
        aliases = [{"agency_id": i, "alias": key} for i, key in zip(ids, missing, strict=True)]
        insert_rows(self.session, model=AgencyAlias, rows=aliases)
        self.ids.update(zip(missing, ids, strict=True))
        self.created += len(ids)

    def get(self, parsed: ParsedAgency) -> int:
        """The id of an agency `prepare` has seen."""
        return self.ids[normalise_name(parsed.name)]


def insert_rows(session: Session, *, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """One executemany through Core; on PostgreSQL one COPY."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        copy_rows(connection, model.__table__, rows)
        return
    connection.execute(insert(model.__table__), rows)


def insert_returning_ids(
    session: Session, *, model: type[Base], rows: list[dict[str, Any]]
) -> list[int]:
    """Insert `rows` and return their new ids in the same order."""
    connection = session.connection()
    table = model.__table__
    if connection.dialect.name == "postgresql":
        ids = next_ids(connection, table, len(rows))
        copy_rows(connection, table, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
        return ids
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(connection.execute(statement, rows).scalars())


def parse_fields(parse: DeadlineParse) -> dict[str, Any]:
    return {
        "recurrence": parse.recurrence,
        "tentative": parse.tentative,
        "undated": parse.undated,
        "due": [day.isoformat() for day in parse.due],
        "warnings": list(parse.warnings),
    }


def window_rows(item_id: int, parse: DeadlineParse, now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "item_id": item_id,
            "agency_id": None,
            "start": start,
            "end": end,
            "source": "plan",
            "created_at": now,
        }
        for start, end in parse.windows
    ]


def insert_new_items(
    session: Session,
    *,
    plan: Plan,
    fresh: list[tuple[ParsedItem, int]],
    sections: list[int],
    agencies: AgencyBook,
    now: datetime,
    parse: Parse,
) -> None:
    """Insert the items not in the database yet, with windows, responsibilities, history."""
    if not fresh:
        return
    rows = []
    for parsed_item, position in fresh:
        deadline = parse(parsed_item.deadline)
        rows.append(
            {
                "plan_id": plan.id,
                "section_id": sections[parsed_item.section]
                if parsed_item.section is not None
                else None,
                "number": parsed_item.number,
                "position": position,
                **text_fields(parsed_item),
                **parse_fields(deadline),
                "created_at": now,
                "updated_at": now,
            }
        )
    ids = insert_returning_ids(session, model=Item, rows=rows)
    windows, duties, changes = [], [], []
    for item_id, (parsed_item, _) in zip(ids, fresh, strict=True):
        windows.extend(window_rows(item_id, parse(parsed_item.deadline), now))
        for agency_id, duty in wanted_agencies(parsed_item, agencies).items():
            duties.append(
                {
                    "item_id": item_id,
                    "agency_id": agency_id,
                    "side": duty.side,
                    "source": duty.source,
                    "role": duty.role,
                    "note": duty.note,
                    "person": duty.person,
                    "created_at": now,
                }
            )
        changes.append(
            {
                "item_id": item_id,
                "kind": "created",
                "detail": {"number": parsed_item.number},
                "created_at": now,
            }
        )
    for model, batch in ((Window, windows), (Responsibility, duties), (ItemChange, changes)):
        if batch:
            insert_rows(session, model=model, rows=batch)


def text_fields(parsed_item: ParsedItem) -> dict[str, Any]:
    """The item columns that come straight from the document."""
    return {
        "title": parsed_item.title,
        "place": parsed_item.place,
        "description": parsed_item.description,
        "goal": parsed_item.goal,
        "participants": parsed_item.participants,
        "deadline_text": parsed_item.deadline,
    }


@dataclass(frozen=True)
class Duty:
    """What an item's responsibility row says besides its agency."""

    side: str
    source: str
    role: str = "lead"
    note: str | None = None
    person: str | None = None


def wanted_agencies(parsed_item: ParsedItem, agencies: AgencyBook) -> dict[int, Duty]:
    """Agency id -> its duty for the bodies the document (or assignments) names; the first
    mention of a body wins."""
    wanted: dict[int, Duty] = {}
    for parsed in parsed_item.agencies:
        duty = Duty(str(parsed.side), parsed.source, parsed.role, parsed.note, parsed.person)
        wanted.setdefault(agencies.get(parsed), duty)
    return wanted
