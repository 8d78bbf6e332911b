"""Turn what a spreadsheet cell holds into what the person typing it meant for the field.

Excel stores every number as a float, so an account number typed as 1234567 arrives as
1234567.0; dates arrive as datetimes, or as text the way Korean offices write them
("2024. 3. 5.", "2024년 3월 5일", "20240305"); amounts in won carry thousands separators;
yes/no columns say 예 or 아니오. The input model is strict and rightly refuses all of these, so
each cell is first coerced towards the plain type of its field. Coercion never guesses: a value
it does not recognise is passed on unchanged, for the model to accept or report.
"""

from __future__ import annotations

import re
import types
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

from civicrpa.core.personal import MaskedNumber

_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_KOREAN_DATE = re.compile(r"(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*[.일]?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_YES_NO = {"예": True, "네": True, "아니오": False, "아니요": False}


def field_kind(annotation: Any) -> type | None:
    """The plain type cells must be coerced to, or None when it is not one simple type."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return field_kind(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        return field_kind(args[0]) if len(args) == 1 else None
    if isinstance(annotation, type) and issubclass(annotation, MaskedNumber):
        return str  # a resident, phone or account number is text, whatever Excel stored
    if isinstance(annotation, type):  # bool before int, datetime before date: subclasses
        for kind in (bool, int, float, Decimal, datetime, date, str):
            if issubclass(annotation, kind):
                return kind
    return None


def coerce_cell(value: object, kind: type | None) -> object:
    """Turn what Excel stores (floats, datetimes) into what a person meant for the field."""
    if kind is str:
        if isinstance(value, float):  # 1234567.0 is the account number "1234567"
            return str(int(value)) if value.is_integer() else str(value)
        if isinstance(value, datetime):
            return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
        if isinstance(value, date | time | int):
            return value.isoformat() if isinstance(value, date | time) else str(value)
    elif kind is int and isinstance(value, float) and value.is_integer():
        return int(value)
    elif kind in (int, float, Decimal) and isinstance(value, str) and _THOUSANDS.fullmatch(value):
        return value.replace(",", "")
    elif kind is date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if isinstance(text, str):
            match = _KOREAN_DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
            if match:
                try:
                    return date(*(int(part) for part in match.groups()))
                except ValueError:
                    return text
    elif kind is datetime and isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time())
    elif kind is bool and isinstance(value, str):
        return _YES_NO.get(value, value)
    return value


__all__ = ["coerce_cell", "field_kind"]
