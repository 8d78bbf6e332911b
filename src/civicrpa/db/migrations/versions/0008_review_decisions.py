"""review decisions: the code a review was asked for, the fields a reviewer corrected

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 14:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("item_decisions") as batch:
        batch.add_column(sa.Column("review_code", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("corrected_fields", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("item_decisions") as batch:
        batch.drop_column("corrected_fields")
        batch.drop_column("review_code")
