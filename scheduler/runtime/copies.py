"""The copies the agency's other contacts got of the reminder a contact just answered:
they are edited to show the answer («Отмечено: Выполнено — Иванов И.И., …»), so nobody
is left asking. A copy sent alone gets the line under it; one sent in parts, its last
part (the one with the buttons); a batched message that listed it among others is the
list again, the item's line marked («(отмечено: Выполнено — Иванов И.И.)»). A recurring
item's copy of another window's reminder is not about this answer and is left alone."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from messages import TELEGRAM_LIMIT, render, split_message, telegram_length
from messages.recorded import with_recorded
from models.outbox.copies import Copy as Sent
from models.outbox.copies import other_copies
from models.outbox.facts import reminder_facts_many
from models.statuses.contact import Recorded
from scheduler.runtime.reminder_text import batch_content, reminder_content
from scheduler.runtime.sending import Button


@dataclass(frozen=True)
class Copy:
    """Another chat's copy of the reminder as it should now read: where it is, its text
    (showing the answer) and its buttons."""

    chat_id: int
    message_id: int
    text: str
    buttons: tuple[tuple[Button, ...], ...]


def recorded_line(recorded: Recorded, timezone: str) -> str:
    """«Отмечено: Выполнено — Иванов И.И., 20 марта 12:00»."""
    return render(
        "bot/recorded.j2",
        status=recorded.status,
        author=recorded.author,
        at=recorded.at,
        timezone=timezone,
    )


def copies_to_show(
    session: Session, *, recorded: Recorded, chat_id: int, now: datetime, timezone: str
) -> list[Copy]:
    """The other chats' copies that should show a new report (none for a repeat), about
    the report's window; `timezone`: the moment in the line is shown in it."""
    if not recorded.new or recorded.status is None:
        return []
    line = recorded_line(recorded, timezone)
    found = []
    # The chats' copies are mostly of one reminder: its text is read once.
    texts: dict[int, tuple[str, tuple[tuple[Button, ...], ...]]] = {}
    for sent in other_copies(
        session,
        item_id=recorded.item_id,
        agency_id=recorded.agency_id,
        chat_id=chat_id,
        window=recorded.window,
    ):
        shown = _content(session, sent, now=now, line=line, author=recorded.author, texts=texts)
        if shown is not None:
            text, buttons = shown
            found.append(Copy(sent.chat_id, sent.message_id, text, buttons))
    return found


def _content(
    session: Session,
    sent: Sent,
    *,
    now: datetime,
    line: str,
    author: str,
    texts: dict[int, tuple[str, tuple[tuple[Button, ...], ...]]],
) -> tuple[str, tuple[tuple[Button, ...], ...]] | None:
    """A copy showing an answer (`line`): the reminder with that line; of one sent in
    parts, its last part (the one with the buttons) with the line; of a batched message,
    the list again with the item's line marked (by `author`). None when an edit would not
    fit in a message. `texts`: the reminders' texts already read, by id."""
    if sent.batched:
        facts = reminder_facts_many(session, reminder_ids=sent.batched)
        shown = [
            replace(f, status_by=author) if f.reminder_id == sent.reminder_id else f
            for f in facts.values()
        ]
        return batch_content(shown)
    if sent.reminder_id not in texts:
        texts[sent.reminder_id] = reminder_content(session, reminder_id=sent.reminder_id, now=now)
    text, buttons = texts[sent.reminder_id]
    if sent.split and telegram_length(text) > TELEGRAM_LIMIT:
        text = split_message(text)[-1]
    text = with_recorded(text, line)
    if telegram_length(text) > TELEGRAM_LIMIT:
        return None
    return text, buttons
