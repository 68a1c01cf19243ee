"""Planning the reminder outbox: the policy's specs become `Reminder` rows.

`plan_reminders` reads everything planning needs in a few batch queries, runs the pure
policy (`scheduler.rules.policy`), inserts the reminders that are new, leaves the rest alone
and cancels pending reminders that are no longer owed, with a reason. It never deletes
and never touches a reminder that is being sent or was sent, failed or expired.

Everyone else plans through the entry points at the end, which take the re-plan lock
themselves (`models.advisory`, PostgreSQL only): `replan_all` (the daily re-plan, start-up,
`srok reminders --plan`, the demo) waits for every other planner and holds the others off;
`replan_items` (after a press, a confirmation, a coordinator's lever, a section assigned)
and `import_and_plan` (a plan imported from the command line or the chat) share the lock,
so they never run beside a whole re-plan, but never wait for one another.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, Insert, Select, and_, bindparam, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.advisory import REPLAN, lock_key, serialise_in_transaction, share_in_transaction
from models.db import core
from models.importing.report import ImportReport
from models.outbox.obligations import Scope, item_params, load_obligations, only_items, scope_of
from models.schema.people import Agency
from models.schema.plans import Item, Plan
from models.schema.reminders import Reminder
from scheduler.rules.domain import ReminderKind, ReminderState
from scheduler.rules.policy import (
    CANCEL_REASONS,
    CHAIN_KINDS,
    REASON_QUIET,
    Obligation,
    Policy,
    ReminderSpec,
    digest_specs,
    moot_reason,
    plan_specs,
    progress_silenced,
)

_TABLE = Reminder.__table__
_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlanResult:
    """What one planning pass did."""

    created: int = 0
    cancelled: int = 0
    retimed: int = 0
    revived: int = 0
    unchanged: int = 0
    #: How many were cancelled for each reason.
    reasons: dict[str, int] = field(default_factory=dict)


class _Row(NamedTuple):
    id: int
    dedup_key: str
    item_id: int | None
    agency_id: int | None
    kind: ReminderKind | None
    window_start: date | None
    window_end: date | None
    state: ReminderState
    #: None where only the key and state were read (see `_existing`).
    due_at: datetime | None
    sent_at: datetime | None
    cancel_reason: str | None


@cache
def _existing_queries(scope: Scope) -> tuple[Select[Any], Select[Any]]:
    c = _TABLE.c
    brief = only_items(select(c.id, c.dedup_key, c.state, c.cancel_reason), c.item_id, scope)
    detailed = only_items(select(*(c[name] for name in _Row._fields)), c.item_id, scope).where(
        or_(
            c.state == ReminderState.PENDING.value,
            and_(
                c.state == ReminderState.SENT.value,
                c.kind.in_([k.value for k in CHAIN_KINDS]),
            ),
        )
    )
    return brief, detailed


def _existing(session: Session, *, item_ids: Collection[int] | None) -> dict[str, _Row]:
    """Every reminder by dedup key; in full only where planning reads more than the state.

    Pending reminders may be retimed or cancelled, and sent chain steps start the next
    one; for the rest (most of the table, as time goes by) the key and state suffice.
    """
    brief, detailed = _existing_queries(scope_of(item_ids))
    params, connection = item_params(item_ids), core(session)
    rows = {
        key: _Row(rid, key, None, None, None, None, None, state, None, None, reason)
        for rid, key, state, reason in connection.execute(brief, params)
    }
    rows.update((row.dedup_key, _Row(*row)) for row in connection.execute(detailed, params))
    return rows


def plan_reminders(
    session: Session,
    *,
    now: datetime,
    policy: Policy,
    item_ids: Collection[int] | None = None,
) -> PlanResult:
    """Bring the outbox in line with the policy at `now`; idempotent for a given `now`.

    With `item_ids`, only those items' reminders (and no digests): what a status or a
    date just changed, without re-reading a whole large plan.
    """
    obligations = load_obligations(session, item_ids=item_ids)
    existing = _existing(session, item_ids=item_ids)
    sent = {
        key: at
        for key, row in existing.items()
        if row.state == ReminderState.SENT and (at := row.sent_at or row.due_at) is not None
    }
    specs = plan_specs(obligations.values(), now=now, policy=policy, sent=sent)
    if item_ids is None:
        specs += digest_specs(now=now, policy=policy)
    new: list[dict[str, Any]] = []
    retime: list[dict[str, Any]] = []
    revive: list[dict[str, Any]] = []
    wanted: set[str] = set()
    for spec in specs:
        wanted.add(spec.key)
        row = existing.get(spec.key)
        if row is None:
            new.append(_new_row(spec, now))
        elif _retimable(row, spec, now):
            retime.append({"rid": row.id, "p_due_at": spec.due_at, "p_updated_at": now})
        elif _revivable(row, spec, now):
            revive.append({"rid": row.id, "p_due_at": spec.due_at, "p_updated_at": now})
    cancel, reasons = _moot(existing, wanted, obligations, now, policy)
    # Rows are written in one order (by key, by id), whoever plans: two planners that meet
    # on the same rows then wait for each other instead of deadlocking.
    new.sort(key=itemgetter("dedup_key"))
    for params in (retime, cancel, revive):
        params.sort(key=itemgetter("rid"))
    _insert(session, new)
    _update_pending(session, retime, ReminderState.PENDING)
    _update_pending(session, cancel, ReminderState.PENDING)
    _revive(session, revive)
    return PlanResult(
        created=len(new),
        cancelled=len(cancel),
        retimed=len(retime),
        revived=len(revive),
        unchanged=len(specs) - len(new) - len(retime) - len(revive),
        reasons=dict(reasons),
    )


def _retimable(row: _Row, spec: ReminderSpec, now: datetime) -> bool:
    """A pending reminder not yet due whose moment moved (the offsets were changed)."""
    return (
        row.state == ReminderState.PENDING
        and row.due_at is not None
        and row.due_at != spec.due_at
        and row.due_at > now
        and spec.due_at > now
    )


def _revivable(row: _Row, spec: ReminderSpec, now: datetime) -> bool:
    """A reminder planning cancelled that is owed again (the window moved back…)."""
    return (
        row.state == ReminderState.CANCELLED
        and row.cancel_reason in CANCEL_REASONS
        and spec.due_at > now
    )


def _moot(
    existing: dict[str, _Row],
    wanted: set[str],
    obligations: dict[tuple[int, int], Obligation],
    now: datetime,
    policy: Policy,
) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Pending reminders no longer owed, as update parameters, and a count per reason."""
    cancel: list[dict[str, Any]] = []
    reasons: Counter[str] = Counter()
    for key, row in existing.items():
        if row.state != ReminderState.PENDING or key in wanted or row.item_id is None:
            continue
        window = (
            (row.window_start, row.window_end)
            if row.window_start is not None and row.window_end is not None
            else None
        )
        ob = obligations.get((row.item_id, row.agency_id)) if row.agency_id else None
        reason = moot_reason(row.kind, window, ob) if row.kind else None
        if (
            reason is None
            and row.kind == ReminderKind.PROGRESS
            and ob is not None
            and row.due_at is not None
            and progress_silenced(ob, row.due_at, policy)
        ):
            reason = REASON_QUIET
        if reason is not None:
            cancel.append(
                {
                    "rid": row.id,
                    "p_state": ReminderState.CANCELLED.value,
                    "p_cancel_reason": reason,
                    "p_updated_at": now,
                }
            )
            reasons[reason] += 1
    return cancel, reasons


def _new_row(spec: ReminderSpec, now: datetime) -> dict[str, Any]:
    return {
        "dedup_key": spec.key,
        "item_id": spec.item_id,
        "agency_id": spec.agency_id,
        "kind": spec.kind.value,
        "window_start": spec.window_start,
        "window_end": spec.window_end,
        "slot": spec.slot,
        "due_at": spec.due_at,
        "state": ReminderState.PENDING.value,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """Bulk insert; a row another planner inserted meanwhile is skipped, not an error."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    statement: Insert
    if dialect == "postgresql":
        statement = postgresql.insert(_TABLE).on_conflict_do_nothing(index_elements=["dedup_key"])
    elif dialect == "sqlite":
        statement = sqlite.insert(_TABLE).on_conflict_do_nothing(index_elements=["dedup_key"])
    else:
        statement = insert(_TABLE)
    core(session).execute(statement, rows)


def _update_pending(session: Session, params: list[dict[str, Any]], state: ReminderState) -> None:
    """Update reminders by id, only while still pending: a dispatcher may have claimed one."""
    if not params:
        return
    # Bind names must differ from column names: those are reserved for SET.
    values: dict[str, BindParameter[Any]] = {
        name[2:]: bindparam(name) for name in params[0] if name.startswith("p_")
    }
    statement = (
        _TABLE.update()
        .where(_TABLE.c.id == bindparam("rid"), _TABLE.c.state == state.value)
        .values(**values)
    )
    core(session).execute(statement, params)


def _revive(session: Session, params: list[dict[str, Any]]) -> None:
    if not params:
        return
    statement = (
        _TABLE.update()
        .where(
            _TABLE.c.id == bindparam("rid"),
            _TABLE.c.state == ReminderState.CANCELLED.value,
        )
        .values(
            state=ReminderState.PENDING.value,
            cancel_reason=None,
            due_at=bindparam("p_due_at"),
            updated_at=bindparam("p_updated_at"),
        )
    )
    core(session).execute(statement, params)


def list_reminders(
    session: Session, *, start: datetime | None = None, end: datetime | None = None
) -> list[dict[str, Any]]:
    """Reminders due in [start, end), soonest first, as plain dicts for the CLI."""
    query = (
        select(Reminder, Item.number, Plan.title, Agency.name)
        .outerjoin(Item, Item.id == Reminder.item_id)
        .outerjoin(Plan, Plan.id == Item.plan_id)
        .outerjoin(Agency, Agency.id == Reminder.agency_id)
        .order_by(Reminder.due_at, Reminder.id)
    )
    if start is not None:
        query = query.where(Reminder.due_at >= start)
    if end is not None:
        query = query.where(Reminder.due_at < end)
    return [
        {
            "id": reminder.id,
            "plan": plan,
            "item": number,
            "agency": agency,
            "kind": reminder.kind.value,
            "window": (
                [reminder.window_start, reminder.window_end] if reminder.window_start else None
            ),
            "slot": reminder.slot,
            "due": reminder.due_at,
            "state": reminder.state.value,
            "attempts": reminder.attempts,
            "cancel_reason": reminder.cancel_reason,
        }
        for reminder, number, plan, agency in session.execute(query)
    ]


#: Above this many changed items an import re-plans everything (one pass, no long IN list).
_IMPORT_ITEMS_AT_ONCE = 500


def plan_after_import(
    session: Session,
    *,
    plan_id: int,
    numbers: Collection[str],
    whole_plan: bool,
    now: datetime,
    policy: Policy,
) -> PlanResult:
    """Plan an import's new or changed items at once, not at the next night's re-plan.

    `numbers`: the items the import created, changed, withdrew or restored; `whole_plan`
    for a plan imported for the first time. A large change re-plans every plan.
    """
    if not whole_plan and not numbers:
        return PlanResult()
    if whole_plan or len(numbers) > _IMPORT_ITEMS_AT_ONCE:
        query = select(Item.id).where(Item.plan_id == plan_id)
    else:
        query = select(Item.id).where(Item.plan_id == plan_id, Item.number.in_(list(numbers)))
    item_ids = list(session.scalars(query))
    if not item_ids:
        return PlanResult()
    if len(item_ids) > _IMPORT_ITEMS_AT_ONCE:
        return plan_reminders(session, now=now, policy=policy)
    return plan_reminders(session, now=now, policy=policy, item_ids=item_ids)


# --- The entry points: each takes the re-plan lock, then plans. ---


def replan_all(session: Session, *, policy: Policy, now: datetime) -> PlanResult:
    """One planning pass over every plan (the daily tick, start-up, the CLI, the demo).

    Several processes re-planning at the same minute go one after another, and a re-plan
    of a few items waits until this one's transaction ends: both would update the same
    reminders in their own orders, and could deadlock.
    """
    serialise_in_transaction(session, key=lock_key(REPLAN))
    return plan_reminders(session, now=now, policy=policy)


def replan_items(
    session: Session, *, policy: Policy, now: datetime, item_ids: Collection[int], reason: str
) -> PlanResult:
    """Bring a few items' reminders in line with a new status, window or body (`reason`
    is logged): a contact's press or confirmed words, a coordinator's lever."""
    if not item_ids:
        return PlanResult()
    share_in_transaction(session, key=lock_key(REPLAN))
    result = plan_reminders(session, now=now, policy=policy, item_ids=item_ids)
    _LOG.info("items %s re-planned after %s: %s", sorted(item_ids), reason, result)
    return result


def replan_item(
    session: Session, *, policy: Policy, now: datetime, item_id: int, reason: str
) -> PlanResult:
    """`replan_items` for one item."""
    return replan_items(session, policy=policy, now=now, item_ids=[item_id], reason=reason)


@dataclass(frozen=True)
class PlannedImport:
    """An import's report and what planning its changes did."""

    report: ImportReport
    planned: PlanResult


def import_and_plan(
    session: Session,
    *,
    policy: Policy,
    now: datetime,
    run_import: Callable[[Session], list[ImportReport]],
) -> list[PlannedImport]:
    """Run an import (`run_import(session)`: the reports of the file's plans — a workbook
    may hold several —, all or nothing: the caller's transaction) and plan the items each
    plan created, changed, withdrew or restored at once.

    The lock is taken before the import writes: the import's rows would otherwise be held
    while it waits for a daily re-plan that reads them.
    """
    share_in_transaction(session, key=lock_key(REPLAN))
    done = []
    for report in run_import(session):
        planned = plan_after_import(
            session,
            plan_id=report.plan_id,
            numbers={*report.created, *report.updated, *report.withdrawn, *report.restored},
            whole_plan=report.plan_created,
            now=now,
            policy=policy,
        )
        done.append(PlannedImport(report, planned))
    return done
