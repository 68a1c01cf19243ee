"""delivery parts, report update ids

The message ids of every part of a reminder sent in several messages (a reply to any part
is an answer), and the update that made a status report (one press, one report at most).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 12:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name=op.f("fk_delivery_parts_delivery_id_deliveries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_parts")),
    )
    with op.batch_alter_table("delivery_parts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_delivery_parts_chat_message", ["chat_id", "message_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_delivery_parts_delivery_id"), ["delivery_id"], unique=False
        )
    with op.batch_alter_table("status_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("update_id", sa.BigInteger(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_status_reports_update_id"), ["update_id"])


def downgrade() -> None:
    with op.batch_alter_table("status_reports", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_status_reports_update_id"), type_="unique")
        batch_op.drop_column("update_id")
    with op.batch_alter_table("delivery_parts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_parts_delivery_id"))
        batch_op.drop_index("ix_delivery_parts_chat_message")
    op.drop_table("delivery_parts")
