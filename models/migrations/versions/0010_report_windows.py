"""a status report belongs to a window: window_start/window_end, backfilled; deliveries
by chat and time (what a chat got today)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 18:00:00

Existing reports get the window the reports were read as until now: the latest window of
the agency's binding windows (its own dates when it named some, else the printed ones)
that had started on the report's day (UTC), else the first one. Reports of an item
without windows stay without one.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_WINDOWS = sa.table(
    "windows",
    sa.column("item_id", sa.Integer()),
    sa.column("agency_id", sa.Integer()),
    sa.column("start", sa.Date()),
    sa.column("end", sa.Date()),
)
_REPORTS = sa.table(
    "status_reports",
    sa.column("id", sa.Integer()),
    sa.column("item_id", sa.Integer()),
    sa.column("agency_id", sa.Integer()),
    sa.column("created_at", models.base.UTCDateTime(timezone=True)),
    sa.column("window_start", sa.Date()),
    sa.column("window_end", sa.Date()),
)
#: Rows updated per statement.
_CHUNK = 1000


def _window_of(day: date, windows: list[tuple[date, date]]) -> tuple[date, date] | None:
    """The rule as it stood at this revision (models.statuses.by_window.window_of)."""
    ordered = sorted(windows)
    started = [w for w in ordered if w[0] <= day]
    return started[-1] if started else (ordered[0] if ordered else None)


def upgrade() -> None:
    with op.batch_alter_table("status_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("window_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("window_end", sa.Date(), nullable=True))
    _backfill(op.get_bind())
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_deliveries_chat_sent", ["chat_id", "sent_at"], unique=False)


def _backfill(connection: sa.Connection) -> None:
    windows: dict[tuple[int, int | None], list[tuple[date, date]]] = defaultdict(list)
    for item_id, agency_id, start, end in connection.execute(
        sa.select(_WINDOWS.c.item_id, _WINDOWS.c.agency_id, _WINDOWS.c.start, _WINDOWS.c.end)
    ):
        windows[(item_id, agency_id)].append((start, end))
    if not windows:
        return
    updates = []
    for report_id, item_id, agency_id, created_at in connection.execute(
        sa.select(
            _REPORTS.c.id, _REPORTS.c.item_id, _REPORTS.c.agency_id, _REPORTS.c.created_at
        ).order_by(_REPORTS.c.id)
    ):
        binding = windows.get((item_id, agency_id)) or windows.get((item_id, None)) or []
        window = _window_of(created_at.date(), binding)
        if window is not None:
            updates.append({"rid": report_id, "ws": window[0], "we": window[1]})
    statement = (
        _REPORTS.update()
        .where(_REPORTS.c.id == sa.bindparam("rid"))
        .values(window_start=sa.bindparam("ws"), window_end=sa.bindparam("we"))
    )
    for first in range(0, len(updates), _CHUNK):
        connection.execute(statement, updates[first : first + _CHUNK])


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_chat_sent")
    with op.batch_alter_table("status_reports", schema=None) as batch_op:
        batch_op.drop_column("window_end")
        batch_op.drop_column("window_start")
