"""The dashboards through the test client: drill-down, scoping, query counts, the xlsx download."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from communities.models import Standard
from tests.indicators.fixtures import YEAR, add_communities, build_survey

pytestmark = pytest.mark.django_db

INDEX = reverse("dashboard:index")


def region_url(code):
    return reverse("dashboard:region", args=[code])


@pytest.fixture
def survey(street_a, street_b):
    return build_survey(street_a, street_b)


@pytest.fixture
def benchmarks(county):
    Standard.objects.create(region_code="420626", key="village_head_annual_pay", year_from=2020, value=41000)
    Standard.objects.create(region_code="420626", key="village_deputy_annual_pay", year_from=2020, value=18000)


def test_anonymous_is_sent_to_login(client):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_wrong_method_is_405(client, reviewer):
    client.force_login(reviewer)
    assert client.post(INDEX).status_code == 405


def test_reviewer_sees_the_county_page(client, reviewer, survey):
    client.force_login(reviewer)
    response = client.get(INDEX, {"year": YEAR})
    assert response.status_code == 200
    page = response.context["page"]
    assert page["code"] == "420626" and page["name"] == "保康县"
    assert [card["id"] for card in page["headline"]] == [
        "communities",
        "households",
        "population",
        "workers_in_post",
        "facility_area",
        "funding_budget",
    ]
    assert page["headline"][0]["value"] == 3
    # 111000 元 shown as 万元.
    assert page["headline"][5]["text"] == "11.10"
    html = response.content.decode()
    for theme in [
        "社区规模",
        "办公服务用房",
        "社区工作者队伍",
        "报酬待遇",
        "经费保障",
        "服务项目",
        "填报进度",
        "近五年趋势",
    ]:
        assert theme in html
    # The community that falls short of the space standard is listed and linked.
    assert f'href="{region_url("420626001001")}?year={YEAR}"' in html
    assert "<svg" in html and "cdn" not in html.lower()
    # The streets one level down, with links to drill into them.
    assert [row["code"] for row in page["children_table"].rows] == ["420626001", "420626101"]


def test_headline_change_from_last_year(client, reviewer, survey, street_a):
    add_communities(street_a, 2, year=YEAR - 1)
    client.force_login(reviewer)
    cards = {card["id"]: card for card in client.get(INDEX, {"year": YEAR}).context["page"]["headline"]}
    assert cards["communities"]["previous"] == 2 and cards["communities"]["change"] == 1
    assert cards["households"]["change"] == 5800 - 2400
    assert cards["communities"]["change_rate_text"] == "+50.0%"


def test_drill_down_to_a_street_and_a_community(client, reviewer, survey):
    client.force_login(reviewer)
    street = client.get(region_url("420626001"), {"year": YEAR})
    assert street.status_code == 200
    assert [c["name"] for c in street.context["page"]["crumbs"]] == ["保康县", "城关街道"]
    assert [row["code"] for row in street.context["page"]["children_table"].rows] == ["420626001001", "420626001002"]
    community = client.get(region_url("420626001001"), {"year": YEAR})
    assert community.status_code == 200
    page = community.context["page"]
    assert [c["name"] for c in page["crumbs"]] == ["保康县", "城关街道", "A1社区"]
    assert page["indicators"]["facility_area"]["value"] == 250.0
    assert community.context["survey_return"].status == "draft"


def test_a_clerk_sees_their_street_and_nothing_of_another(client, clerk_a, survey):
    client.force_login(clerk_a)
    response = client.get(INDEX, {"year": YEAR})
    assert response.status_code == 200
    assert response.context["page"]["code"] == "420626001"
    html = response.content.decode()
    assert "420626101" not in html and "B1社区" not in html and "歇马镇" not in html
    # Not the county above them, not the other street, not its community.
    for code in ["420626", "420626101", "420626101001"]:
        assert client.get(region_url(code), {"year": YEAR}).status_code == 404


def test_an_unknown_unit_is_404(client, reviewer, survey):
    client.force_login(reviewer)
    assert client.get(region_url("420626999")).status_code == 404
    assert client.get("/dashboard/12345/").status_code == 404


def test_a_bad_year_falls_back_with_a_message(client, reviewer, survey):
    client.force_login(reviewer)
    response = client.get(INDEX, {"year": "abc"}, follow=True)
    assert response.status_code == 200
    assert response.context["page"]["year"] == YEAR
    assert "年度“abc”不是有效的年份" in response.content.decode()


def test_query_count_is_the_same_at_3_and_30_communities(
    client, reviewer, survey, benchmarks, street_a, django_assert_num_queries
):
    client.force_login(reviewer)
    # session 1, user 1; years 1; indicators 11 (standards 1, communities 2, facilities 3, workforce 2 — the pay
    # lists with the benchmarks set come from the same query —, funding 2, services 1; see tests/api); trend 4
    # (one GROUP BY year per table); breadcrumb names 1; children 5 (returns, premises, workers, funding, names);
    # per-community space 1; permissions 2; the user's region in the header 1; the session saved 3 — 31.
    with django_assert_num_queries(31):
        assert client.get(INDEX, {"year": YEAR}).status_code == 200
    add_communities(street_a, 27)
    with django_assert_num_queries(31):
        response = client.get(INDEX, {"year": YEAR})
    assert response.context["page"]["headline"][0]["value"] == 30


def test_the_whole_page_downloads_as_xlsx(client, reviewer, survey):
    client.force_login(reviewer)
    response = client.get(reverse("dashboard:download"), {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    page = client.get(INDEX, {"year": YEAR}).context["page"]
    assert len(book.sheetnames) == len(page["tables"])
    assert "指标一览" in book.sheetnames
    sheet = book["未达标社区：用房达标率"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:3] == ("社区代码", "社区", "街道(乡镇)")
    assert rows[3][:4] == ("420626001001", "A1社区", "城关街道", 800)


def test_one_table_downloads_on_its_own(client, clerk_a, survey):
    client.force_login(clerk_a)
    response = client.get(reverse("dashboard:download"), {"year": YEAR, "table": "children"})
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["各社区主要指标"]
    codes = [row[0] for row in book.active.iter_rows(min_row=4, values_only=True)]
    assert codes == ["420626001001", "420626001002"]
    assert client.get(reverse("dashboard:download"), {"year": YEAR, "table": "nope"}).status_code == 404
    assert client.get(reverse("dashboard:download"), {"region": "420626101"}).status_code == 404
