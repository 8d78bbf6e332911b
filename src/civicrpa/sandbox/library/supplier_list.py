"""Reading a supplier's list of newly acquired books (.xlsx) into rows with their problems.

Suppliers send one sheet with the columns ISBN, 서명, 저자, 출판사, 발행연도, 가격, 수량 (any
order, header in row 1). Each row is checked on its own and keeps its problems in Korean, so
the preview can show every one of them; only rows without problems are registered. Problems
with the whole file (unreadable, columns missing, empty, too long) refuse the upload.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from civicrpa.sandbox.common.forms import add_messages
from civicrpa.sandbox.library.rules import is_valid_isbn13, normal_isbn

COLUMNS = ("ISBN", "서명", "저자", "출판사", "발행연도", "가격", "수량")
MAX_ROWS = 2_000
MAX_QUANTITY = 100
MAX_PRICE = 10_000_000
#: Why a whole file is refused, as ``library.<code>`` (shown beside the upload field).
add_messages(
    "library",
    {
        "list_unreadable": "엑셀(.xlsx) 파일을 읽을 수 없습니다. 파일을 확인하십시오.",
        "list_columns_missing": "납품 목록에 필요한 열이 없습니다: {missing}",
        "list_too_long": "한 번에 {max_rows}행까지 올릴 수 있습니다.",
        "list_empty": "납품 목록에 자료 행이 없습니다.",
    },
)


@dataclass(frozen=True, kw_only=True)
class SupplierRow:
    """One row of the sheet as written, its parsed numbers and its problems."""

    row_no: int
    isbn: str
    title: str
    author: str
    publisher: str
    year_text: str
    price_text: str
    quantity_text: str
    year: int | None
    price: int | None
    quantity: int | None
    problems: tuple[str, ...]


@dataclass(frozen=True)
class SupplierList:
    """The rows, or why the whole file was refused: a message code and its parameters."""

    rows: tuple[SupplierRow, ...] = ()
    #: ``library.list_*`` when the file is refused, else None.
    refused: str | None = None
    refused_params: Mapping[str, object] = field(default_factory=dict)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel keeps numbers as floats: 9791100000000.0, 15000.0
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value).strip()


def _number(text: str, label: str, problems: list[str]) -> int | None:
    digits = text.replace(",", "")
    if not digits:
        problems.append(f"{label}이(가) 비어 있습니다.")
        return None
    if re.fullmatch(r"\d{1,12}", digits) is None:
        problems.append(f"{label}은(는) 숫자여야 합니다.")
        return None
    return int(digits)


def check_row(row_no: int, cells: Sequence[str], this_year: int) -> SupplierRow:
    """Problems of one row on its own (duplicates across rows are added later)."""
    isbn, title, author, publisher, year_text, price_text, quantity_text = cells
    isbn = normal_isbn(isbn)
    problems: list[str] = []
    if re.fullmatch(r"\d{13}", isbn) is None:
        problems.append("ISBN은 13자리 숫자여야 합니다.")
    elif not is_valid_isbn13(isbn):
        problems.append("ISBN의 검증 숫자(마지막 자리)가 맞지 않습니다.")
    if not title:
        problems.append("서명이 비어 있습니다.")
    elif len(title) > 200:
        problems.append("서명은 200자 이내여야 합니다.")
    if len(author) > 100:
        problems.append("저자는 100자 이내여야 합니다.")
    if len(publisher) > 100:
        problems.append("출판사는 100자 이내여야 합니다.")
    year = _number(year_text, "발행연도", problems)
    if year is not None and year > this_year:
        year = None
        problems.append("발행연도가 올해보다 뒤입니다.")
    elif year is not None and year < 1000:
        year = None
        problems.append("발행연도가 올바르지 않습니다.")
    price = _number(price_text, "가격", problems)
    if price is not None and price > MAX_PRICE:
        price = None
        problems.append(f"가격은 {MAX_PRICE:,}원 이하여야 합니다.")
    quantity = _number(quantity_text, "수량", problems)
    if quantity is not None and not 1 <= quantity <= MAX_QUANTITY:
        quantity = None
        problems.append(f"수량은 1에서 {MAX_QUANTITY} 사이여야 합니다.")
    return SupplierRow(
        row_no=row_no,
        isbn=isbn[:40],
        title=title[:300],
        author=author[:300],
        publisher=publisher[:300],
        year_text=year_text[:40],
        price_text=price_text[:40],
        quantity_text=quantity_text[:40],
        year=year,
        price=price,
        quantity=quantity,
        problems=tuple(problems),
    )


def _mark_duplicates(rows: list[SupplierRow]) -> list[SupplierRow]:
    """Every row of an ISBN written twice is held back: which one is right is the supplier's."""
    seen: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if re.fullmatch(r"\d{13}", row.isbn):
            seen[row.isbn].append(row.row_no)
    marked = []
    for row in rows:
        numbers = seen.get(row.isbn, [])
        if len(numbers) > 1:
            listed = ", ".join(str(n) for n in numbers)
            problem = f"파일 안에 같은 ISBN이 여러 번 있습니다(행 {listed})."
            row = replace(row, problems=(*row.problems, problem))
        marked.append(row)
    return marked


def read_supplier_list(content: bytes, *, this_year: int) -> SupplierList:
    """The checked rows of the first sheet, or the reason the file is refused."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any parser failure on an uploaded file means "unreadable"
        return SupplierList(refused="library.list_unreadable")
    try:
        sheet = book.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = [_text(cell) for cell in next(lines, ())]
        missing = [name for name in COLUMNS if name not in header]
        if missing:
            return SupplierList(
                refused="library.list_columns_missing",
                refused_params={"missing": ", ".join(missing)},
            )
        where = [header.index(name) for name in COLUMNS]
        rows: list[SupplierRow] = []
        for row_no, values in enumerate(lines, start=2):
            cells = [_text(values[i]) if i < len(values) else "" for i in where]
            if not any(cells):
                continue
            if len(rows) == MAX_ROWS:
                return SupplierList(
                    refused="library.list_too_long", refused_params={"max_rows": f"{MAX_ROWS:,}"}
                )
            rows.append(check_row(row_no, cells, this_year))
    finally:
        book.close()
    if not rows:
        return SupplierList(refused="library.list_empty")
    return SupplierList(rows=tuple(_mark_duplicates(rows)))
