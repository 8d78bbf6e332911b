"""Find and mask Korean personal data before it reaches a log, a message, a file name or a screen.

:func:`mask_text` masks what free text gives away by its shape:

- resident and foreigner registration numbers (주민·외국인등록번호): ``900101-1234568``,
  ``9001011234568``, ``900101 1234568``, ``900101.1234568`` -> ``900101-1******`` (birth date
  and sex digit stay, as Korean offices print them);
- mobile and landline phones: ``010-1234-5678``, ``01012345678``, ``010 1234 5678`` ->
  ``010-****-5678``; ``02-123-4567`` -> ``02-****-4567``; ``(02) 123-4567`` ->
  ``(02) ****-4567``; ``+82 10-1234-5678`` -> ``+82 10-****-5678`` (``+821012345678`` ->
  ``+82-10-****-5678``);
- bank accounts and any other number of 10 digits or more, bare or in hyphen-joined groups:
  ``110-123-456789`` -> ``***-***-**6789``, ``1234567890123`` -> ``*********0123``;
- e-mail addresses: ``hong@example.com`` -> ``h***@example.com``.

Numbers are found whatever their separators (``-``, other dashes, ``.``, ``_``, a space, or
none), in full-width digits (``９００１０１－１２３４５６８``) and glued to Korean text
(``주민번호900101-1234568입니다``); registration numbers and phones are rewritten in the forms
above, with half-width digits.

Masking is deliberately greedy: a false positive costs a few stars in a log line, a false
negative is a leak. Known false positives: any run of 10 digits or more, or hyphen-joined
groups of 10 digits or more (epoch timestamps, ``1500000000`` won written without commas,
business registration numbers ``123-45-67890``, references like ``2025-10-10-000123``), 13
digits whose first six could be a date, 9 to 12 digits starting like a phone number. Known
false negatives: accounts written with spaces or dots (``110 123 456789``), bare long numbers
glued to ASCII letters (``acct1234567890``, read as an identifier such as a hex digest), a
registration number glued to more digits (``19900101-1234568`` is masked as a long number, which
shows its last 4 digits), numbers in other scripts' digits, and names, addresses or anything
else whose shape says nothing: those are masked by field, with :func:`mask_mapping`. Dates, date ranges (``2025-10-01-2025-10-31``),
times, ISO timestamps, amounts with commas, application numbers (``2025-출산-000123``) and ids
stay readable.

Shapes are looked for by priority, each only where no earlier one matched: e-mails,
registration numbers, phones, then accounts and long numbers, so a loose match never eats part
of a registration number. Masked numbers are recognised and left alone: masking twice
changes nothing.
"""

from __future__ import annotations

import enum
import re
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

# Characters that read the same to a person are mapped one to one onto ASCII before matching,
# so positions in the normalised text are positions in the original.
_NORMALISE = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},  # full-width digits
        **dict.fromkeys("‐‑‒–—―−－﹣", "-"),  # hyphens, dashes, minus signs
        **dict.fromkeys("\t\u00a0\u2009\u202f\u3000", " "),  # tab, no-break, thin, ideographic
        "．": ".",
        "＿": "_",
        "＋": "+",
        "＠": "@",
    }
)
_DELETE_DIGITS = str.maketrans("", "", "0123456789")
#: Nine digits, each at most 3 characters from the next: the least any masked number shows
#: (02-123-4567; separators are at most 3 characters, as in "900101 - 1234568").
_NINE_DIGITS = re.compile(r"[0-9０-９](?:[^0-9０-９]{0,3}+[0-9０-９]){8,}")
_DIGIT_OR_AT = re.compile(r"[0-9０-９@＠]")
#: The fewest digits any masked number has (a Seoul landline: 02-123-4567).
_MIN_DIGITS = 9
#: Texts up to this long are read whole; longer ones line by line (see _windows).
_SHORT = 200

_NEEDS_NORMALISING = re.compile("[０-９‐‑‒–—―−－﹣\t\u00a0\u2009\u202f\u3000．＿＋＠]")

# Each pattern starts with a character class, which lets the regex engine skip ahead quickly;
# "not glued to a digit" is checked once the first digit is read, by looking behind it.
_SEP = r"(?: ?[-.] ?|[ _])?"
# The exchange number never starts with 0: "02 010-1234-5678" is not 02-010-1234.
_MIDDLE = r"[1-9][0-9]{2,3}"
# 010/011/016-019 mobiles; 02 Seoul, 031-064 regions, 050x personal, 070 internet, 080 free.
_AREA = r"1[016789]|2|50[0-9]|[3-6][0-9]|[78]0"
_EMAIL = re.compile(
    r"(?P<email>[A-Za-z0-9._%+*-](?<![A-Za-z0-9._%+*@-][A-Za-z0-9._%+*-])[A-Za-z0-9._%+*-]*"
    r"@(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}))"
)
_REGISTRATION = re.compile(
    r"[0-9](?<![0-9]{2})(?:"
    # Masked already (here or by the source system): kept as it is, and hidden from the rest.
    r"(?P<done>[0-9]{5}-[0-9]\*{6}|[0-9]{0,3}(?:-|\) )\*{4}-[0-9]{4}(?![0-9]))"
    # A hyphen between six and seven digits says "registration number" whatever the date.
    r"|(?P<rrn>[0-9]{5} ?- ?[0-9]{7}(?![0-9]))"
    r"|(?P<rrn2>[0-9](?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?: ?\. ?|[ _])?[0-9]{7}"
    r"(?![0-9]))"
    r")"
)
_PHONE = re.compile(
    r"[0-9](?<![0-9]{2})(?:"
    # +82 10-1234-5678: the match starts at the 8, the plus sign stays.
    rf"(?P<intl>(?<=\+8)2(?P<intl_sep>[ -]?)(?:\(0\) ?|0)?(?P<intl_area>{_AREA})(?:\) ?|{_SEP})"
    rf"{_MIDDLE}{_SEP}(?P<intl_last>[0-9]{{4}})(?![0-9])(?!-[0-9]))"
    # A phone is a whole number: inside hyphen-joined groups (10-02-1234-5678) it is an
    # account, which _LOOSE masks whole.
    rf"|(?P<phone>(?<=0)(?<![0-9]-0)(?P<area>{_AREA})(?:(?P<paren>\) ?)|{_SEP}){_MIDDLE}{_SEP}"
    r"(?P<last>[0-9]{4})(?![0-9])(?!-[0-9]))"
    r")"
)
# Ten digits or more: hyphen-joined groups, or a bare run that is not part of an ASCII word (a
# hex digest or a token).
_LOOSE = re.compile(
    r"[0-9](?<![0-9]{2})(?=(?:-?[0-9]){9})"
    r"(?:[0-9]*(?:-[0-9]+)+(?![0-9])|(?<![A-Za-z][0-9])[0-9]*(?![0-9A-Za-z]))(?!-[0-9])"
)
_DAY = r"(?:19|20)[0-9]{2}-?(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12][0-9]|3[01])"
_DATE_RANGE = re.compile(rf"{_DAY}(?:-{_DAY})+")
_BLANK = "\x00"


def mask_text(text: str) -> str:
    """``text`` with every registration number, phone number, account and e-mail masked."""
    # Fast paths, taken by most log values: no digit nor "@" at all; or too few digits for any
    # number we mask, and no e-mail. Counting digits by translate is quickest on ASCII (a flag
    # of the string, free to read) but slow on Korean text.
    if _DIGIT_OR_AT.search(text) is None:
        return text
    has_at = "@" in text or "＠" in text
    if (
        not has_at
        and text.isascii()
        and len(text) - len(text.translate(_DELETE_DIGITS)) < _MIN_DIGITS
    ):
        return text
    first = _NINE_DIGITS.search(text)
    if first is None and not has_at:
        return text
    edits: list[tuple[int, int, str]] = []
    norm = text
    if has_at:
        norm = _normalised(text)
        norm = _find(_EMAIL, norm, edits, 0)  # first: a local part may hold digits
    for low, high in _windows(text, first):
        window = norm[low:high]
        if not has_at:
            window = _normalised(window)
        # By priority, each pass blind to what an earlier one matched.
        window = _find(_REGISTRATION, window, edits, low)
        window = _find(_PHONE, window, edits, low)
        for match in _LOOSE.finditer(window):
            number = match.group()
            if _DATE_RANGE.fullmatch(number) is None:
                edits.append((low + match.start(), low + match.end(), _keep_last_digits(number)))
    if not edits:
        return text
    edits.sort()
    out: list[str] = []
    pos = 0
    for start, end, masked in edits:
        out += (text[pos:start], masked)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _windows(text: str, first: re.Match[str] | None) -> list[tuple[int, int]]:
    """Where numbers may be: the whole of a short text; in a long one, the lines that hold nine
    close digits, so that a traceback's other lines are not read three more times.

    No number nor any character a pattern looks at around one spans a line break, so masking
    line by line masks the same as masking the whole.
    """
    if first is None:
        return []
    if len(text) <= _SHORT:
        return [(0, len(text))]
    windows: list[tuple[int, int]] = []
    run: re.Match[str] | None = first
    while run is not None:
        low = text.rfind("\n", 0, run.start()) + 1
        high = text.find("\n", run.end())
        high = len(text) if high < 0 else high
        if windows and low <= windows[-1][1] + 1:  # the next line, or the same
            low = windows.pop()[0]
        windows.append((low, high))
        run = _NINE_DIGITS.search(text, high)
    return windows


def _normalised(text: str) -> str:
    if text.isascii() or _NEEDS_NORMALISING.search(text) is None:
        return text
    return text.translate(_NORMALISE)


def _find(
    pattern: re.Pattern[str], norm: str, edits: list[tuple[int, int, str]], offset: int
) -> str:
    """Add the masks of ``pattern``'s matches to ``edits``; ``norm`` with the matches blanked."""
    for match in pattern.finditer(norm):
        start, end = match.span()
        if match.lastgroup != "done":
            edits.append((offset + start, offset + end, _strong_mask(match)))
        norm = f"{norm[:start]}{_BLANK * (end - start)}{norm[end:]}"  # same length: spans hold
    return norm


def _strong_mask(match: re.Match[str]) -> str:
    kind, found = match.lastgroup, match.group()
    if kind == "email":
        return f"{found[0]}***@{mask_text(match['domain'])}"
    if kind == "intl":
        # The separator after 82 stays as written, else a hyphen: a space that was not there
        # would let the e-mail pattern read the masked tail as an address the next time.
        return f"82{match['intl_sep'] or '-'}{match['intl_area']}-****-{match['intl_last']}"
    if kind == "phone":
        return f"0{match['area']}{') ' if match['paren'] else '-'}****-{match['last']}"
    return f"{found[:6]}-{found[-7]}******"  # rrn, rrn2: birth date and sex digit stay


def _keep_last_digits(number: str, keep: int = 4) -> str:
    """Digits starred but the last ``keep``; separators stay (``***-***-**6789``)."""
    to_hide = sum(ch.isdigit() for ch in number) - keep
    out = []
    for ch in number:
        if to_hide > 0 and ch.isdigit():
            out.append("*")
            to_hide -= 1
        else:
            out.append(ch)
    return "".join(out)


def mask_value(value: Any) -> Any:
    """Mask strings inside ``value`` (strings, mappings, lists and tuples, recursively)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {key: mask_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(item) for item in value]
    return value


class Personal(enum.Enum):
    """How a field that holds personal data is shown once masked (see :func:`mask_mapping`).

    Mark a payload model's field with it: ``name: Annotated[str, Personal.NAME]``.
    """

    #: ``홍길동`` -> ``홍**``: the first character stays, to tell applicants apart on a list.
    NAME = "name"
    #: ``900101-1234568`` -> ``900101-1******`` (birth date and sex digit stay).
    RESIDENT_NUMBER = "resident_number"
    #: ``010-1234-5678`` -> ``010-****-5678``.
    PHONE = "phone"
    #: ``110-123-456789`` -> ``***-***-**6789``: the last 4 digits, to check against a bankbook.
    ACCOUNT = "account"
    #: ``hong@example.com`` -> ``h***@example.com``.
    EMAIL = "email"
    #: Anything else (address, birth date, passport number): every character starred.
    OTHER = "other"


# When fields are named without a kind, the name says it (first hit wins), else OTHER.
_KIND_BY_NAME = (
    ("email", Personal.EMAIL),
    ("rrn", Personal.RESIDENT_NUMBER),
    ("resident", Personal.RESIDENT_NUMBER),
    ("account", Personal.ACCOUNT),
    ("phone", Personal.PHONE),
    ("mobile", Personal.PHONE),
    ("name", Personal.NAME),
)
#: What an account keeps before its last digits are starred: digits and separators.
_KEPT = frozenset("0123456789-. ")


def mask_personal(value: Any, kind: Personal) -> Any:
    """``value`` masked as a personal field of ``kind`` (inside mappings and lists too)."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        return {key: mask_personal(item, kind) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_personal(item, kind) for item in value]
    text = str(value).strip()
    norm = text.translate(_NORMALISE)
    if kind is Personal.NAME:
        return text[:1] + "*" * (len(text) - 1) if len(text) > 1 else "*" * len(text)
    if kind in (Personal.RESIDENT_NUMBER, Personal.PHONE):
        start = len(norm) - len(norm.lstrip("+("))  # "+82 10-..." and "(02) ..." keep their head
        # A phone field shows a registration number as one (it is in the wrong field); a
        # registration number field keeps nothing of anything else.
        found = _REGISTRATION.fullmatch(norm, start)
        if found is None and kind is Personal.PHONE:
            found = _PHONE.fullmatch(norm, start)
        if found is not None:
            return text if found.lastgroup == "done" else text[:start] + _strong_mask(found)
    if kind is Personal.EMAIL and (found := _EMAIL.fullmatch(norm)) is not None:
        return _strong_mask(found)
    if kind in (Personal.ACCOUNT, Personal.PHONE) and sum(ch.isdigit() for ch in norm) >= 8:
        return _keep_last_digits("".join(ch if ch in _KEPT else "*" for ch in norm))
    return "*" * len(text)


def mask_mapping(
    values: Mapping[str, Any], personal_fields: Mapping[str, Personal] | Iterable[str]
) -> dict[str, Any]:
    """``values`` (a payload, a form) with personal fields masked by kind, and the rest by shape.

    Names cannot be found in free text, so a process says which fields are personal: a mapping
    from field name to :class:`Personal` (:func:`personal_fields` reads it off a payload model),
    or bare field names, whose kind is then guessed from the name (``applicant_name`` is a
    name, ``bank_account`` an account; a name that says nothing is starred whole). Field names
    apply at every depth, in nested mappings and lists of them. Every other string goes through
    :func:`mask_text`.
    """
    if isinstance(personal_fields, str):
        personal_fields = [personal_fields]
    if isinstance(personal_fields, Mapping):
        kinds: Mapping[str, Personal] = personal_fields
    else:
        kinds = {name: _guess_kind(name) for name in personal_fields}
    return _mask_fields(values, kinds)


def _mask_fields(values: Mapping[str, Any], kinds: Mapping[str, Personal]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if (kind := kinds.get(key)) is not None:
            out[key] = mask_personal(value, kind)
        elif isinstance(value, Mapping):
            out[key] = _mask_fields(value, kinds)
        elif isinstance(value, list | tuple):
            out[key] = [
                _mask_fields(item, kinds) if isinstance(item, Mapping) else mask_value(item)
                for item in value
            ]
        else:
            out[key] = mask_value(value)
    return out


def _guess_kind(field_name: str) -> Personal:
    lowered = field_name.lower()
    return next((kind for hint, kind in _KIND_BY_NAME if hint in lowered), Personal.OTHER)


def personal_fields(model: type[BaseModel]) -> dict[str, Personal]:
    """Fields of a pydantic model marked ``Annotated[..., Personal.X]``, nested models included."""
    found: dict[str, Personal] = {}
    seen: set[type[BaseModel]] = set()

    def walk(current: type[BaseModel]) -> None:
        if current in seen:
            return
        seen.add(current)
        for name, info in current.model_fields.items():
            for meta in info.metadata:
                if isinstance(meta, Personal):
                    found[name] = meta
            for nested in _models_in(info.annotation):
                walk(nested)

    walk(model)
    return found


def _models_in(annotation: Any) -> Iterable[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


__all__ = [
    "Personal",
    "mask_mapping",
    "mask_personal",
    "mask_text",
    "mask_value",
    "personal_fields",
]
