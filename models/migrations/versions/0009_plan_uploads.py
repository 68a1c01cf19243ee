"""plan files sent to the bot, waiting for the coordinator's confirmation

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-03 13:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.Column("asking_section", sa.Integer(), nullable=True),
        sa.Column("asking_until", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_plan_uploads_plan_id_plans"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_uploads")),
    )
    with op.batch_alter_table("plan_uploads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_uploads_chat_id"), ["chat_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_uploads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_uploads_chat_id"))
    op.drop_table("plan_uploads")
