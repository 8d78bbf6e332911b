"""audit trail: hash-chained log, head, anchors; append-only triggers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import civicrpa.db.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_PG_FUNCTION = """
CREATE FUNCTION civicrpa_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", _BIGID, autoincrement=False, nullable=False),
        sa.Column("at", civicrpa.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", _BIGID, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "audit_anchors",
        sa.Column("seq", _BIGID, autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", civicrpa.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_anchors")),
    )
    op.execute(
        sa.text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :genesis)").bindparams(
            genesis="0" * 64
        )
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text(_PG_FUNCTION))
        op.execute(
            sa.text(
                "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log"
                " FOR EACH ROW EXECUTE FUNCTION civicrpa_audit_append_only()"
            )
        )
        op.execute(
            sa.text(
                "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log"
                " FOR EACH STATEMENT EXECUTE FUNCTION civicrpa_audit_append_only()"
            )
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                sa.text(
                    f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log"
                    " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
                )
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log"))
        op.execute(sa.text("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log"))
        op.execute(sa.text("DROP FUNCTION IF EXISTS civicrpa_audit_append_only()"))
    op.drop_table("audit_anchors")
    op.drop_table("audit_head")
    op.drop_table("audit_log")
