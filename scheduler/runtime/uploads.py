"""Importing a plan a coordinator uploaded in the chat, and planning its reminders at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.chats.uploads import IMPORTED, Imported, as_file
from models.importing import ImportReport, import_plan
from models.schema.chats import PlanUpload
from scheduler.rules.policy import Policy
from scheduler.runtime.planning import import_and_plan


def import_upload(
    session: Session, *, upload: PlanUpload, now: datetime, policy: Policy
) -> Imported:
    """The real import (all or nothing: the caller's transaction) and its reminders."""

    def run_import(session: Session) -> ImportReport:
        with as_file(upload.file_name, upload.content) as path:
            return import_plan(session, path=path, now=now, source_name=upload.file_name)

    done = import_and_plan(session, policy=policy, now=now, run_import=run_import)
    upload.state, upload.plan_id, upload.decided_at = IMPORTED, done.report.plan_id, now
    upload.content = b""
    session.flush()
    return Imported(done.report, done.planned.created)
