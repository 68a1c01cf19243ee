"""processed_updates: who sent each update, and payloads that may be pruned

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 12:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processed_updates") as batch:
        batch.add_column(sa.Column("sender_id", sa.BigInteger(), nullable=True))
        batch.alter_column("payload", existing_type=sa.JSON(), nullable=True)
        batch.create_index("ix_processed_updates_handled_at", ["handled_at"])


def downgrade() -> None:
    op.execute("UPDATE processed_updates SET payload = '{}' WHERE payload IS NULL")
    with op.batch_alter_table("processed_updates") as batch:
        batch.drop_index("ix_processed_updates_handled_at")
        batch.alter_column("payload", existing_type=sa.JSON(), nullable=False)
        batch.drop_column("sender_id")
