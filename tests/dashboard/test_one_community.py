"""Issue 16 item 8: a community's own pages (its dashboard, its return page) leave out what only means something
over many communities, and show the community's own verdict on its space instead of a compliance rate."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from communities.dashboard.one_community import REGION_ONLY
from communities.indicator_engine import indicator_definitions
from tests.indicators.fixtures import YEAR, build_survey

pytestmark = pytest.mark.django_db

A1 = "420626001001"  # 800 households, 100 + 150 = 250 m²: above 30 m² per 100 households, below the 300 m² minimum


@pytest.fixture
def survey(street_a, street_b):
    return build_survey(street_a, street_b)


def text_of(html: str) -> str:
    """The page's text as a reader sees it (tags, scripts and styles left out)."""
    html = re.sub(r"<(script|style|title)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def region_only_labels() -> list[str]:
    definitions = indicator_definitions()
    return [definitions[key].label for key in sorted(REGION_ONLY)]


def test_a_communitys_dashboard_leaves_out_counts_distributions_and_compliance_rates(client, reviewer, survey):
    client.force_login(reviewer)
    county = text_of(client.get(reverse("dashboard:index"), {"year": YEAR}).content.decode())
    page = text_of(client.get(reverse("dashboard:region", args=[A1]), {"year": YEAR}).content.decode())
    for label in region_only_labels():
        assert label in county, label  # the county page shows them all
        assert label not in page, label
    assert "社区数" not in page and "社区规模分布（按户数）" not in page
    assert "个社区未达标" not in page and "名单" not in page  # no lists of communities for one community
    assert "社区数" in county and "个社区未达标" in county
    # The community's own verdict on its space: 250 m² against its required max(300, 30 × 800 ÷ 100) = 300 m².
    assert "综合服务用房是否达到应有面积" in page
    row = page[page.index("综合服务用房是否达到应有面积") :][:200]
    assert "应有面积 = max(最低面积 300 m²，每百户 30 m² × 800 户 ÷ 100)" in row
    assert "250 m²" in row and "不低于300 m²" in row and "未达标" in row and "距应有面积尚缺 50 m²" in row


def test_a_communitys_headline_and_trend_have_no_count_of_communities(client, reviewer, survey):
    client.force_login(reviewer)
    page = client.get(reverse("dashboard:region", args=[A1]), {"year": YEAR}).context["page"]
    assert [card["id"] for card in page["headline"]] == [
        "households",
        "population",
        "workers_in_post",
        "facility_area",
        "funding_budget",
    ]
    assert "社区数" not in [chart["title"] for chart in page["trend_charts"]]
    assert "communities" not in [column.key for column in page["trend_table"].columns]
    assert "size" not in [section.key for section in page["sections"]]  # nothing left in it for one community


def test_a_communitys_download_has_no_size_distribution_nor_compliance_rate(client, reviewer, survey):
    client.force_login(reviewer)
    response = client.get(reverse("dashboard:download"), {"region": A1, "year": YEAR})
    book = load_workbook(BytesIO(response.content))
    assert "社区规模分布" not in book.sheetnames
    assert not [name for name in book.sheetnames if name.startswith("未达标社区")]
    labels = {row[1] for row in book["指标一览"].iter_rows(min_row=4, values_only=True)}
    assert "综合服务用房是否达到应有面积" in labels
    assert not labels & set(region_only_labels())


def test_the_return_page_leaves_out_the_same_indicators(client, reviewer, survey):
    client.force_login(reviewer)
    response = client.get(reverse("returns:detail", args=[A1, YEAR]))
    rows = {row.label: row for row in response.context["rows"]}
    assert not set(rows) & set(region_only_labels())
    page = text_of(response.content.decode())
    table = page[page.index("指标：对照标准与上年") :]
    for label in ["用房达标率", "用房达标社区数", "最小社区户数", "社区数", "平均每社区"]:
        assert label not in table, label
    verdict = rows["综合服务用房是否达到应有面积"]
    assert (verdict.text, verdict.standard_text, verdict.passes) == ("250 m²", "不低于300 m²", False)
