"""Opening an uploaded workbook safely and reading its sheets into records.

The cells are read with python-calamine (about 40× faster than openpyxl in read-only mode, which is the fallback
when calamine is not installed); the parsers in ``values.py`` accept what either returns.

Before openpyxl parses anything, the file is checked: an old .xls, a password-protected workbook, a CSV or text
file, an empty file, a damaged archive and a compressed bomb (too many entries, too much uncompressed data, or an
entry that inflates too much) are refused with a Chinese message. openpyxl parses the XML with defusedxml.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass, field

from django.conf import settings

try:
    from python_calamine import CalamineWorkbook
except ImportError:  # pragma: no cover - openpyxl is the fallback
    CalamineWorkbook = None

from workforce.validators import mask_id_number

from . import values as v
from .columns import INSTRUCTIONS_SHEET, SHEETS, Sheet, row_type, sheet_by_name
from .ids import mask_id_like
from .values import CellError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_ENTRIES = 1000
XML_HEAD_BYTES = 4096  # a DOCTYPE comes before the root element, at the start of the part
XML_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!ENTITY".encode("utf-16-le"))
ERROR_CELL = b't="e"'  # a cell of type error in a worksheet's XML
MAX_RATIO = 200  # an XML part compresses about 10–30×; a bomb compresses thousands of times


class WorkbookFileError(Exception):
    """The file is not a workbook we can read; the message says why, in Chinese."""


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str
    value: str
    message: str

    def __post_init__(self):
        # An ID number is never echoed in full, whatever column it was typed into.
        self.value = mask_id_like(self.value)
        self.message = mask_id_like(self.message)

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = f"「{self.sheet}」" if self.sheet else ""
        if self.row:
            where += f"第 {self.row} 行"
        if self.column:
            where += f"「{self.column}」列"
        value = f"（{self.value}）" if self.value else ""
        return f"{where}{value}：{self.message}"


@dataclass
class ReadSheet:
    sheet: Sheet
    records: list[dict] = field(default_factory=list)  # each with "_row", the row number in the sheet
    header_row: int = 1
    # False when the sheet has no header or lacks a required column (an error): its rows are not read, and the
    # import plans nothing for it (in particular it removes nothing).
    complete: bool = True
    # The community codes of rows that were read but had a bad cell: 「社区基本情况」 rows of these communities
    # exist, so the other sheets' rows for them are not "missing from the basics sheet".
    invalid_codes: set[str] = field(default_factory=set)
    rows: int = 0  # data rows (not blank), valid or not


@dataclass
class ReadWorkbook:
    sheets: dict[str, ReadSheet] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _limit(name: str, default: int) -> int:
    return getattr(settings, name, default)


def check_archive(data: bytes) -> None:
    """Raise WorkbookFileError unless ``data`` looks like an .xlsx archive that is safe to open."""
    if not data:
        raise WorkbookFileError("上传的文件是空的，请选择填好的调查表（.xlsx）。")
    if data.startswith(OLE2_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data:
            raise WorkbookFileError(
                "该工作簿设置了打开密码，系统无法读取：请在 Excel 中取消密码后另存为 .xlsx 再上传。"
            )
        raise WorkbookFileError("这是旧版 Excel（.xls）文件：请在 Excel 中“另存为” Excel 工作簿（.xlsx）后再上传。")
    if not data.startswith(ZIP_MAGIC):
        head = data[:2048]
        if b"<html" in head.lower() or b"<?xml" in head.lower():
            raise WorkbookFileError("这是网页或 XML 文件，不是 Excel 工作簿：请上传 .xlsx 文件。")
        try:
            head.decode("utf-8")
            is_text = True
        except UnicodeDecodeError:
            is_text = head.count(b"\x00") == 0 and b"," in head
        if is_text:
            raise WorkbookFileError("这是 CSV 或文本文件，不是 Excel 工作簿：请在 Excel 中另存为 .xlsx 后再上传。")
        raise WorkbookFileError("这不是 Excel 工作簿（.xlsx）文件，请下载模板填写后再上传。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise WorkbookFileError("文件已损坏，无法打开：请在 Excel 中重新保存为 .xlsx 后再上传。") from None
    if len(entries) > _limit("SURVEY_WORKBOOK_MAX_ENTRIES", MAX_ENTRIES):
        raise WorkbookFileError("文件内部结构异常（包含的部件过多），已拒绝：请用 Excel 重新保存后再上传。")
    total = sum(entry.file_size for entry in entries)
    if total > _limit("SURVEY_WORKBOOK_MAX_UNCOMPRESSED_BYTES", 400 * 1024 * 1024):
        raise WorkbookFileError("文件解压后过大，已拒绝：请按街道分成几个调查表分别上传。")
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise WorkbookFileError("文件内部压缩比异常（疑似“压缩炸弹”），已拒绝。")
    names = {entry.filename for entry in entries}
    if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
        raise WorkbookFileError("这是 OpenDocument 表格（.ods）文件：请“另存为” Excel 工作簿（.xlsx）后再上传。")
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        raise WorkbookFileError("这是一个压缩包，但不是 Excel 工作簿（.xlsx）：请上传调查表文件。")
    _check_xml_declarations(archive, entries)


def _check_xml_declarations(archive: zipfile.ZipFile, entries) -> None:
    """Excel never writes a DOCTYPE: an XML part that declares one (entities that expand a thousandfold, or that
    read other files) is refused before any parser sees it."""
    for entry in entries:
        if not entry.filename.endswith((".xml", ".rels", ".vml")) or entry.is_dir():
            continue
        try:
            with archive.open(entry) as part:
                head = part.read(XML_HEAD_BYTES)
        except Exception:  # a damaged or encrypted entry: zipfile raises several kinds of errors
            raise WorkbookFileError("文件已损坏，无法打开：请在 Excel 中重新保存为 .xlsx 后再上传。") from None
        upper = head.upper()
        if any(marker in upper for marker in XML_DECLARATIONS):
            raise WorkbookFileError(
                "文件内部包含 Excel 不会生成的 XML 声明（DOCTYPE/ENTITY），已拒绝："
                "请用 Excel 重新保存为 .xlsx 后再上传。"
            )


def open_workbook(data: bytes, *, read_only: bool = True):
    """The checked workbook (``check_archive``) opened with openpyxl: read-only with cell values for reading, or
    editable (formulas, formats and validations kept) for writing a copy."""
    check_archive(data)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), read_only=read_only, data_only=read_only)
    except Exception:  # openpyxl raises many kinds of errors on damaged files; none of them may become a 500
        raise WorkbookFileError(
            "文件已损坏或不是有效的 Excel 工作簿，无法读取：请在 Excel 中重新保存为 .xlsx 后再上传。"
        ) from None


def _header_map(sheet: Sheet, header: tuple, header_row: int, result: ReadWorkbook) -> dict[int, object] | None:
    """Column index → Column; errors for missing required and duplicate columns."""
    mapping = {}
    seen: dict[str, int] = {}
    ignored = []
    for index, raw in enumerate(header):
        name = v.normalise_header(raw)
        if not name:
            continue
        column = sheet.by_header.get(name)
        if column is None:
            ignored.append(str(raw).strip())
            continue
        if column.header in seen:
            result.errors.append(Problem(sheet.name, header_row, column.header, "", "该列出现了两次，请删除重复的列。"))
            continue
        seen[column.header] = index
        mapping[index] = column
    if ignored:
        result.notices.append(f"「{sheet.name}」表中的以下列不在模板中，已忽略：{'、'.join(ignored)}。")
    missing = [name for name in sheet.required_headers if name not in seen]
    for name in missing:
        result.errors.append(
            Problem(
                sheet.name,
                header_row,
                name,
                "",
                f"缺少必填列「{name}」：请从模板中复制该列的表头（第 {header_row} 行）。",
            )
        )
    return None if missing else mapping


def read_sheet(sheet: Sheet, rows, result: ReadWorkbook) -> ReadSheet:
    read = ReadSheet(sheet)
    record_row = row_type(["_row", *(c.field for c in sheet.columns)])
    code_field = sheet.columns[0].field
    mapping = None
    optional = [c for c in sheet.columns if not c.required]
    for number, row in enumerate(rows, start=1):
        if mapping is None:
            if not any(cell is not None and str(cell).strip() for cell in row):
                continue
            read.header_row = number
            mapping = _header_map(sheet, row, number, result)
            if mapping is None:
                read.complete = False
                return read
            present = set(mapping.values())
            absent = [c for c in optional if c not in present]
            # Repeated values (codes, enumerations, amounts, dates) are parsed once per sheet and column.
            items = [(index, column, {} if column.kind != "text" else None) for index, column in mapping.items()]
            continue
        record = {"_row": number}
        failed = False
        blank = True
        width = len(row)
        for index, column, cache in items:
            cell = row[index] if index < width else None
            if cell is None or (cell.__class__ is str and not cell.strip()):
                record[column.field] = None if column.required else column.empty
                continue
            blank = False
            if cell.__class__ is str and cell in v.FORMULA_ERRORS:
                # openpyxl reads an error cell as the text it shows; never parse it as a value (or as empty).
                failed = True
                result.errors.append(Problem(sheet.name, number, column.header, cell, v.formula_error_message(cell)))
                continue
            if cache is not None:
                key = (cell.__class__, cell)
                if key in cache:
                    record[column.field] = cache[key]
                    continue
            try:
                value = record[column.field] = column.parse(cell)
                if cache is not None and len(cache) < 50000:
                    cache[key] = value
            except CellError as error:
                failed = True
                result.errors.append(Problem(sheet.name, number, column.header, _show(cell, column), str(error)))
        if blank:
            continue
        read.rows += 1
        for column in sheet.columns:
            if column.required and record.get(column.field) is None and column.field in record:
                failed = True
                result.errors.append(Problem(sheet.name, number, column.header, "", "必填，不能为空。"))
        for column in absent:
            record[column.field] = column.empty
        if not failed:
            read.records.append(record_row(tuple(record[name] for name in record_row.fields)))
        elif record.get(code_field):
            read.invalid_codes.add(record[code_field])
    if mapping is None:
        result.errors.append(
            Problem(
                sheet.name,
                1,
                "",
                "",
                "该表没有表头：如要清空该表本年度的数据，请保留模板中的表头行；如要保持该表的数据不变，请删除整张工作表。",
            )
        )
        read.complete = False
    return read


def shown_number(value: int | float) -> str:
    """An ID number stored as a number as Excel shows it in a General cell (4.20626E+17): its last digits are
    already lost, so never echo digits the user did not type."""
    return format(float(value), ".5E")


def _show(cell, column=None) -> str:
    text = v.cell_text(cell)
    if column is not None and column.field == "id_number":
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            return shown_number(cell)
        return mask_id_number(v.normalise_text(text))
    return text if len(text) <= 60 else text[:57] + "…"


def _sheets_openpyxl(data: bytes):
    """(title, rows) per worksheet with openpyxl in read-only mode (XML parsed through defusedxml)."""
    workbook = open_workbook(data)
    try:
        for worksheet in workbook.worksheets:
            worksheet.reset_dimensions()
            yield worksheet.title, worksheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def has_error_cells(data: bytes) -> bool:
    """Whether any worksheet holds a cell whose formula failed (``t="e"``): calamine reads those as ''."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in archive.infolist():
            if entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml"):
                with archive.open(entry) as part:
                    tail = b""
                    while chunk := part.read(1 << 20):
                        if ERROR_CELL in tail + chunk:
                            return True
                        tail = chunk[-len(ERROR_CELL) :]
    return False


def _sheets_calamine(data: bytes):
    """(title, rows) per worksheet with python-calamine (Rust; no DTD or entity expansion), about 40× faster
    than openpyxl. Empty cells come back as '', numbers as floats: the parsers accept both.

    calamine reads a cell that shows a formula error (#DIV/0!, #N/A …) as '', which would blank a figure
    silently: a workbook with such a cell is read by openpyxl instead, which returns what the cell shows.
    """
    check_archive(data)
    if has_error_cells(data):
        yield from _sheets_openpyxl(data)
        return
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # calamine raises its own errors on damaged files; none of them may become a 500
        raise WorkbookFileError(
            "文件已损坏或不是有效的 Excel 工作簿，无法读取：请在 Excel 中重新保存为 .xlsx 后再上传。"
        ) from None
    for title in workbook.sheet_names:
        yield title, workbook.get_sheet_by_name(title).iter_rows()


def read_workbook(data: bytes) -> ReadWorkbook:
    """Every known sheet's records and every error at once. Raises WorkbookFileError for an unreadable file."""
    result = ReadWorkbook()
    sheets = _sheets_calamine(data) if CalamineWorkbook is not None else _sheets_openpyxl(data)
    try:
        for title, rows in sheets:
            sheet = sheet_by_name(title)
            if sheet is None:
                if v.normalise_header(title) != INSTRUCTIONS_SHEET:
                    result.notices.append(f"工作表「{title}」不是调查表的一部分，已忽略。")
                continue
            if sheet.name in result.sheets:
                result.errors.append(Problem(sheet.name, None, "", title, "工作表重复，请只保留一个。"))
                continue
            result.sheets[sheet.name] = read_sheet(sheet, rows, result)
    except WorkbookFileError:
        raise
    except Exception:  # a damaged sheet part
        raise WorkbookFileError("文件已损坏，读取工作表时出错：请在 Excel 中重新保存为 .xlsx 后再上传。") from None
    if not result.sheets:
        raise WorkbookFileError(
            "没有找到调查表的任何工作表（" + "、".join(s.name for s in SHEETS) + "）：请使用系统下载的模板填写。"
        )
    if SHEETS[0].name not in result.sheets:
        result.errors.append(
            Problem(
                SHEETS[0].name, None, "", "", "缺少「社区基本情况」表：导入以该表列出的社区为准，请从模板中复制该表。"
            )
        )
    for sheet in SHEETS[1:]:
        if sheet.name not in result.sheets:
            result.notices.append(f"没有「{sheet.name}」表：该表的数据保持不变。")
    return result


def read_one_sheet(data: bytes, sheet: Sheet) -> ReadWorkbook:
    """The records of one sheet of a workbook that is not the survey workbook (区划变更: ``CODE_CHANGES``), read
    and checked as the survey's sheets are. Raises WorkbookFileError for an unreadable file."""
    result = ReadWorkbook()
    sheets = _sheets_calamine(data) if CalamineWorkbook is not None else _sheets_openpyxl(data)
    wanted = v.normalise_header(sheet.name)
    try:
        for title, rows in sheets:
            if v.normalise_header(title) == wanted:
                result.sheets[sheet.name] = read_sheet(sheet, rows, result)
                break
    except WorkbookFileError:
        raise
    except Exception:  # a damaged sheet part
        raise WorkbookFileError("文件已损坏，读取工作表时出错：请在 Excel 中重新保存为 .xlsx 后再上传。") from None
    finally:
        sheets.close()
    if sheet.name not in result.sheets:
        result.errors.append(
            Problem(
                sheet.name,
                None,
                "",
                "",
                f"没有找到「{sheet.name}」工作表：请把变更填在名为「{sheet.name}」的工作表中。",
            )
        )
    return result
