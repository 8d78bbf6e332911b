"""item decisions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 22:40:42.280404
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import civicrpa.db.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "item_decisions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("item_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=False),
        sa.Column("to_state", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", civicrpa.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["work_items.id"],
            name=op.f("fk_item_decisions_item_id_work_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_decisions")),
    )
    with op.batch_alter_table("item_decisions", schema=None) as batch_op:
        batch_op.create_index("ix_item_decisions_item", ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("item_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_item_decisions_item")

    op.drop_table("item_decisions")
