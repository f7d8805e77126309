"""Issue 16 item 10: a standard is judged only beside the indicator in its own unit — a share of communities is
explained by the area standard, not judged by it; a ratio against a pay benchmark is judged against 1.00 倍."""

import re

import pytest
from django.urls import reverse

from communities.models import Standard
from tests.indicators.fixtures import YEAR, build_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(street_a, street_b):
    return build_survey(street_a, street_b)


@pytest.fixture
def benchmarks(county):
    Standard.objects.create(region_code="420626", key="village_head_annual_pay", year_from=2020, value=41000)
    Standard.objects.create(region_code="420626", key="local_average_wage", year_from=2020, value=60000)


def row_of(html: str, label: str) -> list[str]:
    """The cells' text of the indicator table row whose first cell starts with ``label``."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S):
        cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in re.findall(r"<td.*?</td>", row, re.S)]
        if cells and cells[0].startswith(label):
            return cells
    raise AssertionError(f"no row {label}")


def test_the_compliance_rate_is_explained_by_the_area_standard_not_judged_by_it(client, reviewer, survey):
    client.force_login(reviewer)
    html = client.get(reverse("dashboard:index"), {"year": YEAR}).content.decode()
    label, value, standard, verdict, gap = row_of(html, "用房达标率")
    assert value == "66.7%"
    assert standard.startswith("（标准：每百户不低于30 m²，且每社区不低于300 m²）")
    assert verdict == ""
    assert gap.startswith("未达标社区 1 个")  # the count of communities short of their area stays
    # The area per 100 households is in the standard's unit: judged by it.
    _, value, standard, verdict, _ = row_of(html, "每百户综合服务用房")
    assert (value, verdict) == ("37.1 m²/百户", "达标") and standard.startswith("不低于30 m²/百户")


def test_a_pay_ratio_is_judged_against_one_with_the_benchmark_named(client, reviewer, survey, benchmarks):
    client.force_login(reviewer)
    html = client.get(reverse("dashboard:index"), {"year": YEAR}).content.decode()
    # Leaders: 12 × (3500 + 2500) ÷ 2 = 36,000 元 a year, 0.88 of 41,000.
    _, value, standard, verdict, _ = row_of(html, "书记/主任报酬与村主职之比")
    assert value == "0.88 倍" and verdict == "未达标"
    assert standard.startswith("不低于 1.00 倍（村主职年报酬 41,000 元）")
    assert "41000 元/年" not in html
    # A monthly pay against a yearly wage: in 元 a month, with the wage it comes from.
    _, value, standard, verdict, _ = row_of(html, "人均月报酬")
    assert standard.startswith("不低于 5,000 元/月（当地社会平均工资 60,000 元/年 ÷ 12）")
    assert verdict == "未达标"


def test_the_return_page_shows_the_ratio_against_one(client, reviewer, survey, benchmarks):
    client.force_login(reviewer)
    response = client.get(reverse("returns:detail", args=["420626001001", YEAR]))
    rows = {row.label: row for row in response.context["rows"]}
    ratio = rows["书记/主任报酬与村主职之比"]
    # A1's secretary: 12 × 3500 = 42,000 元, 1.02 of 41,000.
    assert (ratio.text, ratio.passes) == ("1.02 倍", True)
    assert ratio.standard_text == "不低于 1.00 倍（村主职年报酬 41,000 元）"
    html = response.content.decode()
    assert "不低于 1.00 倍（村主职年报酬 41,000 元）" in html and "41000 元/年" not in html
