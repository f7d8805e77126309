"""Issue 16 item 30: figures take the decimals of their unit, the same in a whole column (8.30 beside 8.24, not
8.3), no needless decimals (平均年龄 39.7 岁, 平均每社区户数 1,933 户), on the page, in Excel and on the return page;
a figure and its unit stay on one line."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from communities.models import Standard
from tests.indicators.fixtures import YEAR, build_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(street_a, street_b):
    return build_survey(street_a, street_b)


def value_of(html: str, label: str) -> str:
    """The 数值 cell of the indicator table row whose label cell starts with ``label``."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        if len(cells) > 1 and re.sub(r"<[^>]+>", "", cells[0]).strip().startswith(label):
            return cells[1].strip()
    raise AssertionError(label)


def test_indicator_values_take_the_decimals_of_their_unit(client, reviewer, survey):
    client.force_login(reviewer)
    html = client.get(reverse("dashboard:index"), {"year": YEAR}).content.decode()
    # Ages in post: 2025 − (1980, 1990, 2000, 1970) → 45, 35, 25, 55: 40.0 years, one decimal kept.
    assert value_of(html, "平均年龄") == "40.0 岁"
    assert value_of(html, "平均每社区户数") == "1,933 户"  # 5,800 ÷ 3 = 1,933.33
    assert value_of(html, "每百户综合服务用房") == "37.1 m²/百户"  # 2,150 ÷ 5,800 × 100
    assert value_of(html, "每名社区工作者服务户数") == "1,450.0 户/人"  # 5,800 ÷ 4
    assert value_of(html, "人均月报酬") == "2,500 元"
    assert value_of(html, "户均工作经费") == "0.86 元/户"  # 5,000 ÷ 5,800
    assert value_of(html, "综合服务用房面积") == "2,150 m²"


def test_a_column_of_one_unit_has_the_same_decimals(client, reviewer, survey):
    # Work funds per household, the communities short of 10 元: A1 5,000 ÷ 800 = 6.25 (3,000 元 short), A2 and B1
    # nothing (0.00; 15,000 and 35,000 元 short).
    Standard.objects.create(region_code="420626", key="work_funds_per_household", year_from=2020, value=10)
    client.force_login(reviewer)
    page = client.get(reverse("dashboard:index"), {"year": YEAR}).context["page"]
    table = next(t for t in page["tables"] if t.name == "shortfall_work_funds_per_household")
    texts = [[cell["text"] for cell in row["cells"]][-3:] for row in table.display_rows()]
    assert texts == [["0.00", "10.00", "35,000"], ["0.00", "10.00", "15,000"], ["6.25", "10.00", "3,000"]]
    decimals = {len(actual.split(".")[1]) for actual, _, _ in texts}
    assert decimals == {2}


def test_excel_gets_the_same_decimals_as_the_page(client, reviewer, survey):
    client.force_login(reviewer)
    response = client.get(reverse("dashboard:download"), {"year": YEAR, "table": "theme_workforce"})
    rows = {row[0].value: row for row in load_workbook(BytesIO(response.content)).active.iter_rows(min_row=4)}
    assert rows["平均年龄"][1].number_format == "#,##0.0"
    assert rows["每名社区工作者服务户数"][1].number_format == "#,##0.0"
    assert rows["年末在岗"][1].number_format == "#,##0"


def test_the_return_page_uses_the_same_decimals(client, reviewer, survey):
    client.force_login(reviewer)
    response = client.get(reverse("returns:detail", args=["420626001001", YEAR]))
    rows = {row.label: row for row in response.context["rows"]}
    assert rows["平均年龄"].text == "45.0 岁"
    assert rows["每百户综合服务用房"].text == "31.3 m²/百户"  # 250 ÷ 800 × 100 = 31.25, half up
    html = response.content.decode()
    assert '<td class="num">31.3 m²/百户</td>' in html  # a numeric cell: its figure and unit never wrap
