"""Uploads and downloads of the sandbox systems: posted files, checked uploads, .xlsx exports.

An upload is refused unless its extension is allowed, its size is within the limit and its
first bytes match the type it claims (an .xlsx or .hwpx is a zip, a .pdf starts with %PDF).
Exports are real .xlsx files (openpyxl) with text cells forced to text, so a cell that starts
with "=" never becomes a formula in the official's Excel.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote

from fastapi import UploadFile
from openpyxl import Workbook
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.responses import Response

from civicrpa.sandbox.common.forms import Form

#: First bytes by extension.
MAGIC = {
    ".xlsx": b"PK\x03\x04",
    ".hwpx": b"PK\x03\x04",
    ".pdf": b"%PDF",
    ".csv": b"",
    ".png": b"\x89PNG",
    ".jpg": b"\xff\xd8\xff",
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def posted_files(data: FormData, name: str) -> list[UploadFile]:
    """The files posted under ``name`` (an empty file input's unnamed part left out).

    The text fields of the same post are :func:`~civicrpa.sandbox.common.forms.form_of`'s.
    """
    # Starlette builds its own UploadFile; FastAPI's type is a subclass with the same API.
    return [
        cast(UploadFile, part)
        for part in data.getlist(name)
        if isinstance(part, StarletteUploadFile) and part.filename
    ]


def posted_file(data: FormData, name: str) -> UploadFile | None:
    """The file posted under ``name``, or None when none was chosen."""
    files = posted_files(data, name)
    return files[-1] if files else None


@dataclass(frozen=True)
class Upload:
    """A checked upload."""

    filename: str
    content: bytes

    @property
    def suffix(self) -> str:
        return "." + self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else ""


async def read_upload(
    form: Form,
    name: str,
    label: str,
    file: UploadFile | None,
    *,
    allowed: Sequence[str],
    max_mb: int = 10,
    required: bool = True,
) -> Upload | None:
    """The uploaded file if it passes the checks; otherwise an error on ``form``."""
    if file is None or not file.filename:
        if required:
            form.fail(name, "file_required", label=label)
        return None
    filename = file.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    types = ", ".join(allowed)
    if suffix not in allowed:
        form.fail(name, "file_type", label=label, types=types)
        return None
    content = await file.read(max_mb * 1024 * 1024 + 1)
    if len(content) > max_mb * 1024 * 1024:
        form.fail(name, "file_too_large", label=label, max_mb=max_mb)
        return None
    if not content or not content.startswith(MAGIC.get(suffix, b"")):
        form.fail(name, "file_type", label=label, types=types)
        return None
    return Upload(filename=filename, content=content)


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # shown as text, never evaluated
    return value


def xlsx_response(
    filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Response:
    """A download of ``rows`` as an .xlsx sheet named ``title``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(header))
    for row in rows:
        sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(
        buffer.getvalue(), media_type=XLSX_TYPE, headers={"Content-Disposition": disposition}
    )
