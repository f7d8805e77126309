"""Issue 16 item 15: money is in 元 on the return page and its form, with separators and the unit, and the
dashboard's 万元 are said in the column headers."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from funding.models import Allocation
from services.models import ServiceProgram
from tests.indicators.fixtures import YEAR, build_survey
from workforce.models import Worker

pytestmark = pytest.mark.django_db


def test_the_return_page_writes_money_with_separators_and_its_unit(client, reviewer, return_a):
    code = return_a.community_id
    Allocation.objects.filter(unit_code=code, year=2025).update(budget=Decimal("170000"), received=Decimal("165432.5"))
    Worker.objects.filter(survey_return=return_a).update(monthly_pay=Decimal("2850"), monthly_allowance=Decimal("0"))
    ServiceProgram.objects.filter(survey_return=return_a).update(funds=Decimal("12000"))
    client.force_login(reviewer)
    html = client.get(reverse("returns:detail", args=[code, 2025])).content.decode()
    assert '<td class="num">170,000.00 元</td><td class="num">165,432.50 元</td>' in html
    assert '<td class="num">2,850.00 元</td><td class="num">0.00 元</td>' in html
    assert '<td class="num">12,000.00 元</td>' in html
    assert "预算（元）" in html and "月基本报酬（元）" in html and "经费（元）" in html
    # No raw amount without separators left among the return's tables (the indicators above show 万元).
    tables = html[html.index("<h2>基本情况</h2>") :]
    assert not re.search(r">\s*\d{4,}\.\d{2}\s*<", tables)
    assert "17.00 万元" in html  # the indicator table's 经费预算 of the same 170,000 元


def test_the_forms_money_inputs_are_labelled_in_yuan(client, clerk_a, return_a):
    client.force_login(clerk_a)
    html = client.get(reverse("returns:edit", args=[return_a.community_id, 2025])).content.decode()
    labels = ["预算金额（元）", "到位金额（元）", "月基本报酬（元）", "月补贴（元）", "月个人社保（元）", "经费（元）"]
    for label in labels:
        assert f"<th>{label}" in html, label
    assert "金额单位为元，不是万元" in html and "27.6 万元填 276000" in html


def test_the_dashboard_says_wan_yuan_in_the_headers_of_its_money_columns(client, reviewer, street_a, street_b):
    build_survey(street_a, street_b)
    client.force_login(reviewer)
    page = client.get(reverse("dashboard:index"), {"year": YEAR}).context["page"]
    money = [(table.title, column) for table in page["tables"] for column in table.columns if column.kind == "wan"]
    assert money  # the children table, the trend, the funding breakdowns
    for title, column in money:
        assert "万元" in column.header, (title, column.header)
