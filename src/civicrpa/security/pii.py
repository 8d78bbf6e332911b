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

Every value of every log line is masked, so masking is made cheap without finding less: a
number is read only inside its run of digits and separators (a long text's runs are found by
a pass over its bytes first); a run that is one common number (``900101-1234568``,
``010-1234-5678``) is masked at once, as the passes would; the passes read the other runs; and
short strings found to hold nothing (process names, outcomes) are remembered. The passes over
the whole text stay the definition: tests check that the short cuts find the same.
"""

from __future__ import annotations

import enum
import re
import typing
from collections.abc import Iterable, Mapping, MutableMapping
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
_NEEDS_NORMALISING = re.compile("[０-９‐‑‒–—―−－﹣\t\u00a0\u2009\u202f\u3000．＿＋＠]")
#: For isinstance: ``list | tuple`` would build a union on every call.
_SEQUENCES = (list, tuple)
_CONTAINERS = (list, tuple, dict)

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
#: What every number pattern starts with: a digit not glued to another.
_FIRST_DIGIT = r"[0-9](?<![0-9]{2})"
_REGISTRATION_BODY = (
    r"(?:"
    # Masked already (here or by the source system): kept as it is, and hidden from the rest.
    r"(?P<done>[0-9]{5}-[0-9]\*{6}|[0-9]{0,3}(?:-|\) )\*{4}-[0-9]{4}(?![0-9]))"
    # A hyphen between six and seven digits says "registration number" whatever the date.
    r"|(?P<rrn>[0-9]{5} ?- ?[0-9]{7}(?![0-9]))"
    r"|(?P<rrn2>[0-9](?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?: ?\. ?|[ _])?[0-9]{7}"
    r"(?![0-9]))"
    r")"
)
_REGISTRATION = re.compile(_FIRST_DIGIT + _REGISTRATION_BODY)
_PHONE_BODY = (
    r"(?:"
    # +82 10-1234-5678: the match starts at the 8, the plus sign stays.
    rf"(?P<intl>(?<=\+8)2(?P<intl_sep>[ -]?)(?:\(0\) ?|0)?(?P<intl_area>{_AREA})(?:\) ?|{_SEP})"
    rf"{_MIDDLE}{_SEP}(?P<intl_last>[0-9]{{4}})(?![0-9])(?!-[0-9]))"
    # A phone is a whole number: inside hyphen-joined groups (10-02-1234-5678) it is an
    # account, which _LOOSE masks whole.
    rf"|(?P<phone>(?<=0)(?<![0-9]-0)(?P<area>{_AREA})(?:(?P<paren>\) ?)|{_SEP}){_MIDDLE}{_SEP}"
    r"(?P<last>[0-9]{4})(?![0-9])(?!-[0-9]))"
    r")"
)
_PHONE = re.compile(_FIRST_DIGIT + _PHONE_BODY)
# Ten digits or more: hyphen-joined groups, or a bare run that is not part of an ASCII word (a
# hex digest or a token).
_LOOSE = re.compile(
    r"[0-9](?<![0-9]{2})(?=(?:-?[0-9]){9})"
    r"(?:[0-9]*(?:-[0-9]+)+(?![0-9])|(?<![A-Za-z][0-9])[0-9]*(?![0-9A-Za-z]))(?!-[0-9])"
)
_DAY = r"(?:19|20)[0-9]{2}-?(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12][0-9]|3[01])"
_DATE_RANGE = re.compile(rf"{_DAY}(?:-{_DAY})+")
_BLANK = "\x00"

# Where numbers may be: runs of digits and of what separates them in a number (a space, "-",
# ".", "_", "(", ")", before normalising their look-alikes too) and the stars of masked ones.
# No match of _REGISTRATION, _PHONE or _LOOSE holds anything else, and none looks further than
# two characters before its first digit or one past the end of its run, so each run can be read
# on its own. Every number they rewrite has nine digits or more, each at most three characters
# from the next (a cluster): runs without one are left alone.
_DIGIT = "0-9０-９"
_GAP = r" \-._()\t\u00a0\u2009\u202f\u3000‐‑‒–—―−－﹣．＿"
_RUN = rf"{_DIGIT}{_GAP}*"
_CLUSTER = rf"(?:[{_GAP}]{{0,3}}+[{_DIGIT}]){{8}}"
#: From the first digit of a group of close digits: a cluster there or further in the run,
#: looked for a group at a time.
_HAS_CLUSTER = (
    rf"(?={_CLUSTER}|(?:[{_GAP}]{{0,3}}+[{_DIGIT}])*+"
    rf"(?:[{_GAP}*]++[{_DIGIT}](?:[{_GAP}]{{0,3}}+[{_DIGIT}])*+)*?[{_GAP}*]++[{_DIGIT}]{_CLUSTER})"
)
#: What follows a number that is its run's last: separators (stars too, after a registration
#: number) and the end of the run.
_RUN_END = rf"(?=[ \-._()]*+(?![{_RUN}]))"
_RUN_END_STARS = rf"(?=[ \-._()*]*+(?![{_RUN}]))"


def _uncaptured(pattern: str, keep: str = "") -> str:
    """``pattern`` without its named groups but ``keep``: the same matches, found for less (the
    regex engine saves and copies every group on every match)."""
    return re.sub(r"\(\?P<(\w+)>", lambda g: g[0] if g[1] == keep else "(?:", pattern)


#: A run without a cluster this long is taken whole (``long``) and left as it is, not read
#: again from each of its digits (which would take a time growing as its square).
_LONG_RUN = 40
#: A run with a cluster, from its first digit; all read in one pass over the text (``sub``).
#:
#: A run that is one number, from its first digit to its last, is matched as that number, and
#: masked as the passes would mask it: ``mobile`` and ``resident``, the commonest writings of a
#: phone and of a registration number; ``telephone``, a phone as _PHONE reads it that starts
#: with 0, in a run without stars (it has at most 12 digits, so no registration number fits
#: in the run, and it is the first thing the phone pass reads there); else ``registration``,
#: what _REGISTRATION reads at the run's first digit, the first thing the first pass reads.
#: Atomic groups keep to the first way the patterns match alone. These read ASCII only:
#: full-width digits or look-alike separators make a run a general one, matched to its end
#: and read by all the passes once normalised (_run_edits). Runs without a cluster are left
#: as they are: nothing in them would be masked.
_NUMBER_RUN = re.compile(
    rf"[{_DIGIT}](?<![{_DIGIT}]{{2}})(?=[{_RUN}]{{8}})(?:"
    rf"(?<=0)(?P<mobile>1[016789]-[1-9][0-9]{{2,3}}-[0-9]{{4}}){_RUN_END}"
    rf"|(?<=[0-9])(?P<resident>[0-9]{{5}}-[0-9]{{7}}){_RUN_END_STARS}"
    rf"|{_HAS_CLUSTER}(?:"
    rf"(?<=0)(?P<telephone>(?>{_uncaptured(_PHONE_BODY, keep='area')})){_RUN_END}"
    rf"|(?<=[0-9])(?P<registration>(?>{_uncaptured(_REGISTRATION_BODY)})){_RUN_END_STARS}"
    rf"|[{_RUN}]*+"
    rf")|(?P<long>[{_RUN}]{{{_LONG_RUN}}}[{_RUN}]*+))"
)
_MOBILE = _NUMBER_RUN.groupindex["mobile"]
_RESIDENT = _NUMBER_RUN.groupindex["resident"]
_TELEPHONE = _NUMBER_RUN.groupindex["telephone"]
_TELEPHONE_AREA = _NUMBER_RUN.groupindex["area"]
_REGISTRATION_NUMBER = _NUMBER_RUN.groupindex["registration"]
_LONG = _NUMBER_RUN.groupindex["long"]
#: A run's characters other than digits, once normalised.
_RUN_PUNCTUATION = " -._()*"
#: Every registration number holds seven digits in a row (the masked ones, stars).
_SEVEN_DIGITS = re.compile(r"[0-9]{7}")

#: Texts longer than this are not read whole with _NUMBER_RUN, which reads a character for
#: each step: their runs are found first in their bytes, with C loops. Each character becomes
#: one byte (UTF-8 without its continuation bytes): "0" for what may be part of a run (ASCII run
#: characters, and any character whose UTF-8 starts like a non-ASCII one's), "x" for the rest.
#: A run with a cluster has nine "0" in a row, at least.
_READ_WHOLE = 160
_RUN_ASCII = "0123456789 -._()*\t"
_RUN_LEADS = {ch.encode()[0] for ch in "０－﹣．＿‐‑‒–—―−\u00a0\u2009\u202f\u3000"}
_CLASSES = bytes(
    0x30 if (i < 0x80 and chr(i) in _RUN_ASCII) or i in _RUN_LEADS else 0x78 for i in range(256)
)
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))
_NINE_IN_A_RUN = b"0" * 9
_FULLWIDTH_AT = "＠".encode()
#: Runs fewer characters apart than this are read together, with what lies between them; all
#: of them at once if the first and the last are at most _ONE_WINDOW apart.
_NEAR = 48
_ONE_WINDOW = 480

#: Short strings (process names, outcomes, states, worker names) come back on every line: the
#: last few thousand found to hold nothing to mask are remembered. Only those: a string that
#: would be masked is never kept.
_CLEAN: dict[str, None] = {}
_CLEAN_MAX_LEN = 64
_CLEAN_MAX_ENTRIES = 4096


def mask_text(text: str) -> str:
    """``text`` with every registration number, phone number, account and e-mail masked."""
    short = len(text) <= _CLEAN_MAX_LEN
    if short and text in _CLEAN:
        return text
    if len(text) > _READ_WHOLE:
        masked = _mask_long(text)
    elif "@" in text or "＠" in text:
        masked = _mask_with_emails(text)
    else:
        masked = _NUMBER_RUN.sub(_masked_run, text)
    if masked == text:
        if short:
            if len(_CLEAN) >= _CLEAN_MAX_ENTRIES:
                _CLEAN.clear()
            _CLEAN[text] = None
        return text
    return masked


def mask_in_place(values: MutableMapping[str, Any], skip: str = "") -> None:
    """Mask, as :func:`mask_value` does, every value of ``values`` but the one under ``skip``.

    Made for log events (:func:`civicrpa.runtime.logs.mask_processor`): numbers, ``None`` and
    other values that hold no text are passed over at once, and so are short strings known to
    hold nothing to mask.
    """
    clean = _CLEAN
    for key, value in values.items():
        kind = type(value)
        if kind is str:
            if key == skip or (len(value) <= _CLEAN_MAX_LEN and value in clean):
                continue
        elif kind is int or kind is float or kind is bool or value is None:
            continue
        elif isinstance(value, _CONTAINERS):
            values[key] = mask_value(value)
            continue
        elif not isinstance(value, str) or key == skip:
            continue
        masked = mask_text(value)
        if masked is not value:
            values[key] = masked


def _mask_long(text: str) -> str:
    """:func:`mask_text` for a long text: only around its runs of nine."""
    try:
        encoded = text.encode()
    except UnicodeEncodeError:  # a lone surrogate, as os.fsdecode leaves them
        encoded = text.encode("utf-8", "surrogatepass")
    if text.isascii():
        if b"@" in encoded:
            return _mask_with_emails(text)
        classes = encoded.translate(_CLASSES)  # one byte a character already: quicker
    else:
        if b"@" in encoded or (b"\xef" in encoded and _FULLWIDTH_AT in encoded):
            return _mask_with_emails(text)
        classes = encoded.translate(_CLASSES, _CONTINUATION_BYTES)
    # Searched from the start or from an "x", nine "0" are found where their run starts.
    low = classes.find(_NINE_IN_A_RUN)
    if low < 0:
        return text
    size = len(text)
    # Most long texts (a traceback) have their numbers close together: read them at once.
    last = classes.find(b"x", classes.rfind(_NINE_IN_A_RUN))
    if last < 0:
        last = size
    if last - low <= _ONE_WINDOW:
        start = low - 2 if low > 2 else 0
        window = text[start : last + 1]
        masked = _NUMBER_RUN.sub(_masked_run, window)
        return text if masked is window else f"{text[:start]}{masked}{text[last + 1 :]}"
    out: list[str] = []
    pos = 0
    while low >= 0:
        high = classes.find(b"x", low)
        nearby = classes.find(_NINE_IN_A_RUN, high) if high >= 0 else -1
        while 0 <= nearby < high + _NEAR:
            high = classes.find(b"x", nearby)
            nearby = classes.find(_NINE_IN_A_RUN, high) if high >= 0 else -1
        # The two characters before the run and one after, which the patterns look at.
        start = low - 2 if low > 2 else 0
        end = high + 1 if high >= 0 else size
        window = text[start:end]
        masked = _NUMBER_RUN.sub(_masked_run, window)
        if masked is not window:
            out += (text[pos:start], masked)
            pos = end
        low = nearby
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _mask_with_emails(text: str) -> str:
    """:func:`mask_text` for a text with an "@": e-mails first, then numbers where none is."""
    edits: list[tuple[int, int, str]] = []
    norm = _find(_EMAIL, _normalised(text), edits, 0)  # first: a local part may hold digits
    for run in _NUMBER_RUN.finditer(norm):
        start, end = run.span()
        if run.lastindex is None:
            edits += _run_edits(norm, start, end)
        else:
            number = run.group()
            masked = _masked_run(run)
            if masked != number:
                edits.append((start, end, masked))
    if not edits:
        return text
    return _apply(text, 0, len(text), edits)


def _masked_run(run: re.Match[str]) -> str:
    """What a match of _NUMBER_RUN becomes (a ``sub`` callback)."""
    kind = run.lastindex
    if kind == _RESIDENT:
        number = run[0]
        return f"{number[:6]}-{number[7]}******"
    if kind == _MOBILE:
        number = run[0]
        return f"{number[:3]}-****-{number[-4:]}"
    if kind == _TELEPHONE:
        number, area = run.group(0, _TELEPHONE_AREA)
        sep = ") " if number[len(area) + 1] == ")" else "-"
        return f"0{area}{sep}****-{number[-4:]}"
    if kind == _REGISTRATION_NUMBER:
        number = run[0]
        return number if "*" in number else f"{number[:6]}-{number[-7]}******"
    if kind == _LONG:
        return run[0]
    text = run.string
    start, end = run.span()
    edits = _run_edits(text, start, end)
    return _apply(text, start, end, edits) if edits else text[start:end]


def _apply(text: str, start: int, end: int, edits: list[tuple[int, int, str]]) -> str:
    """``text[start:end]`` with the ``edits`` (start, end, replacement) made."""
    edits.sort()
    out: list[str] = []
    pos = start
    for low, high, masked in edits:
        out += (text[pos:low], masked)
        pos = high
    out.append(text[pos:end])
    return "".join(out)


def _run_edits(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The masks of the numbers in the run ``text[start:end]``, by priority, each pass blind to
    what an earlier one matched: read with the two characters before it and one after."""
    low = start - 2 if start > 2 else 0
    window = _normalised(text[low : end + 1])
    edits: list[tuple[int, int, str]] = []
    start -= low
    end -= low
    run = window[start:end]
    first = start + len(run) - len(run.lstrip(_RUN_PUNCTUATION))
    last = end - len(run) + len(run.rstrip(_RUN_PUNCTUATION))
    if (
        "*" not in run
        and _SEVEN_DIGITS.search(window, first, last) is None
        and _PHONE.search(window, first) is None
    ):
        # No registration number (masked or not) nor phone: a long number alone is common.
        found = _LOOSE.search(window, first)
        if found is None:
            return edits
        if found.start() == first and found.end() == last:
            number = found.group()
            if _DATE_RANGE.fullmatch(number) is None:
                edits.append((low + first, low + last, _keep_last_digits(number)))
            return edits
    window = _find(_REGISTRATION, window, edits, low)
    window = _find(_PHONE, window, edits, low)
    for match in _LOOSE.finditer(window):
        number = match.group()
        if _DATE_RANGE.fullmatch(number) is None:
            edits.append((low + match.start(), low + match.end(), _keep_last_digits(number)))
    return edits


def _normalised(text: str) -> str:
    if text.isascii():
        return text.replace("\t", " ") if "\t" in text else text
    if _NEEDS_NORMALISING.search(text) is None:
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
    if isinstance(value, _SEQUENCES):
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


def mask_name_middle(name: str) -> str:
    """A name as public notices and lists print it: first and last syllable kept, the middle
    starred (양수정 → 양*정, 남궁민수 → 남**수, 김수 → 김*), so an official can match it to the
    case file while a stray copy names nobody."""
    text = "".join(name.split())
    if len(text) <= 2:
        return text[:1] + "*" * (len(text) - 1)
    return text[0] + "*" * (len(text) - 2) + text[-1]


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
        kinds = {name: kind_from_name(name) for name in personal_fields}
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


def kind_from_name(field_name: str) -> Personal:
    """The kind of personal data a field holds, guessed from its name (``applicant_rrn`` is a
    resident number, ``bank_account`` an account); :attr:`Personal.OTHER` when the name says
    nothing."""
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
    "kind_from_name",
    "mask_in_place",
    "mask_mapping",
    "mask_name_middle",
    "mask_personal",
    "mask_text",
    "mask_value",
    "personal_fields",
]
