"""Tables of the dashboard: built once from the computed figures, rendered on the page and written to .xlsx.

A ``Table`` holds raw values (for Excel and for sorting) and formats them for the page, so the download is exactly
what the page shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from html import escape
from io import BytesIO

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from communities.numbers import half_up
from communities.spreadsheets import new_workbook, save, text_width

MISSING = "—"

# Column kinds: how a raw value is shown on the page, and the Excel number format.
# Column kinds and their Excel number formats (the page's text: ``format_cell``).
FORMATS = {
    "text": "@",
    "int": "#,##0",
    "num": "#,##0.00",
    "rate": "0.0%",  # a fraction, shown as a percentage
    "points": "0.0",  # a difference of rates (a fraction), shown and written in percentage points
    "wan": "#,##0.00",  # money: raw in 元, shown (and written) in 万元
    "yuan": "#,##0.00",  # money in 元, to the fen
    "status": "@",  # a return's status: its label, drawn as a badge on the page (the row's _state is its key)
    "dec1": "#,##0.0",  # one decimal, always (a column of them lines up: 8.3, 8.2, not 8.3 next to 8.24)
    "dec2": "#,##0.00",  # two decimals, always
}

# How many decimals a figure in each unit is shown with, on the page and in Excel: counts, areas and larger sums
# of money whole; ages and ratios per person or per 100 households to one decimal; small sums per household and
# ratios to two. A unit not listed gets two.
UNIT_DECIMALS = {
    **dict.fromkeys(["个", "户", "人", "名", "次", "项", "人次", "m²"], 0),
    **dict.fromkeys(["元", "元/年", "元/人", "元/人·年", "元/年·人"], 0),
    **dict.fromkeys(["岁", "m²/百户", "户/人", "人/万人"], 1),
    **dict.fromkeys(["元/户", "元/户·年", "倍", "万元"], 2),
}
RATE_UNITS = {"率", "%"}


def unit_kind(unit: str) -> str:
    """The column kind of a figure in ``unit``: "int", "dec1", "dec2", or "rate" for a rate (a fraction)."""
    if unit in RATE_UNITS:
        return "rate"
    return {0: "int", 1: "dec1"}.get(UNIT_DECIMALS.get(unit, 2), "dec2")


@dataclass
class Column:
    key: str
    header: str
    kind: str = "text"


@dataclass
class Table:
    name: str
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    link_key: str = ""  # the column holding the code a row links to ("" = none)
    note: str = ""
    link_url: str = ""  # where a row's code links to: a URL with "{code}" in it
    footer: list[dict] = field(default_factory=list)  # total rows: below the rows, never sorted among them

    @cached_property
    def html(self) -> SafeString:
        """The rows as HTML, rendered only for the tables a page shows (see body_html)."""
        return self.body_html(lambda code: self.link_url.format(code=code) if self.link_url else "")

    @staticmethod
    def kind(row: dict, column: Column) -> str:
        """The column's kind, or the row's own for that column (``row["_kinds"]``: a table of indicators in
        different units has counts, areas and rates in one column)."""
        return row.get("_kinds", {}).get(column.key, column.kind)

    def cell(self, row: dict, column: Column):
        """The value as Excel gets it (money in 万元, rates as fractions, differences of rates in points)."""
        value = row.get(column.key)
        if value is None:
            return None
        kind = self.kind(row, column)
        if kind == "wan":
            return float(half_up(float(value) / 10000, 2))
        if kind == "points":
            return float(half_up(float(value) * 100, 1))
        return value

    @cached_property
    def footer_html(self) -> SafeString:
        return self.body_html(rows=self.footer)

    def display_rows(self, rows: list[dict] | None = None) -> list[dict]:
        """Rows for the template (``rows``, by default the table's): each cell's text, its sort key, its state
        (pass/fail) and link code."""
        found = []
        for row in self.rows if rows is None else rows:
            cells = []
            for column in self.columns:
                value = self.cell(row, column)
                kind = self.kind(row, column)
                cells.append(
                    {
                        "text": format_cell(value, kind),
                        "sort": "" if value is None else value,
                        "num": kind not in ("text", "status"),
                        "badge": kind == "status",
                        "state": row.get("_state", {}).get(column.key, ""),
                    }
                )
            found.append({"cells": cells, "code": row.get(self.link_key, "") if self.link_key else ""})
        return found

    def body_html(self, link_for=None, rows: list[dict] | None = None) -> SafeString:
        """The table's rows as HTML (built here rather than in a template loop: a county page has thousands of
        cells, and the template engine would spend most of the page's time on them). ``link_for(code)`` gives
        the URL the first two cells of a row link to."""
        parts = []
        for row in self.display_rows(rows):
            href = link_for(row["code"]) if (row["code"] and link_for) else ""
            cells = []
            for index, cell in enumerate(row["cells"]):
                classes = " ".join(c for c in ("num" if cell["num"] else "", cell["state"]) if c)
                text = escape(cell["text"])  # the standard library's: much faster than Django's on many cells
                if cell["badge"]:
                    text, classes = f'<span class="badge {escape(cell["state"])}">{text}</span>', ""
                if href and index < 2:
                    text = f'<a href="{escape(href)}">{text}</a>'
                cells.append(f'<td class="{classes}" data-sort="{escape(str(cell["sort"]))}">{text}</td>')
            parts.append("<tr>" + "".join(cells) + "</tr>")
        return mark_safe("".join(parts))  # noqa: S308 — every value above is escaped


def format_cell(value, kind: str) -> str:
    """A cell's text: rounded half up on the decimal value (``communities.numbers``), as the report rounds, with
    thousands separators; a rate (a fraction) as a percentage. Figures of a unit take its kind (``unit_kind``:
    a fixed number of decimals); "num" (a standard as set, a figure of no unit) drops trailing zeros."""
    if value is None or value == "":
        return MISSING if kind not in ("text", "status") else ""
    if kind in ("text", "status"):
        return str(value)
    if kind == "rate":
        return f"{half_up(float(value) * 100, 1):.1f}%"
    if kind == "points":  # already in points (``Table.cell``)
        return f"{half_up(value, 1):.1f}"
    decimals = {"int": 0, "dec1": 1}.get(kind, 2)
    text = f"{half_up(value, decimals):,.{decimals}f}"
    if kind == "num" and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def wan_text(yuan) -> str:
    """元 shown as 万元 with two decimals: 3675700 -> "367.57"."""
    return MISSING if yuan is None else format_cell(float(yuan) / 10000, "wan")


def workbook_bytes(tables: list[Table], *, heading: str, produced: dt.date | None = None) -> bytes:
    """One sheet per table (Excel's 31-character sheet names): a title row (``heading``: region and year, and the
    date the file was produced), the note, headers in bold, number formats per cell, widths from the content;
    printed landscape, fitted to the page's width, with the header rows and the label column on every page."""
    produced = produced or timezone.localdate()
    book = new_workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, used))
        sheet.append([f"{heading} — {table.title}（制表日期：{produced:%Y-%m-%d}）"])
        sheet["A1"].font = Font(bold=True, size=13)
        if table.note:
            sheet.append([table.note])
        sheet.append([column.header for column in table.columns])
        header_row = sheet.max_row
        widths = [text_width(column.header) for column in table.columns]
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for rows, bold in ((table.rows, False), (table.footer, True)):
            for row in rows:
                sheet.append([table.cell(row, column) for column in table.columns])
                for index, (cell, column) in enumerate(zip(sheet[sheet.max_row], table.columns, strict=True)):
                    kind = table.kind(row, column)
                    cell.number_format = FORMATS[kind]
                    if bold:
                        cell.font = Font(bold=True)
                    shown = cell.value if isinstance(cell.value, str) else format_cell(cell.value, kind)
                    widths[index] = max(widths[index], text_width(shown))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, width + 2))
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
        labels = "A:B" if table.link_key and len(table.columns) > 2 else "A:A"
        sheet.print_title_rows = f"1:{header_row}"
        sheet.print_title_cols = labels
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.gridLines = True
    output = BytesIO()
    save(book, output)
    return output.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "表"
    name, i = base, 2
    while name in used:
        name, i = f"{base[:26]}_{i}", i + 1
    used.add(name)
    return name
