"""Outliers (issue 13): quartiles and Tukey's fences by hand, a single peer, last year missing, and the return
page, the edit page and the queue showing them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from communities.models import CommunityType, ReturnStatus, SurveyReturn
from communities.returns import outliers, quality
from tests.communities.factories import CommunityFactory, SurveyReturnFactory
from tests.returns.conftest import fill

D = Decimal


def test_quartiles_are_interpolated_between_sorted_values():
    values = [D(100), D(1), D(4), D(2), D(3)]
    found = outliers.peer_range(values)
    # sorted 1 2 3 4 100: Q1 at position 1, the median at 2, Q3 at 3; IQR 2, fences 2 − 3 and 4 + 3
    assert (found.q1, found.median, found.q3) == (D(2), D(3), D(4))
    assert (found.low, found.high) == (D(-1), D(7))
    even = outliers.peer_range([D(10), D(20), D(30), D(40)])
    # position 0.75 → 10 + 0.75 × 10; median at 1.5 → 25; Q3 at 2.25 → 32.5
    assert (even.q1, even.median, even.q3) == (D("17.5"), D(25), D("32.5"))


def test_missing_values_are_left_out_and_fewer_than_four_peers_give_no_range():
    assert outliers.peer_range([D(5), None, D(7), None]).peers == 2
    single = outliers.Outlier("households", D(5000), outliers.peer_range([D(5000)]), "城市社区")
    assert not single.flagged and single.peer_side is None
    assert single.range_text == "本县城市社区只有 1 个有此数据，不足 4 个，未作比较"


def test_last_year_missing_or_zero_is_not_compared():
    peers = outliers.peer_range([D(1), D(2), D(3), D(4)])
    none = outliers.Outlier("households", D(3), peers, "城市社区")
    assert none.change is None and none.last_year_text == "上年无已审核数据"
    zero = outliers.Outlier("households", D(3), peers, "城市社区", last_year=2024, last_value=D(0))
    assert zero.change is None and not zero.change_flagged
    jump = outliers.Outlier("households", D(3), peers, "城市社区", last_year=2024, last_value=D(2))
    assert jump.change_flagged and jump.finding == "户数较2024年已审核的 2 户变化 +50%，超过 ±30%"


@pytest.fixture
def county_returns(street_a, street_b):
    """Five urban communities (households 1000, 1200, 1800, 2400, 9000) and one town community (50 households)."""
    made = {}
    for n, households in enumerate([1000, 1200, 1800, 2400, 9000]):
        street = street_a if n % 2 else street_b
        made[households] = fill(
            SurveyReturnFactory(
                community=CommunityFactory(street=street), households=households, population=3 * households
            )
        )
    town = CommunityFactory(street=street_b, community_type=CommunityType.TOWN)
    made["town"] = fill(SurveyReturnFactory(community=town, households=50, population=150))
    return made


def test_the_review_page_shows_the_peer_range_and_flags_the_outlier(client, reviewer, county_returns):
    client.force_login(reviewer)
    big = county_returns[9000]
    page = client.get(reverse("returns:detail", args=[big.community_id, 2025])).content.decode()
    assert "本县同类社区 25%–75%：1,200–2,400 户（中位数 1,800 户，5 个城市社区）" in page
    assert "户数 9,000 户，远高于本县同类社区（上限 4,200 户" in page
    # the town community is compared with nobody of its type
    page = client.get(reverse("returns:detail", args=[county_returns["town"].community_id, 2025])).content.decode()
    assert "本县集镇社区只有 1 个有此数据，不足 4 个，未作比较" in page


def test_the_edit_page_lists_only_what_is_unusual(client, clerk_b, clerk_a, county_returns):
    big = county_returns[9000]  # the fifth: n = 4, street B
    client.force_login(clerk_b)
    page = client.get(reverse("returns:edit", args=[big.community_id, 2025])).content.decode()
    assert "请核对：与本县同类社区或上年相比差别较大" in page and "远高于本县同类社区" in page
    normal = county_returns[1800]
    assert "请核对" not in client.get(reverse("returns:edit", args=[normal.community_id, 2025])).content.decode()


def test_last_years_approved_figure_is_compared(county_returns):
    big = county_returns[1800]
    last = fill(SurveyReturnFactory(community=big.community, year=2024, households=1000, population=3000))
    found = {o.figure: o for o in quality.return_outliers(big)}
    assert found["households"].last_value is None  # a draft is not approved
    SurveyReturn.objects.filter(pk=last.pk).update(status=ReturnStatus.APPROVED)
    found = {o.figure: o for o in quality.return_outliers(big)}
    assert found["households"].last_value == 1000 and found["households"].change_flagged
    assert found["households"].last_year_text == "2024年（已审核）1,000 户，变化 +80%"


def test_the_queue_counts_outliers_and_the_problems_filter_finds_them(client, reviewer, county_returns):
    SurveyReturn.objects.filter(year=2025).update(status=ReturnStatus.SUBMITTED)
    client.force_login(reviewer)
    page = client.get(reverse("returns:queue"), {"year": 2025}).content.decode()
    assert "异常值 " in page
    flagged = client.get(reverse("returns:queue"), {"year": 2025, "problems": "1"}).context["page"]
    assert county_returns[9000].community_id in [r.community_id for r in flagged]
    assert county_returns[1800].community_id not in [r.community_id for r in flagged]
