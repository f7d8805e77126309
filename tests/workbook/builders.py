"""Real .xlsx files for the workbook tests, built with openpyxl."""

from __future__ import annotations

import io

from openpyxl import Workbook

from communities.workbook.columns import SHEETS

HEADERS = {sheet.name: [column.header for column in sheet.columns] for sheet in SHEETS}

A1 = "420626001001"
A2 = "420626001002"
B1 = "420626101001"
ID_1 = "420626198501010014"  # a checksum-valid ID number (see workforce/validators.py)


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with these sheets: each a list of rows, the first one the header."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        ws = workbook.create_sheet(name)
        for row in rows:
            ws.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def rows_as_dicts(sheet: str, records: list[dict]) -> list[list]:
    """Header + rows from dicts keyed by header (missing cells empty)."""
    header = HEADERS[sheet]
    return [header] + [[record.get(h) for h in header] for record in records]


def basics(code=A1, name="东关社区", street="城关街道", **extra) -> dict:
    return {
        "社区代码": code,
        "社区名称": name,
        "街道(乡镇)名称": street,
        "社区类型": "城市社区",
        "户数": 1200,
        "常住人口": 3600,
        **extra,
    }


def worker(code=A1, name="张三", **extra) -> dict:
    return {
        "社区代码": code,
        "姓名": name,
        "性别": "女",
        "出生年份": 1985,
        "学历": "大专",
        "职务": "专职社区工作者",
        "入职日期": "2020-03-01",
        "月基本报酬(元)": 1500,
        **extra,
    }


def premises(code=A1, name="服务中心", **extra) -> dict:
    return {"社区代码": code, "名称": name, "用房类别": "公共服务用房", "建筑面积(平方米)": 320, **extra}


def allocation(code=A1, **extra) -> dict:
    return {"单位代码": code, "资金来源": "县级财政", "经费用途": "工作经费", "预算金额(万元)": 1.2, **extra}


def program(code=A1, name="老年食堂", **extra) -> dict:
    return {"社区代码": code, "项目名称": name, "服务领域": "为老服务", "提供方式": "社区自办", **extra}


def survey(*, communities=None, workers=None, rooms=None, funds=None, programs=None, extra=None) -> bytes:
    """A full workbook for street A (two communities) unless told otherwise."""
    sheets = {
        "社区基本情况": rows_as_dicts(
            "社区基本情况", communities if communities is not None else [basics(), basics(A2, "西关社区")]
        ),
        "社区工作者": rows_as_dicts(
            "社区工作者",
            workers
            if workers is not None
            else [worker(), worker(name="李四", 身份证号=ID_1, 性别="男"), worker(A2, "王五")],
        ),
        "办公服务用房": rows_as_dicts("办公服务用房", rooms if rooms is not None else [premises(), premises(A2)]),
        "经费": rows_as_dicts("经费", funds if funds is not None else [allocation(), allocation(A2)]),
        "服务项目": rows_as_dicts("服务项目", programs if programs is not None else [program()]),
    }
    sheets.update(extra or {})
    return xlsx({name: rows for name, rows in sheets.items() if rows is not None})


def one_community(**rows) -> bytes:
    """A workbook of community A1 alone with empty sheets, but for the rows given (``workers=[...]`` etc.)."""
    parts = {"communities": [basics()], "workers": [], "rooms": [], "funds": [], "programs": []}
    parts.update(rows)
    return survey(**parts)


SHEET_ARGUMENT = {
    "社区基本情况": "communities",
    "社区工作者": "workers",
    "办公服务用房": "rooms",
    "经费": "funds",
    "服务项目": "programs",
}


def only(sheet: str, *records) -> bytes:
    """A workbook of community A1 with ``records`` in ``sheet`` (by its Chinese name) and nothing else."""
    return one_community(**{SHEET_ARGUMENT[sheet]: list(records)})
