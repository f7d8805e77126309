"""Issue 16 item 25: a change from last year is coloured by whether it is good news for the indicator (one
direction per indicator, communities/dashboard/changes.py), not by its sign: fewer residents is grey, less money
red, more staff in post green — on the dashboard's headline and on the return page."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from communities.models import SurveyReturn
from funding.models import Allocation
from tests.indicators.fixtures import YEAR, add_communities, build_survey

pytestmark = pytest.mark.django_db


def headline_changes(html: str) -> dict[str, tuple[str, str]]:
    """Each headline card's label → (the class of its change, the change's text)."""
    cards = re.findall(
        r'<div class="headline-label">([^<]+)</div>.*?<div class="headline-change ([a-z]*)"[^>]*>(.*?)</div>',
        html,
        flags=re.S,
    )
    return {label: (state, re.sub(r"<[^>]+>", "", text)) for label, state, text in cards}


def test_the_headline_colours_a_change_by_good_or_bad_not_by_its_sign(client, reviewer, street_a, street_b):
    build_survey(street_a, street_b)  # 2025: 15,500 residents, 4 in post, 111,000 元
    last_year = add_communities(street_a, 2, year=YEAR - 1)  # 2 in post
    SurveyReturn.objects.filter(pk__in=[r.pk for r in last_year]).update(population=20000)
    Allocation.objects.filter(year=YEAR - 1).update(budget=Decimal("500000"))
    client.force_login(reviewer)
    changes = headline_changes(client.get(reverse("dashboard:index"), {"year": YEAR}).content.decode())
    assert changes["常住人口"][0] == "neutral" and changes["常住人口"][1].startswith("较上年 -24,500")
    assert changes["户数"][0] == "neutral" and changes["户数"][1].startswith("较上年 +3,400")  # up, still grey
    assert changes["经费预算"] == ("bad", "较上年 -88.90（-88.9%）需关注")
    assert changes["年末在岗社区工作者"] == ("good", "较上年 +2（+100.0%）向好")
