"""A small survey whose indicators are worked out by hand in the tests.

County 420626 (保康县), year 2025:

| community | street | households | population | office | service | outdoor | workers (in post) |
| --- | --- | --- | --- | --- | --- | --- | --- |
| A1 420626001001 | A | 800 | 2000 | 100 | 150 | 500 | 3 (1: secretary) |
| A2 420626001002 | A | 1500 | 4500 | 200 | 500 | 0 | 3 (3: director, grid (seconded), full-time) |
| B1 420626101001 | B | 3500 | 9000 | 0 | 1200 | 0 | 0 |

Workers: A1 — secretary in post (3000 + 500 allowance − 300 insurance, 中共党员, 本科, born 1980, 助理社会工作师);
full-time who left 2024-06-30; full-time who left 2025-05-01. A2 — director (2500 + 0 − 200, 大专, born 1990);
grid worker, seconded (1800 + 200 − 150, 高中, born 2000); full-time leaving 2026-02-01, so in post at the end of
2025 (2000, 大专, born 1970).

Funding 2025: county 420626 县级财政/人员报酬 100000 (received 80000); A1 县级财政/工作经费 5000 (received 5000);
street A 乡镇(街道)财政/公用经费 6000 (received not given); another county 420627 999999 (not ours).

Services 2025: A1 为老服务 社区自办 (100 beneficiaries, 10 volunteer visits, 1000 元); A1 为老服务 政府购买服务
(50 beneficiaries); A2 就业服务 社会组织 (no beneficiaries given).
"""

from datetime import date
from decimal import Decimal

from facilities.models import Category
from funding.models import Source, Use
from services.models import Provider, ServiceArea
from tests.communities.factories import CommunityFactory, RegionFactory, SurveyReturnFactory
from tests.facilities.factories import PremisesFactory
from tests.funding.factories import AllocationFactory
from tests.services.factories import ServiceProgramFactory
from tests.workforce.factories import WorkerFactory
from workforce.models import Education, PoliticalStatus, Position, Qualification

YEAR = 2025


def build_survey(street_a, street_b):
    a1 = SurveyReturnFactory(
        community=CommunityFactory(code="420626001001", street=street_a, name="A1社区"),
        year=YEAR,
        households=800,
        population=2000,
    )
    a2 = SurveyReturnFactory(
        community=CommunityFactory(code="420626001002", street=street_a, name="A2社区"),
        year=YEAR,
        households=1500,
        population=4500,
    )
    b1 = SurveyReturnFactory(
        community=CommunityFactory(code="420626101001", street=street_b, name="B1社区"),
        year=YEAR,
        households=3500,
        population=9000,
    )
    PremisesFactory(survey_return=a1, category=Category.OFFICE, area=Decimal("100"))
    PremisesFactory(survey_return=a1, category=Category.SERVICE, area=Decimal("150"))
    PremisesFactory(survey_return=a1, category=Category.OUTDOOR, area=Decimal("500"))
    PremisesFactory(survey_return=a2, category=Category.OFFICE, area=Decimal("200"))
    PremisesFactory(survey_return=a2, category=Category.SERVICE, area=Decimal("500"))
    PremisesFactory(survey_return=b1, category=Category.SERVICE, area=Decimal("1200"))

    WorkerFactory(
        survey_return=a1,
        position=Position.SECRETARY,
        monthly_pay=Decimal("3000"),
        monthly_allowance=Decimal("500"),
        monthly_social_insurance=Decimal("300"),
        political_status=PoliticalStatus.CPC,
        education=Education.BACHELOR,
        birth_year=1980,
        qualification=Qualification.ASSISTANT,
    )
    WorkerFactory(survey_return=a1, monthly_pay=Decimal("2000"), left_on=date(2024, 6, 30))
    WorkerFactory(survey_return=a1, monthly_pay=Decimal("2000"), left_on=date(2025, 5, 1))
    WorkerFactory(
        survey_return=a2,
        position=Position.DIRECTOR,
        monthly_pay=Decimal("2500"),
        monthly_social_insurance=Decimal("200"),
        education=Education.COLLEGE,
        political_status=PoliticalStatus.MASSES,
        birth_year=1990,
    )
    WorkerFactory(
        survey_return=a2,
        position=Position.GRID,
        monthly_pay=Decimal("1800"),
        monthly_allowance=Decimal("200"),
        monthly_social_insurance=Decimal("150"),
        education=Education.HIGH_SCHOOL,
        birth_year=2000,
        seconded=True,
        seconded_to="街道办",
    )
    WorkerFactory(
        survey_return=a2,
        monthly_pay=Decimal("2000"),
        education=Education.COLLEGE,
        birth_year=1970,
        left_on=date(2026, 2, 1),
    )

    AllocationFactory(
        unit_code="420626",
        source=Source.COUNTY,
        use=Use.PERSONNEL,
        budget=Decimal("100000"),
        received=Decimal("80000"),
    )
    AllocationFactory(
        unit_code="420626001001", source=Source.COUNTY, use=Use.WORK, budget=Decimal("5000"), received=Decimal("5000")
    )
    AllocationFactory(unit_code="420626001", source=Source.TOWNSHIP, use=Use.PUBLIC, budget=Decimal("6000"))
    AllocationFactory(unit_code="420627", source=Source.COUNTY, use=Use.WORK, budget=Decimal("999999"))

    ServiceProgramFactory(
        survey_return=a1,
        area=ServiceArea.ELDERLY,
        provider=Provider.COMMUNITY,
        beneficiaries=100,
        volunteer_visits=10,
        funds=Decimal("1000"),
    )
    ServiceProgramFactory(survey_return=a1, area=ServiceArea.ELDERLY, provider=Provider.PURCHASED, beneficiaries=50)
    ServiceProgramFactory(survey_return=a2, area=ServiceArea.EMPLOYMENT, provider=Provider.SOCIAL_ORGANIZATION)
    return a1, a2, b1


def add_communities(street, count: int, *, year: int = YEAR):
    """``count`` more communities in ``street`` with a return, a worker, a room and a program each."""
    made = []
    for _ in range(count):
        survey_return = SurveyReturnFactory(community=CommunityFactory(street=street), year=year, households=1200)
        WorkerFactory(survey_return=survey_return)
        PremisesFactory(survey_return=survey_return)
        ServiceProgramFactory(survey_return=survey_return)
        AllocationFactory(unit_code=survey_return.community_id, year=year, budget=Decimal("100"))
        made.append(survey_return)
    return made


def add_streets(county_code: str, streets: int, communities: int, *, year: int = YEAR):
    """``streets`` more streets in the county (街道 002, 003, …), with ``communities`` more communities spread over
    them as add_communities makes them: the larger of two sizes in a query-count test differs from the smaller in
    streets as well as in communities, so a query per street shows up as well as a query per community."""
    made = [
        RegionFactory(code=f"{county_code}{number:03d}", name=f"新街道{number}") for number in range(2, streets + 2)
    ]
    for index, street in enumerate(made):
        add_communities(street, communities // streets + (1 if index < communities % streets else 0), year=year)
    return made


__all__ = ["RegionFactory", "YEAR", "add_communities", "add_streets", "build_survey"]
