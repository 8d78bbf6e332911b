"""retention destroyed_at

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 23:44:43.462585
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import civicrpa.db.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("destroyed_at", civicrpa.db.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.drop_column("destroyed_at")
