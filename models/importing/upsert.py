"""Writing a parsed plan into the database: create it, or revise it in place.

The plan is found by its source name or its title; items match by number, so their
ids and status history survive a revision (see revise.py); new items go in batched
(see rows.py). Nothing here commits: the caller's transaction makes it all or nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.importing.parsed import ParsedItem, ParsedPlan
from models.importing.report import COLUMN_LABELS, DeadlineNote, ImportReport
from models.importing.revise import responsibilities_of, revise_item, withdraw_missing
from models.importing.rows import AgencyBook, Parse, insert_new_items
from models.importing.text import normalise_title
from models.schema.people import Responsibility
from models.schema.plans import Item, Plan, Section

PLAN_TIMEZONE = "Europe/Moscow"


def plan_today(now: datetime) -> date:
    """The plan's own day at `now` (its time zone's, not UTC's): what a period that falls
    back to the import date reads, in the preview and in the import alike."""
    return now.astimezone(ZoneInfo(PLAN_TIMEZONE)).date()


def find_plan(
    session: Session, *, source_name: str, title: str, workbook: str | None = None
) -> Plan | None:
    """The plan imported before from `source_name`, or else one with the same title.

    For a plan on a sheet of the workbook named `workbook`, a plan from another sheet of
    it is never the same plan by title: each sheet has its own («План.xlsx [2027]»)."""
    plan = session.scalars(select(Plan).where(Plan.source_name == source_name)).first()
    if plan is not None:
        return plan
    wanted = normalise_title(title)
    sibling = f"{workbook} [" if workbook is not None else None
    for candidate in session.scalars(select(Plan)):
        if sibling is not None and candidate.source_name.startswith(sibling):
            continue
        if normalise_title(candidate.title) == wanted:
            return candidate
    return None


def unchanged_report(
    session: Session, *, plan: Plan, parsed: ParsedPlan, parse: Parse
) -> ImportReport:
    """The report for a file imported before with the same content: nothing is written."""
    report = _report(plan, parsed)
    report.same_file = True
    report.unchanged = [item.number for item in parsed.items]
    _finish(session, report=report, plan=plan, parsed=parsed, parse=parse)
    return report


def upsert_plan(
    session: Session,
    *,
    parsed: ParsedPlan,
    plan: Plan | None,
    source_name: str,
    checksum: str,
    now: datetime,
    parse: Parse,
) -> ImportReport:
    """Create or revise the plan from `parsed`; flushes, never commits."""
    created = plan is None
    if plan is None:
        plan = Plan(source_name=source_name, imported_at=now)
        session.add(plan)
    _plan_fields(plan, parsed, source_name=source_name, checksum=checksum, now=now)
    session.flush()
    report = _report(plan, parsed)
    report.plan_created = created
    # Sections are rows by position; an item changed section only if the title differs.
    titles_before = dict(
        session.execute(select(Section.id, Section.title).where(Section.plan_id == plan.id))
        .tuples()
        .all()
    )
    sections = _sync_sections(session, plan=plan, parsed=parsed)
    agencies = AgencyBook(session, now=now)
    agencies.prepare(a for item in parsed.items for a in item.agencies)
    existing = {
        item.number: item for item in session.scalars(select(Item).where(Item.plan_id == plan.id))
    }
    held = responsibilities_of(session, item_ids=[item.id for item in existing.values()])
    fresh: list[tuple[ParsedItem, int]] = []
    for position, parsed_item in enumerate(parsed.items):
        item = existing.get(parsed_item.number)
        index = parsed_item.section
        section_id = sections[index] if index is not None else None
        if item is None:
            fresh.append((parsed_item, position))
            continue
        title_before = titles_before.get(item.section_id) if item.section_id is not None else None
        revise_item(
            session,
            report=report,
            item=item,
            parsed_item=parsed_item,
            position=position,
            section_id=section_id,
            section_moved=title_before
            != (parsed.sections[index].title if index is not None else None),
            agencies=agencies,
            held=held.get(item.id, []),
            now=now,
            parse=parse,
        )
    insert_new_items(
        session, plan=plan, fresh=fresh, sections=sections, agencies=agencies, now=now, parse=parse
    )
    report.created = [p.number for p, _ in fresh]
    present = {p.number for p in parsed.items}
    withdraw_missing(session, report=report, existing=existing, present=present, now=now)
    _drop_surplus_sections(session, plan=plan, count=len(parsed.sections))
    session.flush()
    report.new_agencies = agencies.created
    _finish(session, report=report, plan=plan, parsed=parsed, parse=parse)
    return report


def _plan_fields(
    plan: Plan, parsed: ParsedPlan, *, source_name: str, checksum: str, now: datetime
) -> None:
    assert parsed.period_start is not None and parsed.period_end is not None
    plan.title = parsed.title
    plan.short_name = parsed.short_name or None
    plan.kind = parsed.kind
    plan.period_start = parsed.period_start
    plan.period_end = parsed.period_end
    plan.period_source = parsed.period_source
    plan.reference_date = parsed.period_start
    plan.signed_on = parsed.signed_on
    approval = parsed.approval
    plan.approval_text = approval.text if approval else None
    plan.approval_act = approval.act if approval else None
    plan.approval_number = approval.number if approval else None
    plan.approval_date = approval.date if approval else None
    plan.source_name = source_name
    plan.checksum = checksum
    plan.timezone = PLAN_TIMEZONE
    plan.updated_at = now


def _report(plan: Plan, parsed: ParsedPlan) -> ImportReport:
    return ImportReport(
        source_name=plan.source_name,
        plan_id=plan.id,
        plan_title=plan.title,
        kind=str(parsed.kind),
        sheet=parsed.sheet,
        short_name=parsed.short_name,
        period_explanation=parsed.period_explanation,
        doubts=[d.text for d in parsed.doubts],
    )


def _sync_sections(session: Session, *, plan: Plan, parsed: ParsedPlan) -> list[int]:
    """Section ids by position, updating the rows already there."""
    rows = {
        s.position: s for s in session.scalars(select(Section).where(Section.plan_id == plan.id))
    }
    for position, section in enumerate(parsed.sections):
        row = rows.get(position)
        if row is None:
            row = Section(plan_id=plan.id, position=position)
            session.add(row)
            rows[position] = row
        row.number, row.title = section.number, section.title
    session.flush()
    return [rows[p].id for p in range(len(parsed.sections))]


def _drop_surplus_sections(session: Session, *, plan: Plan, count: int) -> None:
    session.execute(delete(Section).where(Section.plan_id == plan.id, Section.position >= count))


def _finish(
    session: Session, *, report: ImportReport, plan: Plan, parsed: ParsedPlan, parse: Parse
) -> None:
    """Counts and attention lists, read back from what the plan now holds."""
    report.sections = len(parsed.sections)
    report.items = len(parsed.items)
    numbers = {p.number for p in parsed.items}
    rows = session.execute(
        select(Item.number, Responsibility.agency_id)
        .join(Responsibility, Responsibility.item_id == Item.id)
        .where(Item.plan_id == plan.id, Item.withdrawn_at.is_(None))
    ).all()
    report.responsibilities = len(rows)
    report.agencies = len({agency_id for _, agency_id in rows})
    answered = {number for number, _ in rows}
    report.without_agency = [
        p.number for p in parsed.items if p.number not in answered and p.number in numbers
    ]
    for parsed_item in parsed.items:
        deadline = parse(parsed_item.deadline)
        if not deadline.windows or deadline.warnings:
            report.deadline_notes.append(
                DeadlineNote(
                    parsed_item.number,
                    parsed_item.deadline,
                    tuple(deadline.warnings),
                    deadline.undated,
                )
            )
    last = parsed.items[-1]
    if last.missing:
        report.truncated_item = last.number
        report.truncated_missing = [COLUMN_LABELS[k] for k in last.missing]
