"""The copies the agency's other contacts got of the reminder a contact just answered:
they are edited to show the answer («Отмечено: Выполнено — Иванов И.И., …»), so nobody
is left asking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from models.outbox.copies import other_copies
from models.statuses.contact import Recorded
from scheduler.runtime.reminder_text import reminder_content
from scheduler.runtime.sending import Button


@dataclass(frozen=True)
class Copy:
    """Another chat's copy of the reminder: where it is, its text and buttons as sent
    (the recorded line goes under the text, as on the message pressed)."""

    chat_id: int
    message_id: int
    text: str
    buttons: tuple[tuple[Button, ...], ...]


def copies_to_show(
    session: Session, *, recorded: Recorded, chat_id: int, now: datetime
) -> list[Copy]:
    """The other chats' copies that should show a new report (none for a repeat)."""
    if not recorded.new or recorded.status is None:
        return []
    found = []
    for copy in other_copies(
        session, item_id=recorded.item_id, agency_id=recorded.agency_id, chat_id=chat_id
    ):
        text, buttons = reminder_content(session, reminder_id=copy.reminder_id, now=now)
        found.append(Copy(copy.chat_id, copy.message_id, text, buttons))
    return found
