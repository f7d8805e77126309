"""A year without any return: the dashboard says so and links the years that have returns, instead of showing a
page of zeros."""

import re

import pytest
from django.urls import reverse

from tests.indicators.fixtures import YEAR, add_communities, build_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(street_a, street_b):
    build_survey(street_a, street_b)
    add_communities(street_b, 1, year=YEAR - 2)


def test_a_year_without_returns_says_so_and_links_the_years_with_some(client, reviewer, survey):
    client.force_login(reviewer)
    html = client.get(reverse("dashboard:index"), {"year": 2019}).content.decode()
    notice = html[html.index('id="no-data"') :]
    notice = notice[: notice.index("</div>")]
    assert "该地区 2019 年还没有年度填报数据" in notice
    assert re.findall(r'<a href="\?year=(\d+)">(\d+)年</a>', notice) == [("2025", "2025"), ("2023", "2023")]
    # No page of zeros: no headline cards, themes or trend; the progress (everyone not started) stays.
    assert 'class="headline-card"' not in html and 'id="theme-space"' not in html and "近五年趋势" not in html
    assert "填报进度" in html and "未开始" in html


def test_a_street_without_returns_that_year_links_its_own_years(client, reviewer, survey):
    client.force_login(reviewer)
    # Street A (420626001) has returns in 2025 only; the county has 2023 too (street B).
    html = client.get(reverse("dashboard:region", args=["420626001"]), {"year": YEAR - 2}).content.decode()
    assert f"该地区 {YEAR - 2} 年还没有年度填报数据" in html
    notice = html[html.index('id="no-data"') :]
    assert re.findall(r'<a href="\?year=(\d+)">', notice[: notice.index("</div>")]) == ["2025"]


def test_a_year_with_returns_has_no_notice(client, reviewer, survey):
    client.force_login(reviewer)
    html = client.get(reverse("dashboard:index"), {"year": YEAR}).content.decode()
    assert 'id="no-data"' not in html and "还没有年度填报数据" not in html
    assert 'class="headline-card"' in html and "近五年趋势" in html
