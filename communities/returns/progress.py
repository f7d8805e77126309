"""Reads of the reporting cycle: the progress table per community and street (status, handed in when and by
whom, on time or late), the list of late communities, and the reminders (催报) a clerk has.

A fixed number of queries whatever the number of communities: the communities, their returns of the year, and the
periods with their extensions (``communities.periods.Periods``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from communities.models import Community, Region, Reminder, ReturnStatus, SurveyReturn, User
from communities.periods import Deadline, Periods, today

HANDED_IN = (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED)


@dataclass
class CommunityProgress:
    community: Community
    survey_return: SurveyReturn | None
    deadline: Deadline | None
    handed_in_on: date | None = None  # the local date of the first submission
    on_time: bool | None = None  # None: no deadline set, or not handed in and not yet due
    days_late: int = 0  # handed in late by, or outstanding since the deadline for

    @property
    def status_label(self) -> str:
        return self.survey_return.get_status_display() if self.survey_return else "未开始"

    @property
    def status(self) -> str:
        return self.survey_return.status if self.survey_return else "not_started"

    @property
    def is_in(self) -> bool:
        return self.survey_return is not None and self.survey_return.status in HANDED_IN

    @property
    def timing_text(self) -> str:
        if self.deadline is None:
            return "—"
        if self.handed_in_on is not None:
            return "按时" if self.on_time else f"逾期 {self.days_late} 天提交"
        if self.on_time is False:
            return f"已逾期 {self.days_late} 天未提交"
        return f"未提交（{self.deadline.text}）"


@dataclass
class StreetProgress:
    region: Region
    rows: list[CommunityProgress] = field(default_factory=list)
    periods: Periods | None = None

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def handed_in(self) -> int:
        return sum(r.is_in for r in self.rows)

    @property
    def approved(self) -> int:
        return sum(r.status == ReturnStatus.APPROVED for r in self.rows)

    @property
    def not_in(self) -> int:
        return self.total - self.handed_in

    @property
    def on_time(self) -> int:
        return sum(r.on_time is True for r in self.rows)

    @property
    def late(self) -> int:
        return sum(r.on_time is False for r in self.rows)

    @property
    def on_time_rate(self) -> float | None:
        """按时提交率: communities that handed in by their deadline, of all the street's communities."""
        return self.on_time / self.total if self.total else None

    @property
    def on_time_rate_text(self) -> str:
        rate = self.on_time_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"

    @property
    def deadline(self) -> Deadline | None:
        """The street's own deadline (its extension, else the period's), not a single community's."""
        if not self.rows or self.rows[0].deadline is None:
            return None
        return self.periods.deadline_for(self.region.code) if self.periods else self.rows[0].deadline


def _timing(row: CommunityProgress, on: date) -> None:
    survey_return, deadline = row.survey_return, row.deadline
    first = survey_return.first_submitted_at if survey_return else None
    if first is not None:
        row.handed_in_on = timezone.localtime(first).date()
    if deadline is None:
        return
    if row.handed_in_on is not None:
        row.days_late = max(0, (row.handed_in_on - deadline.due_on).days)
        row.on_time = row.days_late == 0
    elif on > deadline.due_on or deadline.period.is_closed:
        row.on_time = False
        row.days_late = max(0, (on - deadline.due_on).days)


def community_progress(
    *, user: User, year: int, street: str = "", periods: Periods | None = None
) -> list[CommunityProgress]:
    """Every community of the user's region (or of one street of it), in code order, with its return's state."""
    communities = Community.objects.for_user(user).select_related("street").order_by("code")
    returns = SurveyReturn.objects.for_user(user).for_year(year).select_related("submitted_by", "reviewed_by")
    if street:
        communities = communities.filter(code__startswith=street)
        returns = returns.filter(community__code__startswith=street)
    by_code = {r.community_id: r for r in returns}
    periods = periods or Periods(user.scope_code, year)
    on = today()
    rows = []
    for community in communities:
        row = CommunityProgress(community, by_code.get(community.code), periods.deadline_for(community.code))
        _timing(row, on)
        rows.append(row)
    return rows


def street_progress(rows: list[CommunityProgress], periods: Periods | None = None) -> list[StreetProgress]:
    streets: dict[str, StreetProgress] = {}
    for row in rows:
        street = row.community.street
        streets.setdefault(street.code, StreetProgress(street, periods=periods)).rows.append(row)
    return list(streets.values())


def late_communities(rows: list[CommunityProgress]) -> list[CommunityProgress]:
    """Late ones, the longest overdue first: handed in after the deadline, or still out after it."""
    return sorted((r for r in rows if r.on_time is False), key=lambda r: (-r.days_late, r.community.code))


# ----- reminders --------------------------------------------------------------------------------------------------


def reminders_for(*, user: User, year: int | None = None):
    """The reminders sent to the user's street (a clerk's), newest first, each with ``unread``."""
    scope = user.scope_code
    if not user.is_authenticated or not user.is_clerk or not scope:
        return Reminder.objects.none()
    reminders = Reminder.objects.filter(unit_code=scope[:9])  # reminders go to streets (periods.reminders_send)
    if year is not None:
        reminders = reminders.filter(year=year)
    return reminders.select_related("sent_by").annotate(
        read=Q(pk__in=Reminder.read_by.through.objects.filter(user=user).values("reminder_id"))
    )


def unread_count(user: User) -> int:
    """What the top bar counts for a clerk: unread reminders and returns sent back to them (any year)."""
    if not user.is_authenticated or not user.is_clerk:
        return 0
    unread = reminders_for(user=user).filter(read=False).count()
    returned = SurveyReturn.objects.for_user(user).filter(status=ReturnStatus.RETURNED).count()
    return unread + returned
