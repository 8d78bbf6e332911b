"""Small helpers the library's screens share: posted forms, own messages."""

from __future__ import annotations

from fastapi import Request

from civicrpa.sandbox.common.forms import Form


async def posted(request: Request) -> Form:
    """The text fields of a posted form (files are read separately)."""
    data = await request.form()
    return Form({key: value for key, value in data.multi_items() if isinstance(value, str)})


def reject(form: Form, name: str, message: str) -> None:
    """Record a message of the library's own rules (the shared catalogue has generic ones)."""
    form.errors.setdefault(name, message)

