"""The admin's file format (django-import-export): xlsx with numbers and dates as native cells.

django-import-export's own formula escaping (``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``) runs ``str()`` on every
cell of the dataset, so the admin's exports wrote 年度, pay and dates as text, and it only strips a leading ``=``.
Here only text is neutralised, as the workbook export does (an apostrophe before ``=``, ``+``, ``-``, ``@``, tab or
CR, removed again on import); numbers, dates and empty cells are left as they are.
"""

from __future__ import annotations

from import_export.formats import base_formats

from .values import neutralise


class XLSX(base_formats.XLSX):
    def _escape_formulae(self, dataset):
        for index in range(len(dataset)):
            dataset[index] = [neutralise(cell) if isinstance(cell, str) else cell for cell in dataset[index]]
