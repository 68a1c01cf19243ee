"""plan short name, period source and approval act; responsibility role, note and person

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 12:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("short_name", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("period_source", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("approval_text", sa.Text(), nullable=True))
        batch.add_column(sa.Column("approval_act", sa.Text(), nullable=True))
        batch.add_column(sa.Column("approval_number", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("approval_date", sa.Date(), nullable=True))
    with op.batch_alter_table("responsibilities") as batch:
        batch.add_column(
            sa.Column("role", sa.String(length=8), nullable=False, server_default="lead")
        )
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))
        batch.add_column(sa.Column("person", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("responsibilities") as batch:
        batch.drop_column("person")
        batch.drop_column("note")
        batch.drop_column("role")
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("approval_date")
        batch.drop_column("approval_number")
        batch.drop_column("approval_act")
        batch.drop_column("approval_text")
        batch.drop_column("period_source")
        batch.drop_column("short_name")
