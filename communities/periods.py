"""Reporting periods (填报期): which one holds for a community, its deadline after extensions, what it allows,
and the reviewer's writes (open, change, extend, close, reopen).

A community's period for a year is the one of its nearest region that has one (a county's before its city's).
Its deadline is the community's own extension, else its street's, else the period's ``due_on``. After the
deadline a clerk can no longer start or change a return that has not been handed in (a draft); a return the
reviewer sent back or reopened stays editable, and reviewers and administrators are not held by the deadline.
Where no period is set nothing is held: the deadline is a rule a reviewer chooses to set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .codes import ancestor_codes
from .models import Community, PeriodExtension, Region, Reminder, ReportingPeriod, User


def today() -> date:
    return timezone.localdate()


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Deadline:
    """The deadline that holds for one unit: the period, the due date after extensions, and what it means today."""

    period: ReportingPeriod
    due_on: date
    extended: bool

    def days_left(self, on: date | None = None) -> int:
        return (self.due_on - (on or today())).days

    def has_passed(self, on: date | None = None) -> bool:
        return self.period.is_closed or self.days_left(on) < 0

    @property
    def state(self) -> str:
        """closed | not_open | open | overdue"""
        if self.period.is_closed:
            return "closed"
        if today() < self.period.opens_on:
            return "not_open"
        return "overdue" if self.days_left() < 0 else "open"

    @property
    def text(self) -> str:
        """What the workspace says: "距截止还有 3 天", "今天截止", "已逾期 2 天", "填报期已关闭"."""
        if self.period.is_closed:
            return "填报期已关闭"
        if today() < self.period.opens_on:
            return f"填报期 {self.period.opens_on:%Y-%m-%d} 开始"
        left = self.days_left()
        if left > 0:
            return f"距截止还有 {left} 天"
        if left == 0:
            return "今天截止"
        return f"已逾期 {-left} 天"


class Periods:
    """The periods and extensions of one year that concern the units under a scope: two queries, then any number
    of lookups (the workspace, the progress table and a workbook import ask for every community)."""

    def __init__(self, scope_code: str | None, year: int):
        self.year = year
        if scope_code is None:
            self.periods, self.extensions = {}, {}
            return
        periods = ReportingPeriod.objects.filter(_concerning(scope_code), year=year)
        self.periods = {p.region_code: p for p in periods}
        self.extensions = {
            (e.period_id, e.unit_code): e
            for e in PeriodExtension.objects.filter(period__in=list(self.periods.values()))
        }

    def period_for(self, code: str) -> ReportingPeriod | None:
        """The period of the nearest region above (or at) ``code`` that has one."""
        for prefix in [code, *reversed(ancestor_codes(code)), ""]:
            if prefix in self.periods:
                return self.periods[prefix]
        return None

    def deadline_for(self, code: str) -> Deadline | None:
        period = self.period_for(code)
        if period is None:
            return None
        for unit in (code[:12], code[:9]):
            extension = self.extensions.get((period.pk, unit)) if len(unit) in (9, 12) else None
            if extension is not None:
                return Deadline(period, extension.due_on, extended=True)
        return Deadline(period, period.due_on, extended=False)

    def holds_drafts(self, code: str) -> bool:
        """Whether a clerk may no longer start or change this community's unsubmitted return of the year."""
        deadline = self.deadline_for(code)
        return deadline is not None and deadline.has_passed()


def _concerning(scope_code: str) -> Q:
    """Periods that concern the units under a scope: set at it or above it, or for a region within it."""
    above = [*ancestor_codes(scope_code), scope_code] if scope_code else [""]
    return Q(region_code__in=above) | Q(region_code__startswith=scope_code)


def open_period_year(scope_code: str | None) -> int | None:
    """The latest year with a period open today for the scope (set above it or within it), if any."""
    if scope_code is None:
        return None
    return (
        ReportingPeriod.objects.filter(_concerning(scope_code), closed_at__isnull=True, opens_on__lte=today())
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


# ----- writes (reviewers and administrators, for their region) -----------------------------------------------------


def can_manage_periods(user: User, region_code: str | None = None) -> bool:
    """Reviewers and administrators, for their region or a region under it."""
    if not (user.is_authenticated and user.has_perm("communities.review_surveyreturn")):
        return False
    scope = user.scope_code
    return scope is not None and (region_code is None or region_code.startswith(scope))


def period_regions(user: User):
    """The regions (county level or above) the user may open a period for: their own and those under it."""
    scope = user.scope_code or ""
    return Region.objects.in_region(scope).filter(code__regex=r"^([0-9]{2}|[0-9]{4}|[0-9]{6})$").order_by("code")


def unit_names(codes) -> dict[str, str]:
    """The names of regions and communities by code (two queries), for pages that list periods and extensions."""
    codes = set(codes)
    names = dict(Region.objects.filter(code__in=[c for c in codes if len(c) < 12]).values_list("code", "name"))
    names |= {
        c.code: f"{c.street.name} {c.name}"
        for c in Community.objects.filter(code__in=[c for c in codes if len(c) == 12]).select_related("street")
    }
    return names


def _check(user: User, region_code: str) -> None:
    if not can_manage_periods(user, region_code):
        raise PermissionDenied("只有本地区的审核员可以设置填报期。")


@transaction.atomic
def period_save(*, user: User, region_code: str, year: int, opens_on: date, due_on: date) -> ReportingPeriod:
    """Open the region's period for the year, or change its dates."""
    _check(user, region_code)
    period = ReportingPeriod.objects.filter(region_code=region_code, year=year).first() or ReportingPeriod(
        region_code=region_code, year=year, opened_by=user
    )
    period.opens_on, period.due_on = opens_on, due_on
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def period_extend(*, user: User, period: ReportingPeriod, unit_code: str, due_on: date, reason: str) -> PeriodExtension:
    """A later deadline for one street or community of the period's region."""
    _check(user, period.region_code)
    if len(unit_code) not in (9, 12) or not unit_code.startswith(period.region_code):
        raise ValidationError("请选择本地区的一个街道(乡镇)或社区。")
    if due_on <= period.due_on:
        raise ValidationError(f"延期后的截止日期应晚于填报期的截止日期（{period.due_on:%Y-%m-%d}）。")
    extension, _ = PeriodExtension.objects.update_or_create(
        period=period, unit_code=unit_code, defaults={"due_on": due_on, "reason": reason, "granted_by": user}
    )
    return extension


@transaction.atomic
def period_set_closed(*, user: User, period: ReportingPeriod, closed: bool) -> ReportingPeriod:
    _check(user, period.region_code)
    period.closed_at = timezone.now() if closed else None
    period.save(update_fields=["closed_at"])
    return period


# ----- reminders (催报) ----------------------------------------------------------------------------------------------


def default_reminder_text(*, year: int, not_in: int, deadline: Deadline | None) -> str:
    due = f"截止日期为 {chinese_date(deadline.due_on)}（{deadline.text}）" if deadline else "请尽快完成"
    return f"{year} 年度社区调查填报{due}，本街道(乡镇)尚有 {not_in} 个社区的填报未提交，请抓紧填报并提交审核。"


@transaction.atomic
def reminders_send(*, user: User, year: int, messages: dict[str, str]) -> list[Reminder]:
    """One reminder per street of the user's region (street code -> text)."""
    if not can_manage_periods(user):
        raise PermissionDenied("只有审核员可以催报。")
    outside = [code for code in messages if len(code) != 9 or not code.startswith(user.scope_code or "")]
    if outside:
        raise ValidationError(f"不在您管辖范围内的街道(乡镇)：{'、'.join(outside)}。")
    return Reminder.objects.bulk_create(
        Reminder(unit_code=code, year=year, message=text, sent_by=user) for code, text in sorted(messages.items())
    )


def reminders_mark_read(*, user: User, reminders) -> None:
    through = Reminder.read_by.through
    through.objects.bulk_create([through(reminder_id=r.pk, user_id=user.pk) for r in reminders], ignore_conflicts=True)
