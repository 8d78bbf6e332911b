"""A reviewer's corrections of an item's payload: ``계좌번호=123-456`` checked against the process.

A reviewer who approves an item may correct fields the robot could not use (a mistyped
account, a birth date). Fields are named as on the spreadsheets, by field name or Korean
title; the corrected payload must still pass the process's payload model, or nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from civicrpa.core.errors import InputRejected
from civicrpa.queue.decisions import Reviser
from civicrpa.security.pii import mask_text


def _key(text: str) -> str:
    return "".join(text.split()).casefold()


def parse_corrections(texts: Iterable[str], model: type[BaseModel]) -> dict[str, str]:
    """``["계좌번호=123", "name=..."]`` as ``{field name: value}`` of ``model``."""
    names: dict[str, str] = {}
    for name, info in model.model_fields.items():
        names[_key(name)] = name
        if info.title:
            names[_key(info.title)] = name
    corrections: dict[str, str] = {}
    for text in texts:
        label, sep, value = text.partition("=")
        if not sep or not label.strip():
            raise InputRejected(
                "queue.correction_malformed", {"text": mask_text(text)[:40]}, field="set"
            )
        found = names.get(_key(label))
        if found is None:
            known = ", ".join(info.title or n for n, info in model.model_fields.items())
            raise InputRejected(
                "queue.correction_unknown_field",
                {"field": mask_text(label.strip())[:40], "known": known},
                field="set",
            )
        corrections[found] = value.strip()
    return corrections


def payload_reviser(model: type[BaseModel]) -> Reviser:
    """Validates a corrected payload with ``model``; a bad value names its field in Korean."""

    def revise(payload: dict[str, Any]) -> dict[str, Any]:
        try:
            return model.model_validate(payload).model_dump(mode="json")
        except ValidationError as exc:
            fields = sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]})
            titles = ", ".join(
                model.model_fields[f].title or f for f in fields if f in model.model_fields
            )
            raise InputRejected(
                "queue.payload_invalid", {"detail": titles or ", ".join(fields)}, field="set"
            ) from exc

    return revise


__all__ = ["parse_corrections", "payload_reviser"]
