"""A small county for the survey report: two streets, three communities in 2025, two of them also in 2024.

Street A (城关街道): 东门社区 (1200 households, space meets the standard; one worker left in 2025, one seconded)
and 西门社区 (800 households: below the size range and short of space). Street B (歇马镇): 歇马街社区 (3200
households: above the size range and short of space). The county sets the village cadres' pay benchmarks.
"""

from datetime import date
from decimal import Decimal

import pytest

from communities.models import ReturnStatus
from communities.standards import standards_save
from facilities.models import Category
from funding.models import Source, Use
from services.models import Provider, ServiceArea
from tests.communities.factories import CommunityFactory, SurveyReturnFactory
from tests.conftest import COUNTY
from tests.facilities.factories import PremisesFactory
from tests.funding.factories import AllocationFactory
from tests.services.factories import ServiceProgramFactory
from tests.workforce.factories import WorkerFactory
from workforce.models import Education, PoliticalStatus, Position

YEAR = 2025


def _workers(survey_return, rows):
    for position, pay, allowance, insurance, extra in rows:
        WorkerFactory(
            survey_return=survey_return,
            position=position,
            monthly_pay=Decimal(pay),
            monthly_allowance=Decimal(allowance),
            monthly_social_insurance=Decimal(insurance),
            **extra,
        )


@pytest.fixture
def report_data(street_a, street_b):
    standards_save(
        region_code=COUNTY,
        year_from=2020,
        values={"village_head_annual_pay": Decimal(41000), "village_deputy_annual_pay": Decimal(18000)},
        source="保康县村干部报酬管理办法",
    )
    east = CommunityFactory(street=street_a, code="420626001001", name="东门社区")
    west = CommunityFactory(street=street_a, code="420626001002", name="西门社区")
    xiema = CommunityFactory(street=street_b, code="420626101001", name="歇马街社区")

    r_east = SurveyReturnFactory(
        community=east,
        year=YEAR,
        households=1200,
        population=3500,
        neighborhoods=3,
        units=12,
        status=ReturnStatus.SUBMITTED,
    )
    r_west = SurveyReturnFactory(community=west, year=YEAR, households=800, population=2100, neighborhoods=1, units=4)
    r_xiema = SurveyReturnFactory(
        community=xiema, year=YEAR, households=3200, population=9000, neighborhoods=6, units=30
    )
    PremisesFactory(survey_return=r_east, name="办公室", category=Category.OFFICE, area=Decimal("200"))
    PremisesFactory(survey_return=r_east, name="服务大厅", category=Category.SERVICE, area=Decimal("300"))
    PremisesFactory(survey_return=r_east, name="广场", category=Category.OUTDOOR, area=Decimal("800"))
    PremisesFactory(survey_return=r_west, name="办公室", category=Category.OFFICE, area=Decimal("100"))
    PremisesFactory(survey_return=r_west, name="活动室", category=Category.SERVICE, area=Decimal("50.5"))
    PremisesFactory(survey_return=r_xiema, name="办公楼", category=Category.OFFICE, area=Decimal("600"))
    PremisesFactory(survey_return=r_xiema, name="日间照料中心", category=Category.SERVICE, area=Decimal("200"))

    party = {"political_status": PoliticalStatus.CPC}
    _workers(
        r_east,
        [
            (Position.SECRETARY_DIRECTOR, 2600, 400, 300, {**party, "education": Education.BACHELOR}),
            (Position.FULL_TIME, 1400, 500, 300, {}),
            (Position.FULL_TIME, 1400, 500, 300, {"seconded": True, "seconded_to": "镇政府"}),
            (Position.GRID, 1400, 0, 300, {"left_on": date(YEAR, 6, 30), "leave_reason": "待遇低"}),
        ],
    )
    _workers(r_west, [(Position.DIRECTOR, 2400, 300, 300, party), (Position.MEMBER, 1400, 400, 300, {})])
    _workers(
        r_xiema,
        [
            (Position.SECRETARY, 2800, 500, 320, party),
            (Position.DEPUTY_DIRECTOR, 1800, 500, 300, {"education": Education.HIGH_SCHOOL}),
            (Position.FULL_TIME, 1500, 500, 300, {}),
        ],
    )
    AllocationFactory(
        unit_code=COUNTY, year=YEAR, source=Source.COUNTY, use=Use.WORK, budget=Decimal(30000), received=Decimal(20000)
    )
    AllocationFactory(
        unit_code=east.code,
        year=YEAR,
        source=Source.TOWNSHIP,
        use=Use.PUBLIC,
        budget=Decimal(12345.67),
        received=Decimal(12345.67),
    )
    ServiceProgramFactory(survey_return=r_east, name="老年食堂", area=ServiceArea.ELDERLY, beneficiaries=1200)
    ServiceProgramFactory(
        survey_return=r_xiema,
        name="就业培训",
        area=ServiceArea.EMPLOYMENT,
        provider=Provider.PURCHASED,
        beneficiaries=300,
    )

    # Last year: two communities, smaller.
    last_east = SurveyReturnFactory(
        community=east, year=YEAR - 1, households=1150, population=3400, status=ReturnStatus.APPROVED
    )
    last_xiema = SurveyReturnFactory(
        community=xiema, year=YEAR - 1, households=3100, population=8800, status=ReturnStatus.APPROVED
    )
    PremisesFactory(survey_return=last_east, name="办公室", category=Category.OFFICE, area=Decimal("200"))
    PremisesFactory(survey_return=last_xiema, name="办公楼", category=Category.OFFICE, area=Decimal("600"))
    _workers(
        last_east, [(Position.SECRETARY_DIRECTOR, 2500, 400, 300, party), (Position.FULL_TIME, 1300, 500, 300, {})]
    )
    _workers(last_xiema, [(Position.SECRETARY, 2700, 500, 320, party)])
    AllocationFactory(
        unit_code=COUNTY,
        year=YEAR - 1,
        source=Source.COUNTY,
        use=Use.WORK,
        budget=Decimal(25000),
        received=Decimal(25000),
    )
    return {"east": east, "west": west, "xiema": xiema}
