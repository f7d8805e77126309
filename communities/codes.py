"""The statistics division code (统计用区划代码): levels, prefixes and ancestors.

province 2 digits, city 4, county 6, street/township 9, community 12. A unit's code is a prefix of every code
under it, so "everything under R" is always ``code LIKE 'R%'``.
"""

import re

LEVEL_LENGTHS = (2, 4, 6, 9, 12)
LEVEL_NAMES = {0: "全国", 2: "省级", 4: "地级", 6: "县级", 9: "乡级", 12: "社区"}
REGION_CODE_RE = re.compile(r"^[0-9]{2}(?:[0-9]{2}(?:[0-9]{2}(?:[0-9]{3})?)?)?$")
UNIT_CODE_RE = re.compile(r"^[0-9]{2}(?:[0-9]{2}(?:[0-9]{2}(?:[0-9]{3}(?:[0-9]{3})?)?)?)?$")
COMMUNITY_CODE_RE = re.compile(r"^[0-9]{12}$")

# The same patterns for the database's CHECK constraints (no (?:...) groups: SQLite's and PostgreSQL's
# regular expressions both understand plain groups).
REGION_CODE_SQL_RE = r"^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3})?)?)?$"
UNIT_CODE_SQL_RE = r"^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3}([0-9]{3})?)?)?)?$"
COMMUNITY_CODE_SQL_RE = r"^[0-9]{12}$"


def ancestor_codes(code: str) -> list[str]:
    """Codes of the units above ``code``, nearest last: '420602001' -> ['42', '4206', '420602']."""
    return [code[:n] for n in LEVEL_LENGTHS if n < len(code)]


def parent_code(code: str) -> str:
    """The code of the unit directly above; '' (the whole country) for a province."""
    ancestors = ancestor_codes(code)
    return ancestors[-1] if ancestors else ""


def child_length(code: str) -> int | None:
    """The code length of the units one level below ``code`` ('' = the whole country; None below a community)."""
    return next((n for n in LEVEL_LENGTHS if n > len(code)), None)


def level_name(code: str) -> str:
    return LEVEL_NAMES.get(len(code), "")


# What people call a unit of each level, and the endings of names that already say it ("保康县", "城关街道"):
# a heading says "城关街道 · 2025年", not "城关街道 乡级 · 2025年"; "城关" alone would read "城关 街道".
SPOKEN_LEVELS = {
    2: ("省", ("省", "市", "自治区", "特别行政区")),
    4: ("市（州）", ("市", "州", "盟", "地区")),
    6: ("县（区）", ("县", "区", "市", "旗")),
    12: ("社区", ("社区", "居委会", "村委会", "村")),
}


def spoken_level(code: str, name: str) -> str:
    """The level as users say it, or '' when the unit's name already says it (and for the whole country)."""
    if len(code) == 9:
        kind = township_kind(code)
        word, endings = (kind, (kind,)) if kind in ("街道", "镇", "乡") else ("街道（乡镇）", ("街道", "镇", "乡"))
    elif len(code) in SPOKEN_LEVELS:
        word, endings = SPOKEN_LEVELS[len(code)]
    else:
        return ""
    return "" if name.endswith(endings) else word


def township_kind(street_code: str) -> str:
    """Digits 7–9 of a township-level code say what kind of unit it is."""
    number = int(street_code[6:9])
    if number < 100:
        return "街道"
    if number < 200:
        return "镇"
    if number < 400:
        return "乡"
    return "其他乡级单位"


def zero_part_problem(code: str) -> str | None:
    """What is wrong when a level's part of a code of digits is all zeros (that part names no unit: 420600 is the
    city itself, 420626000 the county, 420626001000 the street); None when no part is."""
    if len(code) >= 6 and code[4:6] == "00":
        return "代码第 5–6 位（县级）不能是 00：请核对县（区）的代码。"
    if len(code) >= 9 and code[6:9] == "000":
        return "代码第 7–9 位（街道、镇、乡）不能是 000：请核对街道（乡镇）的代码。"
    if len(code) == 12 and code[9:12] == "000":
        return "社区代码第 10–12 位（居委会、村委会）不能是 000，应为 001–399：请核对社区代码。"
    return None
