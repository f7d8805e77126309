"""compute_by_unit: the engine's figures for every unit one level down (or every community) at once, worked out by
hand from the fixture of ``fixtures.py``, equal to the region-level figures of each unit, in a fixed number of
queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.indicator_engine import compute_by_unit, compute_indicators, indicator_definitions
from communities.models import Standard
from tests.indicators.fixtures import YEAR, add_streets, build_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(street_a, street_b):
    return build_survey(street_a, street_b)


def test_the_streets_of_a_county_with_their_figures(survey):
    streets = compute_by_unit(region_code="420626", year=YEAR)
    assert list(streets) == ["420626001", "420626101"]
    assert set(streets["420626001"]) == set(indicator_definitions())  # every indicator has its value per unit
    a, b = streets["420626001"], streets["420626101"]
    assert (a["communities"], a["households"], b["communities"], b["households"]) == (2, 2300, 1, 3500)
    # Street A: 6 on the roster, 2 left (2 / 6), 4 in post, 1 of them seconded (1 / 4).
    assert (a["worker_loss_rate"], a["worker_secondment_rate"], a["workers_in_post"]) == (0.333333, 0.25, 4)
    # Street B has no roster: the rates are null, not 0.
    assert (b["worker_loss_rate"], b["worker_secondment_rate"], b["workers_in_post"]) == (None, None, 0)
    # Leaders: A1's secretary 3500, A2's director 2500 → 12 × 3000; the others 2000 and 2000 → 12 × 2000.
    assert (a["leader_annual_pay"], a["staff_annual_pay"]) == (36000.0, 24000.0)
    # Space: A 100 + 150 + 200 + 500 = 950 m² for 2300 households; B 1200 for 3500.
    assert (a["facility_area"], a["facility_area_per_100_households"]) == (950.0, 41.304348)
    assert (b["facility_area"], b["facility_area_per_100_households"]) == (1200.0, 34.285714)
    # A1 needs max(300, 240) = 300 > 250 (50 short), A2 max(300, 450) ≤ 700; B1 max(300, 1050) ≤ 1200.
    assert (a["facility_compliance_rate"], a["facility_shortfall_area"]) == (0.5, 50.0)
    assert (b["facility_compliance_rate"], b["facility_shortfall_area"]) == (1.0, 0.0)
    # Money allocated to the street or below: A1's 5000 and street A's 6000; B nothing (the county's 100000 is
    # the county's own).
    assert (a["funding_budget"], b["funding_budget"]) == (11000.0, 0.0)
    assert a["public_funds_per_worker"] == 1500.0  # 6000 / 4 in post
    assert b["service_area_coverage"]["为老服务"] == {"count": 0, "share": 0.0}


def test_each_unit_has_the_figures_it_has_on_its_own(survey):
    Standard.objects.create(region_code="420626", key="village_head_annual_pay", year_from=2020, value=41000)
    Standard.objects.create(region_code="420626001", key="village_head_annual_pay", year_from=2020, value=30000)
    Standard.objects.create(region_code="420626101", key="facility_min_area", year_from=2020, value=Decimal(2000))
    for unit, figures in compute_by_unit(region_code="420626", year=YEAR).items():
        alone = compute_indicators(region_code=unit, year=YEAR)
        assert figures == {key: alone[key]["value"] for key in figures}, unit
    # Street A's own benchmark: 36000 / 30000; street B's minimum area: B1 is 800 m² short of 2000.
    streets = compute_by_unit(region_code="420626", year=YEAR, ids=["leader_pay_vs_village_head"])
    assert streets["420626001"] == {"leader_pay_vs_village_head": 1.2}
    assert compute_by_unit(region_code="420626", year=YEAR)["420626101"]["facility_shortfall_area"] == 800.0


def test_per_community_figures(survey):
    communities = compute_by_unit(
        region_code="420626", year=YEAR, unit_length=12, ids=["facility_area", "facility_compliance_rate"]
    )
    assert communities == {
        "420626001001": {"facility_area": 250.0, "facility_compliance_rate": 0.0},
        "420626001002": {"facility_area": 700.0, "facility_compliance_rate": 1.0},
        "420626101001": {"facility_area": 1200.0, "facility_compliance_rate": 1.0},
    }
    assert compute_by_unit(region_code="420626001001", year=YEAR) == {}  # nothing below a community
    with pytest.raises(ValueError, match="nope"):
        compute_by_unit(region_code="420626", year=YEAR, ids=["nope"])


def test_a_fixed_number_of_queries_whatever_the_number_of_streets_and_communities(survey):
    def queries(ids=None):
        with CaptureQueriesContext(connection) as captured:
            compute_by_unit(region_code="420626", year=YEAR, ids=ids)
        return len(captured.captured_queries)

    # standards 1; one GROUP BY each: communities, facilities, workforce, funding, services — 6.
    assert queries() == 6
    # Only the apps the ids need (and those their figures read): standards, communities, workforce, funding.
    assert queries(["public_funds_per_worker"]) == 4
    add_streets("420626", 3, 27)
    assert queries() == 6 and queries(["public_funds_per_worker"]) == 4
    assert len(compute_by_unit(region_code="420626", year=YEAR)) == 5
