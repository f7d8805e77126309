"""The demo command builds a realistic county and adds nothing when run again."""

from io import StringIO

from django.core.management import call_command
from django.db.models import Count, Max, Min, Q

from communities.demo import DEMO_USERS
from communities.models import Community, CommunityType, Region, ReturnStatus, SurveyReturn, User
from facilities.models import Premises
from funding.models import Allocation
from services.models import ServiceProgram
from workforce.models import Worker


def _counts():
    return [
        m.objects.count() for m in (Region, Community, SurveyReturn, Worker, Premises, Allocation, ServiceProgram, User)
    ]


def test_demo_builds_a_county_and_is_idempotent(db):
    out = StringIO()
    call_command("demo", stdout=out)
    first = _counts()
    call_command("demo", stdout=StringIO())
    assert _counts() == first

    streets = Region.objects.streets()
    assert streets.count() == 3
    assert 18 <= Community.objects.count() <= 25
    assert set(Community.objects.values_list("community_type", flat=True)) == set(CommunityType.values)
    years = set(SurveyReturn.objects.values_list("year", flat=True))
    assert len(years) == 3
    assert SurveyReturn.objects.count() == Community.objects.count() * 3
    figures = SurveyReturn.objects.aggregate(low=Min("households"), high=Max("households"))
    assert figures["low"] >= 300 and figures["high"] <= 4000 * 1.05
    pay = Worker.objects.aggregate(low=Min("monthly_pay"), high=Max("monthly_pay"))
    assert pay["low"] >= 1400 and pay["high"] <= 2200
    assert Worker.objects.filter(left_on__isnull=False).exists()
    assert Worker.objects.filter(seconded=True).exists()
    assert set(SurveyReturn.objects.values_list("status", flat=True)) == set(ReturnStatus.values)
    # Every return has its parts.
    assert not SurveyReturn.objects.annotate(n=Count("workers")).filter(n=0).exists()
    assert not SurveyReturn.objects.annotate(n=Count("premises")).filter(n=0).exists()
    # Some communities are short of space against 30 m² per 100 households (and a 300 m² floor).
    short = 0
    for survey_return in SurveyReturn.objects.filter(year=max(years)).prefetch_related("premises"):
        facility = sum(p.area for p in survey_return.premises.all() if p.category in ("office", "service"))
        short += facility < max(300, survey_return.households * 30 / 100)
    assert short >= 3

    text = out.getvalue()
    for demo_user in DEMO_USERS:
        assert demo_user.username in text and demo_user.password in text
        user = User.objects.get(username=demo_user.username)
        assert user.check_password(demo_user.password) and user.role == demo_user.role
    assert Allocation.objects.filter(~Q(unit_code__regex=r"^[0-9]{12}$")).exists()  # county/street-level money
