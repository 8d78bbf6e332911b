"""Tables of the homepage CMS (its own database: the county's web vendor's system)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

notices = Table(
    "notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(100), nullable=False, index=True),
    Column("body", Text, nullable=False),
    #: A key of :data:`DEPARTMENTS`.
    Column("department", String(20), nullable=False),
    #: 게시일: the notice is public from this day (KST); a later day means "scheduled".
    Column("publish_on", Date, nullable=False, index=True),
    Column("created_by", String(50), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_by", String(50), nullable=True),
    Column("updated_at", DateTime, nullable=True),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "notice_id",
        Integer,
        ForeignKey("notices.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("filename", String(200), nullable=False),
    Column("size", Integer, nullable=False),
    #: Hex sha256 of ``content``: what a robot compares with the file it meant to post.
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
)

#: 담당 부서 codes and their Korean names (a Jangheung-like county office).
DEPARTMENTS = {
    "planning": "기획홍보실",
    "admin": "행정과",
    "welfare": "주민복지과",
    "economy": "경제교통과",
    "culture": "문화관광과",
    "agriculture": "농업축산과",
    "environment": "환경산림과",
    "construction": "건설도시과",
    "health": "보건의료원",
}
