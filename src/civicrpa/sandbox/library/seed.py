"""Synthetic catalogue, members and loans of a county library. Deterministic.

``max(200, size // 10)`` books with one to three copies each and ``max(50, size // 20)``
members; about four members in ten hold one to three books, lent 0-24 days ago, so those lent
more than 14 days ago are overdue. Member M000001 holds exactly the limit of five current loans
and M000002 holds one overdue loan: fixed cases for tests and robots. Days are offsets from the
city's day (:data:`~civicrpa.sandbox.common.city.CITY_DAY`, on which overdue days are counted
too, unless ``today`` is given), so the same ``size`` and ``today`` give the same rows however long the sandbox runs.
Names and phone numbers are synthetic.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Table, insert

from civicrpa.sandbox.common.city import CITY_DAY, CITY_SEED
from civicrpa.sandbox.common.db import SandboxDatabase
from civicrpa.sandbox.common.synthetic import korean_faker
from civicrpa.sandbox.library.models import books, copies, loans, members
from civicrpa.sandbox.library.rules import LOAN_DAYS, barcode, isbn_check_digit

_CHUNK = 2_000
_TOPICS = ("역사", "과학", "바다", "여행", "요리", "농사", "음악", "철학", "경제", "건강")
_FORMS = (
    "{} 이야기",
    "처음 만나는 {}",
    "{}의 모든 것",
    "어린이를 위한 {}",
    "{} 입문",
    "남도에서 읽는 {}",
    "{} 수첩",
    "다시 쓰는 {}",
)
_PUBLISHERS = ("정남진출판", "탐진강북스", "남도문화사", "억불산책방", "득량만출판", "천관미디어")


def new_isbn(rng: random.Random, used: set[str]) -> str:
    """A valid ISBN-13 in the Korean 979-11 range, not in ``used``."""
    while True:
        first12 = f"97911{rng.randrange(10**7):07d}"
        isbn = f"{first12}{isbn_check_digit(first12)}"
        if isbn not in used:
            used.add(isbn)
            return isbn


def _insert(db: SandboxDatabase, table: Table, rows: list[dict[str, Any]]) -> None:
    with db.session() as session:
        for offset in range(0, len(rows), _CHUNK):
            session.execute(insert(table), rows[offset : offset + _CHUNK])


def seed_library(
    db: SandboxDatabase, size: int, *, seed: int = CITY_SEED, today: date | None = None
) -> None:
    """Fill the catalogue, members and loans for a system of about ``size`` residents."""
    rng = random.Random(seed)
    fake = korean_faker(seed)
    day = today or CITY_DAY
    used: set[str] = set()
    book_rows: list[dict[str, Any]] = []
    copy_rows: list[dict[str, Any]] = []
    for book_id in range(1, max(200, size // 10) + 1):
        book_rows.append(
            {
                "id": book_id,
                "isbn": new_isbn(rng, used),
                "title": rng.choice(_FORMS).format(rng.choice(_TOPICS)),
                "author": fake.name(),
                "publisher": rng.choice(_PUBLISHERS),
                "year": rng.randrange(1995, day.year + 1),
                "price": rng.randrange(80, 400) * 100,
            }
        )
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            number = len(copy_rows) + 1
            copy_rows.append(
                {
                    "id": number,
                    "book_id": book_id,
                    "barcode": barcode(number),
                    "added_on": day - timedelta(days=rng.randrange(30, 3000)),
                }
            )
    member_rows: list[dict[str, Any]] = [
        {
            "id": member_id,
            "member_no": f"M{member_id:06d}",
            "name": fake.name(),
            "phone": f"010-{rng.randrange(2000, 9999)}-{rng.randrange(1000, 9999)}",
            "joined_on": day - timedelta(days=rng.randrange(30, 3650)),
        }
        for member_id in range(1, max(50, size // 20) + 1)
    ]
    free = [row["id"] for row in copy_rows]
    rng.shuffle(free)
    loan_rows: list[dict[str, Any]] = []

    def lend(member_id: int, days_ago: int, returned_after: int | None = None) -> None:
        loaned_on = day - timedelta(days=days_ago)
        returned = (
            loaned_on + timedelta(days=returned_after) if returned_after is not None else None
        )
        copy_id = rng.randrange(1, len(copy_rows) + 1) if returned is not None else free.pop()
        loan_rows.append(
            {
                "copy_id": copy_id,
                "member_id": member_id,
                "loaned_on": loaned_on,
                "due_on": loaned_on + timedelta(days=LOAN_DAYS),
                "returned_on": returned,
                "loaned_by": "clerk01",
                "returned_by": "clerk01" if returned is not None else None,
            }
        )

    for days_ago in (1, 2, 3, 5, 8):
        lend(1, days_ago)  # M000001: at the limit, nothing overdue
    lend(2, LOAN_DAYS + 6)  # M000002: one book six days overdue
    for member in member_rows[2:]:
        if rng.random() < 0.3:
            lend(member["id"], rng.randrange(40, 400), returned_after=rng.randrange(3, 14))
        if rng.random() < 0.4:
            for _ in range(rng.choice((1, 1, 2, 3))):
                lend(member["id"], rng.randrange(0, 25))
    _insert(db, books, book_rows)
    _insert(db, copies, copy_rows)
    _insert(db, members, member_rows)
    _insert(db, loans, loan_rows)
