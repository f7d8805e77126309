"""The one writer path of every spreadsheet the application writes (issue 18): dashboard tables, the survey
workbook and its template, the import's error and change lists, the masked copy of an upload, the admin's exports.

Text that a spreadsheet program would run as a formula — starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return — is written as text with an apostrophe in front (``values.neutralise``; removed again on import),
and a cell that openpyxl would write as a formula is written as text the same way. Build workbooks with
``new_workbook`` (write-only ones too: every appended row is neutralised) and write them with ``save``
(which neutralises every cell of a workbook that is not write-only). ``tests/security/test_spreadsheets.py`` opens
every download of the permission matrix and fails when one bypasses this module.
"""

from __future__ import annotations

import math
from unicodedata import east_asian_width

from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from communities.workbook.values import FORMULA_PREFIXES, neutralise


def is_unsafe(value) -> bool:
    return isinstance(value, str) and bool(value) and value[0] in FORMULA_PREFIXES


def safe_value(value):
    """A value to write: formula-like text neutralised, anything else as it is; a cell object gets its value
    neutralised in place."""
    if isinstance(value, str):
        return neutralise(value)
    if hasattr(value, "value") and hasattr(value, "data_type") and isinstance(value.value, str):
        value.value = neutralise(value.value)
        if value.data_type == "f":
            value.data_type = "s"
    return value


def _neutralise_cell(cell: Cell) -> None:
    if isinstance(cell.value, str) and (cell.data_type == "f" or is_unsafe(cell.value)):
        cell.value = neutralise(cell.value)
        cell.data_type = "s"


class SafeWorkbook(Workbook):
    """An openpyxl workbook whose write-only sheets neutralise every row appended, and whose ``save`` neutralises
    every cell of the other sheets."""

    def create_sheet(self, title=None, index=None):
        sheet = super().create_sheet(title, index)
        if self.write_only:
            append = sheet.append
            sheet.append = lambda row: append([safe_value(value) for value in row])
        return sheet

    def save(self, filename):
        save(self, filename)


def new_workbook(*, write_only: bool = False) -> SafeWorkbook:
    return SafeWorkbook(write_only=write_only)


def save(book: Workbook, stream) -> None:
    """Write ``book`` to ``stream`` (a path or a binary file), every text cell neutralised."""
    if not book.write_only:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    _neutralise_cell(cell)
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
