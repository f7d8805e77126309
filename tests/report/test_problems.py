"""二、存在的问题 lists a problem when — and only when — its indicator fails its standard: for every kind of problem,
listed when it fails (with its figures, worked out by hand from tests/report/conftest.py), absent when it passes,
and absent when no standard is set (national defaults removed, or a county threshold never set)."""

from decimal import Decimal

import pytest

from communities.models import Standard
from communities.report.compose import report_build
from communities.standards import standards_save
from tests.conftest import COUNTY, STREET_A
from tests.report.conftest import YEAR

pytestmark = pytest.mark.django_db

DEMO_RULES = "保康县社区工作者管理办法"


def _set(**values):
    standards_save(
        region_code=COUNTY,
        year_from=2020,
        values={key: Decimal(str(value)) for key, value in values.items()},
        source=DEMO_RULES,
    )


def _unset_national(*keys):
    Standard.objects.filter(region_code="", key__in=keys).delete()


def _problems(code=COUNTY) -> dict[str, str]:
    """{lead without its number: text} of the report's problems."""
    section = report_build(region_code=code, year=YEAR).section("存在的问题")
    return {block.lead[3:]: block.text for block in section.blocks if block.lead}


def _tables(code=COUNTY) -> list[str]:
    return [t.caption for t in report_build(region_code=code, year=YEAR).sections[-1].tables]


def test_the_fixture_lists_five_problems_in_order(report_data):
    assert list(_problems()) == [
        "社区用房面积不达标。",
        "社区工作者配备不足。",
        "待遇偏低，与村干部差距较大。",
        "经费保障不足。",
        "社区规模设置不合理。",
    ]


# Space ----------------------------------------------------------------------------------------------------------


def test_space_is_not_a_problem_when_every_community_meets_the_standard(report_data):
    # 10 m² per 100 households and a 100 m² floor: 东门 needs 124 (has 560), 西门 100 (186.5), 北门 215 (640),
    # 歇马街 300 (950).
    _set(facility_area_per_100_households=10, facility_min_area=100)
    assert "社区用房面积不达标。" not in _problems()
    assert not any("综合服务用房未达标" in caption for caption in _tables())


def test_space_is_not_a_problem_when_no_space_standard_is_set(report_data):
    _unset_national("facility_area_per_100_households", "facility_min_area")
    assert "社区用房面积不达标。" not in _problems()


def test_the_average_per_community_is_set_against_a_higher_floor(report_data):
    # A 600 m² floor: 2336.5 / 4 = 584.1 on average, below it.
    _set(facility_min_area=600)
    text = _problems()["社区用房面积不达标。"]
    # Required max(600, 30 × households / 100): 东门 600 (560), 西门 600 (186.5), 北门 645 (640), 歇马街 900 (950).
    assert "4个社区中综合服务用房达标的仅有1个，达标率为25.0%，其余3个社区未达标，用房缺口共计458.5平方米" in text
    assert "平均每个社区综合服务用房584.1平方米，与每个社区不低于600平方米的要求还有差距" in text
    # The floor is now the county's, from the county's document; the per-100 standard is still the plan's.
    assert text.endswith(f"标准依据：《“十四五”城乡社区服务体系建设规划》（国办发〔2021〕56号）；{DEMO_RULES}。")


def test_a_street_with_its_own_space_standard_is_said_to_be_judged_by_it(report_data):
    # 城关 (street A) sets 20 m² per 100 households for itself: its communities are listed against 20, and the text,
    # which quotes the county's figures against the plan's 30, says so.
    per_100 = {"facility_area_per_100_households": Decimal(20)}
    standards_save(region_code=STREET_A, year_from=2020, values=per_100, source=DEMO_RULES)
    text = _problems()["社区用房面积不达标。"]
    assert "按照每100户30平方米" in text
    assert text.endswith("另有1个下级单位自定了标准，其所辖社区按所定标准衡量。")
    # Without a unit of its own below the county, the sentence is not there.
    Standard.objects.filter(region_code=STREET_A).delete()
    assert "下级单位" not in _problems()["社区用房面积不达标。"]


# Staffing -------------------------------------------------------------------------------------------------------


def test_staffing_is_not_a_problem_when_both_ratios_meet_their_standards(report_data):
    # 7220 / 11 = 656 households per worker ≤ 2000; 5.15 workers per 10,000 residents ≥ 5.
    _set(households_per_worker=2000, workers_per_10k_residents=5)
    assert "社区工作者配备不足。" not in _problems()


def test_staffing_is_not_a_problem_without_standards(report_data):
    _unset_national("households_per_worker", "workers_per_10k_residents")
    assert "社区工作者配备不足。" not in _problems()


# Pay ------------------------------------------------------------------------------------------------------------


def test_pay_is_not_a_problem_when_leaders_earn_the_village_heads_pay(report_data):
    _set(village_head_annual_pay=30000)  # leaders 3075 × 12 = 36900 ≥ 30000; the others 22971 ≥ 18000
    assert not any(lead.startswith("待遇偏低") for lead in _problems())


def test_pay_is_not_a_problem_without_benchmarks(report_data):
    Standard.objects.filter(region_code=COUNTY).delete()  # the fixture's village cadre benchmarks
    assert not any(lead.startswith("待遇偏低") for lead in _problems())


def test_the_pay_heading_names_the_local_wage_when_only_the_wage_clause_fails(report_data):
    _set(village_head_annual_pay=30000, local_average_wage=60000)
    problems = _problems()
    assert "待遇偏低，与村干部差距较大。" not in problems
    # 12 × 2336.4 = 28036 a year against 60000: 31964 元 = 3.20万元 lower, in 万元 on both sides.
    assert (
        "人均月报酬折合年报酬比当地社会平均工资（6.00万元）低3.20万元" in problems["待遇偏低，低于当地社会平均工资。"]
    )


def test_the_pay_heading_names_both_when_both_fail(report_data):
    _set(local_average_wage=60000)
    assert "待遇偏低，与村干部和当地平均工资差距较大。" in _problems()


# Loss and secondment (no national standard: the county sets them) ----------------------------------------------


def test_loss_and_secondment_are_not_problems_without_a_county_threshold(report_data):
    # 5 of 16 left and 3 of 11 are seconded, but no ceiling is set: the figures are in 一、基本情况 only.
    assert not any("稳定" in lead or "借用" in lead for lead in _problems())
    basics = report_build(region_code=COUNTY, year=YEAR).section("基本情况")
    assert "共招聘社区工作者16人，其中离职5人" in basics.blocks[1].text


def test_a_loss_rate_above_the_ceiling_is_a_problem(report_data):
    _set(worker_loss_rate_max="0.2")
    # 5 / 16 = 31.25% > 20%; per community 东门 2/5, 西门 1/3, 歇马街 2/4 are above it, 北门 0/4 is not.
    text = _problems()["工作人员流失较多，队伍不稳定。"]
    assert text == (
        "共招聘社区工作者16人，其中离职5人，流失率31.3%，高于20.0%的控制上限，3个社区流失率超过上限。"
        f"标准依据：{DEMO_RULES}。"
    )
    assert "表7 社区工作者流失率超过上限的社区（3个）" in _tables()


def test_a_loss_rate_within_the_ceiling_is_not_a_problem(report_data):
    _set(worker_loss_rate_max="0.4")  # 31.25% ≤ 40%
    assert "工作人员流失较多，队伍不稳定。" not in _problems()


def test_a_secondment_rate_above_the_ceiling_is_a_problem(report_data):
    _set(worker_secondment_rate_max="0.25")
    # 3 / 11 = 27.3% > 25%; 东门 1/3 and 歇马街 1/2 above it; 北门 1/4 = 25% is not above.
    text = _problems()["社区工作者被借用现象比较严重。"]
    assert text.startswith(
        "年末在岗11人中被借用3人，借用率27.3%，高于25.0%的控制上限，实际在岗仅8人，2个社区借用率超过上限。"
    )


def test_a_secondment_rate_within_the_ceiling_is_not_a_problem(report_data):
    _set(worker_secondment_rate_max="0.3")
    assert "社区工作者被借用现象比较严重。" not in _problems()


def test_both_rates_above_their_ceilings_make_one_problem(report_data):
    _set(worker_loss_rate_max="0.2", worker_secondment_rate_max="0.25")
    assert "工作人员不稳定，借用现象比较严重。" in _problems()


# Funding ------------------------------------------------------------------------------------------------------


def test_funding_is_not_a_problem_when_it_meets_the_standards(report_data):
    _set(work_funds_per_household=5, public_funds_per_worker=1000)  # 7.20 ≥ 5; 1234 ≥ 1000
    assert not any(lead.startswith("经费") for lead in _problems())


def test_funding_is_not_a_problem_without_standards(report_data):
    _unset_national("work_funds_per_household", "public_funds_per_worker")
    assert not any(lead.startswith("经费") for lead in _problems())


def test_a_received_rate_below_the_floor_is_a_problem(report_data):
    _set(work_funds_per_household=5, public_funds_per_worker=1000, funding_received_rate_min="0.9")
    # 83579.25 / 100579.25 = 83.1% < 90% (北门's blank left out); of the communities' own money, 西门 2000 / 5000
    # = 40% is below, 东门 100% is not.
    assert _problems()["经费到位率偏低。"] == (
        "2025年填报了到位金额的社区经费预算10.06万元，实际到位8.36万元，到位率83.1%，低于90.0%的要求，"
        f"1个社区直接拨付经费的到位率低于要求。标准依据：{DEMO_RULES}。"
    )
    table = next(t for t in report_build(region_code=COUNTY, year=YEAR).sections[-1].tables if "到位率" in t.caption)
    assert table.rows == [["1", "城关街道", "西门社区", "420626001002", "40.0%", "90.0%", "50.0"]]


def test_a_received_rate_above_the_floor_is_not_a_problem(report_data):
    _set(work_funds_per_household=5, public_funds_per_worker=1000, funding_received_rate_min="0.8")
    assert not any(lead.startswith("经费") for lead in _problems())


# Size ---------------------------------------------------------------------------------------------------------


def test_size_is_not_a_problem_when_every_community_is_in_the_range(report_data):
    _set(community_min_households=800)  # 西门 830 is in 800–3000, and 歇马街 3000 is too
    assert "社区规模设置不合理。" not in _problems()


def test_size_is_not_a_problem_without_a_range(report_data):
    _unset_national("community_min_households", "community_max_households")
    assert "社区规模设置不合理。" not in _problems()


# Service coverage (no national standard) --------------------------------------------------------------------------


def test_coverage_is_not_a_problem_without_a_floor(report_data):
    assert "服务领域覆盖不全。" not in _problems()


def test_coverage_below_the_floor_is_a_problem(report_data):
    _set(service_coverage_min="0.3")
    # 为老服务 2 of 4 communities (50%) meets 30%; 就业、未成年人、便民 1 of 4; six areas have none: 9 below.
    assert _problems()["服务领域覆盖不全。"] == (
        "按照每个服务领域覆盖不低于30.0%社区的要求，有9个服务领域未达到；"
        "就业服务仅覆盖25.0%的社区、未成年人服务仅覆盖25.0%的社区、便民服务仅覆盖25.0%的社区；"
        f"社会救助、助残服务、卫生健康、安全服务、文体教育、代办服务领域尚无社区开展服务项目。标准依据：{DEMO_RULES}。"
    )


def test_coverage_meeting_the_floor_is_not_a_problem(report_data):
    _set(service_coverage_min="0.25")  # 25% ≥ 25%: only the six empty areas fall short
    assert "服务领域覆盖不全。" in _problems()
    _set(service_coverage_min="0")
    assert "服务领域覆盖不全。" not in _problems()


def test_no_problem_at_all_is_said_so(report_data):
    _unset_national(
        "facility_area_per_100_households",
        "facility_min_area",
        "households_per_worker",
        "workers_per_10k_residents",
        "work_funds_per_household",
        "public_funds_per_worker",
        "community_min_households",
        "community_max_households",
    )
    Standard.objects.filter(region_code=COUNTY).delete()
    section = report_build(region_code=COUNTY, year=YEAR).section("存在的问题")
    assert [block.text for block in section.blocks] == ["对照已设置的标准，各项指标均已达标，未发现明显差距。"]
