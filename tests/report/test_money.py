"""Money counted where it lands (tests/report/conftest.py): the county keeps its 52000 元 of 工作经费, 歇马镇 its
30000 元 for premises; 东门 13579.25 (公用经费), 西门 5000 and 北门 86000 go to the communities themselves."""

from decimal import Decimal

import pytest

from communities.report.compose import report_build
from funding.models import Source, Use
from tests.conftest import COUNTY
from tests.funding.factories import AllocationFactory
from tests.report.conftest import YEAR

pytestmark = pytest.mark.django_db


def test_the_funding_paragraph_says_how_much_each_level_holds(report_data):
    text = next(
        b.text for b in report_build(region_code=COUNTY, year=YEAR).section("基本情况").blocks if "经费" in b.lead
    )
    # County 52000 = 5.20万元; street 30000 = 3.00万元; communities 13579.25 + 5000 + 86000 = 104579.25 = 10.46万元.
    assert "按拨付层级分，县（市、区）本级统筹5.20万元，拨付至街道（乡镇）3.00万元，直接拨付社区10.46万元。" in text


def test_work_funds_held_by_the_county_are_said_not_listed_as_every_community_at_zero(report_data):
    report = report_build(region_code=COUNTY, year=YEAR)
    appendix = report.section("附表")
    assert not any("户均工作经费" in t.caption for t in appendix.tables)
    assert [b.lead + b.text for b in appendix.blocks] == [
        "户均工作经费未达标：工作经费5.20万元全部拨付至县（市、区）本级统筹使用，未直接拨付到社区，故不按社区逐一列示；"
        "按全部工作经费计算的户均、人均水平见正文。"
    ]
    # The region's figure still counts the county's money: 52000 / 7220 = 7.20 元 per household.
    assert "户均工作经费7.2元" in report.text()


def test_a_list_with_some_money_direct_says_how_much_is_held_above(report_data):
    AllocationFactory(
        unit_code=report_data["west"].code, year=YEAR, source=Source.COUNTY, use=Use.WORK, budget=Decimal(4150)
    )
    appendix = report_build(region_code=COUNTY, year=YEAR).section("附表")
    table = next(t for t in appendix.tables if "户均工作经费" in t.caption)
    # 西门 4150 / 830 = 5 元 per household, under 10: listed with the others, and the county's 5.20万元 said.
    assert table.note == "另有工作经费5.20万元拨付至县（市、区）本级统筹使用，未计入上表各社区。"
    assert any(row[2] == "西门社区" and row[4] == "5.00" for row in table.rows)
    assert not appendix.blocks


def test_a_streets_report_has_no_level_sentence_when_all_went_to_its_communities(report_data):
    # 城关街道: 东门, 西门, 北门 got theirs directly; the county's money is not the street's.
    text = "".join(b.text for b in report_build(region_code="420626001", year=YEAR).section("基本情况").blocks)
    assert "按拨付层级分" not in text
