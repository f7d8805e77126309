"""The opening (调研说明): who surveyed what, when and how, and the returns counted as the dashboard counts them."""

from datetime import date

import pytest
from django.utils import timezone

from communities.models import ReportingPeriod
from communities.report.compose import report_build
from tests.communities.factories import CommunityFactory
from tests.conftest import COUNTY, STREET_A
from tests.report.conftest import YEAR

pytestmark = pytest.mark.django_db


def _today() -> str:
    now = timezone.localdate()
    return f"{now.year}年{now.month}月{now.day}日"


def _opening(code=COUNTY) -> str:
    report = report_build(region_code=code, year=YEAR)
    first = report.sections[0]
    assert first.heading == ""  # before 一、, as the seed reports open
    assert report.sections[1].heading == "一、基本情况"
    return first.blocks[0].text


def test_the_opening_says_who_surveyed_what_when_and_how(report_data):
    # 2025: 东门 submitted, 西门 approved, 北门 draft, 歇马街 returned: handed in 东门 and 西门 = 2 of 4.
    assert _opening() == (
        "为全面掌握保康县社区建设情况，保康县民政局组织开展了2025年度社区年度调查。"
        "调查范围为湖北省襄阳市保康县所辖2个街道（乡镇）的4个社区，以2025年12月31日为统计时点，"
        "内容涵盖社区规模、社区工作者队伍、报酬待遇、阵地建设、经费投入和社区服务等方面。"
        "调查采取各街道（乡镇）逐社区填报社区年度调查表（网上填报或导入调查表）、保康县民政局逐份审核的方式进行。"
        f"截至{_today()}，已填报 2/4，已审核 1，待审核1份；另有退回修改1份、尚在填写1份未报送。"
        "本报告依据已有2025年度数据的4个社区整理分析，其中未审核的数据仍可能修改，现将有关情况报告如下。"
    )


def test_the_reporting_period_and_communities_not_started_are_said(report_data, street_a):
    ReportingPeriod.objects.create(region_code=COUNTY, year=YEAR, opens_on=date(2026, 1, 5), due_on=date(2026, 2, 28))
    CommunityFactory(street=street_a, code="420626001009", name="新城社区")  # no return for 2025
    text = _opening()
    assert "所辖2个街道（乡镇）的5个社区，于2026年1月5日至2026年2月28日集中填报，以2025年12月31日为统计时点" in text
    assert "已填报 2/5，已审核 1，待审核1份；另有退回修改1份、尚在填写1份未报送，1个社区尚未开始填报。" in text
    # The figures rest on the four communities with data.
    assert "本报告依据已有2025年度数据的4个社区整理分析" in text


def test_a_streets_opening_names_it_in_full_and_the_title_note_counts_as_the_dashboard(report_data):
    report = report_build(region_code=STREET_A, year=YEAR)
    text = report.sections[0].blocks[0].text
    # 城关街道: 东门 submitted, 西门 approved, 北门 draft.
    assert "调查范围为湖北省襄阳市保康县城关街道所辖3个社区，" in text
    assert f"截至{_today()}，已填报 2/3，已审核 1，待审核1份；另有尚在填写1份未报送。" in text
    assert report.source_note.endswith("；已填报 2/3，已审核 1，未审核的数据仍可能修改）")


def test_when_every_return_is_approved_nothing_is_said_to_be_provisional(report_data):
    report = report_build(region_code=COUNTY, year=YEAR - 1)  # 2024: 东门 and 歇马街, both approved
    text = report.sections[0].blocks[0].text
    assert f"截至{_today()}，已填报 2/4，已审核 2，2个社区尚未开始填报。" in text
    assert "本报告依据已有2024年度数据的2个社区整理分析，现将有关情况报告如下。" in text
    assert "仍可能修改" not in text
