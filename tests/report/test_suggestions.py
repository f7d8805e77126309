"""对策建议 for the hand-built county of tests/report/conftest.py: one suggestion per problem found, with the document
its standard rests on and the quantity needed (worked out by hand below); nothing for an indicator that passes."""

from decimal import Decimal

import pytest

from communities.report.compose import report_build
from communities.standards import standards_save
from tests.conftest import COUNTY
from tests.report.conftest import PAY_SOURCE, YEAR

pytestmark = pytest.mark.django_db

PLAN = "《“十四五”城乡社区服务体系建设规划》（国办发〔2021〕56号）"


def _suggestions(code=COUNTY) -> dict[str, str]:
    report = report_build(region_code=code, year=YEAR)
    return {block.lead[3:]: block.text for block in report.section("对策建议").blocks if block.lead}


def test_one_suggestion_per_problem_in_the_same_order(report_data):
    report = report_build(region_code=COUNTY, year=YEAR)
    problems = [b.lead for b in report.section("存在的问题").blocks if b.lead]
    advice = [b.lead for b in report.section("对策建议").blocks if b.lead]
    # space, staffing, the village head's pay, funds (per household and per worker), size.
    assert len(problems) == len(advice) == 5
    assert [lead[:3] for lead in advice] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    headings = [s.heading for s in report.sections if s.heading]
    assert headings == ["一、基本情况", "二、存在的问题", "三、对策建议", "四、与上年比较", "五、附表"]


def test_the_space_to_build_and_its_cost_when_a_cost_per_square_metre_is_set(report_data):
    text = _suggestions()["加大阵地建设投入，推动社区用房达标。"]
    # 西门 186.5 of 300 (113.5 short), 北门 640 of 645 (5 short): 118.5 m² in 2 communities; no cost set.
    assert text.startswith(f"依据{PLAN}、")
    assert (
        "按照每百户不低于30平方米、每个社区不低于300平方米的要求，2个未达标社区共需新建或改扩建综合服务用房118.5平方米。"
        in text
    )
    assert text.endswith("优先解决西门社区、北门社区缺口较大社区的用房问题。")
    assert "测算" not in text
    standards_save(region_code=COUNTY, year_from=2020, values={"facility_cost_per_m2": Decimal(3000)}, source="x")
    # 118.5 × 3000 = 355500 元 = 35.55万元.
    assert (
        "共需新建或改扩建综合服务用房118.5平方米，按每平方米3000元测算，约需资金35.55万元。"
        in _suggestions()["加大阵地建设投入，推动社区用房达标。"]
    )


def test_workers_to_hire_pay_to_raise_and_funds_per_year(report_data):
    found = _suggestions()
    # 21350 residents × 18 / 10000 = 38.43 -> 39 workers, 11 in post: 28 to hire; 7220 / 250 = 28.88 -> 29: 18.
    # The larger of the two.
    staffing = found["充实社区工作者队伍。"]
    assert "尚需补充配备社区工作者28人。" in staffing
    # 250 households is a national default naming no document: cited as such, not as "地方常用标准（…）".
    assert staffing.startswith(
        f"依据{PLAN}，并参照全国默认值，按照每250户配备一名社区工作者、每万名常住人口配备18名社区工作者的标准"
    )
    # Leaders' pay (3000 + 2700 + 3300 + 3300) / 4 × 12 = 36900 a year, 41000 − 36900 = 4100 short.
    pay = found["建立社区工作者待遇正常增长机制。"]
    assert pay.startswith(f"依据{PAY_SOURCE}，")
    assert "书记、主任年报酬人均需提高0.41万元，方能达到村主职干部4.10万元的水平。" in pay
    # The others' (13400 / 7 × 12 = 22971 元) pass the deputy's 18000: nothing suggested for them.
    assert "其他人员" not in pay and "村副职" not in pay
    # Work funds 10 × 7220 = 72200 − 52000 = 20200 = 2.02万元; public funds 6000 × 11 = 66000 − 13579.25 =
    # 52420.75 = 5.24万元.
    funding = found["建立社区经费保障机制。"]
    assert "按每户每年10元的标准落实社区工作经费，每年需增加2.02万元" in funding
    assert "按每人每年6000元的标准落实公用经费，每年需增加5.24万元" in funding
    # The received rate has no standard in the fixture: nothing said of it.
    assert "到位" not in funding
    # 西门 (830) is below 1000; none above 3000 (歇马街 has exactly 3000).
    size = found["优化社区规模设置。"]
    assert "对规模偏小的社区1个（西门社区），可结合实际与相邻社区合并或实行资源共享。" in size
    assert "偏大" not in size


def test_a_passing_indicator_gets_no_suggestion_a_failing_one_gets_its_quantity(report_data):
    assert "稳定社区工作者队伍。" not in _suggestions()  # no ceiling set: loss and secondment pass unjudged
    # Loss 5 / 16 = 31.3% under a 50% ceiling passes; secondment 3 / 11 = 27.3% over 10% fails: at most 1 of 11
    # may be seconded, so 2 of the 3 come back.
    standards_save(
        region_code=COUNTY,
        year_from=2020,
        values={"worker_loss_rate_max": Decimal("0.5"), "worker_secondment_rate_max": Decimal("0.1")},
        source="保康县社区工作者管理办法",
    )
    text = _suggestions()["稳定社区工作者队伍。"]
    assert text == (
        "依据保康县社区工作者管理办法，各级各部门不得随意抽调、借用社区工作者，现被借用的3人中至少2人应返回社区岗位，"
        "使借用率降至10.0%以下，以确保社区工作者队伍的稳定。"
    )
    assert "流失率" not in text and "缺一补一" not in text


def test_no_suggestions_chapter_when_nothing_fails(report_data):
    standards_save(
        region_code=COUNTY,
        year_from=2020,
        values={
            "facility_area_per_100_households": Decimal(0),
            "facility_min_area": Decimal(0),
            "households_per_worker": Decimal(5000),
            "workers_per_10k_residents": Decimal(0),
            "village_head_annual_pay": Decimal(0),
            "work_funds_per_household": Decimal(0),
            "public_funds_per_worker": Decimal(0),
            "community_min_households": Decimal(0),
        },
        source="宽松标准",
    )
    report = report_build(region_code=COUNTY, year=YEAR)
    assert "对照已设置的标准，各项指标均已达标，未发现明显差距。" in report.text()
    with pytest.raises(KeyError):
        report.section("对策建议")


def test_a_standard_without_a_document_is_cited_as_a_national_default_or_not_at_all(report_data):
    text = report_build(region_code=COUNTY, year=YEAR).text()
    # The seeded national defaults of 250 households, 10 元 and 6000 元 name no document.
    assert "地方常用标准" not in text and "未设置本地标准时的默认值" not in text
    assert "全国默认值" in text
    # The county sets 200 households per worker on the command line, without a document: nothing to cite for it.
    standards_save(
        region_code=COUNTY,
        year_from=2020,
        values={"households_per_worker": Decimal(200)},
        unsourced="命令行设置（未注明依据文件）",
    )
    report = report_build(region_code=COUNTY, year=YEAR)
    assert "命令行设置" not in report.text() and "未注明依据文件" not in report.text()
    staffing = _suggestions()["充实社区工作者队伍。"]
    assert staffing.startswith(f"依据{PLAN}，按照每200户配备一名社区工作者、")
