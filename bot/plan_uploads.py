"""A plan file sent to the bot, in a worker thread: read, kept, imported, assigned.

Every step opens its own transaction and re-reads the sender's role; nothing here talks
to Telegram (bot.handlers.plan_upload sends what these return).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.chat import local_today
from bot.levers import Who
from bot.replanning import replan
from bot.services import Services
from messages import render
from messages.plan_upload import (
    Keyboard,
    UploadPress,
    confirm_keyboard,
    parse_upload,
    previews_parts,
    section_keyboard,
)
from models.advisory import REPLAN, lock_key, share_in_transaction
from models.chats.uploads import (
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
    skip_section,
    unassigned_items,
    waiting_upload,
)
from models.importing import ImportFormatError
from models.levers import Actor, LeverRefusedError, coordinator_actor, new_body
from models.schema.chats import PlanUpload
from models.schema.people import Agency
from scheduler.rules.policy import Policy
from scheduler.runtime.uploads import import_upload


@dataclass(frozen=True)
class Out:
    """One message to send: its text, its buttons, or a reply field for typed words."""

    text: str
    keyboard: Keyboard = ()
    force_reply: bool = False


def _actor(session: Session, services: Services, who: Who) -> Actor:
    return coordinator_actor(
        session,
        user_id=who.user_id,
        name=who.name,
        configured=services.settings.srok_coordinator_ids,
    )


def check_sender(services: Services, who: Who) -> None:
    """Raises LeverRefusedError unless a coordinator sent the file (before downloading)."""
    with services.session_factory.begin() as session:
        _actor(session, services, who)


def receive(services: Services, who: Who, file_name: str, content: bytes) -> list[Out]:
    """Read the file as `srok import --dry-run` would, show what would change in a plan
    Srok already has, and keep the file for «Импортировать»; a bad file writes nothing."""
    check_sender(services, who)
    now = services.clock()
    try:
        previews = read_upload_plans(file_name, content, today=local_today(services))
        with services.session_factory() as session:
            try:
                changes = changes_of_plans(session, file_name=file_name, content=content, now=now)
            finally:
                session.rollback()  # the import was only tried
    except ImportFormatError as exc:
        return [Out(render("plan_upload/bad_file.j2", error=str(exc)))]
    with services.session_factory.begin() as session:
        _actor(session, services, who)
        upload = keep_upload(
            session,
            chat_id=who.chat_id,
            user_id=who.user_id,
            file_name=file_name,
            content=content,
            now=now,
        )
        upload_id, stored = upload.id, upload.file_name
    parts = previews_parts(stored, previews, changes)
    return [
        Out(part, confirm_keyboard(upload_id) if i == len(parts) - 1 else ())
        for i, part in enumerate(parts)
    ]


def press(services: Services, data: str | None, who: Who) -> list[Out]:
    """One `pu:` press, checked against the database; raises LeverRefusedError or
    BadUploadDataError."""
    pressed = parse_upload(data)
    try:
        with services.session_factory.begin() as session:
            actor = _actor(session, services, who)
            return _ACTIONS[pressed.action](session, services, actor, who, pressed)
    except ImportFormatError as exc:  # rolled back: the file stays waiting
        return [Out(render("plan_upload/bad_file.j2", error=str(exc)))]


def _import(
    session: Session, services: Services, actor: Actor, who: Who, pressed: UploadPress
) -> list[Out]:
    now = services.clock()
    upload = waiting_upload(session, upload_id=pressed.upload_id, chat_id=who.chat_id, now=now)
    # As every re-plan in the bot: after a daily re-plan in another process, not beside it.
    share_in_transaction(session, key=lock_key(REPLAN))
    imported = import_upload(
        session, upload=upload, now=now, policy=Policy.from_settings(services.settings)
    )
    done = [
        Out(render("plan_upload/imported.j2", report=i.report, planned=i.planned)) for i in imported
    ]
    return [*done, *_next(session, upload, finished=False)]


def _cancel(
    session: Session, services: Services, actor: Actor, who: Who, pressed: UploadPress
) -> list[Out]:
    now = services.clock()
    upload = waiting_upload(session, upload_id=pressed.upload_id, chat_id=who.chat_id, now=now)
    cancel_upload(session, upload=upload, now=now)
    return [Out(render("plan_upload/cancelled.j2", file=upload.file_name))]


def _section_title(session: Session, upload: PlanUpload, section_id: int) -> str:
    question = next_section(session, upload=upload)
    if question is not None and question.section_id == section_id:
        return question.title
    raise LeverRefusedError("stale")  # that section is no longer the one asked about


def _assign(
    session: Session, services: Services, actor: Actor, who: Who, pressed: UploadPress
) -> list[Out]:
    upload = imported_upload(session, upload_id=pressed.upload_id, chat_id=who.chat_id)
    assert pressed.section_id is not None and pressed.agency_id is not None
    title = _section_title(session, upload, pressed.section_id)
    return _assigned(session, services, actor, upload, pressed.section_id, pressed.agency_id, title)


def _assigned(
    session: Session,
    services: Services,
    actor: Actor,
    upload: PlanUpload,
    section_id: int,
    agency_id: int,
    title: str,
) -> list[Out]:
    now = services.clock()
    items = assign_section(
        session, actor=actor, upload=upload, section_id=section_id, agency_id=agency_id, now=now
    )
    for item in items:
        replan(
            session,
            settings=services.settings,
            now=now,
            item_id=item.id,
            reason="plan upload: section assigned",
        )
    agency = session.get(Agency, agency_id)
    assert agency is not None
    said = render("plan_upload/assigned.j2", title=title, agency=agency.name, count=len(items))
    return [Out(said), *_next(session, upload, finished=True)]


def _skip(
    session: Session, services: Services, actor: Actor, who: Who, pressed: UploadPress
) -> list[Out]:
    upload = imported_upload(session, upload_id=pressed.upload_id, chat_id=who.chat_id)
    assert pressed.section_id is not None
    title = _section_title(session, upload, pressed.section_id)
    skip_section(session, upload=upload, section_id=pressed.section_id)
    said = render("plan_upload/assigned.j2", title=title, skipped=True)
    return [Out(said), *_next(session, upload, finished=True)]


def _name(
    session: Session, services: Services, actor: Actor, who: Who, pressed: UploadPress
) -> list[Out]:
    upload = imported_upload(session, upload_id=pressed.upload_id, chat_id=who.chat_id)
    assert pressed.section_id is not None
    title = _section_title(session, upload, pressed.section_id)
    ask_name(session, upload=upload, section_id=pressed.section_id, now=services.clock())
    return [Out(render("plan_upload/ask_name.j2", title=title), force_reply=True)]


def _next(session: Session, upload: PlanUpload, *, finished: bool) -> list[Out]:
    """The next section to ask about, or (after the last answer) that all are set."""
    question = next_question(session, upload=upload)
    if question is None:
        return [Out(render("plan_upload/done.j2"))] if finished else []
    return [Out(render("plan_upload/section.j2", question=question), section_keyboard(question))]


def answer_words(services: Services, who: Who, text: str) -> list[Out] | None:
    """A body's name typed after «Ввести название»; None when no upload asked this chat."""
    with services.session_factory.begin() as session:
        now = services.clock()
        upload = awaiting_name(session, chat_id=who.chat_id, now=now)
        if upload is None:
            return None
        actor = _actor(session, services, who)
        section_id = upload.asking_section
        assert section_id is not None
        if not unassigned_items(session, plan_id=upload.plan_id or 0, section_id=section_id):
            raise LeverRefusedError("stale")
        title = _section_title(session, upload, section_id)
        agency = new_body(session, name=text, now=now)
        return _assigned(session, services, actor, upload, section_id, agency.id, title)


_ACTIONS = {"i": _import, "c": _cancel, "a": _assign, "s": _skip, "n": _name}
