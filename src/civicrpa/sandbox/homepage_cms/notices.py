"""What a notice is made of and how it is checked: fields, attachments, the day it goes public.

Both the new-notice and the edit screen post the same form; this module turns a posted form into
either a checked :class:`NoticeInput` or a :class:`Form` full of Korean messages, and nothing in
between is stored. Attachments pass :func:`read_upload` (extension, size and first bytes).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import Request, UploadFile
from sqlalchemy import insert
from sqlalchemy.orm import Session
from starlette.responses import Response

from civicrpa.sandbox.common.clock import city_today
from civicrpa.sandbox.common.files import Upload, posted_files, read_upload
from civicrpa.sandbox.common.forms import Form, add_messages, form_of
from civicrpa.sandbox.homepage_cms.models import DEPARTMENTS, attachments

#: Formats the county posts: Hangul (.hwpx) and PDF; anything else is refused.
ATTACHMENT_TYPES = (".hwpx", ".pdf")
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_MB = 10
TITLE_MAX = 100
BODY_MAX = 20_000
_MEDIA_TYPES = {".pdf": "application/pdf", ".hwpx": "application/hwp+zip"}
add_messages("homepage_cms", {"too_many_attachments": "첨부파일은 {max}개까지 올릴 수 있습니다."})


@dataclass(frozen=True, kw_only=True)
class NoticeInput:
    """A checked notice, ready to store."""

    title: str
    body: str
    department: str
    publish_on: date
    uploads: tuple[Upload, ...]
    #: Ids of existing attachments the official ticked for removal (edit screen only).
    remove: frozenset[int]

    def values(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "body": self.body,
            "department": self.department,
            "publish_on": self.publish_on,
        }


async def read_notice_form(
    request: Request,
    *,
    kept_publish_on: date | None = None,
    existing: frozenset[int] = frozenset(),
) -> tuple[Form, NoticeInput | None]:
    """Check a posted notice; ``kept_publish_on`` is the stored day an edit may leave as it is."""
    data = await request.form()
    form = form_of(data)
    # Browsers send textarea line ends as CRLF; count the characters the official typed.
    form.raw["body"] = form.raw.get("body", "").replace("\r\n", "\n")
    title = form.text("title", "제목", max_length=TITLE_MAX)
    body = form.text("body", "본문", max_length=BODY_MAX)
    department = form.choice("department", "담당 부서", DEPARTMENTS)
    publish_on = form.day("publish_on", "게시일")
    if publish_on is not None and publish_on != kept_publish_on and publish_on < city_today():
        form.fail("publish_on", "past_date", label="게시일")
    remove = (
        frozenset(
            int(key.removeprefix("remove_"))
            for key in form.raw
            if key.startswith("remove_") and key.removeprefix("remove_").isdigit()
        )
        & existing
    )
    try:
        uploads = await _read_attachments(form, posted_files(data, "attachments"))
    finally:
        await data.close()  # the uploads' spooled temporary files (their bytes are kept)
    if len(existing) - len(remove) + len(uploads) > MAX_ATTACHMENTS:
        form.fail("attachments", "homepage_cms.too_many_attachments", max=MAX_ATTACHMENTS)
    if not form.ok or publish_on is None:
        return form, None
    notice = NoticeInput(
        title=title,
        body=body,
        department=department,
        publish_on=publish_on,
        uploads=tuple(uploads),
        remove=remove,
    )
    return form, notice


async def _read_attachments(form: Form, parts: list[UploadFile]) -> list[Upload]:
    uploads: list[Upload] = []
    for part in parts:
        upload = await read_upload(
            form,
            "attachments",
            "첨부파일",
            part,
            allowed=ATTACHMENT_TYPES,
            max_mb=MAX_ATTACHMENT_MB,
        )
        if upload is not None:
            uploads.append(upload)
    return uploads


def store_attachments(session: Session, notice_id: int, uploads: tuple[Upload, ...]) -> None:
    """Keep the files with their size and sha256 (what ground truth and robots compare)."""
    if not uploads:
        return
    session.execute(
        insert(attachments),
        [
            {
                "notice_id": notice_id,
                "filename": upload.filename,
                "size": len(upload.content),
                "sha256": hashlib.sha256(upload.content).hexdigest(),
                "content": upload.content,
            }
            for upload in uploads
        ],
    )


def attachment_response(filename: str, content: bytes) -> Response:
    """A download under its original (Korean) name."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(
        content,
        media_type=_MEDIA_TYPES.get(suffix, "application/octet-stream"),
        headers={"Content-Disposition": disposition},
    )
