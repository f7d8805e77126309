"""The follow-up list (问题跟进) of a region and year: every rule finding, every outlier and every comment thread of
its returns, open or marked done by a reviewer with a note; and marking them. A fixed number of queries whatever the
number of returns (``quality.region_findings``, the communities with their streets, the follow-up rows, the
comments)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from communities.access import can_review
from communities.dashboard.tables import Column, Table, workbook_bytes
from communities.models import Community, FigureComment, FollowUp, FollowUpKind, SurveyReturn, User

from .quality import region_findings

SEVERITIES = {"error": "错误", "warning": "警告", "outlier": "异常值", "comment": "批注"}
STATUSES = {"open": "待处理", "done": "已处理", "all": "全部"}


@dataclass
class FollowUpItem:
    survey_return_id: int
    community: Community
    year: int
    kind: str  # FollowUpKind
    key: str  # the rule's key, or the figure's
    severity: str  # error | warning | outlier
    rule_text: str  # the rule ("年末在岗人数 ≤ 花名册人数") or the figure ("户数")
    text: str  # what was found
    record: FollowUp | None = None

    @property
    def severity_label(self) -> str:
        return SEVERITIES[self.severity]

    @property
    def done(self) -> bool:
        return bool(self.record and self.record.done)

    @property
    def status_label(self) -> str:
        return STATUSES["done" if self.done else "open"]


def follow_up_items(
    *, region_code: str, year: int, severity: str = "", street: str = "", rule: str = "", status: str = "open"
) -> list[FollowUpItem]:
    """The region's findings for the year, filtered by severity, street (a code prefix), rule or figure key and
    status (open, done, all), in code order."""
    findings = region_findings(region_code=street or region_code, year=year)
    communities = {
        c.code: c for c in Community.objects.in_region(street or region_code).select_related("street").order_by()
    }
    records = {
        (r.survey_return_id, r.kind, r.key): r
        for r in FollowUp.objects.filter(
            survey_return__in=SurveyReturn.objects.in_region(street or region_code).for_year(year).values("pk")
        ).select_related("done_by")
    }
    threads: dict[int, dict[str, list[FigureComment]]] = {}
    for comment in (
        FigureComment.objects.filter(
            survey_return__in=SurveyReturn.objects.in_region(street or region_code).for_year(year).values("pk")
        )
        .select_related("author")
        .order_by("created_at", "pk")
    ):
        threads.setdefault(comment.survey_return_id, {}).setdefault(comment.target, []).append(comment)
    items = []
    for code, found in findings.items():
        candidates = [
            (FollowUpKind.RULE, p.code, "warning" if p.needs_explanation else "error", p.rule_text, p.text)
            for p in found.problems
        ] + [(FollowUpKind.OUTLIER, o.figure, "outlier", o.label, o.finding) for o in found.flagged_outliers]
        candidates += [
            (FollowUpKind.COMMENT, target, "comment", thread[-1].target_label, _thread_text(thread))
            for target, thread in threads.get(found.return_id, {}).items()
        ]
        for kind, key, level, rule_text, text in candidates:
            item = FollowUpItem(
                found.return_id,
                communities[code],
                year,
                kind,
                key,
                level,
                rule_text,
                text,
                records.get((found.return_id, kind, key)),
            )
            if severity and level != severity:
                continue
            if rule and key != rule:
                continue
            if status != "all" and item.done != (status == "done"):
                continue
            items.append(item)
    return items


def _thread_text(thread: list[FigureComment]) -> str:
    """A comment thread in one line: its latest comment, who wrote it, and how many there are."""
    last = thread[-1]
    who = (last.author.get_full_name() or last.author.username) if last.author else ""
    count = f"（共 {len(thread)} 条）" if len(thread) > 1 else ""
    return f"{who}：{last.text}{count}"


@transaction.atomic
def follow_up_mark(
    *, survey_return: SurveyReturn, user: User, kind: str, key: str, done: bool, note: str = ""
) -> FollowUp:
    """Mark one finding of a return done (a note is required) or open again, recording who and when."""
    if not can_review(user, survey_return):
        raise PermissionDenied("只有本区划的审核员可以处理问题。")
    if kind not in FollowUpKind.values:
        raise ValidationError("问题类别不正确。")
    note = note.strip()
    if done and not note:
        raise ValidationError("标记为已处理时请填写处理说明（如：已电话核实，数字属实）。")
    record = FollowUp.objects.select_for_update().filter(survey_return=survey_return, kind=kind, key=key).first()
    record = record or FollowUp(survey_return=survey_return, kind=kind, key=key)
    record.done = done
    if note:
        record.note = note
    record.done_at = timezone.now() if done else None
    record.done_by = user if done else None
    record.full_clean()
    record._history_user = user
    record.save()
    return record


COLUMNS = [
    Column(key, header)
    for key, header in [
        ("street", "街道(乡镇)"),
        ("code", "社区代码"),
        ("name", "社区"),
        ("year", "年度"),
        ("kind", "类别"),
        ("severity", "严重程度"),
        ("rule", "规则或数字"),
        ("text", "问题"),
        ("status", "状态"),
        ("note", "处理说明"),
        ("done_by", "处理人"),
        ("done_at", "处理时间"),
    ]
]


def _row(item: FollowUpItem) -> dict:
    record = item.record
    return {
        "street": item.community.street.name,
        "code": item.community.code,
        "name": item.community.name,
        "year": str(item.year),
        "kind": FollowUpKind(item.kind).label,
        "severity": item.severity_label,
        "rule": item.rule_text,
        "text": item.text,
        "status": item.status_label,
        "note": record.note if record else "",
        "done_by": (record.done_by.get_full_name() or record.done_by.username) if record and record.done_by else "",
        "done_at": timezone.localtime(record.done_at).strftime("%Y-%m-%d %H:%M") if record and record.done_at else "",
    }


def follow_up_workbook(items: list[FollowUpItem], *, region: str, title: str) -> bytes:
    """The list as a workbook, by the dashboard's one table writer (title row, widths, print setup)."""
    return workbook_bytes([Table("follow_up", title, COLUMNS, [_row(item) for item in items])], heading=region)
