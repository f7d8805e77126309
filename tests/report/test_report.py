"""The survey report's figures are the indicators' figures: checked in the generated Word document against
``compute_indicators`` for the same fixture, and a few worked out by hand from the fixture (tests/report/conftest)."""

from decimal import Decimal

import pytest

from communities.indicator_engine import compute_indicators
from communities.report import formatting as fmt
from communities.report.compose import report_build
from communities.report.services import survey_report_docx
from communities.standards import standards_save
from tests.conftest import COUNTY, STREET_A, STREET_B
from tests.report.conftest import YEAR
from tests.report.support import docx_paragraphs, docx_tables, docx_text, numbers

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_report(report_data):
    report, content = survey_report_docx(region_code=COUNTY, year=YEAR)
    return report, content, compute_indicators(region_code=COUNTY, year=YEAR)


def _value(indicators, key):
    return indicators[key]["value"]


def test_the_basics_quote_the_indicators(county_report):
    _, content, ind = county_report
    text = docx_text(content)
    expected = [
        f"街道(乡镇){fmt.count(_value(ind, 'streets'), '个')}",
        f"社区{fmt.count(_value(ind, 'communities'), '个')}",
        f"所辖单位{fmt.count(_value(ind, 'units'), '个')}",
        f"小区{fmt.count(_value(ind, 'neighborhoods'), '个')}",
        f"居民{fmt.count(_value(ind, 'households'), '户')}",
        f"常住人口{fmt.count(_value(ind, 'population'), '人')}",
        f"年末在岗{fmt.count(_value(ind, 'workers_in_post'), '人')}",
        f"被借用{fmt.count(_value(ind, 'workers_seconded'), '人')}",
        f"办公用房{fmt.area(_value(ind, 'office_area'))}",
        f"平均每个社区{fmt.area(_value(ind, 'office_area_per_community'))}",
        f"公共服务用房{fmt.area(_value(ind, 'service_area'))}",
        f"室外场地{fmt.area(_value(ind, 'outdoor_area'))}",
        f"共预算{fmt.wan_yuan(_value(ind, 'funding_budget'))}",
        f"县级财政{fmt.wan_yuan(ind['funding_budget_by_source']['value']['县级财政']['amount'])}",
        f"实际到位{fmt.wan_yuan(_value(ind, 'funding_received'))}",
        f"到位率{fmt.percent(_value(ind, 'funding_received_rate'))}",
        f"服务项目{fmt.count(_value(ind, 'service_programs'), '个')}",
        f"受益{fmt.count(_value(ind, 'service_beneficiaries'), '人次')}",
        f"党员占{fmt.percent(_value(ind, 'party_member_share'))}",
    ]
    for phrase in expected:
        assert phrase in text, phrase


def test_figures_worked_out_by_hand_from_the_fixture(county_report):
    report, content, _ = county_report
    text = docx_text(content)
    # 3 communities in 2 streets; 1200 + 800 + 3200 households; 3500 + 2100 + 9000 residents.
    assert "共有街道(乡镇)2个、社区3个（其中城市社区3个）" in text
    assert "居民5200户，常住人口14600人" in text
    # Office space 200 + 100 + 600 = 900 m², 300 m² per community; service 300 + 50.5 + 200 = 550.5 m².
    assert "现有办公用房900平方米，平均每个社区300平方米；公共服务用房550.5平方米" in text
    # Required space: max(300, 30 m²/100 households): 东门 360 (has 500), 西门 300 (has 150.5), 歇马街 960 (has
    # 800): 1 of 3 complies (33.3%), shortfall 149.5 + 160 = 309.5 m².
    assert "达标率为33.3%，尚有2个社区未达标，用房缺口共计309.5平方米" in text
    # Funding: 30000 (county) + 12345.67 (东门) = 4.23万元 budgeted; 20000 + 12345.67 = 3.23万元 received (76.4%).
    assert "共预算4.23万元，其中县级财政3.00万元、乡镇(街道)财政1.23万元；实际到位3.23万元，到位率76.4%" in text
    # Roster 9, one left in 2025, one seconded: 8 in post, 7 on duty.
    assert "花名册共9人，累计离职1人（其中2025年内离职1人），流失率11.1%" in text
    assert "在岗8人中被借用1人，借用率12.5%，实际在岗仅7人" in text
    assert report.title == "保康县2025年社区建设情况调研报告"


def test_every_number_in_the_text_is_an_indicator_figure(county_report):
    """No figure is invented or computed on the side: each number written in sections 一 and 二 is one of the
    engine's figures (value, standard, gap, count, share, amount) in one of the report's formats."""
    report, _, ind = county_report
    allowed = _figure_texts(ind) | {str(YEAR), "100"}
    sources = {(entry.get("standard") or {}).get("source") or "" for entry in ind.values()}
    for section in report.sections[:2]:
        for block in section.blocks:
            text = block.lead + block.text
            for source in sources - {""}:
                text = text.replace(source, "")
            stray = [n for n in numbers(text) if n not in allowed]
            assert not stray, f"{stray} in: {text}"


def _figure_texts(indicators) -> set[str]:
    found: set[str] = set()

    def add(value):
        if isinstance(value, dict):
            for label, item in value.items():
                found.update(numbers(str(label)))  # breakdown labels such as "2000-2500户"
                add(item)
            return
        if isinstance(value, list):
            for item in value:
                add(item)
            return
        number = fmt.to_decimal(value)
        if number is None:
            return
        for decimals in (0, 1, 2):
            found.add(fmt.fixed(number, decimals))
            found.add(fmt.short(number, decimals))
        found.add(fmt.wan(number))
        found.add(fmt.fixed(number * 100, 1))

    for entry in indicators.values():
        add(entry["value"])
        add(entry["standard"])
        add(entry["gap"])
        add(entry["shortfall_count"])
        for row in entry["shortfalls"]:
            add([row["value"], row["standard"], row["gap"]])
    return found


def test_problems_are_those_whose_indicator_fails_its_standard(county_report):
    report, _, ind = county_report
    problems = report.sections[1]
    leads = [block.lead for block in problems.blocks if block.lead]
    assert ind["facility_compliance_rate"]["passes"] is False
    assert ind["households_by_size"]["passes"] is False
    assert ind["leader_pay_vs_village_head"]["passes"] is False
    assert ind["staff_pay_vs_village_deputy"]["passes"] is True
    assert any("用房面积不达标" in lead for lead in leads)
    assert any("规模设置不合理" in lead for lead in leads)
    assert any("待遇偏低" in lead for lead in leads)
    text = "".join(block.text for block in problems.blocks)
    assert "村主职干部年报酬（4.10万元）的" + fmt.percent(ind["leader_pay_vs_village_head"]["value"]) in text
    assert "村副职" not in text  # the others' pay meets the deputy's benchmark: not a problem
    # Numbered 一, 二, ... in order.
    assert [lead[:3] for lead in leads] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）"][
        : len(leads)
    ]


def test_a_problem_whose_indicator_meets_its_standard_is_not_listed(report_data):
    standards_save(
        region_code=COUNTY,
        year_from=2020,
        values={"facility_area_per_100_households": Decimal(10), "facility_min_area": Decimal(100)},
    )
    indicators = compute_indicators(region_code=COUNTY, year=YEAR)
    assert indicators["facility_compliance_rate"]["passes"] is True
    report = report_build(region_code=COUNTY, year=YEAR)
    assert "用房面积不达标" not in report.text()
    assert "综合服务用房未达标的社区" not in report.text()


def test_the_tables_list_streets_and_the_communities_that_fall_short(county_report):
    _, content, ind = county_report
    tables = docx_tables(content)
    captions = [p for p in docx_paragraphs(content) if p.startswith("表")]
    assert captions[0] == f"表1 主要指标{YEAR - 1}—{YEAR}年对比"
    assert captions[1] == f"表2 各街道(乡镇)主要指标（{YEAR}年）"
    streets = {row[0]: row for row in tables[1][1:]}
    assert set(streets) == {"城关街道", "歇马镇"}
    street_a = compute_indicators(region_code=STREET_A, year=YEAR)
    assert streets["城关街道"][1] == fmt.short(street_a["communities"]["value"])
    assert streets["城关街道"][2] == fmt.short(street_a["households"]["value"])

    space = next(t for t, c in zip(tables, captions, strict=True) if "综合服务用房未达标" in c)
    rows = [row[2:] for row in space[1:]]
    expected = [
        [s["name"], s["code"], fmt.short(s["value"]), fmt.short(s["standard"], 2), fmt.short(s["gap"], 2)]
        for s in ind["facility_compliance_rate"]["shortfalls"]
    ]
    assert (
        rows
        == expected
        == [
            ["歇马街社区", "420626101001", "800", "960", "160"],
            ["西门社区", "420626001002", "150.5", "300", "149.5"],
        ]
    )


def test_the_comparison_with_last_year_uses_last_years_indicators(county_report):
    report, content, ind = county_report
    last = compute_indicators(region_code=COUNTY, year=YEAR - 1)
    table = docx_tables(content)[0]
    households = next(row for row in table if row[0] == "户数")
    assert households == [
        "户数",
        fmt.short(last["households"]["value"]),
        fmt.short(ind["households"]["value"]),
        "+950",
    ]
    assert "与2024年相比，社区增加1个，居民增加950户，常住人口增加2400人" in docx_text(content)


def test_a_year_without_returns_gives_a_short_report_not_an_error(report_data):
    report = report_build(region_code=COUNTY, year=2019)
    assert "尚无社区年度填报数据" in report.text()
    assert len(report.sections) == 1


def test_a_street_and_a_community_have_their_own_report(report_data):
    street = report_build(region_code=STREET_A, year=YEAR)
    assert street.title == "城关街道2025年社区建设情况调研报告"
    assert "2025年，城关街道共有社区2个（其中城市社区2个），所辖单位16个" in street.text()
    assert "各街道(乡镇)主要指标" not in street.text()  # no per-street table inside one street
    community = report_build(region_code="420626001002", year=YEAR)
    assert community.title == "西门社区2025年社区建设情况调研报告"
    assert "2024年没有填报数据" in community.text()
    assert "2025年，西门社区（城市社区），所辖单位4个，小区1个，居民800户，常住人口2100人。" in community.text()


def test_an_unknown_region_is_a_lookup_error(db):
    with pytest.raises(LookupError, match="没有找到区划代码为 420699 的地区"):
        report_build(region_code="420699", year=YEAR)


def test_a_city_report_tabulates_its_counties(report_data):
    report = report_build(region_code="4206", year=YEAR)
    table = next(t for t in report.sections[-1].tables if "主要指标" in t.caption)
    assert table.caption == f"表2 各县(市、区)主要指标（{YEAR}年）"
    county = compute_indicators(region_code=COUNTY, year=YEAR)
    assert table.rows == [
        ["保康县", fmt.short(county["communities"]["value"]), fmt.short(county["households"]["value"])]
        + table.rows[0][3:]
    ]
    assert table.rows[0][-1] == fmt.wan(county["funding_budget"]["value"])


def test_the_source_note_says_how_many_returns_are_approved(report_data):
    # In the fixture's 2025 returns, 东门 is submitted and the other two drafts: none approved yet.
    report = report_build(region_code=COUNTY, year=YEAR)
    assert report.source_note.endswith("；2025年度填报3份，其中已审核0份，未审核的数据仍可能修改）")
    last_year = report_build(region_code=COUNTY, year=YEAR - 1)
    assert last_year.source_note.endswith("；2024年度填报2份，其中已审核2份）")


def test_an_unchanged_figure_is_said_to_be_level_with_last_year(report_data):
    # 歇马镇: the same one community both years; 3100 -> 3200 households; 1 -> 3 workers in post.
    text = report_build(region_code=STREET_B, year=YEAR).text()
    assert "与2024年相比，社区数量持平，居民增加100户，常住人口增加200人，在岗社区工作者增加2人。" in text
