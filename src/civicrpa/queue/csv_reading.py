"""Read the records of an uploaded CSV work list, whatever Korean Excel saved and however long.

Korean Excel writes CSV in CP949, newer versions UTF-8 with a byte order mark; the encoding is
settled over the whole file before a record is read, so a bad byte late in the file refuses the
file instead of half of it. The csv module refuses a field longer than its own limit (131,072
characters) and drops the rest of the line; such a record is read again by :func:`parse_record`,
which keeps only the length of an over-long field, so a 10 MB cell is never held in memory.

This module knows nothing of headers or limits objects: :mod:`civicrpa.queue.tables` turns the
records into a table.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from civicrpa.core.errors import InputRejected

#: Korean Excel writes CSV in CP949; newer versions offer UTF-8 with a byte order mark.
_CSV_ENCODINGS = ("utf-8-sig", "cp949")
_CHUNK_BYTES = 1024 * 1024
_UNQUOTED_STOP = re.compile(r'[,"\r\n]')


class TooLong:
    """Stands in for a cell that was over the limit: only its length is kept."""

    __slots__ = ("length",)

    def __init__(self, length: int) -> None:
        self.length = length


def csv_encoding(path: Path) -> str:
    """The first of UTF-8 (BOM optional) and CP949 that decodes all of ``path``.

    Raises :class:`InputRejected` (``import.csv_encoding``) when neither does.
    """
    for encoding in _CSV_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as stream:
                while chunk := stream.read(_CHUNK_BYTES):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise InputRejected("import.csv_encoding", field="file")


def csv_records(stream: TextIO, max_chars: int) -> Iterator[Sequence[object]]:
    """The records of ``stream`` (opened with ``newline=""``), in the Excel dialect.

    A record the csv module refuses is parsed again by :func:`parse_record`; its fields longer
    than ``max_chars`` come back as :class:`TooLong`.
    """
    current: list[str] = []  # the lines of the record being read

    def lines() -> Iterator[str]:
        for line in stream:
            current.append(line)
            yield line

    source = lines()
    reader = csv.reader(source)
    while True:
        current.clear()
        try:
            record: Sequence[object] = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # The csv module refuses a field over its own limit (131,072 characters) and drops
            # the rest of the line; read that record again here, keeping only lengths of the
            # over-long fields and resuming after the record even when it spans lines.
            record = parse_record(tuple(current), source, max_chars)
        yield record


class _Field:
    """One field being parsed; past the limit only its length is counted."""

    def __init__(self, max_chars: int) -> None:
        self.max = max_chars
        self.parts: list[str] = []
        self.length = 0
        self.started = False

    def add(self, text: str, start: int, end: int) -> None:
        self.started = True
        self.length += end - start
        if self.length <= self.max:
            self.parts.append(text[start:end])

    def take(self) -> object:
        value = TooLong(self.length) if self.length > self.max else "".join(self.parts)
        self.parts, self.length, self.started = [], 0, False
        return value


def parse_record(first: Sequence[str], more: Iterator[str], max_chars: int) -> list[object]:
    """Parse one CSV record (Excel dialect) from ``first`` lines, then ``more`` while quoted.

    Fields longer than ``max_chars`` come back as a placeholder holding only their length.
    """
    fields: list[object] = []
    field_ = _Field(max_chars)
    quoted = False
    lines = iter(first)
    while (line := next(lines, None) or (next(more, None) if quoted else None)) is not None:
        i, n = 0, len(line)
        while i < n:
            if quoted:  # up to the next quote; a doubled quote is a literal one
                j = line.find('"', i)
                field_.add(line, i, n if j < 0 else j)
                if j < 0:
                    break
                doubled = line.startswith('"', j + 1)
                if doubled:
                    field_.add(line, j, j + 1)
                quoted, i = doubled, j + (2 if doubled else 1)
                continue
            match = _UNQUOTED_STOP.search(line, i)
            j = n if match is None else match.start()
            if j > i:
                field_.add(line, i, j)
            if j == n:
                break
            if line[j] == '"' and not field_.started:  # quoting opens only a field, as in csv
                quoted = field_.started = True
            elif line[j] == '"':
                field_.add(line, j, j + 1)
            else:
                fields.append(field_.take())
                if line[j] != ",":
                    return fields
            i = j + 1
    fields.append(field_.take())
    return fields


__all__ = ["TooLong", "csv_encoding", "csv_records", "parse_record"]
