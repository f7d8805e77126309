"""ID numbers (身份证号) in the workbook: masked for everyone but administrators, and a masked value read back.

Exports, templates and error messages show ``4206**********1234`` (``workforce.validators.mask_id_number``, the
helper the admin and the return pages use). A masked value in an uploaded workbook means "this worker, ID
unchanged": it is replaced by the full ID of the stored worker of the same community and name whose ID has the
same first and last four characters, or refused with a message asking for the full number.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from workforce.validators import mask_id_number

MASKED_RE = re.compile(r"(\d{4})\*+(\d{3}[\dX])")
ID_LIKE_RE = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
NEED_FULL_ID = "请填写完整的18位身份证号。"


def is_masked(text: str) -> bool:
    return "*" in (text or "")


def mask_key(text: str) -> tuple[str, str] | None:
    """('4206', '1234') for a masked value (or a full ID); None when it is neither."""
    if not text:
        return None
    match = MASKED_RE.fullmatch(text)
    if match:
        return match.group(1), match.group(2)
    if len(text) == 18 and "*" not in text:
        return text[:4], text[-4:]
    return None


def mask_id_like(text: str) -> str:
    """Every 18-character ID-like sequence in a text masked (for messages and logs)."""
    if not text or len(text) < 18:
        return text
    return ID_LIKE_RE.sub(lambda match: mask_id_number(match.group(0)), text)


class IdResolver:
    """Full IDs of stored workers by (community code, name, masked key), the import year's first."""

    def __init__(self, stored: Iterable[tuple[str, str, str, int]], *, year: int):
        # (community, name, key) → {full id: the year closest to the import year, the import year itself first}
        self.candidates: dict[tuple, dict[str, tuple]] = defaultdict(dict)
        for code, name, id_number, stored_year in stored:
            key = mask_key(id_number)
            if key is None:
                continue
            rank = (stored_year != year, -stored_year)
            found = self.candidates[(code, name, key)]
            if id_number not in found or rank < found[id_number]:
                found[id_number] = rank

    def resolve(self, code: str, name: str, masked: str) -> str | None:
        """The full ID, or None when no stored worker (or more than one, ambiguously) matches."""
        key = mask_key(masked)
        found = self.candidates.get((code, name, key)) if key else None
        if not found:
            return None
        best = min(found.values())
        ids = [id_number for id_number, rank in found.items() if rank == best]
        return ids[0] if len(ids) == 1 else None


def masked_workbook(data: bytes) -> bytes:
    """A copy of an uploaded workbook with the ID numbers masked, for everyone but administrators: every cell of
    the 身份证号 column of 「社区工作者」, and any ID-like text in the other cells of every sheet. Everything else
    (sheets, values, formats, drop-downs) is kept as openpyxl reads and writes it. Raises ``WorkbookFileError``
    when the file cannot be read."""
    import io
    import warnings

    from openpyxl import load_workbook

    from . import values as v
    from .columns import WORKERS, sheet_by_name
    from .reader import WorkbookFileError, check_archive

    check_archive(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data))
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        raise WorkbookFileError("文件已损坏，无法读取。") from None
    id_header = v.normalise_header(WORKERS.column("id_number").header)
    for worksheet in workbook.worksheets:
        id_columns: set[int] = set()
        header_seen = False
        is_workers = sheet_by_name(worksheet.title) is WORKERS
        for row in worksheet.iter_rows():
            if is_workers and not header_seen:
                if any(cell.value is not None and str(cell.value).strip() for cell in row):
                    header_seen = True
                    id_columns = {cell.column for cell in row if v.normalise_header(cell.value) == id_header}
                continue
            for cell in row:
                value = cell.value
                if value is None or isinstance(value, bool):
                    continue
                if cell.column in id_columns:
                    text = v.normalise_text(v.cell_text(value))
                    if text and not is_masked(text):
                        cell.value = mask_id_number(text)
                elif isinstance(value, str) and len(value) >= 18:
                    cell.value = mask_id_like(value)
                elif isinstance(value, int) and len(str(value)) == 18:
                    cell.value = mask_id_number(str(value))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
