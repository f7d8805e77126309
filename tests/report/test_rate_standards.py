"""The thresholds of loss, secondment, funds received and service coverage are data like the other standards: no
national default, set by a county through the `standards` command, the reviewer's standards form or the admin,
kept exactly (0.125 is not 0.13), inherited by the units below, and assessed by the engine."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from communities.indicator_engine import compute_indicators
from communities.models import Standard
from communities.standards import standards_save
from tests.conftest import COUNTY, STREET_A
from tests.funding.factories import AllocationFactory
from tests.report.conftest import YEAR

pytestmark = pytest.mark.django_db

RATE_KEYS = ["worker_loss_rate_max", "worker_secondment_rate_max", "funding_received_rate_min", "service_coverage_min"]


def _standards(*args) -> str:
    out = StringIO()
    call_command("standards", *args, stdout=out)
    return out.getvalue()


def test_no_rate_threshold_is_set_nationally(db):
    shown = json.loads(_standards("--region", COUNTY, "--year", str(YEAR), "--json"))
    assert all(shown[key] is None for key in RATE_KEYS)


def test_the_command_sets_a_rate_exactly_and_the_units_below_inherit_it(db):
    out = _standards(
        "--region", COUNTY, "--year", "2024", "--set", "worker_loss_rate_max=0.125", "--source", "县考核办法"
    )
    assert "已为 420626 设置 1 项标准，自 2024 年起生效。" in out
    assert Standard.objects.get(region_code=COUNTY, key="worker_loss_rate_max").value == Decimal("0.125")
    street = json.loads(_standards("--region", STREET_A, "--year", str(YEAR), "--json"))
    assert street["worker_loss_rate_max"]["value"] == 0.125
    assert street["worker_loss_rate_max"]["region_code"] == COUNTY
    assert street["worker_loss_rate_max"]["source"] == "县考核办法"


def test_the_command_refuses_a_rate_above_one_and_changes_nothing(db):
    with pytest.raises(CommandError, match="是比率，应为0到1之间的小数"):
        _standards("--region", COUNTY, "--year", "2024", "--set", "funding_received_rate_min=90")
    assert not Standard.objects.filter(key="funding_received_rate_min").exists()


def test_a_reviewer_types_a_rate_as_a_percentage_on_the_standards_page(client, reviewer):
    client.force_login(reviewer)
    url = reverse("dashboard:standards")
    response = client.post(
        url, {"region": COUNTY, "year_from": 2024, "source": "县服务方案", "service_coverage_min": "60"}
    )
    assert response.status_code == 302
    assert Standard.objects.get(region_code=COUNTY, key="service_coverage_min").value == Decimal("0.6")
    response = client.post(
        url, {"region": COUNTY, "year_from": 2024, "source": "县服务方案", "worker_secondment_rate_max": "6.25"}
    )
    assert response.status_code == 302
    assert Standard.objects.get(key="worker_secondment_rate_max").value == Decimal("0.0625")
    page = client.get(url, {"region": COUNTY, "year": 2025}).content.decode()
    assert "6.25%" in page  # the rate as set, shown as a percentage


def test_the_standards_page_takes_rates_as_percentages_and_refuses_one_above_100(client, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("dashboard:standards"),
        {"region": COUNTY, "year_from": 2024, "source": "县考核办法", "worker_loss_rate_max": "150"},
    )
    assert response.status_code == 200
    assert "比率不能超过 100%。" in response.content.decode()
    assert not Standard.objects.filter(key="worker_loss_rate_max").exists()


def test_the_admin_adds_a_rate_and_refuses_one_above_one(client, administrator):
    client.force_login(administrator)
    url = reverse("admin:communities_standard_add")
    form = {"region_code": COUNTY, "key": "worker_loss_rate_max", "year_from": 2024, "source": "县考核办法"}
    response = client.post(url, {**form, "value": "1.5"})
    assert response.status_code == 200
    assert "是比率，应为0到1之间的小数" in response.content.decode()
    assert not Standard.objects.filter(key="worker_loss_rate_max").exists()
    response = client.post(url, {**form, "value": "0.1875"})
    assert response.status_code == 302
    assert Standard.objects.get(key="worker_loss_rate_max").value == Decimal("0.1875")


def test_the_engine_assesses_the_loss_rate_and_lists_the_communities_above_it(report_data):
    standards_save(region_code=COUNTY, year_from=2020, values={"worker_loss_rate_max": Decimal("0.2")})
    loss = compute_indicators(region_code=COUNTY, year=YEAR)["worker_loss_rate"]
    # 5 / 16 = 0.3125, above 0.2 by 0.1125.
    assert (loss["value"], loss["passes"], loss["gap"]) == (0.3125, False, 0.1125)
    assert loss["standard"]["value"] == 0.2 and loss["standard"]["direction"] == "max"
    # 歇马街 2 / 4, 东门 2 / 5, 西门 1 / 3 — six decimals kept; 北门 0 / 4 is within.
    assert [(r["code"], r["value"], r["gap"]) for r in loss["shortfalls"]] == [
        ("420626101001", 0.5, 0.3),
        ("420626001001", 0.4, 0.2),
        ("420626001002", 0.333333, 0.133333),
    ]
    # A street that sets its own, higher ceiling: its communities are judged by it.
    standards_save(region_code=STREET_A, year_from=2020, values={"worker_loss_rate_max": Decimal("0.35")})
    county = compute_indicators(region_code=COUNTY, year=YEAR)["worker_loss_rate"]
    assert [r["code"] for r in county["shortfalls"]] == ["420626101001", "420626001001"]
    street = compute_indicators(region_code=STREET_A, year=YEAR)["worker_loss_rate"]
    assert street["standard"]["value"] == 0.35 and street["passes"] is True  # 3 / 12 = 0.25


def test_the_engine_assesses_secondment_received_funds_and_coverage(report_data):
    standards_save(
        region_code=COUNTY,
        year_from=2020,
        values={
            "worker_secondment_rate_max": Decimal("0.25"),
            "funding_received_rate_min": Decimal("0.9"),
            "service_coverage_min": Decimal("0.3"),
        },
    )
    figures = compute_indicators(region_code=COUNTY, year=YEAR)
    seconded = figures["worker_secondment_rate"]
    # 3 / 11 = 0.2727: 0.0227 above 0.25; 歇马街 1 / 2 and 东门 1 / 3 above, 北门 1 / 4 not.
    assert (seconded["value"], seconded["passes"], seconded["gap"]) == (0.272727, False, 0.022727)
    assert [(r["code"], r["value"]) for r in seconded["shortfalls"]] == [
        ("420626101001", 0.5),
        ("420626001001", 0.333333),
    ]
    received = figures["funding_received_rate"]
    # 83579.25 / 100579.25 = 0.831 (北门's blank left out): 0.069 below 0.9; 西门's own 2000 / 5000 = 0.4.
    assert (received["value"], received["passes"], received["gap"]) == (0.830979, False, 0.069021)
    assert [(r["code"], r["value"], r["gap"]) for r in received["shortfalls"]] == [("420626001002", 0.4, 0.5)]
    coverage = figures["service_area_coverage"]
    # 为老服务 0.5 meets 0.3; every other area (0.25 or 0) does not: 9 areas below.
    assert coverage["passes"] is False and coverage["gap"] == 9
    assert coverage["value"]["为老服务"] == {"count": 2, "share": 0.5, "passes": True}
    assert coverage["value"]["就业服务"] == {"count": 1, "share": 0.25, "passes": False}


def test_the_received_rate_is_null_when_no_received_amount_is_given(street_a):
    AllocationFactory(unit_code=COUNTY, year=YEAR, budget=Decimal("50000"), received=None)
    figures = compute_indicators(region_code=COUNTY, year=YEAR)
    assert figures["funding_received_rate"]["value"] is None
    assert figures["funding_budget_reported"]["value"] == 0.0
    assert "填报了到位金额" in figures["funding_received_rate"]["formula"]


def test_the_database_refuses_a_rate_above_one_whatever_writes_it(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Standard.objects.create(region_code=COUNTY, key="service_coverage_min", year_from=2024, value=Decimal("60"))
    # Other standards are not rates: 300 m² is fine.
    Standard.objects.create(region_code=COUNTY, key="facility_min_area", year_from=2024, value=Decimal("300"))
