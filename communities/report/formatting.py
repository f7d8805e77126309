"""Chinese number and unit conventions of survey reports (调研报告).

Money is stored in 元 and written in 万元 with two decimals (367.57万元); areas in 平方米 with at most one decimal
(4980平方米, 355.7平方米); rates are fractions written as percentages with one decimal (60.0%); counts are whole
numbers with their measure word (14个, 37人). A missing figure (a ratio whose denominator is 0) is written "—".

Every function takes an int, a Decimal, a float or None, rounds half up (as people do by hand, not to even), and
returns text; the same functions format the Word document, the printable page and the test's expectations.
"""

from __future__ import annotations

import re

from communities.numbers import Number, half_up, to_decimal
from communities.periods import chinese_date

MISSING = "—"


def fixed(value: Number, decimals: int) -> str:
    """The number rounded half up to ``decimals`` places, without thousands separators (as the reports write)."""
    rounded = half_up(value, decimals)
    return MISSING if rounded is None else f"{rounded:.{decimals}f}"


def short(value: Number, decimals: int = 1) -> str:
    """Rounded to ``decimals`` places, trailing zeros dropped: 4980.0 -> "4980", 355.66 -> "355.7"."""
    text = fixed(value, decimals)
    if text != MISSING and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def count(value: Number, unit: str = "") -> str:
    """A whole number with its measure word: count(14, "个") -> "14个"."""
    text = fixed(value, 0)
    return text if text == MISSING else f"{text}{unit}"


def wan(yuan: Number) -> str:
    """元 -> 万元 with two decimals, as a bare number: 3675700 -> "367.57"."""
    number = to_decimal(yuan)
    return MISSING if number is None else fixed(number / 10000, 2)


def wan_yuan(yuan: Number) -> str:
    """元 -> "367.57万元"."""
    text = wan(yuan)
    return text if text == MISSING else f"{text}万元"


def yuan(value: Number) -> str:
    """Whole 元: "1400元" (monthly pay, funds per household are written in 元)."""
    return count(value, "元")


def yuan_precise(value: Number) -> str:
    """元 with up to two decimals, for small per-household sums: "8.5元"."""
    text = short(value, 2)
    return text if text == MISSING else f"{text}元"


def area(m2: Number) -> str:
    """Square metres, at most one decimal: "4980平方米", "355.7平方米"."""
    text = short(m2, 1)
    return text if text == MISSING else f"{text}平方米"


def percent(rate: Number) -> str:
    """A fraction as a percentage with one decimal: 0.6 -> "60.0%"."""
    number = to_decimal(rate)
    return MISSING if number is None else f"{fixed(number * 100, 1)}%"


def ratio(value: Number, unit: str = "") -> str:
    """A ratio such as households per worker or workers per 10,000 residents, one decimal: "287.5户"."""
    text = fixed(value, 1)
    return text if text == MISSING else f"{text}{unit}"


def points(rate_change: Number) -> str:
    """A change of a rate in percentage points: 0.046 -> "4.6个百分点"."""
    number = to_decimal(rate_change)
    return MISSING if number is None else f"{fixed(number * 100, 1)}个百分点"


def change(current: Number, previous: Number, formatter=short) -> str:
    """The change from last year, signed: "+12", "-3.5"; "—" when either side is missing."""
    now, before = to_decimal(current), to_decimal(previous)
    if now is None or before is None:
        return MISSING
    diff = now - before
    text = formatter(abs(diff))
    if text == MISSING:
        return text
    if not re.search(r"[1-9]", text):  # rounds to zero: no sign
        return text
    return ("+" if diff > 0 else "-") + text


def date(value) -> str:
    """A date as official documents write it, without leading zeros: "2026年12月8日" (``periods.chinese_date``)."""
    return chinese_date(value)


def growth(current: Number, previous: Number) -> str:
    """Relative change from last year as a signed percentage: "+4.2%"; "—" when last year is 0 or missing."""
    now, before = to_decimal(current), to_decimal(previous)
    if now is None or before is None or before == 0:
        return MISSING
    rate = (now - before) / before
    text = percent(abs(rate))
    if fixed(abs(rate) * 100, 1) == "0.0":
        return text
    return ("+" if rate > 0 else "-") + text
