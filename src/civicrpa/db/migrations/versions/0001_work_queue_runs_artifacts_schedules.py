"""work queue, runs, artifacts, schedules

Revision ID: 0001
Revises:
Create Date: 2026-11-24 22:15:49.742886
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import civicrpa.db.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "schedule_states",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("next_due_at", civicrpa.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_fired_at", civicrpa.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_added", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_schedule_states")),
    )
    op.create_table(
        "work_items",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("queue", sa.String(length=100), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("deadline", civicrpa.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("available_at", civicrpa.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("output", sa.JSON(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(length=200), nullable=True),
        sa.Column("lease_token", sa.String(length=64), nullable=True),
        sa.Column("lease_expires_at", civicrpa.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("failure_kind", sa.String(length=16), nullable=True),
        sa.Column("failure_code", sa.String(length=100), nullable=True),
        sa.Column("failure_message", sa.Text(), nullable=True),
        sa.Column("created_at", civicrpa.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", civicrpa.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", civicrpa.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('new', 'in_progress', 'successful', 'business_exception', 'retried', 'failed', 'deferred', 'abandoned', 'needs_review')",
            name=op.f("ck_work_items_state_known"),
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_work_items_attempts_non_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_items")),
        sa.UniqueConstraint("queue", "reference", name="uq_work_items_queue_reference"),
    )
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_work_items_lease",
            ["lease_expires_at"],
            unique=False,
            sqlite_where=sa.text("state = 'in_progress'"),
            postgresql_where=sa.text("state = 'in_progress'"),
        )
        batch_op.create_index("ix_work_items_queue_state", ["queue", "state"], unique=False)
        # The claim order (see civicrpa.queue.models.WorkItem); autogenerate cannot see DESC.
        batch_op.create_index(
            "ix_work_items_claim",
            ["queue", sa.text("priority DESC"), "deadline", "id"],
            unique=False,
            sqlite_where=sa.text("state IN ('deferred', 'new', 'retried')"),
            postgresql_where=sa.text("state IN ('deferred', 'new', 'retried')"),
        )

    op.create_table(
        "runs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("item_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("process", sa.String(length=100), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=False),
        sa.Column("started_at", civicrpa.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", civicrpa.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("error_code", sa.String(length=100), nullable=True),
        sa.Column("error_detail", sa.Text(), nullable=True),
        sa.Column("steps", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["work_items.id"],
            name=op.f("fk_runs_item_id_work_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.create_index("ix_runs_item", ["item_id", "attempt"], unique=False)

    op.create_table(
        "artifacts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("item_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", civicrpa.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["work_items.id"],
            name=op.f("fk_artifacts_item_id_work_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_artifacts_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_artifacts")),
    )
    with op.batch_alter_table("artifacts", schema=None) as batch_op:
        batch_op.create_index("ix_artifacts_item", ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("artifacts", schema=None) as batch_op:
        batch_op.drop_index("ix_artifacts_item")

    op.drop_table("artifacts")
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_index("ix_runs_item")

    op.drop_table("runs")
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.drop_index("ix_work_items_claim")
        batch_op.drop_index("ix_work_items_queue_state")
        batch_op.drop_index(
            "ix_work_items_lease",
            sqlite_where=sa.text("state = 'in_progress'"),
            postgresql_where=sa.text("state = 'in_progress'"),
        )

    op.drop_table("work_items")
    op.drop_table("schedule_states")
