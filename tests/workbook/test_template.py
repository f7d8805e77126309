"""The template's 填报说明 explains every column (ranges, choices, the full-statement rules), required headers look
unlike optional ones, and every enumerated column of every sheet has a drop-down."""

import io

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from communities.workbook.columns import SHEETS
from communities.workbook.writer import write_workbook

YEAR = 2025


def template():
    stream = io.BytesIO()
    write_workbook(stream, region_code="420626001", year=YEAR, data_year=YEAR - 1, template=True)
    return load_workbook(io.BytesIO(stream.getvalue()))


def explanations(workbook) -> dict[tuple[str, str], tuple[str, str]]:
    """(sheet, header) → (必填/选填, 说明), from the 填报说明 sheet's table."""
    table, sheet = {}, None
    for name, column, required, text in workbook["填报说明"].iter_rows(min_row=1, max_col=4, values_only=True):
        if name and not column and name in {s.name for s in SHEETS}:
            sheet = name
        elif sheet and column:
            table[(sheet, column)] = (required, text or "")
    return table


def rules(workbook) -> str:
    return "\n".join(str(row[0]) for row in workbook["填报说明"].iter_rows(values_only=True) if row[0])


def test_every_column_of_every_sheet_is_explained(db):
    table = explanations(template())
    for sheet in SHEETS:
        for column in sheet.columns:
            required, text = table[(sheet.name, column.header)]
            assert required == ("必填" if column.required else "选填"), column.header
            assert len(text) >= 6, (sheet.name, column.header, text)  # "可选：男、女。" is the shortest


def test_the_explanations_give_ranges_and_choices(db):
    table = explanations(template())
    assert "1930 至 2100" in table[("社区工作者", "出生年份")][1]
    assert "0 至 1000000" in table[("社区基本情况", "户数")][1]
    assert "0 至 10000000" in table[("社区基本情况", "常住人口")][1]
    assert "0 至 100000000" in table[("服务项目", "受益人次")][1]
    assert "万元" in table[("经费", "预算金额(万元)")][1] and "9999999999" in table[("经费", "预算金额(万元)")][1]
    assert "最多 50 个字" in table[("社区工作者", "姓名")][1]
    for sheet in SHEETS:
        for column in sheet.columns:
            for option in column.options:
                assert option in table[(sheet.name, column.header)][1], (column.header, option)
    assert "4206**********1234" in table[("社区工作者", "身份证号")][1]


def test_the_rules_say_what_an_empty_or_missing_sheet_and_the_funding_sheet_cover(db):
    text = rules(template())
    assert "即使只有表头、没有数据行" in text and "表中没有的行，导入后会被删除" in text
    assert "整张工作表不在调查表中时，该表的数据保持不变" in text
    assert "所列社区所属的街道(乡镇)（9 位代码）" in text and "县级及以上" in text and "未出现的保持不变" in text
    assert "深红底白字的列为必填，灰底黑字的列为选填" in text


def test_required_headers_look_unlike_optional_ones(db):
    workbook = template()
    for sheet in SHEETS:
        header = list(workbook[sheet.name][1])
        fills = {column.required: set() for column in sheet.columns}
        for cell, column in zip(header, sheet.columns, strict=True):
            assert cell.value == column.header
            fills[column.required].add((cell.fill.fgColor.rgb, cell.font.color.rgb if cell.font.color else None))
        assert fills[True] == {("00C00000", "00FFFFFF")}, sheet.name
        if False in fills:
            assert fills[False] == {("00E7E6E6", None)}, sheet.name


def test_every_enumerated_column_of_every_sheet_has_a_drop_down(db):
    workbook = template()
    enumerated = 0
    for sheet in SHEETS:
        validations = workbook[sheet.name].data_validations.dataValidation
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            covering = [dv for dv in validations if str(dv.sqref).startswith(f"{letter}2:")]
            if not column.options:
                assert not covering, column.header
                continue
            enumerated += 1
            [validation] = covering
            assert validation.type == "list"
            assert validation.formula1.strip('"').split(",") == list(column.options), column.header
    # 社区类型, 城乡分类代码; 性别, 学历, 政治面貌, 职务, 是否被借用, 社工职业资格; 用房类别, 功能类型, 产权来源;
    # 资金来源, 经费用途; 服务领域, 提供方式
    assert enumerated == 15
