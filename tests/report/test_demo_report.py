"""The demo county sets the thresholds no national default covers, with documents marked as demo ones, so that its
report shows the problems they reveal (the seed reports' "工作人员不稳定", funds not received, services not covered)."""

from decimal import Decimal

import pytest

from communities.demo import demo_build
from communities.models import Standard
from communities.report.compose import report_build

pytestmark = pytest.mark.django_db

COUNTY = "420626"


def test_the_demo_reports_loss_secondment_funds_received_and_coverage_against_the_countys_thresholds(db):
    demo_build()
    set_here = dict(Standard.objects.filter(region_code=COUNTY).values_list("key", "source"))
    for key in [
        "worker_loss_rate_max",
        "worker_secondment_rate_max",
        "funding_received_rate_min",
        "service_coverage_min",
    ]:
        assert set_here[key].startswith("（演示）"), key
    problems = report_build(region_code=COUNTY, year=2025).section("存在的问题")
    leads = [block.lead[3:] for block in problems.blocks if block.lead]
    assert "工作人员不稳定，借用现象比较严重。" in leads
    assert "经费到位率偏低。" in leads
    assert "服务领域覆盖不全。" in leads
    assert "待遇偏低，与村干部差距较大。" in leads
    text = "".join(block.text for block in problems.blocks)
    assert "标准依据：（演示）某县社区工作者队伍建设考核办法。" in text


def test_running_the_demo_again_keeps_a_threshold_the_reviewer_changed(db):
    demo_build()
    Standard.objects.filter(region_code=COUNTY, key="worker_loss_rate_max").update(value=Decimal("0.3"))
    count = Standard.objects.count()
    demo_build()
    assert Standard.objects.count() == count
    assert Standard.objects.get(region_code=COUNTY, key="worker_loss_rate_max").value == Decimal("0.3")
