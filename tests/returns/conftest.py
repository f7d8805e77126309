"""A community in each street with a 2024 return (approved) and a 2025 return (draft), filled in."""

from datetime import date
from decimal import Decimal

import pytest

from communities.models import ReturnStatus
from tests.communities.factories import CommunityFactory, SurveyReturnFactory
from tests.facilities.factories import PremisesFactory
from tests.funding.factories import AllocationFactory
from tests.services.factories import ServiceProgramFactory
from tests.workforce.factories import WorkerFactory

VALID_ID = "420626198501010014"  # checksum-valid (GB 11643)


def fill(survey_return, *, workers=2, area="400"):
    """Give a return every part, so that it passes the required-part rules."""
    for n in range(workers):
        WorkerFactory(survey_return=survey_return, name=f"工作者{survey_return.year}-{n}", birth_year=1980 + n)
    PremisesFactory(survey_return=survey_return, name="综合服务中心", area=Decimal(area))
    AllocationFactory(unit_code=survey_return.community_id, year=survey_return.year, budget=Decimal("50000"))
    ServiceProgramFactory(survey_return=survey_return, name="老年餐桌")
    return survey_return


@pytest.fixture
def community_a(street_a):
    return CommunityFactory(street=street_a, name="东门社区")


@pytest.fixture
def community_b(street_b):
    return CommunityFactory(street=street_b, name="歇马社区")


@pytest.fixture
def return_a_2024(community_a):
    survey_return = fill(SurveyReturnFactory(community=community_a, year=2024, households=1000, population=2800))
    WorkerFactory(survey_return=survey_return, name="已离职", birth_year=1990, left_on=date(2024, 6, 30))
    WorkerFactory(survey_return=survey_return, name="有身份证", id_number=VALID_ID, birth_year=1985)
    SurveyReturnFactory._meta.model.objects.filter(pk=survey_return.pk).update(status=ReturnStatus.APPROVED)
    survey_return.refresh_from_db()
    return survey_return


@pytest.fixture
def return_a(community_a):
    return fill(SurveyReturnFactory(community=community_a, year=2025, households=1050, population=2900))


@pytest.fixture
def return_b(community_b):
    return fill(SurveyReturnFactory(community=community_b, year=2025))
