"""Issue 16 item 9: the colours of "各社区每百户综合服务用房与标准" agree with what the chart draws — red below the
per-100 standard line (or the street's own, marked on the bar), amber above it but short of the minimum area —
with a legend drawn in the chart, in patterns as well as colours, so that it also reads printed in grey."""

import re

import pytest
from django.urls import reverse

from communities.models import Standard
from tests.indicators.fixtures import YEAR, build_survey

pytestmark = pytest.mark.django_db

TITLE = "各社区每百户综合服务用房（平方米）与标准"


@pytest.fixture
def survey(street_a, street_b):
    return build_survey(street_a, street_b)


def space_chart(client) -> str:
    html = client.get(reverse("dashboard:index"), {"year": YEAR}).content.decode()
    start = html.index(f'aria-label="{TITLE}"')
    return html[start : html.index("</svg>", start)]


def bars(svg: str) -> dict[str, tuple[float, str]]:
    """Each community's bar: its height in the chart's units (from its tooltip) and its state."""
    found = re.findall(r'class="bar ([a-z]*)"><title>([^：]+)：([\d.,]+)</title>', svg)
    return {name: (float(value.replace(",", "")), state) for state, name, value in found}


def line_y(svg: str) -> float:
    """Where the standard line is drawn (the last one: the legend draws a sample first)."""
    return float(re.findall(r'<line [^>]*y1="([\d.]+)"[^>]*class="standard"/>', svg)[-1])


def test_a_bar_above_the_standard_line_is_not_red(client, reviewer, survey):
    # A1: 250 m² for 800 households, 31.25 per 100 — above the 30 line, but below the 300 m² minimum;
    # A2 46.67 and B1 34.29 have their required area.
    client.force_login(reviewer)
    svg = space_chart(client)
    assert bars(svg) == {"A1社区": (31.25, "short"), "A2社区": (46.67, "pass"), "B1社区": (34.29, "pass")}
    # Every red bar is below the line it is drawn against, every other above it.
    assert 'class="bar fail"><title>' not in svg
    # The legend is in the chart (it prints with it): the states shown, each with a pattern, and the line.
    assert "达到应有面积" in svg and "每百户达标，但面积低于最低 300 m²" in svg and "虚线：每百户标准 30 m²" in svg
    assert "低于每百户标准" not in svg  # no bar is: no entry for it
    assert svg.count('fill="url(#') == 2  # the amber bar's dots and its swatch in the legend
    assert re.search(r'<pattern id="c[0-9a-f]{8}-dots"', svg)


def test_a_bar_below_its_streets_own_standard_is_red_and_its_standard_is_marked(client, reviewer, survey):
    # Street B asks 40 m² per 100 households: B1's 34.29 is above the county's line of 30 but below its own 40.
    Standard.objects.create(region_code="420626101", key="facility_area_per_100_households", year_from=2020, value=40)
    client.force_login(reviewer)
    svg = space_chart(client)
    assert bars(svg)["B1社区"] == (34.29, "fail")
    marks = re.findall(r'class="own-standard"><title>([^<]+)</title>', svg)
    assert marks == ["B1社区适用的标准：40"]
    assert "低于每百户标准" in svg and "短横线：所在街道(乡镇)另设的每百户标准" in svg
    # The mark is drawn higher than the county's line (40 above 30): y grows downwards.
    mark_y = float(re.search(r'y1="([\d.]+)"[^>]*class="own-standard"><title>', svg).group(1))
    assert mark_y < line_y(svg)
    assert svg.count('fill="url(#') == 4  # hatched red and dotted amber, bars and swatches


def test_print_styles_keep_the_states_apart():
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/dashboard.css")).read_text(encoding="utf-8")
    printed = css[css.index("@media print") :]
    colours = {
        state: re.search(rf"\.bar\.{state} {{ fill: (#[0-9a-f]+)", printed).group(1)
        for state in ("pass", "fail", "short")
    }
    assert len(set(colours.values())) == 3
