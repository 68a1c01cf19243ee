"""A plan file a coordinator sent to the bot: read and previewed, kept, imported and
planned at once, its sections without a body assigned.

Every step re-reads the sender's role in its transaction; nothing here talks to Telegram
(bot/handlers/plan_upload.py calls these in a worker thread and sends what they return).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from messages.plan_upload import (
    Keyboard,
    UploadPress,
    confirm_keyboard,
    parse_upload,
    section_keyboard,
)
from messages.say import Say, say
from models.chats.uploads import (
    Changes,
    Imported,
    as_file,
    ask_name,
    assign_section,
    awaiting_name,
    cancel_upload,
    changes_of_plans,
    imported_upload,
    keep_upload,
    next_question,
    next_section,
    read_upload_plans,
    record_imported,
    skip_section,
    unassigned_items,
    waiting_upload,
)
from models.importing import ImportReport, Preview, import_plans
from models.levers import Actor, LeverRefusedError, new_body
from models.schema.chats import PlanUpload
from models.schema.people import Agency
from scheduler.rules.policy import Policy
from scheduler.runtime.levers.press import Who, actor_of
from scheduler.runtime.options import Options
from scheduler.runtime.planning import import_and_plan, replan_items


@dataclass(frozen=True)
class Out:
    """One message to send: what it says, its buttons, or a reply field for typed words."""

    say: Say
    keyboard: Keyboard = ()
    force_reply: bool = False


@dataclass(frozen=True)
class Received:
    """A plan file kept for «Импортировать»: what its previews show (a workbook may hold
    several plans, one a sheet)."""

    upload_id: int
    #: The file's name as kept.
    file_name: str
    previews: list[Preview]
    #: What the import would change in each plan Srok already has (None: a new plan).
    changes: list[Changes | None]

    def confirm_keyboard(self) -> Keyboard:
        """«Импортировать» / «Отмена», under the preview's last part."""
        return confirm_keyboard(self.upload_id)


def check_sender(session: Session, options: Options, *, who: Who) -> None:
    """Raises LeverRefusedError unless a coordinator sent the file (before downloading)."""
    actor_of(session, options, who)


def receive(
    sessions: sessionmaker[Session],
    options: Options,
    *,
    who: Who,
    file_name: str,
    content: bytes,
    now: datetime,
    today: date,
) -> Received:
    """Read the file as `srok import --dry-run` would, find what would change in a plan
    Srok already has, and keep the file for «Импортировать». Raises LeverRefusedError,
    or ImportFormatError for a bad file (then nothing is written).

    Three transactions: the sender checked, the import tried and rolled back, the file
    kept (hence `sessions`, not a session).
    """
    with sessions.begin() as session:
        check_sender(session, options, who=who)
    previews = read_upload_plans(file_name, content, today=today)
    with sessions() as session:
        try:
            changes = changes_of_plans(session, file_name=file_name, content=content, now=now)
        finally:
            session.rollback()  # the import was only tried
    with sessions.begin() as session:
        actor_of(session, options, who)
        upload = keep_upload(
            session,
            chat_id=who.chat_id,
            user_id=who.user_id,
            file_name=file_name,
            content=content,
            now=now,
        )
        return Received(upload.id, upload.file_name, previews, changes)


def press_upload(
    session: Session, options: Options, *, data: str | None, who: Who, now: datetime
) -> list[Out]:
    """One `pu:` press, checked against the database; raises LeverRefusedError,
    BadUploadDataError, or ImportFormatError (the caller's transaction must then roll
    back: the file stays waiting)."""
    pressed = parse_upload(data)
    step = _Step(session, options, actor_of(session, options, who), who, now)
    return _ACTIONS[pressed.action](step, pressed)


def answer_upload_words(
    session: Session, options: Options, *, who: Who, text: str, now: datetime
) -> list[Out] | None:
    """A body's name typed after «Ввести название»; None when no upload asked this chat."""
    upload = awaiting_name(session, chat_id=who.chat_id, now=now)
    if upload is None:
        return None
    step = _Step(session, options, actor_of(session, options, who), who, now)
    section_id = upload.asking_section
    assert section_id is not None
    if not unassigned_items(session, plan_id=upload.plan_id or 0, section_id=section_id):
        raise LeverRefusedError("stale")
    title = _section_title(session, upload, section_id)
    agency = new_body(session, name=text, now=now)
    return _assigned(step, upload, section_id, agency.id, title)


def import_upload(
    session: Session, *, upload: PlanUpload, now: datetime, policy: Policy
) -> list[Imported]:
    """The real import of every plan in the file (a workbook may hold several; all or
    nothing: the caller's transaction) and their reminders, one report a plan."""

    def run_import(session: Session) -> list[ImportReport]:
        with as_file(upload.file_name, upload.content) as path:
            return import_plans(session, path=path, now=now, source_name=upload.file_name)

    done = import_and_plan(session, policy=policy, now=now, run_import=run_import)
    record_imported(session, upload=upload, reports=[d.report for d in done], now=now)
    return [Imported(d.report, d.planned.created) for d in done]


@dataclass(frozen=True)
class _Step:
    """A press or typed words being handled, inside its transaction."""

    session: Session
    options: Options
    actor: Actor
    who: Who
    now: datetime


def _import(step: _Step, pressed: UploadPress) -> list[Out]:
    session, now = step.session, step.now
    upload = waiting_upload(session, upload_id=pressed.upload_id, chat_id=step.who.chat_id, now=now)
    imported = import_upload(session, upload=upload, now=now, policy=step.options.policy)
    done = [
        Out(say("plan_upload/imported.j2", report=i.report, planned=i.planned)) for i in imported
    ]
    return [*done, *_next(session, upload, finished=False)]


def _cancel(step: _Step, pressed: UploadPress) -> list[Out]:
    session, now = step.session, step.now
    upload = waiting_upload(session, upload_id=pressed.upload_id, chat_id=step.who.chat_id, now=now)
    cancel_upload(session, upload=upload, now=now)
    return [Out(say("plan_upload/cancelled.j2", file=upload.file_name))]


def _section_title(session: Session, upload: PlanUpload, section_id: int) -> str:
    question = next_section(session, upload=upload)
    if question is not None and question.section_id == section_id:
        return question.title
    raise LeverRefusedError("stale")  # that section is no longer the one asked about


def _assign(step: _Step, pressed: UploadPress) -> list[Out]:
    upload = imported_upload(step.session, upload_id=pressed.upload_id, chat_id=step.who.chat_id)
    assert pressed.section_id is not None and pressed.agency_id is not None
    title = _section_title(step.session, upload, pressed.section_id)
    return _assigned(step, upload, pressed.section_id, pressed.agency_id, title)


def _assigned(
    step: _Step, upload: PlanUpload, section_id: int, agency_id: int, title: str
) -> list[Out]:
    """The section's items get the body; their reminders are planned at once."""
    session, now = step.session, step.now
    items = assign_section(
        session,
        actor=step.actor,
        upload=upload,
        section_id=section_id,
        agency_id=agency_id,
        now=now,
    )
    replan_items(
        session,
        policy=step.options.policy,
        now=now,
        item_ids=[item.id for item in items],
        reason="plan upload: section assigned",
    )
    agency = session.get(Agency, agency_id)
    assert agency is not None
    said = say("plan_upload/assigned.j2", title=title, agency=agency.name, count=len(items))
    return [Out(said), *_next(session, upload, finished=True)]


def _skip(step: _Step, pressed: UploadPress) -> list[Out]:
    upload = imported_upload(step.session, upload_id=pressed.upload_id, chat_id=step.who.chat_id)
    assert pressed.section_id is not None
    title = _section_title(step.session, upload, pressed.section_id)
    skip_section(step.session, upload=upload, section_id=pressed.section_id)
    said = say("plan_upload/assigned.j2", title=title, skipped=True)
    return [Out(said), *_next(step.session, upload, finished=True)]


def _name(step: _Step, pressed: UploadPress) -> list[Out]:
    upload = imported_upload(step.session, upload_id=pressed.upload_id, chat_id=step.who.chat_id)
    assert pressed.section_id is not None
    title = _section_title(step.session, upload, pressed.section_id)
    ask_name(step.session, upload=upload, section_id=pressed.section_id, now=step.now)
    return [Out(say("plan_upload/ask_name.j2", title=title), force_reply=True)]


def _next(session: Session, upload: PlanUpload, *, finished: bool) -> list[Out]:
    """The next section to ask about, or (after the last answer) that all are set."""
    question = next_question(session, upload=upload)
    if question is None:
        return [Out(say("plan_upload/done.j2"))] if finished else []
    return [Out(say("plan_upload/section.j2", question=question), section_keyboard(question))]


_ACTIONS: dict[str, Callable[[_Step, UploadPress], list[Out]]] = {
    "i": _import,
    "c": _cancel,
    "a": _assign,
    "s": _skip,
    "n": _name,
}
