"""仅统计已审核 (issue 12): the figures of approved returns only, against a hand count — the engine, the dashboard
page and its download, the API and the command."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html import unescape
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from communities.indicator_engine import compute_indicators
from communities.models import ReturnStatus, SurveyReturn
from tests.communities.factories import CommunityFactory, SurveyReturnFactory
from tests.conftest import COUNTY, STREET_A
from tests.funding.factories import AllocationFactory
from tests.returns.conftest import fill

YEAR = 2025


@pytest.fixture
def two_returns(street_a):
    """东门 approved (1,000 households, 2 workers, 50,000 元), 西门 submitted (600 households, 1 worker, 50,000 元),
    and 10,000 元 allocated to the street itself."""
    approved = fill(
        SurveyReturnFactory(community=CommunityFactory(street=street_a, name="东门社区"), year=YEAR, households=1000),
        workers=2,
    )
    pending = fill(
        SurveyReturnFactory(community=CommunityFactory(street=street_a, name="西门社区"), year=YEAR, households=600),
        workers=1,
    )
    SurveyReturn.objects.filter(pk=approved.pk).update(status=ReturnStatus.APPROVED)
    SurveyReturn.objects.filter(pk=pending.pk).update(status=ReturnStatus.SUBMITTED)
    AllocationFactory(unit_code=STREET_A, year=YEAR, budget=Decimal("10000"))
    return approved, pending


def _values(indicators, *ids):
    return tuple(indicators[i]["value"] for i in ids)


IDS = ("communities", "households", "workers_roster", "funding_budget")


def test_the_engine_counts_approved_returns_their_rows_and_the_money_above_them(two_returns):
    everything = compute_indicators(region_code=COUNTY, year=YEAR)
    approved = compute_indicators(region_code=COUNTY, year=YEAR, approved_only=True)
    # By hand: all — 2 communities, 1,600 households, 3 workers, 50,000 × 2 + 10,000 元;
    # approved only — 东门 alone and the street's money: 1, 1,000, 2, 60,000 元.
    assert _values(everything, *IDS) == (2, 1600, 3, 110000.0)
    assert _values(approved, *IDS) == (1, 1000, 2, 60000.0)


def test_the_dashboard_offers_approved_only_and_says_so(client, reviewer, two_returns):
    client.force_login(reviewer)
    page = client.get(reverse("dashboard:index"), {"year": YEAR})
    assert "仅统计已审核</a>" in page.content.decode()
    response = client.get(reverse("dashboard:index"), {"year": YEAR, "approved": "1"})
    html = response.content.decode()
    assert "仅统计已审核的 1 份填报" in html and "统计全部填报" in html
    assert _values(response.context["page"]["indicators"], *IDS) == (1, 1000, 2, 60000.0)
    # Every link of the page keeps the view: each table's download, the drill-down to a street, the year form.
    downloads = re.findall(r"href=\"(" + re.escape(reverse("dashboard:download")) + r"\?[^\"]+)\"", html)
    assert downloads and all("approved=1" in unescape(url) for url in downloads)
    street = re.search(r'href="(/dashboard/420626001/\?[^"]+)"', html)
    assert street and "approved=1" in unescape(street.group(1))
    assert '<input type="hidden" name="approved" value="1">' in html
    table_download = next(unescape(url) for url in downloads if "table=indicators" in url)
    sheet = load_workbook(BytesIO(client.get(table_download).content)).active
    assert "仅统计已审核" in sheet["A1"].value


def test_the_api_and_the_command_take_approved_only(client, reviewer, two_returns):
    client.force_login(reviewer)
    body = client.get(reverse("api:indicators"), {"year": YEAR, "approved": "1"}).json()
    assert body["approved_only"] is True
    assert (body["communities"]["value"], body["households"]["value"]) == (1, 1000)
    out = StringIO()
    call_command("indicators", "--year", str(YEAR), "--region", COUNTY, "--json", "--approved-only", stdout=out)
    assert json.loads(out.getvalue())["households"]["value"] == 1000


def test_the_trend_follows_approved_only(two_returns):
    from communities.indicator_engine import compute_trend

    everything = compute_trend(region_code=COUNTY, years=[YEAR])[YEAR]
    approved = compute_trend(region_code=COUNTY, years=[YEAR], approved_only=True)[YEAR]
    keys = ("communities", "households", "workers_in_post", "funding_budget")
    assert tuple(everything[k] for k in keys) == (2, 1600, 3, 110000.0)
    assert tuple(approved[k] for k in keys) == (1, 1000, 2, 60000.0)


def test_the_report_counts_approved_returns_only_when_asked(client, reviewer, two_returns):
    from docx import Document

    client.force_login(reviewer)
    url = reverse("report:page", args=[COUNTY, YEAR])
    everything = client.get(url).content.decode()
    approved = client.get(url, {"approved": "1"}).content.decode()
    assert "仅统计已审核</a>" in everything and "居民1600户" in everything
    assert "仅统计已审核的1份" in approved and "居民1000户" in approved
    document = Document(BytesIO(client.get(reverse("report:docx", args=[COUNTY, YEAR]), {"approved": "1"}).content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "仅统计已审核的1份" in text and "居民1000户" in text
    # The money by level counts as the engine does: 东门's own 50,000 and the street's 10,000, not 西门's.
    assert "直接拨付社区5.00万元" in approved.replace(" ", "") and "直接拨付社区10.00万元" in everything
