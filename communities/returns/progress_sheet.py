"""The progress table as a workbook — per street, every community, the late ones — written by the dashboard's one
table writer (``dashboard.tables.workbook_bytes``: title row, formats per kind, widths, print setup)."""

from __future__ import annotations

from communities.dashboard.tables import Column, Table, workbook_bytes

from .progress import CommunityProgress, StreetProgress

STREET_COLUMNS = [
    Column("street", "街道(乡镇)"),
    *(
        Column(key, label, "int")
        for key, label in [
            ("total", "社区数"),
            ("handed_in", "已提交"),
            ("approved", "已审核"),
            ("not_in", "未提交"),
            ("on_time", "按时提交"),
            ("late", "逾期"),
        ]
    ),
    Column("on_time_rate", "按时提交率", "rate"),
    Column("due_on", "截止日期"),
]
COMMUNITY_COLUMNS = [
    Column("street", "街道(乡镇)"),
    Column("code", "社区代码"),
    Column("name", "社区"),
    Column("status", "状态"),
    Column("handed_in_on", "首次提交日期"),
    Column("submitted_by", "提交人"),
    Column("due_on", "截止日期"),
    Column("timing", "按时情况"),
    Column("days_late", "逾期天数", "int"),
]


def _date(day) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def _street_row(street: StreetProgress) -> dict:
    return {
        "street": street.region.name,
        **{key: getattr(street, key) for key in ("total", "handed_in", "approved", "not_in", "on_time", "late")},
        "on_time_rate": street.on_time_rate,
        "due_on": _date(street.deadline.due_on if street.deadline else None),
    }


def _community_row(row: CommunityProgress) -> dict:
    r = row.survey_return
    return {
        "street": row.community.street.name,
        "code": row.community.code,
        "name": row.community.name,
        "status": row.status_label,
        "handed_in_on": _date(row.handed_in_on),
        "submitted_by": (r.submitted_by.get_full_name() or r.submitted_by.username) if r and r.submitted_by else "",
        "due_on": _date(row.deadline.due_on if row.deadline else None),
        "timing": row.timing_text,
        "days_late": row.days_late or None,
    }


def progress_workbook(*, region: str, year: int, streets: list[StreetProgress], late: list[CommunityProgress]) -> bytes:
    communities = [row for street in streets for row in street.rows]
    tables = [
        Table("streets", "各街道进度", STREET_COLUMNS, [_street_row(s) for s in streets]),
        Table("communities", f"{year}年各社区", COMMUNITY_COLUMNS, [_community_row(r) for r in communities]),
        Table("late", "逾期社区", COMMUNITY_COLUMNS, [_community_row(r) for r in late]),
    ]
    return workbook_bytes(tables, heading=f"{region} {year}年 填报进度")
