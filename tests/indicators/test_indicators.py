"""Every indicator against the hand-worked fixture of ``fixtures.py`` (expected values computed in the comments)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.indicator_engine import compute_indicators, compute_trend, indicator_definitions
from communities.models import Standard
from funding.models import Source, Use
from tests.communities.factories import CommunityFactory, SurveyReturnFactory
from tests.funding.factories import AllocationFactory
from tests.indicators.fixtures import YEAR, add_communities, add_streets, build_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(street_a, street_b):
    return build_survey(street_a, street_b)


@pytest.fixture
def county_figures(survey):
    return compute_indicators(region_code="420626", year=YEAR)


def values(figures):
    return {key: item["value"] for key, item in figures.items()}


def test_every_design_id_is_present_with_its_label(county_figures):
    design_ids = [
        "communities",
        "streets",
        "households",
        "population",
        "neighborhoods",
        "units",
        "households_by_size",
        "office_area",
        "service_area",
        "outdoor_area",
        "facility_area",
        "office_area_per_community",
        "facility_area_per_100_households",
        "facility_compliance_rate",
        "facility_shortfall_area",
        "workers_roster",
        "workers_left",
        "workers_left_in_year",
        "workers_in_post",
        "worker_loss_rate",
        "worker_turnover_rate",
        "workers_seconded",
        "worker_secondment_rate",
        "workers_on_duty",
        "households_per_worker",
        "workers_per_10k_residents",
        "avg_monthly_pay",
        "avg_monthly_net_pay",
        "leader_pay_vs_village_head",
        "staff_pay_vs_village_deputy",
        "education_mix",
        "certified_social_workers",
        "party_member_share",
        "avg_age",
        "funding_budget",
        "funding_received",
        "funding_budget_by_source",
        "funding_budget_by_use",
        "funding_received_rate",
        "funding_per_household",
        "work_funds_per_household",
        "service_programs",
        "service_beneficiaries",
        "service_area_coverage",
        "purchased_service_share",
    ]
    assert set(design_ids) <= set(county_figures)
    assert county_figures["facility_area_per_100_households"]["label"] == "每百户综合服务用房"
    assert list(county_figures) == list(indicator_definitions())


def test_counts_and_sums(county_figures):
    v = values(county_figures)
    assert v["communities"] == 3
    assert v["streets"] == 2
    assert v["households"] == 800 + 1500 + 3500
    assert v["population"] == 2000 + 4500 + 9000


def test_size_bands_and_the_households_range(county_figures):
    size = county_figures["households_by_size"]
    # A1 800 (<1000), A2 1500 (1000-2000), B1 3500 (≥3000); shares of 3 communities.
    assert size["value"]["1000户以下"] == {"count": 1, "share": 0.333333}
    assert size["value"]["1000-2000户"] == {"count": 1, "share": 0.333333}
    assert size["value"]["2000-2500户"] == {"count": 0, "share": 0.0}
    assert size["value"]["3000户以上"] == {"count": 1, "share": 0.333333}
    assert size["standard"]["value"] == [1000.0, 3000.0]
    assert size["passes"] is False
    # Outside 1000–3000: B1 by 500 households above, A1 by 200 below — worst first.
    assert [(row["code"], row["gap"]) for row in size["shortfalls"]] == [
        ("420626101001", 500.0),
        ("420626001001", 200.0),
    ]
    assert size["shortfall_count"] == 2


def test_space(county_figures):
    v = values(county_figures)
    assert v["office_area"] == 300.0
    assert v["service_area"] == 1850.0
    assert v["outdoor_area"] == 500.0
    assert v["facility_area"] == 2150.0
    assert v["office_area_per_community"] == 100.0
    # 2150 / 5800 × 100 = 37.07 ≥ 30: passes.
    per_100 = county_figures["facility_area_per_100_households"]
    assert per_100["value"] == 37.068966
    assert per_100["passes"] is True and per_100["gap"] is None
    assert per_100["standard"]["value"] == 30.0 and per_100["standard"]["region_code"] == ""
    # Required: A1 max(300, 240) = 300 > 250 (short 50); A2 max(300, 450) = 450 ≤ 700; B1 max(300, 1050) ≤ 1200.
    compliance = county_figures["facility_compliance_rate"]
    assert compliance["value"] == 0.666667
    assert compliance["passes"] is False
    assert compliance["shortfalls"] == [
        {
            "code": "420626001001",
            "name": "A1社区",
            "street_code": "420626001",
            "street_name": "城关街道",
            "households": 800,
            "value": 250.0,
            "standard": 300.0,
            "gap": 50.0,
        }
    ]
    assert v["facility_shortfall_area"] == 50.0


def test_workforce(county_figures):
    v = values(county_figures)
    assert v["workers_roster"] == 6
    assert v["workers_left"] == 2  # left 2024-06-30 and 2025-05-01; 2026-02-01 is still in post
    assert v["workers_left_in_year"] == 1
    assert v["workers_in_post"] == 4
    assert v["worker_loss_rate"] == 0.333333  # 2 / 6
    assert v["worker_turnover_rate"] == 0.2  # 1 / (4 + 1)
    assert v["workers_seconded"] == 1
    assert v["worker_secondment_rate"] == 0.25
    assert v["workers_on_duty"] == 3
    assert v["education_mix"]["本科"] == {"count": 1, "share": 0.25}
    assert v["education_mix"]["大专"] == {"count": 2, "share": 0.5}
    assert v["education_mix"]["研究生"] == {"count": 0, "share": 0.0}
    assert v["certified_social_workers"] == 1
    assert v["party_member_share"] == 0.25
    assert v["avg_age"] == 40.0  # 2025 − mean(1980, 1990, 2000, 1970)


def test_households_per_worker_and_workers_per_10k(county_figures):
    per_worker = county_figures["households_per_worker"]
    assert per_worker["value"] == 1450.0  # 5800 / 4
    assert per_worker["passes"] is False
    assert per_worker["gap"] == 20  # ceil(5800 / 250 − 4) = ceil(19.2)
    # B1 has no worker: needs ceil(3500/250) = 14; A1 ceil(800/250) − 1 = 3; A2 ceil(1500/250) − 3 = 3.
    assert [(r["code"], r["value"], r["gap"]) for r in per_worker["shortfalls"]] == [
        ("420626101001", None, 14.0),
        ("420626001001", 800.0, 3.0),
        ("420626001002", 500.0, 3.0),
    ]
    per_10k = county_figures["workers_per_10k_residents"]
    assert per_10k["value"] == 2.580645  # 4 / 15500 × 10000
    assert per_10k["gap"] == 24  # ceil(15500 × 18 / 10000 − 4) = ceil(23.9)
    # B1 ceil(16.2) − 0 = 17; A2 ceil(8.1) − 3 = 6; A1 ceil(3.6) − 1 = 3.
    assert [(r["code"], r["gap"]) for r in per_10k["shortfalls"]] == [
        ("420626101001", 17.0),
        ("420626001002", 6.0),
        ("420626001001", 3.0),
    ]


def test_pay_without_benchmarks_is_null(county_figures):
    v = values(county_figures)
    assert v["avg_monthly_pay"] == 2500.0  # (3500 + 2500 + 2000 + 2000) / 4
    assert v["avg_monthly_net_pay"] == 2337.5  # (3200 + 2300 + 1850 + 2000) / 4
    assert v["leader_pay_vs_village_head"] is None  # no benchmark set anywhere
    assert county_figures["leader_pay_vs_village_head"]["standard"] is None
    assert county_figures["leader_pay_vs_village_head"]["passes"] is None


def test_pay_against_an_inherited_benchmark(survey):
    Standard.objects.create(region_code="420626", key="village_head_annual_pay", year_from=2020, value=41000)
    Standard.objects.create(region_code="420626", key="village_head_annual_pay", year_from=2026, value=99000)
    Standard.objects.create(region_code="420626", key="village_deputy_annual_pay", year_from=2020, value=18000)
    Standard.objects.create(region_code="420626", key="local_average_wage", year_from=2020, value=36000)
    # Street A inherits the county's benchmark; the 2026 value is not yet in force for 2025.
    figures = compute_indicators(region_code="420626001", year=YEAR)
    head = figures["leader_pay_vs_village_head"]
    assert head["standard"]["value"] == 41000.0 and head["standard"]["region_code"] == "420626"
    # Street A's leaders: A1 secretary 3500, A2 director 2500: 12 × 3000 = 36000 / 41000.
    assert head["value"] == 0.878049
    assert head["passes"] is False and head["gap"] == 5000.0
    # A2's director: 12 × 2500 = 30000, 11000 below; A1's secretary 42000 is above.
    assert [(r["code"], r["value"], r["gap"]) for r in head["shortfalls"]] == [("420626001002", 30000.0, 11000.0)]
    deputy = figures["staff_pay_vs_village_deputy"]
    assert deputy["value"] == 1.333333  # 12 × mean(2000, 2000) / 18000
    assert deputy["passes"] is True and deputy["shortfalls"] == []
    pay = figures["avg_monthly_pay"]
    assert pay["value"] == 2500.0 and pay["passes"] is False and pay["gap"] == 6000.0  # 36000 − 12 × 2500


def test_a_standard_set_below_the_region_applies_to_its_communities(survey):
    Standard.objects.create(region_code="420626001", key="facility_min_area", year_from=2024, value=Decimal(600))
    county = compute_indicators(region_code="420626", year=YEAR)
    # Street A's communities need 600 m²: A1 (250) short 350, A2 (700) fine; B1 keeps the national 300 / 1050.
    compliance = county["facility_compliance_rate"]
    assert [(r["code"], r["standard"], r["gap"]) for r in compliance["shortfalls"]] == [("420626001001", 600.0, 350.0)]
    assert county["facility_shortfall_area"]["value"] == 350.0
    assert county["facility_compliance_rate"]["standard"]["minimum_area"]["value"] == 300.0
    street = compute_indicators(region_code="420626001", year=YEAR)
    assert street["facility_compliance_rate"]["standard"]["minimum_area"]["region_code"] == "420626001"


def test_funding(county_figures):
    v = values(county_figures)
    assert v["funding_budget"] == 111000.0  # 100000 + 5000 + 6000; the other county's 999999 is not ours
    assert v["funding_received"] == 85000.0
    # Street A's 6000 has no received amount: it is left out of the rate, not counted as 0 received.
    assert v["funding_received_rate"] == 0.809524  # 85000 / (100000 + 5000)
    assert v["funding_per_household"] == 19.137931  # 111000 / 5800
    assert v["funding_budget_by_source"]["县级财政"] == {"amount": 105000.0, "share": 0.945946}
    assert v["funding_budget_by_source"]["乡镇(街道)财政"] == {"amount": 6000.0, "share": 0.054054}
    assert v["funding_budget_by_use"]["工作经费"] == {"amount": 5000.0, "share": 0.045045}
    work = county_figures["work_funds_per_household"]
    assert work["value"] == 0.862069  # 5000 / 5800
    assert work["passes"] is False and work["gap"] == 53000.0  # 10 × 5800 − 5000
    # Direct work funds: B1 0 (short 35000), A2 0 (15000), A1 5000 / 800 = 6.25 (3000).
    assert [(r["code"], r["value"], r["gap"]) for r in work["shortfalls"]] == [
        ("420626101001", 0.0, 35000.0),
        ("420626001002", 0.0, 15000.0),
        ("420626001001", 6.25, 3000.0),
    ]
    public = county_figures["public_funds_per_worker"]
    assert public["value"] == 1500.0 and public["gap"] == 18000.0  # 6000 / 4; 6000 × 4 − 6000


def test_services(county_figures):
    v = values(county_figures)
    assert v["service_programs"] == 3
    assert v["service_beneficiaries"] == 150
    assert v["purchased_service_share"] == 0.666667
    assert v["service_area_coverage"]["为老服务"] == {"count": 1, "share": 0.333333}
    assert v["service_area_coverage"]["就业服务"] == {"count": 1, "share": 0.333333}
    assert v["service_area_coverage"]["助残服务"] == {"count": 0, "share": 0.0}


@pytest.mark.parametrize(("region_code", "year"), [("420626201", YEAR), ("420626", 2024)])
def test_zero_denominators_are_null(survey, region_code, year):
    figures = compute_indicators(region_code=region_code, year=year)
    v = values(figures)
    assert v["communities"] == 0 and v["households"] == 0
    for key in [
        "office_area_per_community",
        "facility_area_per_100_households",
        "facility_compliance_rate",
        "facility_shortfall_area",
        "worker_loss_rate",
        "worker_turnover_rate",
        "worker_secondment_rate",
        "households_per_worker",
        "workers_per_10k_residents",
        "avg_monthly_pay",
        "avg_age",
        "funding_received_rate",
        "funding_per_household",
        "work_funds_per_household",
        "purchased_service_share",
    ]:
        assert v[key] is None, key
        assert figures[key]["passes"] is None, key
    assert v["households_by_size"]["1000户以下"] == {"count": 0, "share": None}


def test_a_community_code_is_a_region_of_one(survey):
    figures = compute_indicators(region_code="420626001001", year=YEAR)
    assert figures["communities"]["value"] == 1
    assert figures["facility_area"]["value"] == 250.0
    assert figures["funding_budget"]["value"] == 5000.0


def test_query_count_does_not_grow_with_streets_or_communities(survey, street_a):
    # standards 1; communities 2 (sums, size list); facilities 1 (sums, compliance and both space lists from one
    # pass over the rooms); workforce 1 (the roster's sums and its per-community lists in one statement); funding 2
    # (sums, one statement for both money lists); services 1 — 8, the same at 2 streets and 3 communities as at 4
    # streets and 23.
    Standard.objects.create(region_code="420626", key="local_average_wage", year_from=2020, value=36000)
    with CaptureQueriesContext(connection) as small:
        compute_indicators(region_code="420626", year=YEAR)
    assert len(small.captured_queries) == 8
    add_communities(street_a, 10)
    add_streets("420626", 2, 10)
    with CaptureQueriesContext(connection) as large:
        compute_indicators(region_code="420626", year=YEAR)
    assert len(large.captured_queries) == len(small.captured_queries)
    # A limit on the lists costs no query: the full count is a window over the same rows.
    with CaptureQueriesContext(connection) as limited:
        figures = compute_indicators(region_code="420626", year=YEAR, shortfall_limit=2)
    assert len(limited.captured_queries) == len(small.captured_queries)
    # Each added community has 1200 households and one worker: all 23 fall short, two are listed.
    assert figures["households_per_worker"]["shortfall_count"] == 23
    assert len(figures["households_per_worker"]["shortfalls"]) == 2
    # A floor for the received rate adds its list: one statement (the allocations by community, the returns and
    # the names of the worst) — 9.
    Standard.objects.create(region_code="420626", key="funding_received_rate_min", year_from=2020, value="0.9")
    with CaptureQueriesContext(connection) as with_floor:
        figures = compute_indicators(region_code="420626", year=YEAR, shortfall_limit=2)
    assert len(with_floor.captured_queries) == 9
    # A1's own 5000 arrived in full; no other community has money of its own with a received amount.
    assert figures["funding_received_rate"]["shortfall_count"] == 0


def test_a_street_standard_applies_in_the_hand_written_work_funds_list(survey):
    # Street A asks for 5 元 per household: A1 (6.25) now meets it, A2 (0) is short by 1500 × 5; B1 keeps 10 元.
    Standard.objects.create(region_code="420626001", key="work_funds_per_household", year_from=2025, value=5)
    work = compute_indicators(region_code="420626", year=YEAR)["work_funds_per_household"]
    assert [(r["code"], r["standard"], r["gap"]) for r in work["shortfalls"]] == [
        ("420626101001", 10.0, 35000.0),
        ("420626001002", 5.0, 7500.0),
    ]


def test_limited_lists_keep_the_worst_and_the_full_count(survey):
    figures = compute_indicators(region_code="420626", year=YEAR, shortfall_limit=1)
    work = figures["work_funds_per_household"]
    assert work["shortfall_count"] == 3 and [r["code"] for r in work["shortfalls"]] == ["420626101001"]
    size = figures["households_by_size"]
    assert size["shortfall_count"] == 2 and [r["code"] for r in size["shortfalls"]] == ["420626101001"]


def test_communities_short_of_the_area_per_100_households(survey):
    # The county asks for 40 m² per 100 households: A1 needs 320 (has 250, 70 short), A2 600 (has 700), B1 1400
    # (has 1200, 200 short) — worst first, each with its own m² per 100 households.
    Standard.objects.create(region_code="420626", key="facility_area_per_100_households", year_from=2020, value=40)
    per_100 = compute_indicators(region_code="420626", year=YEAR)["facility_area_per_100_households"]
    assert [(r["code"], r["value"], r["standard"], r["gap"]) for r in per_100["shortfalls"]] == [
        ("420626101001", 34.285714, 40.0, 200.0),
        ("420626001001", 31.25, 40.0, 70.0),
    ]
    assert per_100["shortfall_count"] == 2
    # Street A sets 20 for itself: A1 needs 160 and passes; B1 keeps the county's 40. With a limit of one, the worst.
    Standard.objects.create(region_code="420626001", key="facility_area_per_100_households", year_from=2020, value=20)
    per_100 = compute_indicators(region_code="420626", year=YEAR, shortfall_limit=1)["facility_area_per_100_households"]
    assert [r["code"] for r in per_100["shortfalls"]] == ["420626101001"] and per_100["shortfall_count"] == 1


def test_communities_whose_pay_is_below_the_local_average_wage(survey):
    Standard.objects.create(region_code="420626", key="local_average_wage", year_from=2020, value=36000)
    pay = compute_indicators(region_code="420626", year=YEAR)["avg_monthly_pay"]
    # A1: its secretary 3500 → 42000 a year, above. A2: (2500 + 2000 + 2000) / 3 × 12 = 26000, 10000 below.
    # B1 has nobody in post: no pay to compare, not listed.
    assert [(r["code"], r["value"], r["standard"], r["gap"]) for r in pay["shortfalls"]] == [
        ("420626001002", 26000.0, 36000.0, 10000.0)
    ]
    assert pay["shortfall_count"] == 1 and pay["shortfall_unit"] == "元/年"


def test_communities_short_of_public_funds_per_worker(survey):
    # The national 6000 元 per worker in post, against money allocated to the community itself: A1 gets 3000 for
    # its one worker (3000 short), A2 nothing for three (18000 short); B1 has nobody in post. Street A's 6000 is
    # the street's, not its communities'.
    AllocationFactory(unit_code="420626001001", source=Source.COUNTY, use=Use.PUBLIC, budget=Decimal("3000"))
    public = compute_indicators(region_code="420626", year=YEAR)["public_funds_per_worker"]
    assert [(r["code"], r["value"], r["standard"], r["gap"]) for r in public["shortfalls"]] == [
        ("420626001002", 0.0, 6000.0, 18000.0),
        ("420626001001", 3000.0, 6000.0, 3000.0),
    ]
    assert public["shortfall_count"] == 2
    limited = compute_indicators(region_code="420626", year=YEAR, shortfall_limit=1)
    assert [r["code"] for r in limited["public_funds_per_worker"]["shortfalls"]] == ["420626001002"]
    assert limited["public_funds_per_worker"]["shortfall_count"] == 2
    # The work-funds list of the same statement is unchanged (see test_funding).
    assert limited["work_funds_per_household"]["shortfall_count"] == 3


def test_a_year_with_returns_but_no_rooms_workers_or_money_trends_as_zero(survey, street_a):
    # 2024: one return and nothing else; 2023: no return at all.
    SurveyReturnFactory(community=CommunityFactory(street=street_a), year=YEAR - 1, households=500)
    trend = compute_trend(region_code="420626", years=[YEAR - 2, YEAR - 1, YEAR])
    assert trend[YEAR - 1] == {
        "communities": 1,
        "households": 500,
        "population": 2800,
        "workers_in_post": 0,
        "facility_area": 0,
        "funding_budget": 0,
    }
    assert set(trend[YEAR - 2].values()) == {None}
    assert trend[YEAR]["facility_area"] == 2150.0 and trend[YEAR]["workers_in_post"] == 4


def test_communities_whose_own_money_arrived_below_the_received_floor(survey):
    # A2 was given 2000 of which 1000 arrived (0.5); B1 4000 of which 3000 (0.75); A1's 5000 arrived in full (1.0).
    AllocationFactory(
        unit_code="420626001002", source=Source.COUNTY, use=Use.WORK, budget=Decimal("2000"), received=Decimal("1000")
    )
    AllocationFactory(
        unit_code="420626101001", source=Source.COUNTY, use=Use.WORK, budget=Decimal("4000"), received=Decimal("3000")
    )
    Standard.objects.create(region_code="420626", key="funding_received_rate_min", year_from=2020, value="0.9")
    rate = compute_indicators(region_code="420626", year=YEAR)["funding_received_rate"]
    # Both fall short of 0.9, A2 by 0.4 (worst first), B1 by 0.15.
    assert [(r["code"], r["name"], r["value"], r["standard"], r["gap"]) for r in rate["shortfalls"]] == [
        ("420626001002", "A2社区", 0.5, 0.9, 0.4),
        ("420626101001", "B1社区", 0.75, 0.9, 0.15),
    ]
    # Street B asks only 0.7 of its communities: B1 meets it; cut at one, the count is still the full one.
    Standard.objects.create(region_code="420626101", key="funding_received_rate_min", year_from=2020, value="0.7")
    limited = compute_indicators(region_code="420626", year=YEAR, shortfall_limit=1)["funding_received_rate"]
    assert [r["code"] for r in limited["shortfalls"]] == ["420626001002"] and limited["shortfall_count"] == 1


def test_compliance_against_the_minimum_area_alone_when_no_per_100_standard_is_set(survey):
    Standard.objects.filter(key="facility_area_per_100_households").delete()
    figures = compute_indicators(region_code="420626", year=YEAR)
    # Against 300 m² alone: A1 has 250 (50 short), A2 700 and B1 1200 comply.
    rate = figures["facility_compliance_rate"]
    assert (rate["value"], rate["shortfall_count"]) == (0.666667, 1)
    assert [(r["code"], r["value"], r["standard"], r["gap"]) for r in rate["shortfalls"]] == [
        ("420626001001", 250.0, 300.0, 50.0)
    ]
    assert figures["facility_shortfall_area"]["value"] == 50.0
    per_100 = figures["facility_area_per_100_households"]
    assert (per_100["standard"], per_100["shortfall_count"], per_100["shortfalls"]) == (None, 0, [])
