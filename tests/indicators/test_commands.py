"""The indicators and standards commands, through call_command."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from communities.indicator_engine import compute_indicators, indicator_definitions
from communities.models import Standard
from tests.indicators.fixtures import YEAR, build_survey

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_indicators_json_is_the_engine_object(street_a, street_b):
    build_survey(street_a, street_b)
    data = json.loads(run("indicators", "--year", str(YEAR), "--region", "420626001", "--json"))
    assert data == json.loads(json.dumps(compute_indicators(region_code="420626001", year=YEAR)))
    assert data["communities"]["value"] == 2


def test_indicators_without_region_covers_everything(street_a, street_b):
    build_survey(street_a, street_b)
    data = json.loads(run("indicators", "--year", str(YEAR), "--json"))
    assert data["communities"]["value"] == 3
    assert data["funding_budget"]["value"] == 111000.0 + 999999.0  # the other county's money counts nationally


def test_indicators_text_summary(street_a, street_b):
    build_survey(street_a, street_b)
    text = run("indicators", "--year", str(YEAR), "--region", "420626")
    assert "用房达标率：66.7%（未达标）" in text
    assert "每百户综合服务用房：37.07 m²/百户" in text  # 2150 / 5800 × 100 = 37.069: two decimals at most
    # One line per indicator, then the summary (the number of indicators grows as apps add them).
    assert text.strip().endswith(f"420626 2025年：3 个社区，{len(indicator_definitions())} 项指标。")
    assert len(text.strip().splitlines()) == len(indicator_definitions()) + 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "4206x"], "格式不正确"),
        (["--year", "1999"], "2000"),
        (["--region", "999999"], "没有找到区划代码为 999999 的地区或社区"),  # as the API's 404
    ],
)
def test_indicators_refuses_bad_arguments(args, message):
    base = {"--year": str(YEAR)}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    with pytest.raises(CommandError, match=message):
        run("indicators", *[x for pair in base.items() for x in pair])


def test_standards_sets_values_for_a_region_not_imported_yet():
    text = run(
        "standards",
        "--region",
        "110105001",
        "--year",
        "2024",
        "--set",
        "facility_min_area=350",
        "--set",
        "village_head_annual_pay=41000",
        "--source",
        "某区文件",
    )
    assert Standard.objects.get(region_code="110105001", key="facility_min_area").value == 350
    assert "综合服务用房最低面积(平方米)（facility_min_area）：350 m²（本区划，2024年起；某区文件）" in text
    assert "每百户综合服务用房面积(平方米)（facility_area_per_100_households）：30 m²/百户（沿用 全国" in text
    assert "当地社会平均工资(元/年)（local_average_wage）：未设置" in text
    # Setting it again from the same year updates the row rather than adding one, and keeps its document.
    run("standards", "--region", "110105001", "--year", "2024", "--set", "facility_min_area=360")
    row = Standard.objects.get(region_code="110105001", key="facility_min_area")
    assert (row.value, row.source) == (360, "某区文件")


def test_standards_set_without_a_source_say_so_rather_than_nothing():
    text = run("standards", "--region", "420626", "--year", "2025", "--set", "households_per_worker=300", "--json")
    row = Standard.objects.get(region_code="420626", key="households_per_worker")
    assert (row.value, row.source) == (300, "命令行设置（未注明依据文件）")
    assert json.loads(text)["households_per_worker"]["source"] == "命令行设置（未注明依据文件）"


def test_standards_json_inherits_and_respects_year_from(county):
    Standard.objects.create(region_code="420626", key="facility_min_area", year_from=2020, value=500)
    Standard.objects.create(region_code="420626", key="facility_min_area", year_from=2026, value=800)
    data = json.loads(run("standards", "--region", "420626001001", "--year", "2025", "--json"))
    assert data["facility_min_area"]["value"] == 500.0 and data["facility_min_area"]["region_code"] == "420626"
    later = json.loads(run("standards", "--region", "420626001001", "--year", "2026", "--json"))
    assert later["facility_min_area"]["value"] == 800.0
    assert data["facility_area_per_100_households"]["value"] == 30.0  # the national default of migration 0002


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("nope=1", "未知的标准项"),
        ("facility_min_area", "应写成"),
        ("facility_min_area=x", "不是数字"),
        ("facility_min_area=-5", "负数"),
    ],
)
def test_standards_refuses_bad_assignments(assignment, message):
    with pytest.raises(CommandError, match=message):
        run("standards", "--region", "420626", "--year", "2025", "--set", assignment)
    assert not Standard.objects.filter(region_code="420626").exists()


def test_standards_refuses_a_bad_region():
    with pytest.raises(CommandError, match="格式不正确"):
        run("standards", "--region", "4206261", "--year", "2025")
