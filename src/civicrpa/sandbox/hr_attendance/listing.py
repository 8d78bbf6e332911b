"""One way to show a searchable, paginated list, so that every list screen looks alike."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from sqlalchemy import Row, Select, func, select
from starlette.responses import Response

from civicrpa.sandbox.common.forms import Form
from civicrpa.sandbox.common.web import Page, render
from civicrpa.sandbox.hr_attendance.inputs import Field

PAGE_SIZE = 20


def show_listing(
    request: Request,
    *,
    heading: str,
    action: str,
    search: Sequence[Field],
    form: Form,
    headers: Sequence[str],
    statement: Select[Any] | None,
    cells: Callable[[Row[Any]], Sequence[object]],
    page: int,
    new_link: tuple[str, str] | None = None,
) -> Response:
    """Render ``listing.html``; ``statement`` None (or errors on ``form``) shows no rows, 422."""
    context: dict[str, Any] = {
        "heading": heading,
        "action": action,
        "search": search,
        "form": form.raw,
        "errors": form.errors,
        "headers": headers,
        "new_link": new_link,
        "rows": [],
    }
    if not form.ok or statement is None:
        return render(request, "listing.html", context, status=422)
    with request.app.state.db.session() as session:
        total = session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
        current = Page.of(page, PAGE_SIZE, total)
        rows = session.execute(statement.limit(PAGE_SIZE).offset(current.offset)).all()
    query = urlencode({f.name: form.raw[f.name] for f in search if form.raw.get(f.name)})
    context.update(
        rows=[cells(row) for row in rows],
        page=current,
        base_url=f"{action}?{query}&" if query else f"{action}?",
    )
    return render(request, "listing.html", context)


def won(amount: int) -> str:
    return f"{amount:,}"
