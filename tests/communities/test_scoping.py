"""Region-prefix scoping: a user sees what lies under their region's code, nothing else."""

from django.contrib.auth.models import AnonymousUser

from communities.models import Community, SurveyReturn
from funding.models import Allocation
from tests.communities.factories import SurveyReturnFactory
from tests.facilities.factories import PremisesFactory
from tests.funding.factories import AllocationFactory
from tests.services.factories import ServiceProgramFactory
from tests.workforce.factories import WorkerFactory
from workforce.models import Worker


def _fill(street):
    survey_return = SurveyReturnFactory(community__street=street)
    WorkerFactory(survey_return=survey_return)
    PremisesFactory(survey_return=survey_return)
    ServiceProgramFactory(survey_return=survey_return)
    AllocationFactory(unit_code=survey_return.community.code)
    return survey_return


def test_a_clerk_of_street_a_sees_none_of_street_b(clerk_a, street_a, street_b):
    own = _fill(street_a)
    other = _fill(street_b)
    assert list(Community.objects.for_user(clerk_a)) == [own.community]
    assert list(SurveyReturn.objects.for_user(clerk_a)) == [own]
    assert {w.survey_return_id for w in Worker.objects.for_user(clerk_a)} == {own.pk}
    assert all(a.unit_code.startswith(street_a.code) for a in Allocation.objects.for_user(clerk_a))
    for model_name in ("premises", "programs"):
        rows = getattr(other, model_name).model.objects.for_user(clerk_a)
        assert rows.count() == 1 and rows.get().survey_return == own


def test_a_county_reviewer_sees_both_streets_and_county_money(reviewer, street_a, street_b):
    _fill(street_a)
    _fill(street_b)
    AllocationFactory(unit_code="420626")
    AllocationFactory(unit_code="420627")  # the next county
    assert SurveyReturn.objects.for_user(reviewer).count() == 2
    assert set(Allocation.objects.for_user(reviewer).values_list("unit_code", flat=True)) == {
        "420626",
        "420626001001",
        "420626101001",
    }


def test_an_administrator_sees_everything_and_anonymous_nothing(administrator, street_a, street_b):
    _fill(street_a)
    _fill(street_b)
    assert SurveyReturn.objects.for_user(administrator).count() == 2
    assert SurveyReturn.objects.for_user(AnonymousUser()).count() == 0
