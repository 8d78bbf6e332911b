"""One way to page a list screen: its rows, where the page is among all, the pager's links.

Every system's lists (the intake inbox, finance's payments, HR's staff, orders and trips, the
CMS boards, the library's books, members and overdue loans, the registry's results) show
``PAGE_SIZE`` rows of a query, the total the query matches and 이전/다음 links that keep the
search which produced the list; robots walk them page by page. :func:`list_page` runs the
query for one page; the shared ``pager`` macro (``macros.html``) draws
``{{ pager(page, base_url) }}`` from what it returns.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from civicrpa.sandbox.common.db import AnyRow

#: Rows per page, unless a screen says otherwise.
PAGE_SIZE = 20


@dataclass(frozen=True)
class Page:
    """One page of a listing: its number (from 1), its size and the rows in all."""

    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @classmethod
    def of(cls, requested: int | None, size: int, total: int) -> Page:
        """The page asked for, moved into range (page 0 or past the end shows the nearest)."""
        pages = max(1, math.ceil(total / size))
        number = min(max(requested or 1, 1), pages)
        return cls(number=number, size=size, total=total)


def page_link(path: str, filters: Mapping[str, str]) -> str:
    """``path?a=1&`` for the pager to append ``page=N`` to, keeping the non-empty ``filters``."""
    kept = {key: value for key, value in filters.items() if value}
    return f"{path}?{urlencode(kept)}&" if kept else f"{path}?"


@dataclass(frozen=True, kw_only=True)
class Listing:
    """One page of a list screen, ready for its template."""

    #: The page's rows (as the screen shows them when ``list_page`` was given ``shown``).
    rows: Sequence[Any]
    page: Page
    #: What the pager's links start with (see :func:`page_link`).
    base_url: str

    def context(self) -> dict[str, Any]:
        """``rows``, ``page`` and ``base_url`` for the template's table and pager."""
        return {"rows": self.rows, "page": self.page, "base_url": self.base_url}


def list_page(
    session: Session,
    statement: Select[Any],
    *,
    page: int,
    path: str,
    filters: Mapping[str, str] | None = None,
    size: int = PAGE_SIZE,
    shown: Callable[[AnyRow], Any] | None = None,
) -> Listing:
    """Page ``page`` of what ``statement`` selects, in its order, and the total it matches.

    The total counts the rows of ``statement`` itself (its ORDER BY dropped), so a grouped or
    joined list counts what it shows. ``shown`` turns each row into what the screen displays
    (a masked number, Korean labels).
    """
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    total = session.execute(counted).scalar_one()
    current = Page.of(page, size, total)
    rows = session.execute(statement.limit(size).offset(current.offset)).all()
    return Listing(
        rows=[shown(row) for row in rows] if shown is not None else list(rows),
        page=current,
        base_url=page_link(path, filters or {}),
    )


__all__ = ["PAGE_SIZE", "Listing", "Page", "list_page", "page_link"]
