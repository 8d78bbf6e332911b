"""Rendering the systems' Korean screens: templates, the session's notices, per-load element ids.

Pages of a list are :mod:`civicrpa.sandbox.common.listing`'s.
"""

from __future__ import annotations

import itertools
import secrets
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader
from starlette.responses import Response

COMMON_TEMPLATES = Path(__file__).with_name("templates")


def make_templates(system_templates: Path) -> Jinja2Templates:
    """The system's templates first, then the shared layout, log-in and message screens."""
    templates = Jinja2Templates(directory=str(system_templates))
    templates.env.loader = ChoiceLoader(
        [FileSystemLoader(str(system_templates)), FileSystemLoader(str(COMMON_TEMPLATES))]
    )
    templates.env.autoescape = True
    return templates


def _uid_factory() -> Any:
    """``uid("name")`` gives an element id that changes on every page load, as many legacy
    systems' generated ids do: robots must find fields by label, not by id."""
    salt = secrets.token_hex(3)
    counter = itertools.count(1)
    return lambda name: f"{name}-{salt}{next(counter)}"  # unique even for a repeated name


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> Response:
    """Render ``template`` with the session, CSRF token, system and per-load id helper."""
    state = request.app.state
    session = getattr(request.state, "session", None)
    flash = list(session.flash) if session is not None else []
    if session is not None:
        session.flash.clear()
    values = {
        "system": state.spec,
        "session": session,
        "csrf": session.csrf if session is not None else "",
        "uid": _uid_factory(),
        "flash": flash,
        **(context or {}),
    }
    response: Response = state.templates.TemplateResponse(
        request, template, values, status_code=status
    )
    return response
