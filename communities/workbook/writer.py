"""Writing the workbook: the template (pre-filled with last year's rows, or this year's where a return exists) and
the export of a region and year.

Both write the same sheets and columns as the import reads (``columns.py``), so an exported workbook imports back
without changes. openpyxl's write-only mode keeps memory flat; code columns are text cells (leading zeros kept),
enumerated columns carry a drop-down list, formula-like text is a text cell (no formula, no visible apostrophe:
``communities.spreadsheets``), numbers stay numbers.
ID numbers are masked (``4206**********1234``) unless written for an administrator; the import reads a masked ID
back as "the stored worker's, unchanged" (``ids.py``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from django.db.models import Exists, F, OuterRef, Q
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from communities.downloads import file_name
from communities.models import Community, SurveyReturn
from communities.spreadsheets import new_workbook, save, wrapped_height
from funding.models import Allocation
from workforce.validators import mask_id_number

from . import prefill
from . import values as v
from .columns import BASICS, CHILD_SHEETS, FUNDING, INSTRUCTIONS_SHEET, SHEETS, WORKERS, Column, Sheet, sheet_by_name
from .ids import is_masked, mask_id_like
from .reader import open_workbook, shown_number

# Required headers dark red with white letters, optional ones light grey: 填报说明 says so.
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
REQUIRED_FONT = Font(bold=True, color="FFFFFF")
REQUIRED_FILL = PatternFill("solid", fgColor="C00000")
EMPTY_ROWS_WITH_VALIDATION = 2000


def _rows_basics(
    region_code: str, year: int, data_year: int, *, all_communities: bool, mapping: prefill.TemplateMap
) -> Iterable[dict]:
    """A row per community with a return of ``data_year`` (every community of the region for a template); in a
    template, a community that has a return of ``year`` already shows that one, a code that no longer reports in
    ``year`` is left out and its basics go to the community that took its place (``prefill``)."""
    returns = {r["community_id"]: r for r in SurveyReturn.objects.in_region(region_code).for_year(data_year).values()}
    for code, carried in prefill.prefilled_basics(mapping, data_year).items():
        returns[code] = prefill.combine(returns.get(code), carried)
    if year != data_year:
        returns.update(
            (r["community_id"], r) for r in SurveyReturn.objects.in_region(region_code).for_year(year).values()
        )
    communities = (
        Community.objects.in_region(region_code)
        .annotate(street_name=F("street__name"))
        .values("code", "name", "street_name", "community_type", "urban_rural_code")
    )
    for community in communities.order_by("code"):
        if community["code"] in mapping.retired:
            continue
        stored = returns.get(community["code"])
        if stored is None and not all_communities:
            continue
        row = {
            "community_code": community["code"],
            "community_name": community["name"],
            "street_name": community["street_name"],
            "community_type": community["community_type"],
            "urban_rural_code": community["urban_rural_code"],
        }
        for column in BASICS.columns[5:]:
            row[column.field] = stored[column.field] if stored else None
        yield row


def _current_or(year: int, data_year: int, *, year_lookup: str, code_lookup: str) -> Q:
    """Rows of ``year``, and rows of ``data_year`` of the communities that have no return of ``year`` yet: a
    template shows a return that exists as it is (so that uploading it untouched changes nothing, submitted and
    approved returns included) and last year's rows for the others."""
    if year == data_year:
        return Q(**{year_lookup: year})
    current = SurveyReturn.objects.filter(community_id=OuterRef(code_lookup), year=year)
    return Q(**{year_lookup: year}) | (Q(**{year_lookup: data_year}) & ~Exists(current))


def _rows_children(
    sheet: Sheet, region_code: str, year: int, data_year: int, *, mask_ids: bool, mapping: prefill.TemplateMap
) -> Iterable[dict]:
    rows = (
        sheet.model.objects.in_region(region_code)
        .filter(
            _current_or(year, data_year, year_lookup="survey_return__year", code_lookup="survey_return__community_id")
        )
        .annotate(community_code=F("survey_return__community_id"))
        .values("community_code", *sheet.data_fields)
        .order_by("survey_return__community_id", "id")
        .iterator(chunk_size=5000)
    )
    rows = prefill.with_carried_rows(rows, sheet, mapping, year, data_year)
    if not (mask_ids and "id_number" in sheet.data_fields):
        return rows
    return ({**row, "id_number": mask_id_number(row["id_number"])} for row in rows)


def _rows_funding(region_code: str, year: int, data_year: int, retired: set[str]) -> Iterable[dict]:
    """The allocations of the units in the region; for one community, its street's too: the 经费 sheet states the
    streets of its communities in full on import, so a round trip must carry them. In a template, a unit with
    allocations of ``year`` (or a community with a return of ``year``) shows those, the others ``data_year``'s."""
    allocations = Allocation.objects.in_region(region_code)
    if len(region_code) == 12:
        allocations = allocations | Allocation.objects.filter(unit_code=region_code[:9])
    condition = _current_or(year, data_year, year_lookup="year", code_lookup="unit_code")
    if year != data_year:
        condition &= Q(year=year) | ~Exists(Allocation.objects.filter(unit_code=OuterRef("unit_code"), year=year))
    if retired:  # a code that no longer reports has no funding to pre-fill
        allocations = allocations.exclude(unit_code__in=retired)
    return allocations.filter(condition).values(*FUNDING.data_fields).order_by("unit_code", "source", "use")


def _cell(ws, column: Column, value):
    if value is None or value == "":
        if column.kind == "code":
            cell = WriteOnlyCell(ws, value=None)
            cell.number_format = "@"
            return cell
        return None
    shown = column.render(value)
    if column.kind == "code":
        cell = WriteOnlyCell(ws, value=str(shown))
        cell.number_format = "@"
        return cell
    if column.kind == "date" and isinstance(shown, dt.date):
        cell = WriteOnlyCell(ws, value=shown)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return shown


def _write_sheet(workbook: Workbook, sheet: Sheet, rows: Iterable[dict]) -> None:
    ws = workbook.create_sheet(sheet.name)
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        dimension = ws.column_dimensions[letter]
        dimension.width = max(10, len(column.header) * 2 + 2)
        if column.kind in ("code", "text", "enum", "bool"):
            dimension.number_format = "@"
        elif column.kind == "date":
            dimension.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "B2"
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
        ws.append([_cell(ws, column, row.get(column.field)) for column in sheet.columns])
        count += 1
    last = count + 1 + EMPTY_ROWS_WITH_VALIDATION
    for index, column in enumerate(sheet.columns, start=1):
        if not column.options:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(column.options) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="请从下拉列表中选择",
            error=f"「{column.header}」应为：{'、'.join(column.options)}",
        )
        validation.add(f"{letter}2:{letter}{last}")
        ws.data_validations.append(validation)


def _write_instructions(workbook: Workbook, *, year: int, title: str, prefilled: str = "") -> None:
    """The 填报说明 sheet: the title and the rules across the four columns (merged, wrapped, rows as high as their
    text), then every sheet's columns; printed landscape, fitted to the page's width, its header row repeated."""
    ws = workbook.create_sheet(INSTRUCTIONS_SHEET)
    widths = {"A": 16, "B": 22, "C": 8, "D": 80}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    full_width = sum(widths.values())
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    rows = 0

    def line(*values, font=None, size: float = 15):
        nonlocal rows
        rows += 1
        if len(values) == 1:  # a paragraph across the sheet's width
            ws.merged_cells.add(f"A{rows}:D{rows}")
            ws.row_dimensions[rows].height = wrapped_height(values[0], full_width, points=size)
        else:
            ws.row_dimensions[rows].height = wrapped_height(values[-1], widths["D"], points=size)
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws, value=value)
            cell.alignment = wrap
            if font is not None:
                cell.font = font
            cells.append(cell)
        ws.append(cells)

    line(f"{title}（{year}年度）", font=Font(bold=True, size=14), size=22)
    if prefilled:
        line(prefilled, font=bold)
    for text in RULES:
        line(text)
    line("")
    line("工作表", "列", "必填", "说明", font=bold)
    ws.print_title_rows = f"{rows}:{rows}"
    for sheet in SHEETS:
        line(sheet.name, "", "", sheet.help, font=bold)
        for column in sheet.columns:
            rows += 1
            ws.row_dimensions[rows].height = wrapped_height(column.describe(), widths["D"])
            cells = [WriteOnlyCell(ws, value=value) for value in ("", column.header, "", column.describe())]
            cells[1].font, cells[1].fill = (
                (REQUIRED_FONT, REQUIRED_FILL) if column.required else (HEADER_FONT, HEADER_FILL)
            )
            cells[2].value = "必填" if column.required else "选填"
            for cell in cells:
                cell.alignment = wrap
            ws.append(cells)


RULES = (
    "1. 本调查表由“社区年度调查”系统生成；导入时须选择年度。",
    "2. 「社区基本情况」表每个社区一行，是导入的依据：只有该表列出的社区（下称“所列社区”）才会被导入。",
    "3. 「社区工作者」「办公服务用房」「服务项目」表：工作表在调查表中时（即使只有表头、没有数据行），它就是所列社区"
    "本年度该表的全部数据——系统中有、表中没有的行，导入后会被删除；整张工作表不在调查表中时，该表的数据保持不变。"
    "预览会列出每张表将删除多少行；一张没有数据行的表如会删除数据，预览顶部会醒目提示。",
    "4. 「经费」表在调查表中时，是以下单位本年度经费的全部数据：(1) 所列社区；"
    "(2) 所列社区所属的街道(乡镇)（9 位代码）；(3) 表中出现的其他任何单位代码。"
    "县级及以上（6 位、4 位、2 位代码）的经费，只有表中出现了该单位代码时才按本表核对，"
    "未出现的保持不变。系统中已有的社区，即使本年度没有填报（不在「社区基本情况」表中），也可以填写经费行。",
    "5. 代码列请保持“文本”格式，保留开头的 0；社区代码为 12 位，其前 9 位为所属街道(乡镇)的代码。",
    "6. 日期填 Excel 日期或形如 2024-01-31 的文字；金额除表头注明“万元”的以外均为元；"
    "数字不能为负，且不能超过下表所列范围。",
    "7. 表头为深红底白字的列为必填，灰底黑字的列为选填（可留空，也可删去整列）。带下拉列表的列请从列表中选择。"
    "列的顺序可以调整，多余的列会被忽略。",
    "8. 身份证号：系统导出的调查表中只显示前 4 位和后 4 位（如 4206**********1234；管理员导出的除外），"
    "原样保留表示不修改；新增人员或更正号码时请填写完整的 18 位号码。",
    "9. 已审核（锁定）的社区不能通过导入修改，请先联系审核员重新打开。",
    "10. 上传后系统先预览：列出全部错误（可下载错误清单）以及每个社区将新增、修改、删除的行，确认后才导入；"
    "整个调查表要么全部导入，要么全部不导入。",
)


def write_workbook(
    stream, *, region_code: str, year: int, data_year: int, template: bool, mask_ids: bool = False
) -> None:
    """Write the workbook for ``region_code``, to be filled in for ``year``: the rows of ``data_year`` (for a
    template, last year's — but a community that has a return of ``year`` already shows that one, as it is);
    with ``mask_ids`` (everyone but administrators) ID numbers masked."""
    workbook = new_workbook(write_only=True)
    title = "社区年度调查表（模板）" if template else "社区年度调查表"
    prefilled = _prefill_note(year, data_year) if template else ""
    _write_instructions(workbook, year=year, title=title, prefilled=prefilled)
    # The code changes between the two years: who no longer reports, whose rows go to whom.
    mapping = prefill.template_map(region_code, year, data_year)
    rows = _rows_basics(region_code, year, data_year, all_communities=template, mapping=mapping)
    _write_sheet(workbook, BASICS, rows)
    for sheet in CHILD_SHEETS[:2]:
        rows = _rows_children(sheet, region_code, year, data_year, mask_ids=mask_ids, mapping=mapping)
        _write_sheet(workbook, sheet, rows)
    _write_sheet(workbook, FUNDING, _rows_funding(region_code, year, data_year, mapping.retired))
    programs = CHILD_SHEETS[2]
    rows = _rows_children(programs, region_code, year, data_year, mask_ids=mask_ids, mapping=mapping)
    _write_sheet(workbook, programs, rows)
    save(workbook, stream)


def _prefill_note(year: int, data_year: int) -> str:
    if year == data_year:
        return f"本模板已预填各社区 {year} 年的当前数据，请按实际情况修改。"
    return (
        f"本模板已预填：{year} 年已有填报的社区，预填的是其 {year} 年的当前数据（已提交、已审核的社区原样保留即"
        f"不作修改，导入时不会报错）；其他社区预填的是 {data_year} 年的数据，请按 {year} 年的实际情况修改。"
    )


def export_filename(*, region_name: str, year: int, template: bool) -> str:
    """城关街道-2025年-社区年度调查表.xlsx (the export), …-社区年度调查表（模板）.xlsx (the template)."""
    return file_name(region_name, f"{year}年", "社区年度调查表（模板）" if template else "社区年度调查表", ext="xlsx")


def masked_workbook(data: bytes) -> bytes:
    """A copy of an uploaded workbook with the ID numbers masked, for everyone but administrators: every cell of
    the 身份证号 column of 「社区工作者」, and any ID-like text in the other cells of every sheet. Everything else
    (sheets, values, formats, drop-downs) is kept as openpyxl reads and writes it. Raises ``WorkbookFileError``
    when the file cannot be read."""
    workbook = open_workbook(data, read_only=False)
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
                if cell.column in id_columns and isinstance(value, int | float):
                    # A number: Excel shows 4.20626E+17 (its last digits are lost); its digits would be made up.
                    cell.value = shown_number(value)
                elif cell.column in id_columns:
                    text = v.normalise_text(v.cell_text(value))
                    if text and not is_masked(text):
                        cell.value = mask_id_number(text)
                elif isinstance(value, str) and len(value) >= 18:
                    cell.value = mask_id_like(value)
                elif isinstance(value, int) and len(str(value)) == 18:
                    cell.value = mask_id_number(str(value))
    stream = io.BytesIO()
    save(workbook, stream)
    return stream.getvalue()
