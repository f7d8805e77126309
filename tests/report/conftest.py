"""A small county for the survey report, with figures chosen so that few of them coincide (the hand-computed
expectations in the tests are worked out from the numbers below).

2025, four communities:
  城关街道 (street A): 东门社区 城市社区 1240 households / 3710 residents / 3 compounds / 12 units, submitted;
                       西门社区 城市社区  830 / 2290 / 1 / 4, approved;
                       北门社区 村改居社区 2150 / 6420 / 5 / 21, draft.
  歇马镇 (street B):   歇马街社区 集镇社区 3000 / 8930 / 7 / 30, returned (exactly 3000: in the "3000户以上" band, yet
                       inside the 1000–3000 range).
Registered volunteers 46 + 13 + 58 + 71 = 188.

Premises (office + service = facility; required = max(300, 30 × households / 100)):
  东门 220 + 340 = 560 (needs 372: complies), outdoor 650;  西门 120 + 66.5 = 186.5 (needs 300: short 113.5);
  北门 260 + 380 = 640 (needs 645: short 5);                 歇马街 480 + 470 = 950 (needs 900: complies).

Workers (position, pay, allowance, social insurance; in post unless a leaving date is given):
  东门  书记兼主任 2600/400/310 党员 本科 1975; 专职 1400/500/290 大专 1990; 专职 1400/500/290 高中 1992 借用;
        网格员 1400 left 2025-06-30; 委员 1500 left 2023-03-31.
  西门  主任 2400/300/300 党员 大专 1978; 委员 1400/400/280 初中 1995; 网格员 1300 left 2024-08-31.
  北门  书记 2800/500/320 党员 研究生 1972; 副主任 1800/500/300 大专 1985 借用; 专职 1500/500/300 高中 1988;
        网格员 1300/200/260 本科 1996 助理社会工作师.
  歇马街 书记兼主任 2700/600/330 党员 本科 1980; 专职 1600/400/300 高中 1993 借用; 专职 1500/300 left 2025-09-30;
        专职 1500/300 left 2022-05-31.
  Roster 16; left 5 (2 of them in 2025); in post 11; seconded 3; on duty 8.

Funding 2025 (budget / received, 元): county 县级财政 工作经费 52000 / 41000; 东门 乡镇(街道)财政 公用经费
13579.25 / 13579.25; 西门 社区自筹 其他 5000 / 2000; 北门 县级财政 人员报酬 86000 / blank; street B 中央及省级 阵地建设
30000 / 27000.

Services 2025 (area, provider, beneficiaries, volunteer visits): 东门 为老服务 社区自办 1260/35, 未成年人服务 志愿服务
415/88; 北门 就业服务 政府购买服务 327/0, 便民服务 社区自办 96/9; 歇马街 为老服务 社会组织 530/12.

The county sets the village cadres' pay benchmarks: 41000 (head) and 18000 (deputy) 元 a year.

2024: 东门 1180 households / 3600 residents, office 230, 书记兼主任 2500/400/300 and 专职 1300/500/290; 歇马街
2950 / 8800, office 480, 书记 2700/500/320; county 县级财政 工作经费 48000 / 48000; both returns approved.
"""

from datetime import date
from decimal import Decimal

import pytest

from communities.models import CommunityType, FollowUp, FollowUpKind, ReturnStatus, SurveyReturn
from communities.standards import standards_save
from facilities.models import Category
from funding.models import Source, Use
from services.models import Provider, ServiceArea
from tests.communities.factories import CommunityFactory, SurveyReturnFactory
from tests.conftest import COUNTY, STREET_B
from tests.facilities.factories import PremisesFactory
from tests.funding.factories import AllocationFactory
from tests.services.factories import ServiceProgramFactory
from tests.workforce.factories import WorkerFactory
from workforce.models import Education, PoliticalStatus, Position, Qualification

YEAR = 2025
PAY_SOURCE = "保康县村干部报酬管理办法"
CPC = {"political_status": PoliticalStatus.CPC}


def _workers(survey_return, rows):
    for position, pay, allowance, insurance, education, birth_year, extra in rows:
        WorkerFactory(
            survey_return=survey_return,
            position=position,
            monthly_pay=Decimal(pay),
            monthly_allowance=Decimal(allowance),
            monthly_social_insurance=Decimal(insurance),
            education=education,
            birth_year=birth_year,
            **extra,
        )


def _premises(survey_return, rows):
    for name, category, area in rows:
        PremisesFactory(survey_return=survey_return, name=name, category=category, area=Decimal(area))


def _allocation(unit_code, year, source, use, budget, received):
    AllocationFactory(
        unit_code=unit_code,
        year=year,
        source=source,
        use=use,
        budget=Decimal(budget),
        received=None if received is None else Decimal(received),
    )


def _program(survey_return, name, area, provider, beneficiaries, volunteers):
    ServiceProgramFactory(
        survey_return=survey_return,
        name=name,
        area=area,
        provider=provider,
        beneficiaries=beneficiaries,
        volunteer_visits=volunteers,
    )


def _this_year(east, west, north, xiema):
    r_east = SurveyReturnFactory(
        community=east, year=YEAR, households=1240, population=3710, neighborhoods=3, units=12, volunteers=46,
        status=ReturnStatus.SUBMITTED,
    )  # fmt: skip
    r_west = SurveyReturnFactory(
        community=west, year=YEAR, households=830, population=2290, neighborhoods=1, units=4, volunteers=13,
        status=ReturnStatus.APPROVED,
    )  # fmt: skip
    r_north = SurveyReturnFactory(
        community=north, year=YEAR, households=2150, population=6420, neighborhoods=5, units=21, volunteers=58,
    )  # fmt: skip
    r_xiema = SurveyReturnFactory(
        community=xiema, year=YEAR, households=3000, population=8930, neighborhoods=7, units=30, volunteers=71,
        status=ReturnStatus.RETURNED,
    )  # fmt: skip

    _premises(r_east, [("办公室", Category.OFFICE, "220"), ("服务大厅", Category.SERVICE, "340")])
    _premises(r_east, [("文化广场", Category.OUTDOOR, "650")])
    _premises(r_west, [("办公室", Category.OFFICE, "120"), ("活动室", Category.SERVICE, "66.5")])
    _premises(r_north, [("办公室", Category.OFFICE, "260"), ("党群服务中心", Category.SERVICE, "380")])
    _premises(r_xiema, [("办公楼", Category.OFFICE, "480"), ("日间照料中心", Category.SERVICE, "470")])

    high, college, bachelor = Education.HIGH_SCHOOL, Education.COLLEGE, Education.BACHELOR
    seconded = {"seconded": True, "seconded_to": "镇政府"}
    _workers(
        r_east,
        [
            (Position.SECRETARY_DIRECTOR, 2600, 400, 310, bachelor, 1975, CPC),
            (Position.FULL_TIME, 1400, 500, 290, college, 1990, {}),
            (Position.FULL_TIME, 1400, 500, 290, high, 1992, seconded),
            (Position.GRID, 1400, 0, 290, high, 1994, {"left_on": date(YEAR, 6, 30), "leave_reason": "待遇低"}),
            (Position.MEMBER, 1500, 0, 300, high, 1970, {"left_on": date(2023, 3, 31)}),
        ],
    )
    _workers(
        r_west,
        [
            (Position.DIRECTOR, 2400, 300, 300, college, 1978, CPC),
            (Position.MEMBER, 1400, 400, 280, Education.JUNIOR_OR_BELOW, 1995, {}),
            (Position.GRID, 1300, 0, 280, high, 1991, {"left_on": date(2024, 8, 31)}),
        ],
    )
    _workers(
        r_north,
        [
            (Position.SECRETARY, 2800, 500, 320, Education.POSTGRADUATE, 1972, CPC),
            (Position.DEPUTY_DIRECTOR, 1800, 500, 300, college, 1985, seconded),
            (Position.FULL_TIME, 1500, 500, 300, high, 1988, {}),
            (Position.GRID, 1300, 200, 260, bachelor, 1996, {"qualification": Qualification.ASSISTANT}),
        ],
    )
    _workers(
        r_xiema,
        [
            (Position.SECRETARY_DIRECTOR, 2700, 600, 330, bachelor, 1980, CPC),
            (Position.FULL_TIME, 1600, 400, 300, high, 1993, seconded),
            (Position.FULL_TIME, 1500, 300, 300, high, 1989, {"left_on": date(YEAR, 9, 30)}),
            (Position.FULL_TIME, 1500, 300, 300, high, 1987, {"left_on": date(2022, 5, 31)}),
        ],
    )

    _allocation(COUNTY, YEAR, Source.COUNTY, Use.WORK, "52000", "41000")
    _allocation(east.code, YEAR, Source.TOWNSHIP, Use.PUBLIC, "13579.25", "13579.25")
    _allocation(west.code, YEAR, Source.SELF_RAISED, Use.OTHER, "5000", "2000")
    _allocation(north.code, YEAR, Source.COUNTY, Use.PERSONNEL, "86000", None)
    _allocation(STREET_B, YEAR, Source.CENTRAL_PROVINCIAL, Use.PREMISES, "30000", "27000")

    _program(r_east, "老年食堂", ServiceArea.ELDERLY, Provider.COMMUNITY, 1260, 35)
    _program(r_east, "四点半课堂", ServiceArea.MINORS, Provider.VOLUNTEER, 415, 88)
    _program(r_north, "就业培训", ServiceArea.EMPLOYMENT, Provider.PURCHASED, 327, 0)
    _program(r_north, "便民维修", ServiceArea.CONVENIENCE, Provider.COMMUNITY, 96, 9)
    _program(r_xiema, "居家养老", ServiceArea.ELDERLY, Provider.SOCIAL_ORGANIZATION, 530, 12)


def _last_year(east, xiema):
    r_east = SurveyReturnFactory(
        community=east, year=YEAR - 1, households=1180, population=3600, status=ReturnStatus.APPROVED
    )
    r_xiema = SurveyReturnFactory(
        community=xiema, year=YEAR - 1, households=2950, population=8800, status=ReturnStatus.APPROVED
    )
    _premises(r_east, [("办公室", Category.OFFICE, "230")])
    _premises(r_xiema, [("办公楼", Category.OFFICE, "480")])
    _workers(
        r_east,
        [
            (Position.SECRETARY_DIRECTOR, 2500, 400, 300, Education.BACHELOR, 1975, CPC),
            (Position.FULL_TIME, 1300, 500, 290, Education.COLLEGE, 1990, {}),
        ],
    )
    _workers(r_xiema, [(Position.SECRETARY, 2700, 500, 320, Education.BACHELOR, 1980, CPC)])
    _allocation(COUNTY, YEAR - 1, Source.COUNTY, Use.WORK, "48000", "48000")


@pytest.fixture
def report_data(street_a, street_b):
    standards_save(
        region_code=COUNTY,
        year_from=2020,
        values={"village_head_annual_pay": Decimal(41000), "village_deputy_annual_pay": Decimal(18000)},
        source=PAY_SOURCE,
    )
    east = CommunityFactory(street=street_a, code="420626001001", name="东门社区")
    west = CommunityFactory(street=street_a, code="420626001002", name="西门社区")
    north = CommunityFactory(
        street=street_a, code="420626001003", name="北门社区", community_type=CommunityType.VILLAGE_CONVERTED
    )
    xiema = CommunityFactory(street=street_b, code="420626101001", name="歇马街社区", community_type=CommunityType.TOWN)
    _this_year(east, west, north, xiema)
    _last_year(east, xiema)
    # 歇马街's return (sent back) has no money of its own, an 错误 of the rules (issue 13) that would keep the
    # report from being written: the reviewer has accepted it (tests/report/test_open_errors.py takes that back).
    FollowUp.objects.create(
        survey_return=SurveyReturn.objects.get(community=xiema, year=YEAR),
        kind=FollowUpKind.RULE,
        key="missing_funding_budget",
        note="经费由街道统一列支",
    )
    return {"east": east, "west": west, "north": north, "xiema": xiema}
