"""The admin's file format (django-import-export): xlsx with numbers and dates as native cells.

django-import-export's own formula escaping (``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``) runs ``str()`` on every
cell of the dataset, so the admin's exports wrote 年度, pay and dates as text, and it only strips a leading ``=``.
Here the sheet is written by tablib's cell writer into a workbook of ``communities.spreadsheets`` (the one writer
path of every spreadsheet): only text that reads like a formula (``=``, ``+``, ``-``, ``@``, tab or CR in front) is
made a text cell, as the workbook export does; numbers, dates and empty cells are left as they are.
"""

from __future__ import annotations

from io import BytesIO

from import_export.formats import base_formats
from tablib.formats._xlsx import XLSXFormat, safe_xlsx_sheet_title

from communities.spreadsheets import new_workbook, save


class XLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        book = new_workbook()
        sheet = book.worksheets[0]
        sheet.title = safe_xlsx_sheet_title(dataset.title, "-") if dataset.title else "Tablib Dataset"
        XLSXFormat.dset_sheet(dataset, sheet)
        XLSXFormat._adapt_column_width(sheet, "adaptive")
        output = BytesIO()
        save(book, output)
        return output.getvalue()
