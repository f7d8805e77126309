"""Downloads of an import: every error it found, and the full list of what it would change (.xlsx).

The page shows the first thousand errors and the first two hundred communities' changes; these files hold all of
them. Text that came from the uploaded file and reads like a formula (a leading ``=``, ``+``…) is written as a text
cell (``communities.spreadsheets``) and ID numbers are masked, as everywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from communities.spreadsheets import new_workbook, save

from .plan import Plan

ERROR_HEADERS = ("工作表", "行", "列", "值", "说明")
CHANGE_HEADERS = ("社区(单位)代码", "社区(单位)名称", "工作表", "行", "变化", "列", "原值", "新值")
KINDS = {"added": "新增", "changed": "修改", "removed": "删除"}


def _sheet(workbook: Workbook, title: str, headers: Iterable[str], widths: Iterable[int]):
    ws = workbook.create_sheet(title)
    for letter, width in zip("ABCDEFGH", widths, strict=False):
        ws.column_dimensions[letter].width = width
    header = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    return ws


def _text(value) -> str:
    return "" if value is None else str(value)


def write_errors(stream, *, errors: list[dict], total: int) -> None:
    """One row per error: 工作表, 行, 列, 值, 说明; a last row when more were counted than kept."""
    workbook = new_workbook(write_only=True)
    ws = _sheet(workbook, "错误", ERROR_HEADERS, (16, 8, 18, 30, 90))
    for error in errors:
        ws.append(
            [
                _text(error.get("sheet")),
                error.get("row"),
                _text(error.get("column")),
                _text(error.get("value")),
                _text(error.get("message")),
            ]
        )
    if total > len(errors):
        ws.append(
            [
                "",
                None,
                "",
                "",
                f"另有 {total - len(errors)} 处错误未保存（共 {total} 处）：请先修改以上各处后重新上传。",
            ]
        )
    save(workbook, stream)


def write_changes(stream, *, plan: Plan, note: str = "") -> None:
    """One row per changed cell, and one per added or removed row, for every community (and unit) of the plan."""
    workbook = new_workbook(write_only=True)
    ws = _sheet(workbook, "变化", CHANGE_HEADERS, (16, 20, 14, 28, 8, 18, 24, 24))
    if note:
        ws.append([note])
    for diff in plan.diffs:
        for change in diff.changes:
            start = [diff.code, _text(diff.name), change.sheet, _text(change.label), KINDS[change.kind]]
            if change.kind == "changed" and change.cells:
                for header, old, new in change.cells:
                    ws.append([*start, header, _text(old), _text(new)])
            else:
                ws.append(start)
    save(workbook, stream)
