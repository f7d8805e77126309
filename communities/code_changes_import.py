"""The 区划变更 sheet (原代码, 新代码, 生效年份, 变更类型, 备注) into ``CodeChange``: ``manage.py import_code_changes``.

The sheet is read and its cells parsed as the survey workbook's are (``workbook.reader``); every row is then checked
as the admin's form checks it (``full_clean``: the constraints, one kind per code and year …) and the rows
together with the stored ones (``code_changes.consistency_problems``). Any error refuses the whole sheet, each
error named by sheet, row and column; nothing is written. A row already stored as it is changes nothing, so the
same sheet imports twice without change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from .code_changes import consistency_problems
from .models import CodeChange, User
from .workbook.columns import CODE_CHANGE_COLUMNS, CODE_CHANGES
from .workbook.reader import Problem, read_one_sheet

HEADERS = {column.field: column.header for column in CODE_CHANGE_COLUMNS}


@dataclass
class CodeChangeImport:
    created: list[CodeChange] = field(default_factory=list)
    updated: list[CodeChange] = field(default_factory=list)
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return f"新增 {len(self.created)} 条，修改 {len(self.updated)} 条，未变 {self.unchanged} 条。"


def _problems(error: ValidationError, row: int, record: dict) -> list[Problem]:
    found = []
    for name, messages in error.message_dict.items():
        column = "" if name == NON_FIELD_ERRORS else HEADERS.get(name, "")
        value = "" if name == NON_FIELD_ERRORS else str(record.get(name) or "")
        found += [Problem(CODE_CHANGES.name, row, column, value, message) for message in messages]
    return found


def code_changes_import(*, data: bytes, user: User | None = None, dry_run: bool = False) -> CodeChangeImport:
    """Import the 区划变更 sheet of ``data`` (an .xlsx); with errors (or ``dry_run``) nothing is written. Raises
    ``WorkbookFileError`` for a file that is not a readable workbook."""
    read = read_one_sheet(data, CODE_CHANGES)
    result = CodeChangeImport(errors=list(read.errors))
    sheet = read.sheets.get(CODE_CHANGES.name)
    records = sheet.records if sheet is not None else []
    olds = {r["old_code"] for r in records}
    news = {r["new_code"] for r in records}
    stored = {
        (row.old_code, row.new_code, row.year): row
        for row in CodeChange.objects.filter(Q(old_code__in=olds) | Q(new_code__in=news))
    }
    seen: dict[tuple, int] = {}
    rows: dict[tuple, CodeChange] = {}  # the sheet's rows to write
    row_numbers: dict[int, int] = {}  # id(row) -> the sheet's row
    for record in records:
        key = (record["old_code"], record["new_code"], record["year"])
        number = record["_row"]
        if key in seen:
            result.errors.append(
                Problem(CODE_CHANGES.name, number, "原代码", key[0], f"与第 {seen[key]} 行重复：同一变更只填一行。")
            )
            continue
        seen[key] = number
        row = stored.get(key)
        if row is not None and (row.kind, row.note) == (record["kind"], record["note"]):
            result.unchanged += 1
            continue
        if row is None:
            row = CodeChange(old_code=key[0], new_code=key[1], year=key[2])
        row.kind, row.note = record["kind"], record["note"]
        try:
            row.full_clean()
        except ValidationError as error:
            result.errors += _problems(error, number, record)
            continue
        rows[key] = row
        row_numbers[id(row)] = number
        (result.updated if row.pk else result.created).append(row)
    # The rows of the sheet together (full_clean saw each one with the stored rows only).
    together = [row for key, row in stored.items() if key not in rows] + list(rows.values())
    for row, message in consistency_problems(together):
        if id(row) in row_numbers:
            result.errors.append(
                Problem(CODE_CHANGES.name, row_numbers[id(row)], "变更类型", row.get_kind_display(), message)
            )
    if result.errors or dry_run:
        result.errors.sort(key=lambda p: (p.row or 0, p.column))
        return result
    with transaction.atomic():
        if result.created:
            bulk_create_with_history(result.created, CodeChange, default_user=user)
        for row in result.updated:
            row._history_user = user
            row.save(update_fields=["kind", "note"])
    return result
