"""Importing a plan a coordinator uploaded in the chat, and planning its reminders at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.chats.uploads import IMPORTED, Imported, as_file
from models.importing import import_plan
from models.schema.chats import PlanUpload
from scheduler.rules.policy import Policy
from scheduler.runtime.planning import plan_after_import


def import_upload(
    session: Session, *, upload: PlanUpload, now: datetime, policy: Policy
) -> Imported:
    """The real import (all or nothing: the caller's transaction) and its reminders."""
    with as_file(upload.file_name, upload.content) as path:
        report = import_plan(session, path=path, now=now, source_name=upload.file_name)
    planned = plan_after_import(
        session,
        plan_id=report.plan_id,
        numbers={*report.created, *report.updated, *report.withdrawn, *report.restored},
        whole_plan=report.plan_created,
        now=now,
        policy=policy,
    ).created
    upload.state, upload.plan_id, upload.decided_at = IMPORTED, report.plan_id, now
    upload.content = b""
    session.flush()
    return Imported(report, planned)
