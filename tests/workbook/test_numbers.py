"""Commas and decimals in number cells: a comma is a thousands separator or an error (never a silent 1,2 → 12), and
an amount has no more decimals than its database column keeps (never rounded silently)."""

from decimal import Decimal

import pytest

from communities.workbook.services import workbook_import
from funding.models import Allocation
from workforce.models import Worker

from .builders import allocation, only, worker

YEAR = 2025


def run(data, user, dry_run=True):
    return workbook_import(file=data, year=YEAR, user=user, dry_run=dry_run, name="t.xlsx")


@pytest.mark.parametrize("typed", ["1,2", "1,23", "1,2345", "12,34.5", "1，2"])
def test_a_comma_that_is_not_a_thousands_separator_is_an_error(clerk_a, typed):
    result = run(only("经费", allocation(**{"预算金额(万元)": typed})), clerk_a)
    assert [(p.column, p.value) for p in result.errors] == [("预算金额(万元)", typed)]
    assert '请用小数点 "."' in result.errors[0].message or "小数请用小数点" in result.errors[0].message


def test_a_comma_in_a_whole_number_column_too(clerk_a):
    result = run(only("社区工作者", worker(出生年份="19,85")), clerk_a)
    assert [p.column for p in result.errors] == ["出生年份"] and "千位分隔符" in result.errors[0].message


def test_thousands_separators_are_accepted(clerk_a):
    data = only("经费", allocation(**{"预算金额(万元)": "1,234.5", "到位金额(万元)": "1,000"}))
    result = run(data, clerk_a, dry_run=False)
    assert result.ok, result.errors
    stored = Allocation.objects.get()
    assert stored.budget == Decimal("12345000") and stored.received == Decimal("10000000")


def test_more_than_2_decimals_of_yuan_is_an_error(clerk_a):
    result = run(only("社区工作者", worker(**{"月基本报酬(元)": 1900.555})), clerk_a)
    assert [p.column for p in result.errors] == ["月基本报酬(元)"]
    assert "最多保留 2 位小数" in result.errors[0].message


def test_wan_yuan_may_have_6_decimals_down_to_the_fen(clerk_a):
    result = run(only("经费", allocation(**{"预算金额(万元)": 1.2345678})), clerk_a)
    assert [p.column for p in result.errors] == ["预算金额(万元)"]
    assert "以万元为单位最多保留 6 位小数" in result.errors[0].message
    result = run(only("经费", allocation(**{"预算金额(万元)": 1.234567})), clerk_a, dry_run=False)
    assert result.ok, result.errors
    assert Allocation.objects.get().budget == Decimal("12345.67")


def test_float_noise_from_a_formula_is_not_a_decimal(clerk_a):
    result = run(only("社区工作者", worker(**{"月基本报酬(元)": 0.1 + 0.2 + 1500})), clerk_a, dry_run=False)
    assert result.ok, result.errors
    assert Worker.objects.get().monthly_pay == Decimal("1500.30")
