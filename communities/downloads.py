"""The names of downloaded files, and the header that gives them: one helper for every download (the survey
workbook, its template, an import's files, the dashboard's tables, the survey report, the admin's exports).

Names are Chinese and say what the file holds, region and year first: ``保康县-2025年-统计看板.xlsx``. The
``Content-Disposition`` header carries the name as RFC 6266/5987 ``filename*=UTF-8''…`` (percent-encoded UTF-8,
which every current browser reads); an ASCII ``filename="…"`` goes before it only when a caller gives one.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpResponseBase

# Characters Windows does not allow in a file name, and control characters.
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def file_name(*parts, ext: str) -> str:
    """The parts that are not empty joined with '-', characters a file name cannot hold left out:
    ``file_name("保康县", "2025年", "统计看板", ext="xlsx")`` is ``保康县-2025年-统计看板.xlsx``."""
    stem = "-".join(_NOT_IN_NAMES.sub("", str(part)).strip() for part in parts if part not in (None, ""))
    return f"{stem or '下载'}.{ext}"


def attachment_header(filename: str, *, fallback: str = "") -> str:
    """``attachment; filename*=UTF-8''<the name percent-encoded>``, with ``filename="<fallback>"`` (ASCII) before
    it when given."""
    filename = _NOT_IN_NAMES.sub("", filename) or "下载"
    header = "attachment"
    if fallback:
        ascii_name = re.sub(r'[^\x20-\x7e]|["\\]', "", fallback)
        header += f'; filename="{ascii_name}"'
    return f"{header}; filename*=UTF-8''{quote(filename)}"


def as_attachment(response: HttpResponseBase, filename: str, *, fallback: str = "") -> HttpResponseBase:
    """The response, downloaded as ``filename``."""
    response["Content-Disposition"] = attachment_header(filename, fallback=fallback)
    return response
