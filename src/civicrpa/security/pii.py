"""Find and mask Korean personal data in free text before it reaches a log or a message.

Masks resident and foreigner registration numbers (``900101-1******``: birth date and the sex
digit stay, as Korean offices print them), mobile and landline phone numbers (middle group
starred), bank-account-like digit groups and e-mail addresses. Masking is deliberately greedy:
a false positive costs a few stars in a log line, a false negative is a leak.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_SEP = r"[\s.\-‐‑–—]?"
# YYMMDD, optional separator, sex digit 0-9, six digits; not glued to other digits.
_RRN = re.compile(rf"(?<!\d)(\d{{6}}){_SEP}([0-9])(\d{{6}})(?!\d)")
_MOBILE = re.compile(rf"(?<!\d)(01[016789]){_SEP}(\d{{3,4}}){_SEP}(\d{{4}})(?!\d)")
_LANDLINE = re.compile(rf"(?<!\d)(0[2-6]\d?){_SEP}(\d{{3,4}}){_SEP}(\d{{4}})(?!\d)")
# Two or more digit groups joined by hyphens, 10 to 16 digits in all: bank accounts.
_ACCOUNT = re.compile(r"(?<!\d)\d{2,6}(?:-\d{1,8}){1,4}(?!\d)")
# A bare run of 10 to 16 digits (an account typed without hyphens).
_DIGIT_RUN = re.compile(r"(?<!\d)\d{10,16}(?!\d)")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_FULLWIDTH = str.maketrans("０１２３４５６７８９－", "0123456789-")
_DELETE_DIGITS = str.maketrans("", "", "0123456789０１２３４５６７８９")
_DIGIT_OR_AT = re.compile(r"[\d@]")
#: The fewest digits any masked number has (a Seoul landline: 02-123-4567).
_MIN_DIGITS = 9


def _mask_account(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(ch.isdigit() for ch in text)
    if not 10 <= digits <= 16:
        return text
    seen = 0
    out = []
    for ch in text:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > digits - 4 else "*")
        else:
            out.append(ch)
    return "".join(out)


def mask_text(text: str) -> str:
    """``text`` with every resident number, phone number, account and e-mail masked."""
    # Fast paths, taken by most log values: no digit nor "@" at all; or too few digits for any
    # number we mask, and no e-mail.
    if _DIGIT_OR_AT.search(text) is None:
        return text
    if "@" not in text and len(text) - len(text.translate(_DELETE_DIGITS)) < _MIN_DIGITS:
        return text
    text = text.translate(_FULLWIDTH)
    text = _RRN.sub(lambda m: f"{m.group(1)}-{m.group(2)}******", text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}-****-{m.group(3)}", text)
    text = _LANDLINE.sub(lambda m: f"{m.group(1)}-****-{m.group(3)}", text)
    text = _ACCOUNT.sub(_mask_account, text)
    text = _DIGIT_RUN.sub(_mask_account, text)
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)


def mask_value(value: Any) -> Any:
    """Mask strings inside ``value`` (strings, mappings, lists and tuples, recursively)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {key: mask_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(item) for item in value]
    return value


__all__ = ["mask_text", "mask_value"]
