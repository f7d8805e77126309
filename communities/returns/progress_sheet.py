"""The progress table as a workbook: one sheet per street summary, one of every community, one of the late ones."""

from __future__ import annotations

from io import BytesIO

from openpyxl.styles import Font

from communities import spreadsheets

from .progress import CommunityProgress, StreetProgress


def _community_row(row: CommunityProgress) -> list:
    r = row.survey_return
    who = (r.submitted_by.get_full_name() or r.submitted_by.username) if r and r.submitted_by else ""
    return [
        row.community.street.name,
        row.community.code,
        row.community.name,
        row.status_label,
        row.handed_in_on,
        who,
        row.deadline.due_on if row.deadline else None,
        row.timing_text,
        row.days_late or None,
    ]


COMMUNITY_HEADER = [
    "街道(乡镇)",
    "社区代码",
    "社区",
    "状态",
    "首次提交日期",
    "提交人",
    "截止日期",
    "按时情况",
    "逾期天数",
]


def _sheet(book, title: str, header: list[str], rows: list[list], formats: dict[int, str]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append(values)
    for column, fmt in formats.items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = fmt
    for index, label in enumerate(header, start=1):
        width = max([spreadsheets.text_width(label), *(spreadsheets.text_width(r[index - 1]) for r in rows)])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(40, max(10, width + 2))
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def progress_workbook(*, year: int, streets: list[StreetProgress], late: list[CommunityProgress]) -> bytes:
    book = spreadsheets.new_workbook()
    book.remove(book.active)
    _sheet(
        book,
        "各街道进度",
        ["街道(乡镇)", "社区数", "已提交", "已审核", "未提交", "按时提交", "逾期", "按时提交率", "截止日期"],
        [
            [
                s.region.name,
                s.total,
                s.handed_in,
                s.approved,
                s.not_in,
                s.on_time,
                s.late,
                s.on_time_rate,
                s.deadline.due_on if s.deadline else None,
            ]
            for s in streets
        ],
        {2: "#,##0", 3: "#,##0", 4: "#,##0", 5: "#,##0", 6: "#,##0", 7: "#,##0", 8: "0.0%", 9: "yyyy-mm-dd"},
    )
    dates = {5: "yyyy-mm-dd", 7: "yyyy-mm-dd", 9: "#,##0"}
    rows = [row for s in streets for row in s.rows]
    _sheet(book, f"{year}年各社区", COMMUNITY_HEADER, [_community_row(r) for r in rows], dates)
    _sheet(book, "逾期社区", COMMUNITY_HEADER, [_community_row(r) for r in late], dates)
    stream = BytesIO()
    spreadsheets.save(book, stream)
    return stream.getvalue()
