import re
from html import unescape
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document

from tests.communities.factories import CommunityFactory, RegionFactory, SurveyReturnFactory
from tests.conftest import COUNTY, STREET_A, STREET_B
from tests.facilities.factories import PremisesFactory
from tests.report.conftest import YEAR
from tests.workforce.factories import WorkerFactory

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def page_url(code=COUNTY, year=YEAR):
    return reverse("report:page", args=[code, year])


def docx_url(code=COUNTY, year=YEAR):
    return reverse("report:docx", args=[code, year])


def test_a_reviewer_reads_the_county_report_as_a_page(client, reviewer, report_data):
    client.force_login(reviewer)
    response = client.get(page_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "保康县2025年社区建设情况调研报告" in html
    for heading in ["一、基本情况", "二、存在的问题", "三、对策建议", "四、与上年比较", "五、附表"]:
        assert f"<h2>{heading}</h2>" in html
    # Office 220 + 120 + 260 + 480 = 1080 m².
    assert "现有办公用房1080平方米" in html
    assert docx_url() in html  # the Word version of the same report
    assert 'id="report-print"' in html


def _page_tables(html: str) -> list[list[list[str]]]:
    tables = []
    for table in re.findall(r"<table>(.*?)</table>", html, flags=re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
        tables.append(
            [[unescape(c.strip()) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]
        )
    return tables


def _page_captions(html: str) -> list[str]:
    return [unescape(c.strip()) for c in re.findall(r"<figcaption>(.*?)</figcaption>", html, flags=re.S)]


def test_a_reviewer_downloads_the_same_report_as_a_word_document(client, reviewer, report_data):
    client.force_login(reviewer)
    response = client.get(docx_url())
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="survey-report-420626-2025.docx"')
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "保康县2025年社区建设情况调研报告.docx"
    document = Document(BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[0] == "保康县2025年社区建设情况调研报告"
    # The page and the document say the same things: the paragraphs in the same order (the source note among
    # them), the same table captions and the same tables, cell for cell.
    html = client.get(page_url()).content.decode()
    article = html[html.index('<article class="report"') : html.index("</article>")]
    page_text = [unescape(t) for t in re.findall(r"<(?:h1|h2|p)[^>]*>(.*?)</(?:h1|h2|p)>", article, flags=re.S)]
    page_text = [re.sub(r"<[^>]+>", "", t).strip() for t in page_text]
    captions = _page_captions(article)
    assert [p for p in paragraphs if p not in captions] == page_text
    assert [p for p in paragraphs if p in captions] == captions
    assert paragraphs[2] == page_text[2] and paragraphs[2].startswith("（数据来源：社区年度调查填报")
    word_tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    assert word_tables == _page_tables(article)
    # The comparison, the streets, seven shortfall lists (the work funds are the county's: said, not listed).
    assert len(word_tables) == 9


def test_a_clerk_reads_the_report_of_their_own_street(client, clerk_a, report_data):
    client.force_login(clerk_a)
    assert client.get(page_url(STREET_A)).status_code == 200
    assert client.get(docx_url(STREET_A)).status_code == 200


@pytest.mark.parametrize("code", [COUNTY, STREET_B, "420626101001"])
def test_a_clerk_gets_404_for_the_county_and_other_streets(client, clerk_a, report_data, code):
    client.force_login(clerk_a)
    assert client.get(page_url(code)).status_code == 404
    assert client.get(docx_url(code)).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, report_data):
    for url in (page_url(), docx_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [page_url, docx_url])
def test_post_is_not_allowed(client, reviewer, report_data, url):
    client.force_login(reviewer)
    assert client.post(url()).status_code == 405


@pytest.mark.parametrize(
    ("code", "year"),
    [("4206x6", YEAR), ("4206260", YEAR), (COUNTY, 1999), (COUNTY, 2101), ("420699", YEAR)],
)
def test_bad_codes_years_and_unknown_regions_are_404_not_500(client, administrator, report_data, code, year):
    client.force_login(administrator)
    assert client.get(page_url(code, year)).status_code == 404
    assert client.get(docx_url(code, year)).status_code == 404


def test_a_year_without_data_is_a_page_that_says_so(client, reviewer, report_data):
    client.force_login(reviewer)
    response = client.get(page_url(year=2019))
    assert response.status_code == 200
    assert "尚无社区年度填报数据" in response.content.decode()


def _add_streets(n_streets, n_communities):
    """More streets in the county (街道 002, …), each with communities that have a return, a room and a worker."""
    for number in range(2, n_streets + 2):
        street = RegionFactory(code=f"{COUNTY}{number:03d}", name=f"新街道{number}")
        for _ in range(n_communities // n_streets):
            survey_return = SurveyReturnFactory(community=CommunityFactory(street=street), year=YEAR, households=900)
            PremisesFactory(survey_return=survey_return)
            WorkerFactory(survey_return=survey_return)


def test_the_number_of_queries_does_not_grow_with_streets_or_communities(
    client, reviewer, report_data, django_assert_num_queries
):
    """The same count with three communities in two streets and with thirty in five."""
    client.force_login(reviewer)
    # the session and the user 2; the user's region, named in the page header 1; the report region's name 1;
    # the region and its ancestors for the full name in the source note 1; the bureau's name for the 落款 1;
    # the indicators for the year 8 and for the year before 8 (standards 1, communities 2, facilities 1,
    # workforce 1, funding 2, services 1: see tests/indicators); the returns' states as the dashboard counts them
    # 1; the reporting period 1; the cost per m² standard for the suggestions 1; the money by level 1; the names of the
    # smallest and the largest community 1; the streets with returns and their names 2; the streets' figures for
    # the per-street table 5 (standards, communities, facilities, workforce, funding: one GROUP BY each); the
    # session saved on every request (savepoint, update, release) 3 — 37.
    with django_assert_num_queries(37):
        assert client.get(page_url()).status_code == 200
    _add_streets(3, 27)
    with django_assert_num_queries(37):
        response = client.get(page_url())
    assert "新街道4" in response.content.decode()
