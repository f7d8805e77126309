"""The survey report's figures, worked out by hand from the fixture (tests/report/conftest.py): each expectation
writes its arithmetic. Nothing here is computed with the report's formatting module or the indicators engine."""

import pytest

from communities.report.compose import report_build
from communities.report.services import survey_report_docx
from tests.conftest import COUNTY, STREET_A, STREET_B
from tests.report.conftest import YEAR
from tests.report.support import docx_paragraphs, docx_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_report(report_data):
    return report_build(region_code=COUNTY, year=YEAR)


def _block(report, section: str, lead: str) -> str:
    """The text of the paragraph opened by ``lead`` in the section titled ``section``."""
    return next(b.text for b in report.section(section).blocks if b.lead.endswith(lead))


def _basics(report, lead: str) -> str:
    return _block(report, "基本情况", lead)


def test_the_scale_paragraph_counts_communities_by_type_and_names_the_smallest_and_largest(county_report):
    text = _basics(county_report, "社区分布与规模。")
    # 4 communities in 2 streets: 东门, 西门 城市社区; 北门 村改居社区; 歇马街 集镇社区.
    assert text.startswith("2025年，保康县共有街道（乡镇）2个、社区4个，其中城市社区2个、村改居社区1个、集镇社区1个；")
    # Units 12 + 4 + 21 + 30; compounds 3 + 1 + 5 + 7; households 1240 + 830 + 2150 + 3000; residents 3710 + 2290
    # + 6420 + 8930.
    assert "共有辖区单位67个、小区16个，居民7220户，常住人口21350人。" in text
    # 7220 / 4 = 1805 households per community; 西门 830 the smallest, 歇马街 3000 the largest.
    assert text.endswith(
        "平均每个社区1805户，最小的社区（城关街道西门社区）仅有830户，最大的社区（歇马镇歇马街社区）有3000户。"
    )


def test_the_workforce_sentence_reads_like_the_seed_reports(county_report):
    text = _basics(county_report, "社区工作者队伍。")
    # Roster 5 + 3 + 4 + 4 = 16; left: 东门 2 (one in 2025), 西门 1 (2024), 歇马街 2 (one in 2025) = 5, 2 in
    # 2025; in post 16 − 5 = 11; seconded 东门 1, 北门 1, 歇马街 1 = 3; on duty 11 − 3 = 8. Loss rate 5 / 16 =
    # 31.25% -> 31.3%, secondment 3 / 11 = 27.27% -> 27.3%; in 2024 nobody of the 3 had left or was seconded (0%):
    # up 31.25 -> 31.3 and 27.3 points.
    assert text.startswith(
        "共招聘社区工作者16人，其中离职5人（2025年内离职2人），流失率31.3%（较上年上升31.3个百分点）；"
        "年末在岗11人，其中被借用3人，借用率27.3%（较上年上升27.3个百分点），除去被借用人员，实际在岗8人。"
    )
    # 7220 / 11 = 656.4 households per worker, written whole; 11 / 21350 × 10000 = 5.15 -> 5.2.
    assert "平均每名在岗社区工作者服务居民656户，每万名常住人口配备社区工作者5.2人。" in text
    # 大专以上 in post: 东门 本科, 大专; 西门 大专; 北门 研究生, 大专, 本科; 歇马街 本科 = 7 of 11 = 63.6%.
    # One 助理社会工作师. Party members: the four leaders, 4 / 11 = 36.4%.
    # Birth years 1975 1990 1992 1978 1995 1972 1985 1988 1996 1980 1993: mean 21844 / 11 = 1985.82, age 39.2.
    # 2024: 3 in post (本科 CPC, 大专; 本科 CPC): 大专以上 3 / 3 = 100% (63.64 − 100 = 36.4 points down), party
    # members 2 / 3 = 66.67% (36.36 − 66.67 = 30.3 points down).
    assert text.endswith(
        "在岗人员中，大专以上学历7人，占63.6%（较上年下降36.4个百分点）；具有社会工作职业资格证书1人；"
        "中共党员4人，占36.4%（较上年下降30.3个百分点）；平均年龄39.2岁。"
    )


def test_pay_base_allowance_take_home_and_leaders(county_report):
    text = _basics(county_report, "报酬待遇。")
    # In post, base pay 2600 1400 1400 2400 1400 2800 1800 1500 1300 2700 1600 = 20900 / 11 = 1900;
    # allowances 400 500 500 300 400 500 500 500 200 600 400 = 4800 / 11 = 436.4; pay 25700 / 11 = 2336.4;
    # social insurance 310 290 290 300 280 320 300 300 260 330 300 = 3280: take-home (25700 − 3280) / 11 = 2038.2.
    assert text.startswith(
        "社区工作者人均月基本报酬1900元（含五险），人均月补贴436元，合计人均月报酬2336元；"
        "扣除个人缴纳的社会保险后，人均月实得2038元。"
    )
    # Leaders (书记兼主任, 主任, 书记, 书记兼主任): 3000 + 2700 + 3300 + 3300 = 12300 / 4 = 3075; the other seven:
    # 1900 + 1900 + 1800 + 2300 + 2000 + 1500 + 2000 = 13400 / 7 = 1914.3.
    assert text.endswith("其中书记、主任人均月报酬3075元，其他人员人均月报酬1914元。")


def test_space_in_square_metres_and_per_community(county_report):
    text = _basics(county_report, "阵地建设。")
    # Office 220 + 120 + 260 + 480 = 1080; service 340 + 66.5 + 380 + 470 = 1256.5; together 2336.5; outdoor 650.
    assert text.startswith(
        "现有办公用房1080平方米、公共服务用房1256.5平方米，合计综合服务用房2336.5平方米；另有室外场地650平方米。"
    )
    # Per community: 1080 / 4 = 270; 1256.5 / 4 = 314.1; 2336.5 / 4 = 584.1. Per 100 households 2336.5 / 7220
    # × 100 = 32.36 -> 32.4. 东门 and 歇马街 have the space they need: 2 of 4 = 50%; in 2024 neither did (东门 230
    # of 354, 歇马街 480 of 885): up 50 points.
    assert text.endswith(
        "平均每个社区办公用房270平方米、公共服务用房314.1平方米、综合服务用房584.1平方米；"
        "每百户居民拥有综合服务用房32.4平方米。综合服务用房达到应有面积的社区2个，达标率50.0%（较上年上升50.0个百分点）。"
    )


def test_outdoor_space_is_left_out_when_there_is_none(report_data):
    text = _basics(report_build(region_code=STREET_B, year=YEAR), "阵地建设。")
    assert text.startswith("现有办公用房480平方米、公共服务用房470平方米，合计综合服务用房950平方米。")
    assert "室外场地" not in text


def test_funding_by_level_with_the_county_and_township_total(county_report):
    text = _basics(county_report, "经费投入。")
    # Budget 52000 + 13579.25 + 5000 + 86000 + 30000 = 186579.25 元 = 18.66万元; 县级 52000 + 86000 = 13.80万元,
    # 乡镇 13579.25 = 1.36万元, together 151579.25 = 15.16万元; 中央及省级 3.00万元, 社区自筹 0.50万元.
    assert text.startswith(
        "2025年社区经费共预算18.66万元，其中县乡两级财政共预算15.16万元，县级财政预算13.80万元，"
        "乡镇（街道）财政预算1.36万元；此外，中央及省级3.00万元、社区自筹0.50万元。"
    )
    # 北门's 86000 has no received amount: left out of the rate, not counted as 0 received. Reported budget
    # 52000 + 13579.25 + 5000 + 30000 = 10.06万元; received 41000 + 13579.25 + 2000 + 27000 = 8.36万元;
    # 83579.25 / 100579.25 = 83.1% (counting the blank as 0 would give 83579.25 / 186579.25 = 44.8%).
    # 2024: 48000 of 48000 received, 100%: 16.9 points down.
    assert (
        "填报了到位金额的预算10.06万元，实际到位8.36万元，到位率83.1%（未填到位金额的经费不计入），"
        "较上年下降16.9个百分点。"
    ) in text
    # Per household 186579.25 / 7220 = 25.84; work funds 52000 / 7220 = 7.20; public funds 13579.25 / 11 = 1234.5.
    assert text.endswith("户均经费25.84元，户均工作经费7.2元，在岗社区工作者人均公用经费1234元。")


def test_services_by_area_with_coverage_and_the_purchased_share(county_report):
    text = _basics(county_report, "社区服务。")
    # Five programs: 为老服务 2 (东门, 歇马街), 就业服务, 未成年人服务, 便民服务 1 each; beneficiaries 1260 + 415 +
    # 327 + 96 + 530 = 2628; volunteer visits 35 + 88 + 0 + 9 + 12 = 144; registered 46 + 13 + 58 + 71 = 188.
    assert text.startswith(
        "全年开展服务项目5个，其中就业服务1个、为老服务2个、未成年人服务1个、便民服务1个；"
        "受益2628人次，志愿者参与服务144人次，注册志愿者188人。"
    )
    # 政府购买服务 (就业培训) and 社会组织 (居家养老): 2 of 5 programs = 40%.
    assert "由政府购买服务和社会组织提供的项目占全部服务项目的40.0%。" in text
    # Coverage: 为老服务 2 of 4 communities; the three others 1 of 4.
    assert (
        "就业服务覆盖25.0%的社区、为老服务覆盖50.0%的社区、未成年人服务覆盖25.0%的社区、便民服务覆盖25.0%的社区；"
        "社会救助、助残服务、卫生健康、安全服务、文体教育、代办服务领域尚无社区开展服务项目。"
    ) in text


def test_the_space_problem_counts_compliant_communities_against_both_standards(county_report):
    text = _block(county_report, "存在的问题", "社区用房面积不达标。")
    # Required max(300, 30 × households / 100): 东门 372 (has 560), 西门 300 (186.5: short 113.5), 北门 645 (640:
    # short 5), 歇马街 900 (950). Compliant 2 of 4 = 50%; shortfall 113.5 + 5 = 118.5 m².
    assert text.startswith(
        "按照每100户30平方米、每个社区不低于300平方米的标准，4个社区中综合服务用房达标的仅有2个，达标率为50.0%，"
        "其余2个社区未达标，用房缺口共计118.5平方米；平均每个社区综合服务用房584.1平方米；"
    )
    # The two standards come from different documents: both are cited.
    assert text.endswith(
        "标准依据：《“十四五”城乡社区服务体系建设规划》（国办发〔2021〕56号）；"
        "鄂发〔2007〕4号等地方文件：综合服务中心不低于300平方米。"
    )


def test_the_pay_problem_gives_the_leaders_ratio_in_one_unit(county_report):
    text = _block(county_report, "存在的问题", "待遇偏低，与村干部差距较大。")
    # Leaders 3075 × 12 = 36900 a year against 41000: 90.0%, 4100 元 = 0.41万元 less. Every community's leaders
    # are below (东门 36000, 西门 32400, 北门 39600, 歇马街 39600).
    assert (
        "书记、主任人均月报酬3075元，折合年报酬比村主职干部年报酬（4.10万元）少0.41万元，仅为其90.0%，"
        "4个社区的书记、主任报酬低于村主职干部。"
    ) in text
    # The others: 1914.3 × 12 = 22971 against 18000 — above the deputy's benchmark: not a problem.
    assert "村副职" not in text
    assert "人均月实得仅2038元" in text


def test_the_staffing_and_funding_problems_by_hand(county_report):
    staffing = _block(county_report, "存在的问题", "社区工作者配备不足。")
    # ceil(7220 / 250) − 11 = 29 − 11 = 18 more workers; ceil(21350 × 18 / 10000) − 11 = 39 − 11 = 28.
    assert "超过每250户配备一名社区工作者的标准，按此标准尚需配备18人，4个社区配备不足" in staffing
    assert "每万名常住人口仅有社区工作者5.2人，低于每万人18人的标准，尚需配备28人" in staffing
    funding = _block(county_report, "存在的问题", "经费保障不足。")
    # Work funds 10 × 7220 − 52000 = 20200 元 short; public funds 6000 × 11 − 13579.25 = 52420.75 元 short.
    assert "户均工作经费7.2元，低于每户每年10元的标准，按标准尚缺2.02万元，4个社区未达标" in funding
    assert "在岗社区工作者人均公用经费1234元，低于每人每年6000元的标准，尚缺5.24万元" in funding


def test_the_size_problem_states_the_range_its_source_and_the_communities_outside_it(county_report):
    text = _block(county_report, "存在的问题", "社区规模设置不合理。")
    # Only 西门 (830) is outside 1000–3000; 歇马街 has exactly 3000: in the "3000户以上" band, yet inside the range.
    assert text.startswith("按照每个社区1000—3000户的建议规模，4个社区中有1个不在此范围内。")
    # Non-empty bands only (no 2500—3000户), each 1 of 4.
    assert (
        "按居民户数分，1000户以下的有1个，占25.0%；1000—2000户的有1个，占25.0%；2000—2500户的有1个，占25.0%；"
        "3000户以上的有1个，占25.0%。"
    ) in text
    assert "2500—3000户" not in text
    assert text.endswith("标准依据：《中华人民共和国城市居民委员会组织法》（2025年修订）。")


def test_the_per_street_table_checks_every_column(report_data):
    report, content = survey_report_docx(region_code=COUNTY, year=YEAR)
    table = next(t for t in report.sections[-1].tables if "各街道（乡镇）主要指标" in t.caption)
    assert table.headers == [
        "街道（乡镇）",
        "社区数",
        "户数",
        "常住人口",
        "年末在岗社区工作者（人）",
        "每名工作者服务户数",
        "综合服务用房（平方米）",
        "每百户综合服务用房（平方米）",
        "用房达标率",
        "经费预算（万元）",
    ]
    assert table.rows == [
        # 城关街道: 东门, 西门, 北门 — 1240 + 830 + 2150 households, 3710 + 2290 + 6420 residents, 3 + 2 + 4 in post,
        # 4220 / 9 = 468.9 per worker; 560 + 186.5 + 640 = 1386.5 m², 1386.5 / 4220 × 100 = 32.86; 东门 of 3
        # complies; money 13579.25 + 5000 + 86000 = 10.46万元.
        ["城关街道", "3", "4220", "12420", "9", "469", "1386.5", "32.9", "33.3%", "10.46"],
        # 歇马镇: 歇马街 alone; 3000 / 2 = 1500; 950 / 3000 × 100 = 31.67; the street's own 30000 元.
        ["歇马镇", "1", "3000", "8930", "2", "1500", "950", "31.7", "100.0%", "3.00"],
    ]
    docx_rows = next(t for t in docx_tables(content) if t[0][0] == "街道（乡镇）")
    assert docx_rows == [table.headers, *table.rows]


def test_a_streets_report_has_a_table_of_its_communities(report_data):
    report = report_build(region_code=STREET_A, year=YEAR)
    table = next(t for t in report.sections[-1].tables if "各社区主要指标" in t.caption)
    assert table.caption == "表2 各社区主要指标（2025年）"
    assert table.headers == [
        "社区",
        "户数",
        "常住人口",
        "年末在岗社区工作者（人）",
        "每名工作者服务户数",
        "综合服务用房（平方米）",
        "每百户综合服务用房（平方米）",
        "用房是否达标",
        "经费预算（万元）",
    ]
    assert table.rows == [
        # 1240 / 3 = 413.3; 560 / 1240 × 100 = 45.16; needs 372: complies; 13579.25 元.
        ["东门社区", "1240", "3710", "3", "413", "560", "45.2", "达标", "1.36"],
        # 830 / 2 = 415; 186.5 / 830 × 100 = 22.47; needs 300; 5000 元.
        ["西门社区", "830", "2290", "2", "415", "186.5", "22.5", "未达标", "0.50"],
        # 2150 / 4 = 537.5; 640 / 2150 × 100 = 29.77; needs 645; 86000 元.
        ["北门社区", "2150", "6420", "4", "538", "640", "29.8", "未达标", "8.60"],
    ]


def test_the_shortfall_tables_list_the_communities_worst_first(report_data):
    report = report_build(region_code=COUNTY, year=YEAR)
    tables = {t.caption.split(" ", 1)[1]: t for t in report.sections[-1].tables}
    space = tables["综合服务用房未达标的社区（2个）"]
    assert space.rows == [
        ["1", "城关街道", "西门社区", "420626001002", "186.5", "300.0", "113.5"],
        ["2", "城关街道", "北门社区", "420626001003", "640.0", "645.0", "5.0"],
    ]
    # Per 100 households against 30 m²: 西门 186.5 / 830 × 100 = 22.47, needs 249 (62.5 short); 北门 640 / 2150 × 100
    # = 29.77, needs 645 (5 short); 东门 45.16 and 歇马街 31.67 meet it.
    per_100 = tables["每百户综合服务用房低于标准的社区（2个）"]
    assert per_100.rows == [
        ["1", "城关街道", "西门社区", "420626001002", "22.5", "30.0", "62.5"],
        ["2", "城关街道", "北门社区", "420626001003", "29.8", "30.0", "5.0"],
    ]
    # Public funds against 6000 元 per worker in post, in whole 元: only 东门 has any (13579.25 for 3 workers =
    # 4526.42, short 18000 − 13579.25 = 4420.75); 北门 4 workers → 24000 short; 西门 and 歇马街 2 each → 12000.
    public = tables["人均公用经费未达标的社区（4个）"]
    assert public.rows == [
        ["1", "城关街道", "北门社区", "420626001003", "0", "6000", "24000"],
        ["2", "城关街道", "西门社区", "420626001002", "0", "6000", "12000"],
        ["3", "歇马镇", "歇马街社区", "420626101001", "0", "6000", "12000"],
        ["4", "城关街道", "东门社区", "420626001001", "4526", "6000", "4421"],
    ]
    size = tables["规模不在建议范围内的社区（1个）"]
    assert size.headers[-3:] == ["户数", "规模界限（户）", "相差（户）"]
    assert size.rows == [["1", "城关街道", "西门社区", "420626001002", "830", "低于下限1000", "170"]]


def test_the_comparison_with_last_year(report_data):
    report = report_build(region_code=COUNTY, year=YEAR)
    # Communities 2 -> 4; households 1180 + 2950 = 4130 -> 7220; residents 3600 + 8800 = 12400 -> 21350; in
    # post 3 -> 11.
    assert _block(report, "与上年比较", "") == (
        "与2024年相比，社区增加2个，居民增加3090户，常住人口增加8950人，在岗社区工作者增加8人。主要指标对比见下表。"
    )
    rows = {row[0]: row[1:] for row in report.section("与上年比较").tables[0].rows}
    assert rows["户数"] == ["4130", "7220", "+3090"]
    # 2024: 4130 / 3 = 1376.7 per worker; 2025: 656.4 — 720.3 fewer.
    assert rows["每名工作者服务户数"] == ["1377", "656", "-720"]
    # 2024 office 230 + 480 = 710: 710 / 4130 × 100 = 17.19 m² per 100 households.
    assert rows["每百户综合服务用房（平方米）"] == ["17.2", "32.4", "+15.2"]
    # 2024 pay (2900 + 1800 + 3200) / 3 = 2633.3.
    assert rows["人均月报酬（元）"] == ["2633", "2336", "-297"]
    # Received rate 48000 / 48000 -> 83.1%: 16.9 points down.
    assert rows["经费到位率"] == ["100.0%", "83.1%", "-16.9个百分点"]


def test_a_one_community_report_reads_as_sentences(report_data):
    report = report_build(region_code="420626001002", year=YEAR)
    assert report.title == "西门社区2025年社区建设情况调研报告"
    assert _basics(report, "社区分布与规模。") == (
        "2025年，西门社区为城市社区，有辖区单位4个、小区1个，居民830户，常住人口2290人。"
    )
    # Its own space: needs 300, has 186.5.
    assert _block(report, "存在的问题", "社区用房面积不达标。").startswith(
        "按照每100户30平方米、每个社区不低于300平方米的标准，综合服务用房应有300平方米，现有186.5平方米，尚缺113.5平方米；"
    )
    assert "2024年没有填报数据" in report.text()
    assert "对照现行标准，西门社区建设还存在一些差距" in report.text()


def test_a_year_without_returns_gives_a_short_report_not_an_error(report_data):
    report = report_build(region_code=COUNTY, year=2019)
    assert "尚无社区年度填报数据" in report.text()
    assert len(report.sections) == 1


def test_an_unknown_region_is_a_lookup_error(db):
    with pytest.raises(LookupError, match="没有找到区划代码为 420699 的地区"):
        report_build(region_code="420699", year=YEAR)


def test_a_city_report_tabulates_its_counties(report_data):
    report = report_build(region_code="4206", year=YEAR)
    table = next(t for t in report.sections[-1].tables if "主要指标" in t.caption)
    assert table.caption == "表2 各县（市、区）主要指标（2025年）"
    # The county: 4 communities, 7220 households, ..., 2 of 4 compliant, 18.66万元.
    assert table.rows == [["保康县", "4", "7220", "21350", "11", "656", "2336.5", "32.4", "50.0%", "18.66"]]


def test_the_source_note_says_how_many_returns_are_approved(report_data):
    # As the dashboard counts them. 2025: 东门 submitted and 西门 approved (handed in), 北门 a draft, 歇马街 sent
    # back — of 4 communities; 2024: 东门 and 歇马街, both approved.
    report = report_build(region_code=COUNTY, year=YEAR)
    assert report.source_note.endswith("；已填报 2/4，已审核 1，未审核的数据仍可能修改）")
    assert report_build(region_code=COUNTY, year=YEAR - 1).source_note.endswith("；已填报 2/4，已审核 2）")


def test_the_word_file_is_named_as_the_report_is_titled(report_data):
    report, content = survey_report_docx(region_code=COUNTY, year=YEAR)
    assert report.filename == "保康县2025年社区建设情况调研报告.docx"
    assert docx_paragraphs(content)[0] == "保康县2025年社区建设情况调研报告"


def test_prose_uses_chinese_punctuation(report_data):
    text = report_build(region_code=COUNTY, year=YEAR).text()
    prose = "\n".join(line for line in text.splitlines() if line.startswith("（"))
    assert "街道(乡镇)" not in text and "乡镇(街道)" not in text
    assert "1000-2000" not in prose


def test_without_last_years_figures_no_change_is_written(report_data):
    # 西门 has no 2024 return: its rates stand alone; its space (186.5 of 300 m²) falls short.
    report = report_build(region_code="420626001002", year=YEAR)
    basics = "".join(block.text for block in report.section("基本情况").blocks)
    assert "较上年" not in basics and "与上年持平" not in basics
    # 西门: 3 recruited, 1 left (2024): 33.3%; both in post (主任 大专 CPC, 委员 初中): 50% each.
    assert "共招聘社区工作者3人，其中离职1人，流失率33.3%；年末在岗2人。" in basics
    assert "大专以上学历1人，占50.0%；" in basics and "中共党员1人，占50.0%；" in basics
    assert "综合服务用房未达到应有面积。" in basics
