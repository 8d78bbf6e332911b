"""item search keys

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 10:12:31.402118
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "item_search_keys",
        sa.Column(
            "item_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "kind IN ('rrn', 'account', 'phone')", name=op.f("ck_item_search_keys_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["work_items.id"],
            name=op.f("fk_item_search_keys_item_id_work_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "kind", "digest", name=op.f("pk_item_search_keys")),
    )
    with op.batch_alter_table("item_search_keys", schema=None) as batch_op:
        batch_op.create_index("ix_item_search_keys_lookup", ["kind", "digest"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("item_search_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_item_search_keys_lookup")

    op.drop_table("item_search_keys")
