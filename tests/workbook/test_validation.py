"""Validation that the preview must catch: numbers within their columns' ranges, duplicate keys in every sheet,
and one bad 「社区基本情况」 row reported once (not again for every other row of that community)."""

import pytest
from django.db.backends.base.operations import BaseDatabaseOperations

from communities.workbook.columns import SHEETS
from communities.workbook.services import workbook_import
from workforce.models import Worker

from .builders import A1, A2, allocation, basics, only, premises, program, survey, worker

YEAR = 2025


def run(data, user, dry_run=True):
    return workbook_import(file=data, year=YEAR, user=user, dry_run=dry_run, name="t.xlsx")


class TestRanges:
    @pytest.mark.parametrize(
        ("sheet", "record", "column", "fragment"),
        [
            ("社区基本情况", basics(户数=3_000_000_000), "户数", "0 至 1000000"),  # beyond PostgreSQL's integer
            ("社区基本情况", basics(常住人口="30000000000"), "常住人口", "0 至 10000000"),
            ("社区基本情况", basics(小区数=2_147_483_648), "小区数", "0 至 10000"),
            ("社区基本情况", basics(驻社区民警数="1e20"), "驻社区民警数", "0 至 10000"),
            ("服务项目", program(受益人次=2_147_483_648), "受益人次", "0 至 100000000"),
            ("服务项目", program(志愿者人次=10_000_001), "志愿者人次", "0 至 10000000"),
            ("社区工作者", worker(出生年份=1929), "出生年份", "1930 至 2100"),
            ("社区工作者", worker(**{"月基本报酬(元)": 100_000_000}), "月基本报酬(元)", "0 至 99999999"),
            ("社区工作者", worker(**{"月补贴(元)": "1e30"}), "月补贴(元)", "0 至 99999999"),
            ("办公服务用房", premises(**{"建筑面积(平方米)": 1e12}), "建筑面积(平方米)", "0 至 99999999"),
            ("经费", allocation(**{"预算金额(万元)": 10_000_000_000}), "预算金额(万元)", "0 至 9999999999 万元"),
            ("服务项目", program(**{"经费(万元)": 100_000_000}), "经费(万元)", "0 至 99999999 万元"),
        ],
    )
    def test_a_number_beyond_its_range_is_an_error_in_the_preview(self, clerk_a, sheet, record, column, fragment):
        result = run(only(sheet, record), clerk_a)
        assert [(p.sheet, p.row, p.column) for p in result.errors] == [(sheet, 2, column)]
        assert fragment in result.errors[0].message and "范围" in result.errors[0].message

    def test_the_largest_allowed_values_import(self, clerk_a):
        data = survey(
            communities=[basics(户数=1_000_000, 常住人口=10_000_000, 小区数=10_000)],
            workers=[worker(**{"月基本报酬(元)": 99_999_999})],
            rooms=[],
            funds=[allocation(**{"预算金额(万元)": 9_999_999_999})],
            programs=[program(受益人次=100_000_000)],
        )
        result = run(data, clerk_a, dry_run=False)
        assert result.ok, result.errors
        assert Worker.objects.get().monthly_pay == 99_999_999

    def test_every_number_column_has_a_maximum_its_database_column_holds(self):
        ranges = BaseDatabaseOperations.integer_field_ranges
        for sheet in SHEETS:
            for column in sheet.columns:
                if column.kind not in ("int", "decimal", "money"):
                    continue
                assert column.maximum is not None, column.header
                field = sheet.model._meta.get_field(column.field) if column.field in _fields(sheet) else None
                if column.kind == "int" and field is not None:
                    assert column.maximum <= ranges[field.get_internal_type()][1], column.header
                elif field is not None:
                    scale = 10000 if column.kind == "money" else 1
                    assert column.maximum * scale < 10 ** (field.max_digits - field.decimal_places), column.header


def _fields(sheet):
    return {f.name for f in sheet.model._meta.concrete_fields}


class TestDuplicates:
    @pytest.mark.parametrize(
        ("sheet", "rows", "column", "fragment"),
        [
            ("社区基本情况", [basics(), basics(name="东关社区（重复）")], "社区代码", "与第 2 行重复"),
            ("办公服务用房", [premises(), premises(**{"建筑面积(平方米)": 99})], "名称", "与第 2 行重复"),
            ("经费", [allocation(), allocation(**{"预算金额(万元)": 3})], "资金来源", "与第 2 行重复"),
            ("服务项目", [program(), program(服务领域="便民服务")], "项目名称", "与第 2 行重复"),
            ("社区工作者", [worker(), worker(性别="男")], "姓名", "姓名和出生年份相同"),
            (
                "社区工作者",
                [worker(身份证号="420626198501010014"), worker(name="李四", 身份证号="420626198501010014")],
                "姓名",
                "身份证号相同",
            ),
        ],
        ids=["basics", "premises", "funding", "programs", "workers-by-name", "workers-by-id"],
    )
    def test_a_duplicate_key_in_a_sheet_is_an_error_naming_both_rows(self, clerk_a, sheet, rows, column, fragment):
        result = run(only(sheet, *rows), clerk_a)
        assert [(p.sheet, p.row, p.column) for p in result.errors] == [(sheet, 3, column)]
        assert fragment in result.errors[0].message


class TestABadBasicsRowDoesNotCascade:
    def test_the_basics_error_is_reported_once(self, clerk_a):
        data = survey(
            communities=[basics(), basics(A2, "西关社区", 户数="很多")],
            workers=[worker(A2, "王五"), worker(A2, "赵六"), worker(A2, "钱七")],
            rooms=[premises(A2)],
            funds=[allocation(A2)],
            programs=[program(A2)],
        )
        result = run(data, clerk_a)
        assert [(p.sheet, p.row, p.column) for p in result.errors] == [("社区基本情况", 3, "户数")]

    def test_the_other_rows_of_that_community_are_still_checked_on_their_own(self, clerk_a):
        data = survey(
            communities=[basics(A2, "西关社区", 户数="很多")],
            workers=[worker(A2, "王五"), worker(A2, "王五"), worker(A2, "赵六", 性别="X")],
            rooms=[],
            funds=[],
            programs=[],
        )
        result = run(data, clerk_a)
        assert [(p.sheet, p.row, p.column) for p in result.errors] == [
            ("社区基本情况", 2, "户数"),
            ("社区工作者", 4, "性别"),
            ("社区工作者", 3, "姓名"),  # the duplicate, found by the planner after the cells were read
        ]
        assert not any("不在「社区基本情况」" in p.message for p in result.errors)

    def test_a_missing_required_basics_column_is_reported_once(self, clerk_a):
        from .builders import HEADERS, rows_as_dicts, xlsx

        header = [h for h in HEADERS["社区基本情况"] if h != "户数"]
        data = xlsx(
            {
                "社区基本情况": [header, [A1, "东关社区", "城关街道", "城市社区", None, 3600]],
                "社区工作者": rows_as_dicts("社区工作者", [worker(), worker(name="李四")]),
            }
        )
        result = run(data, clerk_a)
        assert [(p.sheet, p.column) for p in result.errors] == [("社区基本情况", "户数")]

    def test_a_community_truly_missing_from_the_basics_sheet_is_still_an_error(self, clerk_a):
        data = survey(communities=[basics(户数="很多")], workers=[worker(A2)], rooms=[], funds=[], programs=[])
        result = run(data, clerk_a)
        assert [(p.sheet, p.column) for p in result.errors] == [("社区基本情况", "户数"), ("社区工作者", "社区代码")]
        assert "不在「社区基本情况」表中" in result.errors[1].message
