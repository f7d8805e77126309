"""A realistic demo county built from nothing: three streets/townships, 20 communities of all four types,
three years of returns whose magnitudes follow the seed survey reports, and a user of each role.
At city scale (``demo --scale city``), the other eight counties of the city too: 150 communities in all, a city
reviewer and a clerk per street, for the load test.

Deterministic (a fixed random seed) and idempotent: a return that exists is left as it is, so running the
command again adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from facilities.models import Category, Function, Ownership, Premises
from funding.models import Allocation, Source, Use
from services.models import Provider, ServiceArea, ServiceProgram
from workforce.models import Education, Gender, PoliticalStatus, Position, Qualification, Worker
from workforce.validators import id_number_check_char

from .models import (
    Community,
    CommunityType,
    PeriodExtension,
    Region,
    ReportingPeriod,
    ReturnStatus,
    Role,
    Standard,
    StandardKey,
    SurveyReturn,
    UrbanRuralCode,
)
from .services import user_upsert

PROVINCE = ("42", "湖北省")
CITY = ("4206", "襄阳市")
COUNTY = ("420626", "保康县")
STREETS = [
    ("420626001", "城关街道"),
    ("420626101", "歇马镇"),
    ("420626201", "寺坪乡"),
]
# (street, committee number, name, type, urban-rural code, households in the first year)
COMMUNITIES = [
    ("420626001", "001", "光千社区", CommunityType.URBAN, UrbanRuralCode.MAIN_URBAN, 3650),
    ("420626001", "002", "清溪社区", CommunityType.URBAN, UrbanRuralCode.MAIN_URBAN, 2870),
    ("420626001", "003", "东坡社区", CommunityType.URBAN, UrbanRuralCode.MAIN_URBAN, 2240),
    ("420626001", "004", "西坝社区", CommunityType.URBAN, UrbanRuralCode.MAIN_URBAN, 1780),
    ("420626001", "005", "南门社区", CommunityType.URBAN, UrbanRuralCode.MAIN_URBAN, 3980),
    ("420626001", "006", "胜利社区", CommunityType.VILLAGE_CONVERTED, UrbanRuralCode.URBAN_FRINGE, 1460),
    ("420626001", "007", "黄龙社区", CommunityType.VILLAGE_CONVERTED, UrbanRuralCode.URBAN_FRINGE, 1120),
    ("420626001", "008", "紫薇社区", CommunityType.URBAN, UrbanRuralCode.MAIN_URBAN, 2560),
    ("420626101", "001", "歇马街社区", CommunityType.TOWN, UrbanRuralCode.TOWN_CENTRE, 980),
    ("420626101", "002", "百峰社区", CommunityType.VILLAGE_MERGED, UrbanRuralCode.TOWN_FRINGE, 640),
    ("420626101", "003", "金斗社区", CommunityType.VILLAGE_MERGED, UrbanRuralCode.TOWN_FRINGE, 520),
    ("420626101", "004", "欧店社区", CommunityType.TOWN, UrbanRuralCode.TOWN_CENTRE, 760),
    ("420626101", "005", "马桥社区", CommunityType.VILLAGE_CONVERTED, UrbanRuralCode.TOWN_FRINGE, 1320),
    ("420626101", "006", "尧治河社区", CommunityType.TOWN, UrbanRuralCode.TOWN_CENTRE, 430),
    ("420626201", "001", "寺坪街社区", CommunityType.TOWN, UrbanRuralCode.TOWNSHIP_CENTRE, 870),
    ("420626201", "002", "马良社区", CommunityType.TOWN, UrbanRuralCode.TOWNSHIP_CENTRE, 690),
    ("420626201", "003", "龙坪社区", CommunityType.VILLAGE_MERGED, UrbanRuralCode.VILLAGE, 310),
    ("420626201", "004", "店垭社区", CommunityType.VILLAGE_MERGED, UrbanRuralCode.VILLAGE, 450),
    ("420626201", "005", "两峪社区", CommunityType.VILLAGE_CONVERTED, UrbanRuralCode.TOWNSHIP_CENTRE, 1050),
    ("420626201", "006", "过渡湾社区", CommunityType.TOWN, UrbanRuralCode.TOWNSHIP_CENTRE, 560),
]
YEARS = (2023, 2024, 2025)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅凤云建国志文斌琴兵鑫辉"


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    region_code: str | None
    full_name: str


DEMO_USERS = [
    DemoUser("clerk", "Shequ-clerk-2026", Role.CLERK, "420626001", "城关街道 填报员"),
    DemoUser("clerk2", "Shequ-clerk2-2026", Role.CLERK, "420626101", "歇马镇 填报员"),
    DemoUser("reviewer", "Shequ-review-2026", Role.REVIEWER, "420626", "县民政局 审核员"),
    DemoUser("admin", "Shequ-admin-2026", Role.ADMIN, None, "县民政局 管理员"),
]


@dataclass
class DemoSummary:
    regions: int = 0
    communities: int = 0
    returns_created: int = 0
    workers: int = 0
    premises: int = 0
    allocations: int = 0
    programs: int = 0


def _id_number(rng: random.Random, birth_year: int, gender: str) -> str:
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    sequence = rng.randint(10, 99) * 10 + (
        rng.choice([1, 3, 5, 7, 9]) if gender == Gender.MALE else rng.choice([0, 2, 4, 6, 8])
    )
    first17 = f"{COUNTY[0]}{birth_year:04d}{month:02d}{day:02d}{sequence:03d}"
    return first17 + id_number_check_char(first17)


def _worker_pool(rng: random.Random, households: int) -> list[dict]:
    """Everyone who ever worked for the community in the demo years: hire dates, leave dates, secondment."""
    in_post = max(4, min(16, round(households / 260 + rng.uniform(-1, 2))))
    pool = []
    positions = [Position.SECRETARY_DIRECTOR, Position.DEPUTY_SECRETARY, Position.DEPUTY_DIRECTOR, Position.MEMBER]
    for index in range(in_post + rng.randint(1, 3)):
        gender = rng.choice([Gender.MALE, Gender.FEMALE, Gender.FEMALE])
        birth_year = rng.randint(1968, 1999)
        position = (
            positions[index]
            if index < len(positions)
            else rng.choice([Position.FULL_TIME, Position.FULL_TIME, Position.GRID, Position.MEMBER])
        )
        leader = position in (Position.SECRETARY_DIRECTOR, Position.SECRETARY, Position.DIRECTOR)
        hired = date(rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28))
        left = None
        if index >= in_post:  # the extra ones left at some point
            left = date(max(hired.year, rng.randint(2022, 2025)), rng.randint(1, 12), 28)
            if left <= hired:
                left = date(hired.year + 1, hired.month, hired.day)
        pool.append(
            {
                "name": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
                "gender": gender,
                "birth_year": birth_year,
                "id_number": _id_number(rng, birth_year, gender) if rng.random() < 0.85 else "",
                "education": rng.choices(
                    list(Education), weights=[1, 12, 45, 30, 12] if not leader else [2, 30, 50, 15, 3]
                )[0],
                "political_status": PoliticalStatus.CPC
                if leader or rng.random() < 0.45
                else rng.choice([PoliticalStatus.MASSES, PoliticalStatus.CYL]),
                "position": position,
                "hired_on": hired,
                "left_on": left,
                "leave_reason": rng.choice(["考入机关事业单位", "报酬偏低另谋职业", "家庭原因", "外出务工"])
                if left
                else "",
                "seconded": left is None and not leader and rng.random() < 0.22,
                "qualification": rng.choices(list(Qualification), weights=[80, 14, 5, 1])[0],
                "monthly_pay": Decimal(rng.randint(18, 22) * 100 if leader else rng.randint(14, 17) * 100),
                "monthly_allowance": Decimal(rng.choice([0, 200, 300, 500])),
                "monthly_social_insurance": Decimal(rng.randint(28, 34) * 10),
            }
        )
    # Make sure every name+birth year is unique in the community (the roster's key when no ID number is given).
    seen = set()
    for worker in pool:
        while (worker["name"], worker["birth_year"]) in seen:
            worker["birth_year"] += 1
        seen.add((worker["name"], worker["birth_year"]))
    return pool


def _premises(rng: random.Random, households: int, short: bool) -> list[dict]:
    required = max(300, households * 30 / 100)
    total = required * (rng.uniform(0.3, 0.8) if short else rng.uniform(1.0, 1.6))
    office = round(total * rng.uniform(0.3, 0.45))
    service = round(total - office)
    rows = [
        {
            "name": "社区办公室",
            "category": Category.OFFICE,
            "function": Function.OFFICE,
            "area": office,
            "ownership": rng.choice([Ownership.SELF_BUILT, Ownership.DEVELOPER, Ownership.REALLOCATED]),
            "built_year": rng.randint(2005, 2020),
        },
        {
            "name": "党群服务中心",
            "category": Category.SERVICE,
            "function": Function.SERVICE_HALL,
            "area": round(service * 0.55),
            "ownership": Ownership.SELF_BUILT,
            "built_year": rng.randint(2010, 2022),
        },
        {
            "name": "老年活动室",
            "category": Category.SERVICE,
            "function": Function.ELDERLY,
            "area": service - round(service * 0.55),
            "ownership": rng.choice(list(Ownership)),
            "built_year": rng.randint(2008, 2022),
        },
    ]
    if rng.random() < 0.6:
        rows.append(
            {
                "name": "文化广场",
                "category": Category.OUTDOOR,
                "function": Function.PLAZA,
                "area": rng.randint(300, 2500),
                "ownership": Ownership.SELF_BUILT,
                "built_year": None,
            }
        )
    return rows


PROGRAM_NAMES = {
    ServiceArea.SOCIAL_ASSISTANCE: "低保及临时救助代办",
    ServiceArea.EMPLOYMENT: "就业技能培训",
    ServiceArea.ELDERLY: "居家养老上门服务",
    ServiceArea.MINORS: "四点半课堂",
    ServiceArea.DISABILITY: "残疾人康复帮扶",
    ServiceArea.HEALTH: "家庭医生签约",
    ServiceArea.SAFETY: "平安巡逻",
    ServiceArea.CULTURE_EDUCATION: "广场舞及文体活动",
    ServiceArea.CONVENIENCE: "便民维修",
    ServiceArea.AGENCY: "一站式代办",
}


def _programs(rng: random.Random, households: int) -> list[dict]:
    areas = rng.sample(list(ServiceArea), k=rng.randint(3, 8))
    return [
        {
            "name": PROGRAM_NAMES[area],
            "area": area,
            "provider": rng.choices(list(Provider), weights=[50, 20, 10, 20])[0],
            "beneficiaries": rng.randint(households // 10, households),
            "volunteer_visits": rng.randint(0, 300),
            "funds": Decimal(rng.randint(0, 40) * 1000),
        }
        for area in areas
    ]


def _allocations(rng: random.Random, code: str, year: int, households: int) -> list[Allocation]:
    funds_per_household = rng.uniform(6, 16)  # some communities below the 10 元 standard
    rows = [
        (Source.COUNTY, Use.WORK, households * funds_per_household * 0.6),
        (Source.TOWNSHIP, Use.WORK, households * funds_per_household * 0.4),
        (Source.COUNTY, Use.PERSONNEL, rng.randint(15, 40) * 10000),
        (Source.TOWNSHIP, Use.PUBLIC, rng.randint(2, 6) * 10000),
    ]
    if rng.random() < 0.4:
        rows.append((Source.CENTRAL_PROVINCIAL, Use.PREMISES, rng.randint(5, 30) * 10000))
    if rng.random() < 0.3:
        rows.append((Source.RESIDENT_UNITS, Use.WELFARE, rng.randint(1, 5) * 10000))
    allocations = []
    for source, use, amount in rows:
        budget = Decimal(round(amount, -2))
        received = (budget * Decimal(rng.choice(["1", "1", "0.8", "0.6"]))).quantize(Decimal("0.01"))
        allocations.append(
            Allocation(unit_code=code, year=year, source=source, use=use, budget=budget, received=received)
        )
    return allocations


def _status_for(year: int, index: int) -> str:
    if year < YEARS[-1]:
        return ReturnStatus.APPROVED
    return [
        ReturnStatus.DRAFT,
        ReturnStatus.SUBMITTED,
        ReturnStatus.SUBMITTED,
        ReturnStatus.RETURNED,
        ReturnStatus.APPROVED,
    ][index % 5]


def _submission(year: int, index: int, status: str) -> dict:
    """When a handed-in return was submitted: earlier years in the spring after; the latest year in the last days."""
    if status == ReturnStatus.DRAFT:
        return {}
    if year < YEARS[-1]:
        when = datetime(year + 1, 3, 1 + index % 20, 10, tzinfo=UTC)
    else:
        when = timezone.now() - timedelta(days=1 + index % 9, hours=index)
    return {"submitted_at": when, "first_submitted_at": when}


def _demo_period() -> None:
    """The latest year's reporting period of the county, due in two weeks, with a later deadline for 歇马镇."""
    today = timezone.localdate()
    period, created = ReportingPeriod.objects.get_or_create(
        region_code=COUNTY[0],
        year=YEARS[-1],
        defaults={"opens_on": min(today, date(YEARS[-1] + 1, 1, 5)), "due_on": today + timedelta(days=14)},
    )
    if created:
        PeriodExtension.objects.create(
            period=period, unit_code=STREETS[1][0], due_on=period.due_on + timedelta(days=14), reason="（演示）汛期延期"
        )


def _build_community(
    summary: DemoSummary, index: int, street: str, number: str, name: str, kind, urban_rural, households0: int
) -> None:
    """One community and its returns for YEARS; a return that exists is left as it is."""
    code = f"{street}{number}"
    community, created = Community.objects.get_or_create(
        code=code,
        defaults={"name": name, "street_id": street, "community_type": kind, "urban_rural_code": urban_rural},
    )
    summary.communities += created
    rng = random.Random(f"shequ-demo-{code}")
    pool = _worker_pool(rng, households0)
    short_of_space = index % 3 == 1
    base_premises = _premises(rng, households0, short_of_space)
    for offset, year in enumerate(YEARS):
        households = round(households0 * (1 + 0.02 * offset))
        status = _status_for(year, index)
        survey_return, created = SurveyReturn.objects.get_or_create(
            community=community,
            year=year,
            defaults={
                "status": status,
                "households": households,
                "population": round(households * rng.uniform(2.6, 3.2)),
                "neighborhoods": max(1, households // rng.randint(250, 600)),
                "units": rng.randint(5, 60),
                "party_members": round(households * rng.uniform(0.03, 0.06)),
                "volunteers": round(households * rng.uniform(0.02, 0.1)),
                "social_organizations": rng.randint(0, 12),
                "police_officers": rng.randint(0, 2),
                "review_comment": "户数与上年差异较大，请核实后重新提交。" if status == ReturnStatus.RETURNED else "",
                **_submission(year, index, status),
            },
        )
        if not created:
            continue
        summary.returns_created += 1
        year_end = date(year, 12, 31)
        workers = [
            Worker(survey_return=survey_return, **{**w, "seconded": w["seconded"] and year >= 2024})
            for w in pool
            if w["hired_on"] <= year_end
        ]
        premises = [Premises(survey_return=survey_return, **p) for p in base_premises]
        if year == YEARS[-1] and short_of_space and index % 2:
            premises.append(
                Premises(
                    survey_return=survey_return,
                    name="新建日间照料中心",
                    category=Category.SERVICE,
                    function=Function.DAY_CARE,
                    area=Decimal(120),
                    ownership=Ownership.PURCHASED,
                    built_year=year,
                )
            )
        programs = [ServiceProgram(survey_return=survey_return, **p) for p in _programs(rng, households)]
        allocations = _allocations(rng, code, year, households)
        bulk_create_with_history(workers, Worker)
        bulk_create_with_history(premises, Premises)
        bulk_create_with_history(programs, ServiceProgram)
        Allocation.objects.filter(unit_code=code, year=year).delete()
        bulk_create_with_history(allocations, Allocation)
        summary.workers += len(workers)
        summary.premises += len(premises)
        summary.programs += len(programs)
        summary.allocations += len(allocations)


@transaction.atomic
def demo_build(scale: str = "county") -> tuple[DemoSummary, list[DemoUser]]:
    """Build the demo county; with scale="city", also the rest of the city (150 communities in all)."""
    if scale not in SCALES:
        raise ValueError(f"未知的演示规模：{scale}")
    summary = DemoSummary()
    for code, name in [PROVINCE, CITY, COUNTY]:
        _, created = Region.objects.get_or_create(code=code, defaults={"name": name})
        summary.regions += created
    # The demo's townships carry the names its workbooks use, as a county's would, whatever the division list
    # (loaded by migrate) calls the code: 420626101 is 黄堡镇 there, 歇马镇 here.
    for code, name in STREETS:
        _, created = Region.objects.update_or_create(code=code, defaults={"name": name})
        summary.regions += created

    for index, (street, number, name, kind, urban_rural, households0) in enumerate(COMMUNITIES):
        _build_community(summary, index, street, number, name, kind, urban_rural, households0)

    # Money allocated at the street and county level, not to a single community.
    for year in YEARS:
        for code, source, use, amount in [
            (COUNTY[0], Source.COUNTY, Use.PROGRAMS, 600000),
            (STREETS[1][0], Source.TOWNSHIP, Use.WORK, 80000),
            (STREETS[2][0], Source.TOWNSHIP, Use.WORK, 60000),
        ]:
            _, created = Allocation.objects.get_or_create(
                unit_code=code,
                year=year,
                source=source,
                use=use,
                defaults={"budget": Decimal(amount), "received": Decimal(amount) * Decimal("0.9")},
            )
            summary.allocations += created

    _demo_standards()
    _demo_period()

    users = list(DEMO_USERS)
    if scale == "city":
        users += _build_city(summary)

    for demo_user in users:
        region = Region.objects.get(code=demo_user.region_code) if demo_user.region_code else None
        user = user_upsert(
            username=demo_user.username,
            password=demo_user.password,
            role=demo_user.role,
            region=region,
            full_name=demo_user.full_name,
        )
        if demo_user.role == Role.CLERK:  # the street's handed-in returns were submitted by its clerk
            SurveyReturn.objects.filter(
                community__street=region, submitted_at__isnull=False, submitted_by__isnull=True
            ).update(submitted_by=user)
    return summary, users


# The county's own thresholds and benchmarks (no national default exists for these), from the first demo year;
# the documents are marked as demo ones. A value a reviewer has changed since is left as it is.
DEMO_STANDARDS = [
    (StandardKey.WORKER_LOSS_RATE_MAX, Decimal("0.1"), "（演示）某县社区工作者队伍建设考核办法"),
    (StandardKey.WORKER_SECONDMENT_RATE_MAX, Decimal("0.1"), "（演示）某县社区工作者队伍建设考核办法"),
    (StandardKey.FUNDING_RECEIVED_RATE_MIN, Decimal("0.9"), "（演示）某县社区工作经费管理办法"),
    (StandardKey.SERVICE_COVERAGE_MIN, Decimal("0.6"), "（演示）某县城乡社区服务体系建设实施方案"),
    (StandardKey.VILLAGE_HEAD_ANNUAL_PAY, Decimal("41000"), "（演示）某县村干部报酬管理办法"),
    (StandardKey.VILLAGE_DEPUTY_ANNUAL_PAY, Decimal("18000"), "（演示）某县村干部报酬管理办法"),
]


def _demo_standards() -> None:
    for key, value, source in DEMO_STANDARDS:
        Standard.objects.get_or_create(
            region_code=COUNTY[0], key=key, year_from=YEARS[0], defaults={"value": value, "source": source}
        )


# City scale: the other counties of the city, three streets/townships each, 130 more communities (150 in all),
# a city reviewer and one clerk per street. Deterministic and idempotent like the county.
CITY_COUNTIES = [
    ("420602", "襄城区", [("001", "古城街道"), ("002", "庞公街道"), ("003", "真武山街道")]),
    ("420606", "樊城区", [("001", "中山街道"), ("002", "定中门街道"), ("003", "米公街道")]),
    ("420607", "襄州区", [("001", "张湾街道"), ("002", "肖湾街道"), ("101", "双沟镇")]),
    ("420624", "南漳县", [("100", "城关镇"), ("101", "武安镇"), ("102", "九集镇")]),
    ("420625", "谷城县", [("100", "城关镇"), ("101", "石花镇"), ("102", "冷集镇")]),
    ("420682", "老河口市", [("001", "光化街道"), ("002", "酂阳街道"), ("101", "仙人渡镇")]),
    ("420683", "枣阳市", [("001", "南城街道"), ("002", "北城街道"), ("003", "环城街道")]),
    ("420684", "宜城市", [("001", "鄢城街道"), ("002", "南营街道"), ("101", "郑集镇")]),
]
CITY_COMMUNITY_STEMS = [
    "和平",
    "民主",
    "建设",
    "幸福",
    "团结",
    "友谊",
    "新华",
    "春晖",
    "朝阳",
    "康乐",
    "长青",
    "育才",
    "滨江",
    "汉江",
    "檀溪",
    "岘山",
    "隆中",
    "卧龙",
    "凤凰",
    "麒麟",
    "文昌",
    "书院",
    "望江",
    "清河",
    "柳园",
    "桂园",
    "荷花",
    "杏林",
    "丰乐",
    "永安",
    "安居",
    "宜居",
    "锦绣",
    "明珠",
    "金桥",
    "银河",
    "东风",
    "前进",
    "光明",
    "胜利",
]
CITY_PASSWORD = "Shequ-city-2026"
CITY_REVIEWER = DemoUser("reviewer-city", "Shequ-city-review-2026", Role.REVIEWER, CITY[0], "市民政局 审核员")
SCALES = ("county", "city")


def city_streets() -> list[tuple[str, str]]:
    """Every street/township of the city-scale demo, the demo county's included: (code, name)."""
    return list(STREETS) + [
        (f"{county}{number}", name) for county, _, streets in CITY_COUNTIES for number, name in streets
    ]


def city_clerk(street_code: str, street_name: str) -> DemoUser:
    return DemoUser(f"clerk-{street_code}", CITY_PASSWORD, Role.CLERK, street_code, f"{street_name} 填报员")


def _build_city(summary: DemoSummary) -> list[DemoUser]:
    index = len(COMMUNITIES)
    street_index = 0
    for county, county_name, streets in CITY_COUNTIES:
        _, created = Region.objects.get_or_create(code=county, defaults={"name": county_name})
        summary.regions += created
        for number, street_name in streets:
            street = f"{county}{number}"
            _, created = Region.objects.get_or_create(code=street, defaults={"name": street_name})
            summary.regions += created
            rng = random.Random(f"shequ-city-{street}")
            urban = int(number) < 100  # 001-099 街道, 100-199 镇
            count = 6 if street_index < 10 else 5  # 10 × 6 + 14 × 5 = 130
            street_index += 1
            for position, stem in enumerate(rng.sample(CITY_COMMUNITY_STEMS, k=count), start=1):
                if urban:
                    kind = rng.choice([CommunityType.URBAN, CommunityType.URBAN, CommunityType.VILLAGE_CONVERTED])
                    urban_rural = (
                        UrbanRuralCode.MAIN_URBAN if kind == CommunityType.URBAN else UrbanRuralCode.URBAN_FRINGE
                    )
                    households0 = rng.randint(1200, 4200)
                else:
                    kind = rng.choice([CommunityType.TOWN, CommunityType.TOWN, CommunityType.VILLAGE_MERGED])
                    urban_rural = (
                        UrbanRuralCode.TOWN_CENTRE if kind == CommunityType.TOWN else UrbanRuralCode.TOWN_FRINGE
                    )
                    households0 = rng.randint(300, 1600)
                _build_community(
                    summary, index, street, f"{position:03d}", f"{stem}社区", kind, urban_rural, households0
                )
                index += 1
    return [CITY_REVIEWER] + [city_clerk(code, name) for code, name in city_streets()]
