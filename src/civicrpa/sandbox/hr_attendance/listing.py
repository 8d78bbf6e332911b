"""HR's search screens drawn alike: a search form from field specs, a table, the shared pager.

The paging itself is :func:`civicrpa.sandbox.common.listing.list_page`'s, as in every system.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import Request
from sqlalchemy import Select
from starlette.responses import Response

from civicrpa.sandbox.common.db import AnyRow
from civicrpa.sandbox.common.forms import Form
from civicrpa.sandbox.common.listing import list_page
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.hr_attendance.inputs import Field


def show_listing(
    request: Request,
    *,
    heading: str,
    action: str,
    search: Sequence[Field],
    form: Form,
    headers: Sequence[str],
    statement: Select[Any] | None,
    cells: Callable[[AnyRow], Sequence[object]],
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
    filters = {f.name: form.raw.get(f.name, "") for f in search}
    with request.app.state.db.session() as session:
        shown = list_page(session, statement, page=page, path=action, filters=filters, shown=cells)
    return render(request, "listing.html", {**context, **shown.context()})


def won(amount: int) -> str:
    """An amount as HR's tables show it: ``1,234,000``."""
    return f"{amount:,}"
