"""The reporting cycle (issue 12): periods and deadlines, the default year, progress and on-time figures,
reminders, bulk submit and bulk approve, and the review queue's filters — through the views, as each role."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from communities.models import PeriodExtension, Reminder, ReportingPeriod, ReturnStatus, SurveyReturn
from communities.returns import services
from tests.communities.factories import CommunityFactory, SurveyReturnFactory
from tests.conftest import COUNTY, STREET_A, STREET_B
from tests.workbook.builders import basics, survey

TODAY = date(2026, 3, 10)


@pytest.fixture
def on_day(monkeypatch):
    """Today is 2026-03-10 for the periods' rules (the deadline is judged on the local date)."""
    monkeypatch.setattr("communities.periods.today", lambda: TODAY)
    monkeypatch.setattr("communities.returns.progress.today", lambda: TODAY)


def _period(due: date, *, region=COUNTY, year=2025, **kwargs) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        region_code=region, year=year, opens_on=date(2026, 1, 5), due_on=due, **kwargs
    )


def _at(day: date, hour=10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


# ----- the period and what it allows ----------------------------------------------------------------------------


def test_a_reviewer_opens_extends_and_closes_a_period(client, reviewer, street_a, on_day):
    client.force_login(reviewer)
    response = client.post(
        reverse("returns:periods"), {"region": COUNTY, "year": 2025, "opens_on": "2026-01-05", "due_on": "2026-03-31"}
    )
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(region_code=COUNTY, year=2025)
    assert (period.opens_on, period.due_on, period.opened_by) == (date(2026, 1, 5), date(2026, 3, 31), reviewer)
    page = client.get(reverse("returns:periods")).content.decode()
    assert "2026年1月5日 至 2026年3月31日" in page and "开放中" in page

    response = client.post(
        reverse("returns:period_extend", args=[period.pk]),
        {f"p{period.pk}-unit": STREET_A, f"p{period.pk}-due_on": "2026-03-20", f"p{period.pk}-reason": "x"},
        follow=True,
    )
    assert "延期后的截止日期应晚于填报期的截止日期（2026-03-31）。" in response.content.decode()
    assert not PeriodExtension.objects.exists()
    client.post(
        reverse("returns:period_extend", args=[period.pk]),
        {f"p{period.pk}-unit": STREET_A, f"p{period.pk}-due_on": "2026-04-15", f"p{period.pk}-reason": "汛期"},
    )
    assert PeriodExtension.objects.get().due_on == date(2026, 4, 15)

    client.post(reverse("returns:period_close", args=[period.pk]), {"closed": "1"})
    period.refresh_from_db()
    assert period.is_closed
    client.post(reverse("returns:period_close", args=[period.pk]), {"closed": "0"})
    period.refresh_from_db()
    assert not period.is_closed


def test_a_period_with_the_deadline_before_the_start_is_refused(client, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("returns:periods"), {"region": COUNTY, "year": 2025, "opens_on": "2026-03-01", "due_on": "2026-02-01"}
    )
    assert "截止日期不能早于开始日期，请重新选择日期。" in response.content.decode()
    assert not ReportingPeriod.objects.exists()


def test_another_countys_reviewer_cannot_touch_the_period(client, reviewer, county):
    from tests.communities.factories import RegionFactory, UserFactory

    other = UserFactory(username="other", role="reviewer", region=RegionFactory(code="420627", name="另一县"))
    period = _period(date(2026, 3, 31))
    client.force_login(other)
    assert client.post(reverse("returns:period_close", args=[period.pk]), {"closed": "1"}).status_code == 404
    period.refresh_from_db()
    assert not period.is_closed


def test_before_the_deadline_the_clerk_fills_in_and_sees_the_days_left(client, clerk_a, return_a, on_day):
    _period(date(2026, 3, 13))
    client.force_login(clerk_a)
    page = client.get(reverse("returns:workspace"), {"year": 2025}).content.decode()
    assert "距截止还有 3 天" in page
    assert client.get(reverse("returns:edit", args=[return_a.community_id, 2025])).status_code == 200


def test_after_the_deadline_a_clerk_cannot_start_change_or_submit_a_draft(
    client, clerk_a, reviewer, return_a, street_a, on_day
):
    _period(date(2026, 3, 8))
    client.force_login(clerk_a)
    page = client.get(reverse("returns:workspace"), {"year": 2025}).content.decode()
    assert "已逾期 2 天" in page and "截止后不能再新建或修改未提交的填报" in page
    response = client.get(reverse("returns:edit", args=[return_a.community_id, 2025]))
    assert response.status_code == 403
    assert "2025 年的填报期已截止，未提交的填报不能再新建或修改" in response.content.decode()
    response = client.post(reverse("returns:submit", args=[return_a.community_id, 2025]))
    assert response.status_code == 403
    assert SurveyReturn.objects.get(pk=return_a.pk).status == ReturnStatus.DRAFT
    new = CommunityFactory(street=street_a)
    assert client.post(reverse("returns:start", args=[new.code, 2025])).status_code == 403
    assert not SurveyReturn.objects.filter(community=new).exists()
    # The reviewer is not held by the deadline.
    client.force_login(reviewer)
    assert client.get(reverse("returns:edit", args=[return_a.community_id, 2025])).status_code == 200


def test_a_returned_return_stays_editable_after_the_deadline(client, clerk_a, return_a, on_day):
    _period(date(2026, 3, 8))
    SurveyReturn.objects.filter(pk=return_a.pk).update(status=ReturnStatus.RETURNED)
    client.force_login(clerk_a)
    assert client.get(reverse("returns:edit", args=[return_a.community_id, 2025])).status_code == 200


def test_an_extension_of_the_street_reopens_its_drafts_and_closing_holds_them(client, clerk_a, return_a, on_day):
    period = _period(date(2026, 3, 8))
    PeriodExtension.objects.create(period=period, unit_code=STREET_A, due_on=date(2026, 3, 12))
    client.force_login(clerk_a)
    url = reverse("returns:edit", args=[return_a.community_id, 2025])
    assert client.get(url).status_code == 200
    assert "距截止还有 2 天" in client.get(reverse("returns:workspace"), {"year": 2025}).content.decode()
    period.closed_at = timezone.now()
    period.save()
    assert client.get(url).status_code == 403


def test_after_the_deadline_a_clerks_import_of_a_draft_is_refused_and_changes_nothing(
    client, clerk_a, return_a, on_day
):
    _period(date(2026, 3, 8))
    data = survey(communities=[basics(return_a.community_id, return_a.community.name, households=1234)])
    from communities.workbook.services import workbook_import

    result = workbook_import(file=data, year=2025, user=clerk_a, dry_run=False, name="调查表.xlsx")
    assert not result.ok
    assert any("填报期已截止" in e.message for e in result.errors)
    assert SurveyReturn.objects.get(pk=return_a.pk).households == 1050


# ----- the default year -----------------------------------------------------------------------------------------


def test_the_open_period_sets_the_default_year_of_every_page(client, reviewer, clerk_a, return_a, on_day):
    # 2025 has the returns; a period open for 2026 is the year the bureau is working on.
    _period(date(2027, 3, 31), year=2026)
    client.force_login(clerk_a)
    assert client.get(reverse("returns:workspace")).context["year"] == 2026
    client.force_login(reviewer)
    assert client.get(reverse("returns:queue")).context["year"] == 2026
    assert client.get(reverse("dashboard:index")).context["year"] == 2026
    ReportingPeriod.objects.update(closed_at=timezone.now())
    assert client.get(reverse("dashboard:index")).context["year"] == 2025


# ----- progress, on time and late -------------------------------------------------------------------------------


@pytest.fixture
def street_a_progress(street_a, street_b, clerk_a):
    """Street A: one handed in on time, one late by 2 days (then sent back and resubmitted: still late by its first
    submission), one draft past the deadline, one not started; street B: one approved, on time."""
    _period(date(2026, 3, 1))
    made = {}
    for name, status, first in [
        ("按时社区", ReturnStatus.SUBMITTED, date(2026, 2, 27)),
        ("迟交社区", ReturnStatus.SUBMITTED, date(2026, 3, 3)),
        ("草稿社区", ReturnStatus.DRAFT, None),
    ]:
        r = SurveyReturnFactory(community=CommunityFactory(street=street_a, name=name), year=2025, status=status)
        if first:
            SurveyReturn.objects.filter(pk=r.pk).update(
                first_submitted_at=_at(first), submitted_at=_at(first + timedelta(days=5)), submitted_by=clerk_a
            )
        made[name] = r
    CommunityFactory(street=street_a, name="未开始社区")
    b = SurveyReturnFactory(community=CommunityFactory(street=street_b, name="乙社区"), year=2025)
    SurveyReturn.objects.filter(pk=b.pk).update(status=ReturnStatus.APPROVED, first_submitted_at=_at(date(2026, 2, 1)))
    return made


def test_the_progress_page_counts_on_time_and_late_by_hand(client, reviewer, street_a_progress, on_day):
    client.force_login(reviewer)
    response = client.get(reverse("returns:progress"), {"year": 2025})
    streets = {s.region.code: s for s in response.context["streets"]}
    a, b = streets[STREET_A], streets[STREET_B]
    # A: 4 communities, 2 handed in, 1 on time, 3 late (late handing-in, draft and not started both past due).
    assert (a.total, a.handed_in, a.approved, a.not_in, a.on_time, a.late) == (4, 2, 0, 2, 1, 3)
    assert a.on_time_rate_text == "25.0%"
    assert (b.total, b.handed_in, b.approved, b.on_time, b.on_time_rate_text) == (1, 1, 1, 1, "100.0%")
    late = [(r.community.name, r.days_late, r.timing_text) for r in response.context["late"]]
    assert late == [
        ("草稿社区", 9, "已逾期 9 天未提交"),
        ("未开始社区", 9, "已逾期 9 天未提交"),
        ("迟交社区", 2, "逾期 2 天提交"),
    ]
    page = response.content.decode()
    assert "按时" in page and "逾期 2 天提交" in page and "25.0%" in page


def test_the_progress_download_holds_the_same_figures(client, reviewer, street_a_progress, on_day):
    client.force_login(reviewer)
    response = client.get(reverse("returns:progress_download"), {"year": 2025})
    assert unquote(response["Content-Disposition"]).endswith("保康县-2025年-填报进度.xlsx")
    book = load_workbook(BytesIO(response.content))
    # A title row (region, year, date), the header, then the rows.
    sheet = book["各街道进度"]
    assert sheet["A1"].value.startswith("保康县 2025年 填报进度")
    assert [c.value for c in sheet[2]][:8] == [
        "街道(乡镇)",
        "社区数",
        "已提交",
        "已审核",
        "未提交",
        "按时提交",
        "逾期",
        "按时提交率",
    ]
    streets = list(sheet.iter_rows(min_row=3, values_only=True))
    assert streets[0][:8] == ("城关街道", 4, 2, 0, 2, 1, 3, 0.25)
    assert sheet.cell(3, 8).number_format == "0.0%"
    late = [row[2] for row in book["逾期社区"].iter_rows(min_row=3, values_only=True)]
    assert late == ["草稿社区", "未开始社区", "迟交社区"]


@pytest.mark.parametrize("count", [2, 10])
def test_progress_queries_do_not_grow_with_communities(
    client, reviewer, street_a, count, on_day, django_assert_max_num_queries
):
    _period(date(2026, 3, 1))
    for _ in range(count):
        SurveyReturnFactory(community=CommunityFactory(street=street_a), year=2025)
    client.force_login(reviewer)
    with django_assert_max_num_queries(14):
        client.get(reverse("returns:progress"), {"year": 2025})


# ----- reminders --------------------------------------------------------------------------------------------------


def test_a_reminder_reaches_the_clerks_of_that_street_only(
    client, reviewer, clerk_a, clerk_b, street_a_progress, on_day
):
    client.force_login(reviewer)
    response = client.post(reverse("returns:remind"), {"year": 2025, "streets": [STREET_A]}, follow=True)
    assert "已向 1 个街道(乡镇)催报：城关街道。" in response.content.decode()
    reminder = Reminder.objects.get()
    assert reminder.unit_code == STREET_A
    assert "尚有 2 个社区的填报未提交" in reminder.message

    client.force_login(clerk_a)
    page = client.get(reverse("returns:workspace"), {"year": 2025}).content.decode()
    assert reminder.message in page and "<strong>新</strong>" in page
    assert '<span class="count"' not in client.get(reverse("returns:workspace"), {"year": 2025}).content.decode()
    client.force_login(clerk_b)
    assert reminder.message not in client.get(reverse("returns:workspace"), {"year": 2025}).content.decode()


def test_the_top_bar_counts_unread_reminders_and_returned_returns(client, clerk_a, return_a, reviewer):
    Reminder.objects.create(unit_code=STREET_A, year=2025, message="请尽快提交", sent_by=reviewer)
    SurveyReturn.objects.filter(pk=return_a.pk).update(status=ReturnStatus.RETURNED, review_comment="请核实户数")
    client.force_login(clerk_a)
    page = client.get(reverse("dashboard:index")).content.decode()
    assert 'title="未读催报和退回修改的填报">2</span>' in page
    workspace = client.get(reverse("returns:workspace"), {"year": 2025}).content.decode()
    assert "退回修改的填报（1 份）" in workspace and "请核实户数" in workspace
    # The reminder is read now; the returned return still counts.
    assert 'title="未读催报和退回修改的填报">1</span>' in client.get(reverse("dashboard:index")).content.decode()


def test_a_clerk_cannot_send_reminders(client, clerk_a, street_a):
    client.force_login(clerk_a)
    assert client.post(reverse("returns:remind"), {"year": 2025, "streets": [STREET_A]}).status_code == 403
    assert not Reminder.objects.exists()


# ----- bulk submit and bulk approve -------------------------------------------------------------------------------


def test_bulk_submit_submits_those_that_pass_and_lists_the_others(client, clerk_a, street_a, return_a):
    empty = SurveyReturnFactory(community=CommunityFactory(street=street_a, name="空白社区"), year=2025)
    client.force_login(clerk_a)
    response = client.post(
        reverse("returns:submit_many"), {"year": 2025, "code": [return_a.community_id, empty.community_id]}, follow=True
    )
    page = response.content.decode()
    assert "已提交 1 份：东门社区。" in page
    assert "空白社区：未处理，社区工作者花名册为空" in page
    assert SurveyReturn.objects.get(pk=return_a.pk).status == ReturnStatus.SUBMITTED
    assert SurveyReturn.objects.get(pk=empty.pk).status == ReturnStatus.DRAFT
    assert SurveyReturn.objects.get(pk=empty.pk).version == empty.version


def test_bulk_submit_cannot_reach_another_street(client, clerk_a, return_b):
    client.force_login(clerk_a)
    client.post(reverse("returns:submit_many"), {"year": 2025, "code": [return_b.community_id]})
    assert SurveyReturn.objects.get(pk=return_b.pk).status == ReturnStatus.DRAFT


def test_bulk_approve_skips_a_return_changed_since_the_list_was_read(
    client, reviewer, clerk_a, clerk_b, return_a, return_b
):
    services.return_submit(survey_return=return_a, user=clerk_a)
    services.return_submit(survey_return=return_b, user=clerk_b)
    a, b = (SurveyReturn.objects.get(pk=r.pk) for r in (return_a, return_b))
    client.force_login(reviewer)
    listed = client.get(reverse("returns:queue"), {"year": 2025}).content.decode()
    assert "批量审核通过所选" in listed
    response = client.post(
        reverse("returns:approve_many"),
        {
            "year": 2025,
            "code": [a.community_id, b.community_id],
            f"version_{a.community_id}": a.version,
            f"version_{b.community_id}": b.version - 1,
        },
        follow=True,
    )
    page = response.content.decode()
    assert "已审核通过 1 份：东门社区。" in page
    assert "歇马社区：未处理，该填报在您打开后已被修改，请刷新后重新审核。" in page
    assert SurveyReturn.objects.get(pk=a.pk).status == ReturnStatus.APPROVED
    assert SurveyReturn.objects.get(pk=b.pk).status == ReturnStatus.SUBMITTED


def test_a_clerk_cannot_bulk_approve(client, clerk_a, return_a):
    services.return_submit(survey_return=return_a, user=clerk_a)
    client.force_login(clerk_a)
    response = client.post(reverse("returns:approve_many"), {"year": 2025, "code": [return_a.community_id]})
    assert response.status_code == 403
    assert SurveyReturn.objects.get(pk=return_a.pk).status == ReturnStatus.SUBMITTED


# ----- the queue's filters --------------------------------------------------------------------------------------


def test_the_queue_filters_by_street_status_problems_and_name(client, reviewer, clerk_a, clerk_b, return_a, return_b):
    services.return_submit(survey_return=return_a, user=clerk_a)
    services.return_submit(survey_return=return_b, user=clerk_b)
    SurveyReturn.objects.filter(pk=return_b.pk).update(explanation="新建小区入住")
    client.force_login(reviewer)

    def names(**params):
        response = client.get(reverse("returns:queue"), {"year": 2025, **params})
        return sorted(r.community.name for r in response.context["page"])

    assert names() == ["东门社区", "歇马社区"]
    assert names(street=STREET_A) == ["东门社区"]
    assert names(q="歇马") == ["歇马社区"]
    assert names(q=return_a.community_id) == ["东门社区"]
    assert names(problems="1") == ["歇马社区"]
    assert names(status="approved") == []
    assert "审核" in client.get(reverse("dashboard:index")).content.decode()
