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
