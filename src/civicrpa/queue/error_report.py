"""Write the rows a bulk import refused to an Excel file the uploader can fix their list from.

A civil servant who uploaded a work list gets back a workbook with one line per error: the Excel
row, the column, the Korean reason and the stable code. The report travels further than the
upload (by mail, to a colleague), so it holds only what :class:`RowError` holds, never a cell's
value, and no cell of it can run as a formula, whatever a header in the upload said.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from civicrpa.core.messages import render

if TYPE_CHECKING:  # the importer imports this module to offer write_error_report beside it
    from civicrpa.queue.importer import ImportReport

#: Catalogue codes of the column titles, and each column's width in characters.
_COLUMNS = (
    ("import.report.row", 8),
    ("import.report.column", 20),
    ("import.report.reason", 70),
    ("import.report.code", 28),
)


def _text(value: object) -> str:
    # Cells must hold legal XML characters (a header may carry control characters).
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def write_error_report(report: ImportReport, path: Path) -> Path:
    """Write ``report``'s errors to an .xlsx a civil servant opens: row, column, reason, code."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = render("import.report.sheet")
    sheet.append([render(code) for code, _ in _COLUMNS])
    for error in report.errors:
        sheet.append([error.row, _text(error.column or ""), _text(error.message_ko), error.code])
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in row:
            cell.data_type = "s"  # never a formula, whatever a header in the upload said
    for index, (_, width) in enumerate(_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    workbook.save(path)
    return path


__all__ = ["write_error_report"]
