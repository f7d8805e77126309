"""The one writer path of every spreadsheet the application writes (issue 18): dashboard tables, the survey
workbook and its template, the import's error and change lists, the masked copy of an upload, the admin's exports.

Text that a spreadsheet program would run as a formula — starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return — and any cell that openpyxl would write as a formula are written as text cells: the cell's type is
a string (``t="inlineStr"``, never an ``<f>`` element, so nothing is evaluated on opening) and its style carries
``quotePrefix`` (Excel's and LibreOffice's "typed with an apostrophe": the text stays text when the cell is edited).
The text itself is unchanged — no visible apostrophe. (A CSV file has no cell types: there the apostrophe in front,
``values.neutralise``, is the only protection; the import removes it again from either.) Build workbooks with
``new_workbook`` (write-only ones too: every appended row is made safe) and write them with ``save`` (which makes
every cell of a workbook that is not write-only safe). ``tests/security/test_spreadsheets.py`` opens every download
of the permission matrix and fails when one bypasses this module.
"""

from __future__ import annotations

import math
from unicodedata import east_asian_width

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell

from communities.workbook.values import FORMULA_PREFIXES


def is_unsafe(value) -> bool:
    return isinstance(value, str) and bool(value) and value[0] in FORMULA_PREFIXES


def _needs_text(cell: Cell) -> bool:
    return isinstance(cell.value, str) and (cell.data_type == "f" or is_unsafe(cell.value))


def as_text(cell: Cell) -> Cell:
    """The cell stored as text as it reads: a string cell (openpyxl makes a str starting with "=" a formula) with
    the quote prefix, so that editing it in Excel or LibreOffice does not turn it into a formula either."""
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_row(sheet, row) -> list:
    """A row to append to a write-only ``sheet``: formula-like text and formula cells as text cells (``as_text``);
    everything else as it is."""
    values = list(row)
    if not any(is_unsafe(value) or (isinstance(value, Cell) and _needs_text(value)) for value in values):
        return values
    safe = []
    for value in values:
        if isinstance(value, Cell):
            if _needs_text(value):
                as_text(value)
        elif is_unsafe(value):
            value = as_text(WriteOnlyCell(sheet, value=value))
        safe.append(value)
    return safe


class SafeWorkbook(Workbook):
    """An openpyxl workbook whose write-only sheets make every row appended safe, and whose ``save`` makes every
    cell of the other sheets safe."""

    def create_sheet(self, title=None, index=None):
        sheet = super().create_sheet(title, index)
        if self.write_only:
            append = sheet.append
            sheet.append = lambda row: append(safe_row(sheet, row))
        return sheet

    def save(self, filename):
        save(self, filename)


def new_workbook(*, write_only: bool = False) -> SafeWorkbook:
    return SafeWorkbook(write_only=write_only)


def save(book: Workbook, stream) -> None:
    """Write ``book`` to ``stream`` (a path or a binary file), formula-like text and formulas as text cells."""
    if not book.write_only:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if _needs_text(cell):
                        as_text(cell)
    Workbook.save(book, stream)


def text_width(text) -> int:
    """Columns a text needs in a spreadsheet: a CJK (wide) character counts two."""
    text = "" if text is None else str(text)
    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def wrapped_height(text, width: float, *, points: float = 15) -> float:
    """A row height (in points) that shows ``text`` wrapped in a column ``width`` characters wide: openpyxl
    writes no heights itself, and spreadsheet programs do not always grow a row to its wrapped text when printing."""
    lines = sum(max(1, math.ceil(text_width(part) / max(1, width - 1))) for part in str(text or "").split("\n"))
    return lines * points
