"""Test data for dispatch: a plan, agencies with contacts, coordinators, due reminders.

Built with `builders` (the importer is not needed to test sending). Shared by the
dispatch tests, the crash and multi-process tests and `bench/dispatch.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from models.schema.reminders import Reminder
from scheduler.rules.domain import ReminderKind, ReminderState, Role, Side
from tests.support import builders

#: A Wednesday at 10:00 Moscow time: inside working hours.
WORKING_NOW = datetime.fromisoformat("2026-04-15T10:00:00+03:00")
#: Chat ids: agency contacts from 1000 on, coordinators from 9000 on.
CONTACT_CHAT_BASE = 1000
COORDINATOR_CHAT_BASE = 9000


@dataclass(frozen=True)
class Seeded:
    plan_id: int
    item_ids: list[int]
    agency_ids: list[int]
    reminder_ids: list[int]
    contact_chats: dict[int, list[int]]  # agency_id -> chat ids
    coordinator_chats: list[int]


def seed_plan(
    session: Session,
    *,
    now: datetime,
    items: int = 3,
    agencies: int = 2,
    contacts_per_agency: int = 1,
    coordinators: int = 1,
) -> Seeded:
    """A plan with `items` items, each answered for by every agency, and the people."""
    plan = builders.add_plan(
        session,
        at=now,
        source_name=f"plan-{now.timestamp()}.txt",
        title="План «Смоленск – Могилёв» <2026>",
        end=date(2028, 12, 31),
    )
    agency_rows = [
        builders.add_agency(
            session, f"Министерство № {a + 1}", Side.RU if a % 2 == 0 else Side.BY, at=now
        )
        for a in range(agencies)
    ]
    item_rows = [
        builders.add_item(
            session,
            plan,
            f"1.{i + 1}",
            at=now,
            title=f"Обмен делегациями & встреча <{i + 1}>",
            deadline="II квартал 2026 года",
            undated=False,
            agencies=agency_rows,
        )
        for i in range(items)
    ]
    chats: dict[int, list[int]] = {}
    chat = CONTACT_CHAT_BASE
    for agency in agency_rows:
        for _ in range(contacts_per_agency):
            builders.add_contact(session, chat, at=now, agency_id=agency.id)
            chats.setdefault(agency.id, []).append(chat)
            chat += 1
    coordinator_chats = [COORDINATOR_CHAT_BASE + c for c in range(coordinators)]
    for chat_id in coordinator_chats:
        builders.add_contact(
            session, chat_id, at=now, role=Role.COORDINATOR, name=f"Координатор {chat_id}"
        )
    return Seeded(
        plan.id,
        [i.id for i in item_rows],
        [a.id for a in agency_rows],
        [],
        chats,
        coordinator_chats,
    )


def seed_request(session: Session, *, now: datetime, **plan: Any) -> tuple[Seeded, int]:
    """`seed_plan(**plan)` and one status request due at `now` to its first agency about its
    first item; the plan and the reminder's id."""
    seeded = seed_plan(session, now=now, **plan)
    first_item, first_agency = seeded.item_ids[0], seeded.agency_ids[0]
    reminder_id = builders.add_reminder(
        session,
        kind=ReminderKind.STATUS_REQUEST,
        due_at=now,
        now=now,
        item_id=first_item,
        agency_id=first_agency,
    )
    return seeded, reminder_id


def reminders_in(call: Any) -> set[str]:
    """The reminder ids a sent message carried: its status buttons' (`st:<id>:…`), or the
    card buttons of a batched message (`cd:<id>`)."""
    rows = call.params["reply_markup"]["inline_keyboard"]
    return {
        button["callback_data"].split(":")[1]
        for row in rows
        for button in row
        if button["callback_data"].startswith(("st:", "cd:"))
    }


def seed_many_due(session: Session, *, count: int, now: datetime, agencies: int = 50) -> Seeded:
    """`count` due status requests spread over `agencies` agencies with one contact each."""
    per_agency = -(-count // agencies)
    seeded = seed_plan(session, now=now, items=per_agency, agencies=agencies, coordinators=1)
    rows = []
    due = now - timedelta(minutes=5)
    for n in range(count):
        item_id = seeded.item_ids[n // agencies]
        agency_id = seeded.agency_ids[n % agencies]
        rows.append(
            {
                "dedup_key": f"status_request:{item_id}:{agency_id}",
                "item_id": item_id,
                "agency_id": agency_id,
                "kind": ReminderKind.STATUS_REQUEST,
                "window_start": date(2026, 1, 1),
                "window_end": date(2026, 3, 31),
                "slot": "",
                "due_at": due,
                "state": ReminderState.PENDING,
                "attempts": 0,
                "created_at": now,
                "updated_at": now,
            }
        )
    session.execute(insert(Reminder), rows)
    return seeded
