"""Synthetic notices of a Jangheung-like county: 공고, 입법예고, 채용, 모집. Deterministic.

``max(30, size // 100)`` notices; one in ten is scheduled 1-30 days ahead, the rest were posted
over the past 400 days. About half carry a small .hwpx and some also a .pdf (valid enough to
pass the upload checks). Days are offsets from the city's day
(:data:`~civicrpa.sandbox.common.city.CITY_DAY`, unless ``today`` is given), so the same
``size`` and ``today`` give the same rows and a scheduled notice stays scheduled.
"""

from __future__ import annotations

import hashlib
import io
import random
import zipfile
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import insert

from civicrpa.sandbox.common.city import CITY_DAY, CITY_SEED
from civicrpa.sandbox.common.clock import kst_stamp
from civicrpa.sandbox.common.db import SandboxDatabase
from civicrpa.sandbox.common.synthetic import korean_faker
from civicrpa.sandbox.homepage_cms.models import DEPARTMENTS, attachments, notices

_SUBJECTS = (
    "도로 점용 허가",
    "공유재산 매각",
    "도시계획시설(도로) 결정",
    "지적재조사 사업지구 지정",
    "개별공시지가 결정",
    "농어촌버스 노선 조정",
)
_ORDINANCES = (
    "주민자치회 설치 및 운영",
    "출산장려금 지원",
    "공공도서관 운영",
    "청년 기본",
    "경로당 지원",
)
_PROGRAMS = (
    "귀농·귀촌 체험",
    "노인 일자리",
    "편백숲 치유 프로그램",
    "청년 창업 지원",
    "농업인 역량 교육",
)
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)


def minimal_pdf(text: str) -> bytes:
    """A tiny PDF-looking file (starts with %PDF, as the upload check demands)."""
    return b"%PDF-1.4\n% civicrpa sandbox\n" + text.encode() + b"\n%%EOF\n"


def minimal_hwpx(text: str) -> bytes:
    """A tiny .hwpx (a zip with the Hangul mimetype and one section), byte-for-byte stable."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", _ZIP_TIME), "application/hwp+zip")
        section = f'<?xml version="1.0" encoding="UTF-8"?><hs:sec><hp:t>{text}</hp:t></hs:sec>'
        archive.writestr(zipfile.ZipInfo("Contents/section0.xml", _ZIP_TIME), section)
    return buffer.getvalue()


def _title(rng: random.Random, number: int, year: int, department: str) -> tuple[str, str]:
    """A title and the name its attachment would carry."""
    kind = rng.randrange(4)
    if kind == 0:
        return f"광양시 공고 제{year}-{number}호 {rng.choice(_SUBJECTS)} 공고", "공고문"
    if kind == 1:
        ordinance = rng.choice(_ORDINANCES)
        return f"「광양시 {ordinance} 조례」 일부개정조례안 입법예고", "입법예고문"
    if kind == 2:
        return f"{year}년 {DEPARTMENTS[department]} 기간제 근로자 채용 공고", "채용공고문"
    return f"{year}년 {rng.choice(_PROGRAMS)} 참여자 모집 안내", "모집요강"


def seed_notices(
    db: SandboxDatabase, size: int, *, seed: int = CITY_SEED, today: date | None = None
) -> None:
    """Fill the board with ``max(30, size // 100)`` notices."""
    rng = random.Random(seed)
    fake = korean_faker(seed)
    day = today or CITY_DAY
    rows: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    for number in range(1, max(30, size // 100) + 1):
        department = rng.choice(list(DEPARTMENTS))
        scheduled = number % 10 == 3
        offset = rng.randrange(1, 31) if scheduled else -rng.randrange(0, 400)
        publish_on = day + timedelta(days=offset)
        title, document = _title(rng, number, publish_on.year, department)
        body = "\n".join(
            (
                f"1. 목적: {fake.sentence()}",
                f"2. 기간: {publish_on} ~ {publish_on + timedelta(days=14)}",
                f"3. 내용: {fake.paragraph(nb_sentences=4)}",
                f"4. 문의: {DEPARTMENTS[department]} (061-860-{rng.randrange(5000, 5999)})",
            )
        )
        rows.append(
            {
                "id": number,
                "title": title[:100],
                "body": body,
                "department": department,
                "publish_on": publish_on,
                "created_by": "clerk01",
                # Written the working day before it goes public (a scheduled one: before the
                # city's day), at 09:00 Korean time.
                "created_at": kst_stamp(min(publish_on, day) - timedelta(days=1), time(9, 0)),
            }
        )
        contents: list[tuple[str, bytes]] = []
        if rng.random() < 0.5:
            contents.append((f"{document}_{number}.hwpx", minimal_hwpx(title)))
            if rng.random() < 0.5:
                contents.append((f"{document}_{number}.pdf", minimal_pdf(f"notice {number}")))
        files.extend(
            {
                "notice_id": number,
                "filename": name,
                "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
                "content": content,
            }
            for name, content in contents
        )
    with db.session() as session:
        session.execute(insert(notices), rows)
        if files:
            session.execute(insert(attachments), files)
