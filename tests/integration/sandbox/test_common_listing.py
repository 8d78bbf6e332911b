"""One page of a list on a real SQLite database: its rows, its total, its links."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, func, insert, select

from civicrpa.sandbox.common.db import SandboxDatabase
from civicrpa.sandbox.common.listing import list_page

metadata = MetaData()
notices = Table(
    "notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(100), nullable=False),
)
files = Table(
    "files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("notice_id", Integer, ForeignKey("notices.id"), nullable=False),
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[SandboxDatabase]:
    database = SandboxDatabase(tmp_path / "listing.db", metadata)
    with database.session() as session:
        session.execute(insert(notices), [{"title": f"공고 {n}"} for n in range(1, 46)])
        # Notice 1 has three files, notice 2 one: a join would count 47 rows.
        session.execute(insert(files), [{"notice_id": n} for n in (1, 1, 1, 2)])
    yield database
    database.dispose()


def test_a_page_has_its_rows_in_order_and_the_total_of_the_whole_list(
    db: SandboxDatabase,
) -> None:
    with db.session() as session:
        shown = list_page(
            session,
            select(notices).order_by(notices.c.id.desc()),
            page=3,
            path="/notices",
            filters={"q": ""},
        )
    assert [row.id for row in shown.rows] == [5, 4, 3, 2, 1]  # 45 rows: 20, 20, 5
    assert (shown.page.number, shown.page.pages, shown.page.total) == (3, 3, 45)
    assert shown.base_url == "/notices?"
    assert shown.context() == {"rows": shown.rows, "page": shown.page, "base_url": "/notices?"}


def test_a_grouped_list_counts_what_it_shows(db: SandboxDatabase) -> None:
    with_files = (
        select(notices.c.id, func.count(files.c.id).label("files"))
        .outerjoin(files, files.c.notice_id == notices.c.id)
        .group_by(notices.c.id)
        .order_by(notices.c.id)
    )
    with db.session() as session:
        shown = list_page(
            session,
            with_files,
            page=1,
            path="/admin/notices",
            filters={"q": "공고"},
            size=10,
            shown=lambda row: (row.id, row.files),
        )
    assert shown.page.total == 45  # notices, not notice-file pairs
    assert shown.rows[:3] == [(1, 3), (2, 1), (3, 0)]
    assert shown.base_url == "/admin/notices?q=%EA%B3%B5%EA%B3%A0&"


def test_a_page_past_the_end_shows_the_last_and_an_empty_list_one_empty_page(
    db: SandboxDatabase,
) -> None:
    with db.session() as session:
        last = list_page(session, select(notices).order_by(notices.c.id), page=99, path="/n")
        empty = list_page(session, select(notices).where(notices.c.id > 100), page=2, path="/n")
    assert (last.page.number, [row.id for row in last.rows]) == (3, list(range(41, 46)))
    assert (empty.page.number, empty.page.total, empty.rows) == (1, 0, [])
