"""The city-scale demo used by the load test: 150 communities in nine counties, idempotent, the county unchanged."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from communities.demo import CITY_REVIEWER, city_streets
from communities.models import Community, Region, SurveyReturn, User
from workforce.models import Worker


def _counts():
    return [model.objects.count() for model in (Region, Community, SurveyReturn, Worker, User)]


def _county_figures():
    returns = SurveyReturn.objects.filter(community__code__startswith="420626").order_by("community", "year")
    return list(returns.values_list("community", "year", "status", "households", "population"))


def test_city_scale_builds_150_communities_and_is_idempotent(db):
    call_command("demo", stdout=StringIO())
    county = _county_figures()

    out = StringIO()
    call_command("demo", "--scale", "city", stdout=out)
    first = _counts()
    call_command("demo", "--scale", "city", stdout=StringIO())

    assert _counts() == first
    assert _county_figures() == county  # the county demo is the same at either scale
    assert Community.objects.count() == 150
    assert Region.objects.filter(code__regex=r"^4206[0-9]{2}$").count() == 9
    assert Region.objects.streets().count() == len(city_streets()) == 27
    assert SurveyReturn.objects.count() == 450
    assert not Community.objects.exclude(code__startswith=CITY_REVIEWER.region_code).exists()
    for code, _ in city_streets():
        clerk = User.objects.get(username=f"clerk-{code}")
        assert clerk.is_clerk and clerk.region_id == code
        assert Community.objects.filter(street_id=code).count() >= 5
    assert User.objects.get(username=CITY_REVIEWER.username).region_id == "4206"
    assert "reviewer-city" in out.getvalue()


def test_an_unknown_scale_is_refused(db):
    with pytest.raises(CommandError):
        call_command("demo", "--scale", "country", stdout=StringIO(), stderr=StringIO())
