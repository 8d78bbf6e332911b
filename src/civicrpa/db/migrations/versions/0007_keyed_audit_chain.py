"""keyed audit chain: each entry names its key; entries and anchors can only be appended

Entries written before this revision keep ``key_id`` NULL (unkeyed SHA-256, see
``civicrpa.security.audit``). The new insert triggers refuse an entry whose number is not the
next one: on SQLite, ``INSERT OR REPLACE`` deletes the row it replaces without firing the
``DELETE`` trigger of 0003, so only a check before the insert stops it; on PostgreSQL,
``INSERT ... ON CONFLICT DO UPDATE`` is refused by the same check (and by 0003's update trigger).
Anchors get the append-only guards the log has had since 0003.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PG_NEXT_ONLY = """
CREATE FUNCTION civicrpa_audit_next_only() RETURNS trigger AS $$
BEGIN
    IF NEW.seq IS DISTINCT FROM (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log) THEN
        RAISE EXCEPTION 'audit_log is append-only: an entry must be numbered after the last one';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""
_PG_ANCHORS_FUNCTION = """
CREATE FUNCTION civicrpa_audit_anchors_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_anchors is append-only';
END
$$ LANGUAGE plpgsql
"""
_PG_ANCHOR_NEW_ONLY = """
CREATE FUNCTION civicrpa_audit_anchor_new_only() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_anchors WHERE seq = NEW.seq) THEN
        RAISE EXCEPTION 'audit_anchors is append-only';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""


def _execute(*statements: str) -> None:
    for statement in statements:
        op.execute(sa.text(statement))


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("key_id", sa.String(length=16), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        _execute(
            _PG_NEXT_ONLY,
            "CREATE TRIGGER audit_log_next_only BEFORE INSERT ON audit_log"
            " FOR EACH ROW EXECUTE FUNCTION civicrpa_audit_next_only()",
            _PG_ANCHORS_FUNCTION,
            _PG_ANCHOR_NEW_ONLY,
            "CREATE TRIGGER audit_anchors_new_only BEFORE INSERT ON audit_anchors"
            " FOR EACH ROW EXECUTE FUNCTION civicrpa_audit_anchor_new_only()",
            "CREATE TRIGGER audit_anchors_append_only BEFORE UPDATE OR DELETE ON audit_anchors"
            " FOR EACH ROW EXECUTE FUNCTION civicrpa_audit_anchors_append_only()",
            "CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors"
            " FOR EACH STATEMENT EXECUTE FUNCTION civicrpa_audit_anchors_append_only()",
        )
        return
    _execute(
        "CREATE TRIGGER audit_log_next_only BEFORE INSERT ON audit_log"
        " WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log)"
        " BEGIN SELECT RAISE(ABORT,"
        " 'audit_log is append-only: an entry must be numbered after the last one'); END",
        "CREATE TRIGGER audit_anchors_new_only BEFORE INSERT ON audit_anchors"
        " WHEN EXISTS (SELECT 1 FROM audit_anchors WHERE seq = NEW.seq)"
        " BEGIN SELECT RAISE(ABORT, 'audit_anchors is append-only'); END",
        *(
            f"CREATE TRIGGER audit_anchors_no_{event.lower()} BEFORE {event} ON audit_anchors"
            f" BEGIN SELECT RAISE(ABORT, 'audit_anchors is append-only'); END"
            for event in ("UPDATE", "DELETE")
        ),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _execute(
            "DROP TRIGGER IF EXISTS audit_anchors_no_truncate ON audit_anchors",
            "DROP TRIGGER IF EXISTS audit_anchors_append_only ON audit_anchors",
            "DROP TRIGGER IF EXISTS audit_anchors_new_only ON audit_anchors",
            "DROP TRIGGER IF EXISTS audit_log_next_only ON audit_log",
            "DROP FUNCTION IF EXISTS civicrpa_audit_anchor_new_only()",
            "DROP FUNCTION IF EXISTS civicrpa_audit_anchors_append_only()",
            "DROP FUNCTION IF EXISTS civicrpa_audit_next_only()",
        )
        op.drop_column("audit_log", "key_id")
        return
    _execute(
        "DROP TRIGGER IF EXISTS audit_anchors_no_delete",
        "DROP TRIGGER IF EXISTS audit_anchors_no_update",
        "DROP TRIGGER IF EXISTS audit_anchors_new_only",
        "DROP TRIGGER IF EXISTS audit_log_next_only",
        # A plain ALTER (SQLite 3.35+), not a batch copy: copying the table would drop the
        # append-only triggers of revision 0003 with it.
        "ALTER TABLE audit_log DROP COLUMN key_id",
    )
