"""Turning a workbook cell into a Python value, and back: one function per kind of column.

Every parser takes the raw cell value (``None``, ``str``, ``int``, ``float``, ``datetime``…) and returns the
normalised value or raises ``CellError`` with a Chinese message that says how to fix the cell. The same parsers
serve the upload, the command line and the admin's import (through ``resources.py``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from communities.codes import zero_part_problem

WAN = Decimal(10000)
EXCEL_EPOCH = dt.date(1899, 12, 30)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# What a cell shows when its formula fails (the values of an error cell, t="e", in the sheet's XML).
FORMULA_ERRORS = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!")
)


def formula_error_message(shown: str) -> str:
    return f"单元格显示公式错误 {shown}，请修正公式或填入数值。"


_SPACES_RE = re.compile(r"\s+")


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user as is."""


def normalise_text(value: str) -> str:
    """Full-width letters, digits and brackets to half-width (NFKC), spaces (also ideographic) removed."""
    return _SPACES_RE.sub("", unicodedata.normalize("NFKC", value))


def normalise_header(value) -> str:
    """A header as typed: '（元）' and '(元)', '人口 ' and '人口', '*户数' all compare equal."""
    if value is None:
        return ""
    return normalise_text(str(value)).lstrip("*").rstrip("*")


def cell_text(value) -> str:
    """The text of a cell, stripped; numbers typed into a text column come back without '.0'.

    A leading apostrophe before a formula-like text (``'=A1``: exports before text cells, a CSV) is removed again.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        text = text[1:]
    return text


def parse_code(value, *, lengths: tuple[int, ...]) -> str:
    """A division code typed as text, a number (``420626001001``) or a float (``420626001001.0``)."""
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("代码应为数字，不能有小数；请把该列设置为“文本”格式后重新填写。")
        value = int(value)
    text = normalise_text(cell_text(value))
    if not text.isdigit() or len(text) not in lengths:
        wanted = "、".join(str(n) for n in lengths)
        raise CellError(f"代码应为 {wanted} 位数字（保留开头的 0，请把该列设置为“文本”格式）。")
    problem = zero_part_problem(text)
    if problem:
        raise CellError(problem)
    return text


def parse_text(value, *, max_length: int) -> str:
    text = cell_text(value)
    if len(text) > max_length:
        raise CellError(f"内容过长：最多 {max_length} 个字，现有 {len(text)} 个字。")
    return text


def range_text(minimum, maximum, unit: str = "") -> str:
    """'0 至 1000000', '0 至 9999999999 万元'."""
    return f"{format_number(minimum)} 至 {format_number(maximum)}" + (f" {unit}" if unit else "")


def format_number(value) -> str:
    """A bound as a reader writes it: 1000000, 99999999.99 (no exponent, no trailing zeros)."""
    value = Decimal(value)
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_int(value, *, minimum: int = 0, maximum: int) -> int:
    """A whole number in ``minimum``–``maximum`` (the maximum keeps it inside the database column's range)."""
    if isinstance(value, bool):
        raise CellError("应填写整数。")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError("应填写整数，不能有小数。")
        number = int(value)
    else:
        text = number_text(value)
        try:
            parsed = Decimal(text)
        except InvalidOperation:
            raise CellError("应填写整数（只填数字，不要带单位或文字）。") from None
        if not parsed.is_finite():
            raise CellError("应填写整数。")
        if parsed.adjusted() > 18:  # far beyond any column; also keeps to_integral_value() cheap
            raise CellError(f"数值超出范围：应为 {range_text(minimum, maximum)} 之间的整数。")
        if parsed != parsed.to_integral_value():
            raise CellError("应填写整数，不能有小数。")
        number = int(parsed)
    if number < 0 and minimum == 0:
        raise CellError("不能为负数。")
    if number < minimum or number > maximum:
        raise CellError(f"数值超出范围：应为 {range_text(minimum, maximum)} 之间的整数，请核对。")
    return number


def decimal_maximum(max_digits: int, scale: Decimal = Decimal(1), places: int = 2) -> Decimal:
    """The largest whole amount (in the workbook's unit) that a column of ``max_digits`` with ``places`` decimals
    holds: 99999999 for 10 digits in 元, 9999999999 for 16 digits in 万元."""
    capacity = Decimal(10) ** (max_digits - places) - Decimal(10) ** -places
    return (capacity / scale).to_integral_value(rounding=ROUND_FLOOR)


_THOUSANDS_RE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def number_text(value) -> str:
    """The text of a number cell without thousands separators. A comma that is not one ('1,2', '1,23' — a decimal
    comma, or a typo) is an error: read as a separator it would turn 1,2 万元 into 12 万元."""
    text = normalise_text(cell_text(value))  # NFKC: a full-width '，' is a ','
    if "," in text:
        if not _THOUSANDS_RE.fullmatch(text):
            raise CellError('数字中的逗号只能用作千位分隔符（如 1,234.5）；小数请用小数点 "."，例如 1.2。')
        text = text.replace(",", "")
    return text


def parse_decimal(value, *, max_digits: int, scale: Decimal = Decimal(1), unit: str = "", places: int = 2) -> Decimal:
    """A non-negative amount with at most ``places`` decimals (the model field's) after scaling (万元 → 元 with
    ``scale=WAN``: 6 decimals of 万元 are 2 of 元), no larger than ``decimal_maximum`` in the workbook's unit. More
    decimals are an error, not rounded away."""
    if isinstance(value, bool):
        raise CellError("应填写数字。")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # 15 significant digits, as Excel shows and stores them: 0.1 + 0.2 is 0.3, not 0.30000000000000004.
        number = Decimal(format(value, ".15g"))
    else:
        try:
            number = Decimal(number_text(value))
        except InvalidOperation:
            raise CellError("应填写数字（只填数字，不要带单位或文字）。") from None
    if not number.is_finite():
        raise CellError("应填写数字。")
    if number < 0:
        raise CellError("不能为负数。")
    maximum = decimal_maximum(max_digits, scale, places)
    if number > maximum:
        space = "" if unit else " "
        raise CellError(
            f"数值超出范围：应在 {range_text(0, maximum, unit)}{space}之间；请核对单位（万元/元）是否填错。"
        )
    amount = number * scale
    step = Decimal(10) ** -places
    if amount != amount.quantize(step, rounding=ROUND_HALF_UP):
        allowed = places + len(str(int(scale))) - 1  # in the workbook's unit
        where = f"以{unit}为单位" if unit else ""
        cent = "，即精确到分" if unit == "万元" and places == 2 else ""
        raise CellError(f"{where}最多保留 {allowed} 位小数{cent}：请四舍五入后再填写。")
    return amount.quantize(step)


def parse_date(value) -> dt.date:
    """An Excel date, an Excel serial number (45292) or text: 2024-01-31, 2024/1/31, 2024.1.31, 2024年1月31日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError("日期超出范围，请填写形如 2024-01-31 的日期。")
    text = normalise_text(cell_text(value))
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\d{1,2}:\d{2}(?::\d{2})?)?", text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    elif re.fullmatch(r"\d{5}(?:\.0+)?", text):
        return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    raise CellError("日期格式不对，请填写 Excel 日期或形如 2024-01-31 的文字。")


YES = {"是", "Y", "YES", "T", "TRUE", "1", "√", "✓", "有"}
NO = {"否", "N", "NO", "F", "FALSE", "0", "×", "✗", "无", ""}


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = normalise_text(cell_text(value)).upper()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError("应填写“是”或“否”。")


class Enumeration:
    """The Chinese labels of a TextChoices, matched after normalisation (brackets, spaces, full-width)."""

    def __init__(self, choices, *, aliases: dict[str, str] | None = None, label_of=None):
        self.choices = choices
        self.labels = {value: (label_of(value, label) if label_of else label) for value, label in choices.choices}
        self.lookup: dict[str, str] = {}
        for value, label in choices.choices:
            self.lookup[self.key(label)] = value
            self.lookup[self.key(self.labels[value])] = value
        for alias, value in (aliases or {}).items():
            self.lookup[self.key(alias)] = value

    @staticmethod
    def key(text: str) -> str:
        return normalise_text(text).upper()

    def parse(self, value) -> str:
        text = cell_text(value)
        try:
            return self.lookup[self.key(text)]
        except KeyError:
            raise CellError(f"应为以下之一：{'、'.join(self.labels.values())}。") from None

    def render(self, value: str) -> str:
        return self.labels.get(value, value or "")

    @property
    def options(self) -> list[str]:
        return list(self.labels.values())


def neutralise(text: str) -> str:
    """A text that a spreadsheet would run as a formula gets an apostrophe in front (removed again on import): for
    a file without cell types (CSV). An xlsx cell is stored as text instead (``communities.spreadsheets``)."""
    if text and text[0] in FORMULA_PREFIXES:
        return "'" + text
    return text


def number(value: Decimal | None) -> int | float | None:
    """A stored decimal as a spreadsheet number: an int when whole, else the float that reads back the same."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def wan(amount: Decimal | None) -> int | float | None:
    """元 → 万元 for the workbook, exactly (12345.67 元 is 1.234567 万元; at most 6 decimals, which a float keeps)."""
    if amount is None:
        return None
    return number(Decimal(amount) / WAN)
