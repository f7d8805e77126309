"""The dashboards through the test client: drill-down, scoping, query counts, the xlsx download."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from communities.models import ReturnStatus, Role, Standard, SurveyReturn
from tests.communities.factories import CommunityFactory, RegionFactory, SurveyReturnFactory, UserFactory
from tests.indicators.fixtures import YEAR, add_communities, add_streets, build_survey

pytestmark = pytest.mark.django_db

INDEX = reverse("dashboard:index")
DOWNLOAD = reverse("dashboard:download")


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


def test_query_count_is_the_same_at_2_streets_3_communities_and_5_streets_30(
    client, reviewer, survey, benchmarks, django_assert_num_queries
):
    client.force_login(reviewer)
    # session 1, user 1; the breadcrumb (which also says the unit exists) 1; years 1; indicators 8 (standards 1,
    # communities 2, facilities 1, workforce 1 — the pay lists with the benchmarks set come from the same statement —,
    # funding 2, services 1; see tests/api); trend 4 (one GROUP BY year per table); the units one level down:
    # progress 1 (communities LEFT JOIN their returns), the engine's per-unit figures 5 (standards, communities,
    # facilities, workforce, funding), names 1; per-community space 4 (standards, communities, facilities, names);
    # the names of the regions that set the standards in force (the county's benchmarks) 1; permissions 2; the
    # user's region in the header 1; the session saved 3 — 34.
    with django_assert_num_queries(34):
        assert client.get(INDEX, {"year": YEAR}).status_code == 200
    add_streets("420626", 3, 27)
    with django_assert_num_queries(34):
        response = client.get(INDEX, {"year": YEAR})
    page = response.context["page"]
    assert page["headline"][0]["value"] == 30
    assert len(page["children_table"].rows) == 5 and len(page["sections"][2].tables[-1].rows) == 30


def test_a_street_page_query_count_does_not_grow_with_its_communities(
    client, clerk_a, survey, street_a, django_assert_num_queries
):
    client.force_login(clerk_a)
    # As the county page, but the units one level down are the communities themselves, so the per-community
    # space comes from the same per-unit figures (no queries of its own); and a clerk's top bar counts the
    # unread reminders and the returns sent back (two) — 31.
    with django_assert_num_queries(31):
        assert client.get(INDEX, {"year": YEAR}).status_code == 200
    add_communities(street_a, 20)
    with django_assert_num_queries(31):
        response = client.get(INDEX, {"year": YEAR})
    assert len(response.context["page"]["children_table"].rows) == 22


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


def test_a_freshly_imported_county_named_by_its_code_has_its_dashboard(client):
    # An import names the levels above the street by their code until someone renames them.
    county = RegionFactory(code="110105", name="110105")
    street = RegionFactory(code="110105001", name="建外街道")
    SurveyReturnFactory(community=CommunityFactory(street=street, code="110105001001"), year=YEAR)
    reviewer = UserFactory(username="reviewer_110105", role=Role.REVIEWER, region=county)
    client.force_login(reviewer)
    response = client.get(INDEX, {"year": YEAR})
    assert response.status_code == 200
    assert response.context["page"]["name"] == "110105"
    assert response.context["page"]["headline"][0]["value"] == 1
    assert client.get(region_url("110105"), {"year": YEAR}).status_code == 200
    assert client.get(reverse("dashboard:download"), {"year": YEAR}).status_code == 200
    # A well-formed code of nothing is still 404, for the page and the download.
    assert client.get(region_url("110105002"), {"year": YEAR}).status_code == 404
    assert client.get(reverse("dashboard:download"), {"year": YEAR, "region": "110105002"}).status_code == 404


def test_the_units_one_level_down_show_the_engines_figures(client, reviewer, survey):
    client.force_login(reviewer)
    rows = {r["code"]: r for r in client.get(INDEX, {"year": YEAR}).context["page"]["children_table"].rows}
    a, b = rows["420626001"], rows["420626101"]
    # Street A: 2 of 6 on the roster left, 1 of 4 in post seconded; 950 m² for 2300 households; A1 of its two
    # communities is short of its 300 m².
    assert (a["worker_loss_rate"], a["worker_secondment_rate"]) == (0.333333, 0.25)
    assert (a["facility_area_per_100_households"], a["facility_compliance_rate"]) == (41.304348, 0.5)
    assert (a["leader_annual_pay"], a["staff_annual_pay"]) == (36000.0, 24000.0)
    # Street B has no roster: no rates (shown as "—"), not 0.
    assert (b["worker_loss_rate"], b["worker_secondment_rate"], b["workers_in_post"]) == (None, None, 0)


def test_each_community_is_coloured_against_its_own_required_area(client, reviewer, survey):
    # Street B asks 40 m² per 100 households of its communities: B1 needs 1400 and has 1200, though its 34.29 per
    # 100 households is above the county's line of 30. A1 has 31.25 per 100 households, above the line too, but
    # needs the minimum 300 m² and has 250.
    Standard.objects.create(region_code="420626101", key="facility_area_per_100_households", year_from=2020, value=40)
    client.force_login(reviewer)
    page = client.get(INDEX, {"year": YEAR}).context["page"]
    table = next(t for t in page["tables"] if t.name == "facility_per_community")
    states = {r["code"]: r["_state"]["facility_area_per_100_households"] for r in table.rows}
    assert states == {"420626001001": "fail", "420626001002": "pass", "420626101001": "fail"}
    gaps = {r["code"]: r["facility_shortfall_area"] for r in table.rows}
    assert gaps == {"420626001001": 50.0, "420626001002": 0.0, "420626101001": 200.0}
    chart = next(c for c in page["sections"][2].charts if c["title"].startswith("各社区每百户"))
    # The chart tells the two apart (item 9): B1 is below its street's 40 m² per 100 households (red, its own
    # standard marked on its bar), A1 is above the line but short of the 300 m² minimum (amber).
    svg = str(chart["svg"])
    assert svg.count('class="bar fail"><title>') == 1 and svg.count('class="bar short"><title>') == 1
    assert svg.count('class="bar pass"><title>') == 1


def test_progress_counts_the_communities_and_streets_that_have_not_started(client, reviewer, survey, street_a):
    CommunityFactory(street=street_a)  # no return for the year
    street_c = RegionFactory(code="420626002", name="新街道")
    CommunityFactory(street=street_c)
    CommunityFactory(street=street_c)
    SurveyReturnFactory(community=CommunityFactory(street=street_c), year=YEAR - 1)  # last year's only
    client.force_login(reviewer)
    table = client.get(INDEX, {"year": YEAR}).context["page"]["progress_table"]

    def figures(rows):
        return {r["code"]: (r["name"], r["total"], r["with_return"], r["not_started"], r["draft"]) for r in rows}

    assert figures(table.rows) == {
        "420626001": ("城关街道", 3, 2, 1, 2),
        "420626002": ("新街道", 3, 0, 3, 0),
        "420626101": ("歇马镇", 1, 1, 0, 1),
    }
    # The total is a footer row: below the streets, never sorted among them.
    assert figures(table.footer) == {"": ("合计", 7, 3, 4, 3)}
    assert [c.header for c in table.columns][2:5] == ["社区数", "已建填报", "未开始"]


def test_the_progress_total_is_the_tables_footer_on_the_page_and_the_last_row_in_excel(client, reviewer, survey):
    client.force_login(reviewer)
    html = client.get(INDEX, {"year": YEAR}).content.decode()
    progress = html[html.index('id="table-progress"') :]
    progress = progress[: progress.index("</table>")]
    body, foot = progress.split("<tfoot>")
    assert "合计" not in body and "合计" in foot
    sheet = load_workbook(
        BytesIO(client.get(DOWNLOAD, {"region": "420626", "year": YEAR, "table": "progress"}).content)
    ).active
    names = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert names[-1] == "合计" and names.count("合计") == 1


def test_change_from_a_year_with_returns_but_no_rooms_workers_or_money_is_a_number(client, reviewer, survey, street_a):
    SurveyReturnFactory(community=CommunityFactory(street=street_a), year=YEAR - 1, households=500)
    client.force_login(reviewer)
    cards = {card["id"]: card for card in client.get(INDEX, {"year": YEAR}).context["page"]["headline"]}
    assert (cards["facility_area"]["previous"], cards["facility_area"]["change"]) == (0, 2150.0)
    assert cards["facility_area"]["change_text"] == "+2,150"
    assert (cards["workers_in_post"]["previous"], cards["workers_in_post"]["change_text"]) == (0, "+4")
    assert cards["funding_budget"]["change_text"] == "+11.10"  # 111000 元 more than nothing, in 万元
    # No rate of change from 0.
    assert cards["facility_area"]["change_rate"] is None


def test_every_table_on_the_page_has_its_download(client, reviewer, survey):
    client.force_login(reviewer)
    response = client.get(INDEX, {"year": YEAR})
    html = response.content.decode()
    download = reverse("dashboard:download")
    for table in response.context["page"]["tables"]:
        assert f'{download}?region=420626&amp;year={YEAR}&amp;table={table.name}"' in html, table.name
    assert f'{download}?region=420626&amp;year={YEAR}">下载全部表格（Excel）' in html
    names = [t.name for t in response.context["page"]["tables"]]
    assert {"headline", "indicators", "theme_space", "theme_workforce", "theme_pay", "progress"} <= set(names)


def test_a_themes_indicators_and_the_headline_download_as_xlsx(client, reviewer, survey):
    client.force_login(reviewer)
    response = client.get(reverse("dashboard:download"), {"year": YEAR, "table": "theme_space"})
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["办公服务用房指标"]
    rows = list(book.active.iter_rows(values_only=True))
    today = timezone.localdate()
    # The fixture's three returns are drafts of three communities: none handed in, none approved.
    assert SurveyReturn.objects.filter(year=YEAR).count() == 3
    assert set(SurveyReturn.objects.values_list("status", flat=True)) == {ReturnStatus.DRAFT}
    title = f"保康县 {YEAR}年（已填报 0/3，已审核 0） — 办公服务用房指标（制表日期：{today:%Y-%m-%d}）"
    assert rows[0] == (title,) + (None,) * (len(rows[0]) - 1)
    assert rows[2][:3] == ("指标", "数值", "单位")  # after the note on units; no column of English keys
    found = {row[0]: row for row in rows[3:]}
    assert found["综合服务用房面积"][1] == 2150 and found["每百户综合服务用房"][5] == "达标"
    # A share of communities is not judged against an area standard: the standard only explains it (item 10).
    assert found["用房达标率"][3] == "（标准：每百户不低于30 m²，且每社区不低于300 m²）"
    assert found["用房达标率"][5] is None
    response = client.get(reverse("dashboard:download"), {"year": YEAR, "table": "headline"})
    book = load_workbook(BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][:2] == ("指标", "本年") and rows[2][:2] == ("社区数", 3)


def test_a_rate_standard_is_shown_as_a_percentage(client, reviewer, survey):
    Standard.objects.create(
        region_code="420626", key="worker_loss_rate_max", year_from=2020, value="0.125", source="县考核办法"
    )
    client.force_login(reviewer)
    text = client.get(INDEX, {"year": YEAR}).content.decode()
    assert "不高于12.5%" in text
    assert "0.125 率" not in text
    standards = client.get(reverse("dashboard:standards"), {"year": YEAR}).content.decode()
    assert "12.5%" in standards and "0.125 率" not in standards
    assert "%（填 10 表示 10%）" in standards  # what to type for a rate: a percentage, as shown


def test_rates_in_the_shortfall_lists_and_gaps_are_percentages(client, reviewer, survey):
    # A ceiling of 20 % on the loss rate: the county lost 2 of 6 (33.3 %, 13.3 points over); A1 2 of its 3 (66.7 %,
    # 46.7 points over); A2 lost nobody and B1 has no roster.
    Standard.objects.create(region_code="420626", key="worker_loss_rate_max", year_from=2020, value="0.2")
    client.force_login(reviewer)
    response = client.get(INDEX, {"year": YEAR})
    rows = [r for s in response.context["page"]["sections"] for r in s.indicators if r["id"] == "worker_loss_rate"]
    assert rows[0]["gap_text"] == "超出流失率上限 13.3 个百分点"
    table = next(t for t in response.context["page"]["tables"] if t.name == "shortfall_worker_loss_rate")
    assert [c.header for c in table.columns][-3:] == ["实际", "标准", "差距(百分点)"]
    [a1] = table.display_rows()
    assert [cell["text"] for cell in a1["cells"]][-3:] == ["66.7%", "20.0%", "46.7"]
    sheet = load_workbook(
        BytesIO(client.get(DOWNLOAD, {"region": "420626", "year": YEAR, "table": table.name}).content)
    ).active
    last = [cell for cell in list(sheet.iter_rows())[-1]][-3:]
    assert [round(c.value, 4) for c in last] == [0.6667, 0.2, 46.7]
    assert [c.number_format for c in last] == ["0.0%", "0.0%", "0.0"]


def test_cells_round_half_up_as_the_report_does():
    from communities.dashboard.tables import format_cell
    from communities.report import formatting as fmt

    # 12.35 % and 0.125 are halves: rounded up, not to even (nor down by the float's binary value), as the report
    # writes them.
    assert format_cell(0.1235, "rate") == "12.4%" == fmt.percent(0.1235)
    assert format_cell(0.125, "num") == "0.13" == fmt.fixed(0.125, 2)
    assert format_cell(2.5, "int") == "3"
    assert format_cell(1234567.891, "wan") == "1,234,567.89"


def test_the_funding_trend_chart_is_drawn_in_wan_yuan(client, reviewer, survey):
    # The county's 2025 budget: 111,000 元 = 11.10 万元 (tests/indicators/fixtures.py).
    client.force_login(reviewer)
    charts = {c["title"]: c for c in client.get(INDEX, {"year": YEAR}).context["page"]["trend_charts"]}
    svg = str(charts["经费预算"]["svg"])
    assert "11.1" in svg and "111,000" not in svg and "111000" not in svg


def test_the_page_says_how_many_returns_are_in_and_approved(client, reviewer, clerk_a, street_a, street_b):
    """已填报 = submitted or approved, of all communities of the unit; the counts print with the page."""
    statuses = [ReturnStatus.SUBMITTED, ReturnStatus.APPROVED, ReturnStatus.APPROVED, ReturnStatus.DRAFT]
    for status in statuses:
        SurveyReturnFactory(community=CommunityFactory(street=street_a), year=YEAR, status=status)
    SurveyReturnFactory(community=CommunityFactory(street=street_b), year=YEAR, status=ReturnStatus.RETURNED)
    CommunityFactory(street=street_b)  # no return yet
    client.force_login(reviewer)
    html = client.get(INDEX, {"year": YEAR}).content.decode()
    assert "已填报 3/6，已审核 2（草稿 1，退回 1，未开始 1）" in html
    assert 'class="returns-state"' in html and "统计时间" in html
    client.force_login(clerk_a)
    assert "已填报 3/4，已审核 2（草稿 1，退回 0，未开始 0）" in client.get(INDEX, {"year": YEAR}).content.decode()
    approved = SurveyReturn.objects.filter(status=ReturnStatus.APPROVED).first().community_id
    html = client.get(region_url(approved), {"year": YEAR}).content.decode()
    assert "已填报 1/1，已审核 1" in html and "数字以审核后为准" not in html


def test_the_excel_tables_print_as_a_reviewer_reads_them(client, reviewer, survey):
    """Issue 18 item 3: number formats per unit (counts and areas whole, ratios to one or two decimals as the
    page shows them — issue 16 item 30 —, rates as percentages with the unit %), widths from the content (a CJK
    character counts two), header rows and label column repeated on every printed page, landscape and fitted to
    the page's width."""
    client.force_login(reviewer)
    response = client.get(reverse("dashboard:download"), {"year": YEAR})
    book = load_workbook(BytesIO(response.content))
    sheet = book["办公服务用房指标"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=4)}
    assert rows["综合服务用房面积"][1].number_format == "#,##0"
    assert rows["每百户综合服务用房"][1].number_format == "#,##0.0"
    assert rows["用房达标社区数"][1].number_format == "#,##0"
    rate = rows["用房达标率"]
    assert rate[1].value == pytest.approx(2 / 3, abs=1e-5) and rate[1].number_format == "0.0%" and rate[2].value == "%"
    assert "率" not in {row[2].value for row in rows.values()}
    # The label column is as wide as its longest label: 11 CJK characters = 22 columns, with a margin.
    longest = max(len(label) for label in rows)
    assert sheet.column_dimensions["A"].width >= 2 * longest
    assert sheet.print_title_rows == "$1:$3" and sheet.print_title_cols == "$A:$A"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert "保康县 2025年" in sheet["A1"].value and "制表日期" in sheet["A1"].value
    # A list of communities repeats its code and name columns.
    shortfalls = [name for name in book.sheetnames if name.startswith("未达标社区")]
    assert shortfalls
    assert book[shortfalls[0]].print_title_cols == "$A:$B"
    # The headline's counts are whole numbers.
    headline = book["主要指标及较上年变化"]
    by_label = {row[0].value: row for row in headline.iter_rows(min_row=3)}
    assert by_label["社区数"][1].number_format == "#,##0"
    assert by_label["综合服务用房"][1].number_format == "#,##0"
    assert by_label["经费预算"][1].number_format == "#,##0.00"


def test_the_download_is_named_in_chinese(client, reviewer, survey):
    """Issue 16 item 4: 保康县-2025年-统计看板.xlsx, and one table by its title."""
    from urllib.parse import quote

    client.force_login(reviewer)
    response = client.get(reverse("dashboard:download"), {"year": YEAR})
    assert f"filename*=UTF-8''{quote(f'保康县-{YEAR}年-统计看板.xlsx')}" in response["Content-Disposition"]
    response = client.get(reverse("dashboard:download"), {"year": YEAR, "table": "headline"})
    assert quote(f"保康县-{YEAR}年-主要指标及较上年变化.xlsx") in response["Content-Disposition"]


def test_a_streets_progress_shows_each_communitys_status_not_counts_of_one(client, reviewer, survey, street_a):
    """Issue 16 item 29: at a street the units one level down are its communities: a status badge each, not
    "社区数 1" and a 0.0 % / 100.0 % completion rate; the total row counts them by status."""
    CommunityFactory(street=street_a, code="420626001003", name="A3社区")  # no return yet
    SurveyReturn.objects.filter(community_id="420626001002").update(status=ReturnStatus.APPROVED)
    client.force_login(reviewer)
    response = client.get(region_url("420626001"), {"year": YEAR})
    table = response.context["page"]["progress_table"]
    assert [c.header for c in table.columns] == ["代码", "社区", "填报状态"]
    assert [(r["name"], r["status"]) for r in table.rows] == [
        ("A1社区", "草稿"),
        ("A2社区", "已审核"),
        ("A3社区", "未开始"),
    ]
    html = response.content.decode()
    progress = html[html.index('id="table-progress"') :]
    progress = progress[: progress.index("</table>")]
    assert '<span class="badge approved">已审核</span>' in progress
    assert '<span class="badge not_started">未开始</span>' in progress
    assert "审核完成率" not in progress and "社区数" not in progress
    assert "合计 3 个社区" in progress and "未开始 1，草稿 1，已审核 1" in progress
    sheet = load_workbook(
        BytesIO(client.get(DOWNLOAD, {"region": "420626001", "year": YEAR, "table": "progress"}).content)
    ).active
    assert [row[2] for row in sheet.iter_rows(min_row=4, values_only=True)][:3] == ["草稿", "已审核", "未开始"]
    # The county still counts per street.
    county = client.get(INDEX, {"year": YEAR}).context["page"]["progress_table"]
    assert "审核完成率" in [c.header for c in county.columns]
