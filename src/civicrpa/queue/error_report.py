"""Write the rows a bulk import refused to an Excel file the uploader can fix their list from.

A civil servant who uploaded a work list gets back a workbook with one line per error: the Excel
row, the column, the Korean reason and the stable code. The report travels further than the
upload (by mail, to a colleague), so it holds only what :class:`RowError` holds, never a cell's
value, and no cell of it can run as a formula, whatever a header in the upload said: it is
written by the platform's one writer (:mod:`civicrpa.core.workbook`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from civicrpa.core.messages import render
from civicrpa.core.workbook import Column, single_sheet, workbook_bytes

if TYPE_CHECKING:  # the importer imports this module to offer write_error_report beside it
    from civicrpa.queue.importer import ImportReport

#: Catalogue codes of the column titles.
_COLUMNS = (
    "import.report.row",
    "import.report.column",
    "import.report.reason",
    "import.report.code",
)


def write_error_report(report: ImportReport, path: Path) -> Path:
    """Write ``report``'s errors to an .xlsx a civil servant opens: row, column, reason, code."""
    sheet = single_sheet(
        render("import.report.sheet"),
        [Column(title=render(code)) for code in _COLUMNS],
        [[error.row, error.column or "", error.message_ko, error.code] for error in report.errors],
    )
    path.write_bytes(workbook_bytes([sheet]))
    return path


__all__ = ["write_error_report"]
