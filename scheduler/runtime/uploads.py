"""Importing a plan a coordinator uploaded in the chat, and planning its reminders at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.chats.uploads import Imported, as_file, record_imported
from models.importing import import_plans
from models.schema.chats import PlanUpload
from scheduler.rules.policy import Policy
from scheduler.runtime.planning import plan_after_import


def import_upload(
    session: Session, *, upload: PlanUpload, now: datetime, policy: Policy
) -> list[Imported]:
    """The real import of every plan in the file (a workbook may hold several; all or
    nothing: the caller's transaction) and their reminders, one report a plan."""
    with as_file(upload.file_name, upload.content) as path:
        reports = import_plans(session, path=path, now=now, source_name=upload.file_name)
    done = []
    for report in reports:
        planned = plan_after_import(
            session,
            plan_id=report.plan_id,
            numbers={*report.created, *report.updated, *report.withdrawn, *report.restored},
            whole_plan=report.plan_created,
            now=now,
            policy=policy,
        ).created
        done.append(Imported(report, planned))
    record_imported(session, upload=upload, reports=reports, now=now)
    return done
