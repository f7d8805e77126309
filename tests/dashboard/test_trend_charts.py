"""Issue 16 item 24: the trend charts have a y axis from 0 with its ticks and values, and no empty slots for the
years before the first return; a year without returns between two with them is labelled 无数据."""

import re

import pytest
from django.urls import reverse

from tests.indicators.fixtures import YEAR, add_communities, build_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(street_a, street_b):
    build_survey(street_a, street_b)  # 2025: 5,800 households
    add_communities(street_a, 2, year=YEAR - 2)  # 2023: 2 × 1,200 households; nothing in 2024, 2022, 2021


def trend_chart(html: str, title: str) -> str:
    start = html.index(f'aria-label="{title}"')
    return html[start : html.index("</svg>", start)]


def test_the_trend_axis_starts_at_zero_with_ticks(client, reviewer, survey):
    client.force_login(reviewer)
    html = client.get(reverse("dashboard:index"), {"year": YEAR}).content.decode()
    svg = trend_chart(html, "户数")
    ticks = [
        (float(value.replace(",", "")), float(y))
        for y, value in re.findall(r'<text x="[\d.]+" y="([\d.]+)" class="axis tick"[^>]*>([\d,.]+)</text>', svg)
    ]
    assert [value for value, _ in ticks] == [0, 5000, 10000]
    (_, zero_y), (top, top_y) = ticks[0], ticks[-1]
    points = [float(cy) for cy in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]
    # Each point stands as high above the zero line as its value says (the tick's text sits 4 px below its line).
    for value, cy in zip([2400, 5800], points, strict=True):
        assert (zero_y - 4 - cy) / (zero_y - top_y) == pytest.approx(value / top, abs=0.01)
    labels = re.findall(r'class="value small"[^>]*>([\d,]+)</text>', svg)
    assert labels == ["2,400", "5,800"]


def test_years_before_the_first_return_are_left_out_and_a_gap_is_labelled(client, reviewer, survey):
    client.force_login(reviewer)
    response = client.get(reverse("dashboard:index"), {"year": YEAR})
    svg = trend_chart(response.content.decode(), "户数")
    years = re.findall(r'class="axis" text-anchor="middle">(\d{4})</text>', svg)
    assert years == ["2023", "2024", "2025"]  # not 2021 and 2022
    assert svg.count("无数据") == 1  # 2024, between the two years with returns
    table = response.context["page"]["trend_table"]
    assert [row["year"] for row in table.rows] == ["2023", "2024", "2025"]
