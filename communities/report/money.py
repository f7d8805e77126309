"""Money counted where it lands: an allocation to a county or a street is the county's or the street's, not spread
over its communities. The funding paragraph says how much went to each level, and a per-community list of money
(工作经费 per household, 公用经费 per worker) says how much of that use is held above the communities — or, when
none of it reached a community directly, says so instead of listing every community at 0."""

from __future__ import annotations

from . import formatting as fmt
from .wording import join

LEVELS = {2: "省本级", 4: "市（州）本级", 6: "县（市、区）本级", 9: "街道（乡镇）"}
COMMUNITY = 12
# The per-community lists of money, the use each one counts, and what that use is called.
MONEY_LISTS = {"work_funds_per_household": ("work", "工作经费"), "public_funds_per_worker": ("public", "公用经费")}


def levels_sentence(by_level: dict[int, dict]) -> str:
    """ "按拨付层级分，县（市、区）本级统筹5.20万元，拨付至街道（乡镇）3.00万元，直接拨付社区10.46万元。"
    — '' when all of it went to communities (nothing to tell apart)."""
    above = {n: row for n, row in by_level.items() if n < COMMUNITY and fmt.to_decimal(row["budget"])}
    if not above:
        return ""
    parts = []
    for length, row in sorted(above.items()):
        label = LEVELS.get(length, "上级")
        verb = "拨付至" if length == 9 else ""
        parts.append(f"{verb}{label}{'统筹' if length < 9 else ''}{fmt.wan_yuan(row['budget'])}")
    direct = by_level.get(COMMUNITY, {}).get("budget") or 0
    parts.append(f"直接拨付社区{fmt.wan_yuan(direct)}")
    return "按拨付层级分，" + "，".join(parts) + "。"


def held_above(by_level: dict[int, dict], key: str) -> tuple[str, bool]:
    """For a per-community list of money: (the note saying how much of its use is held above the communities, whether
    none of it reached a community directly). ("", False) when all of it went to communities."""
    use, name = MONEY_LISTS[key]
    above = {n: row[use] for n, row in by_level.items() if n < COMMUNITY and fmt.to_decimal(row[use])}
    if not above:
        return "", False
    total = sum(fmt.to_decimal(v) for v in above.values())
    where = join([LEVELS.get(n, "上级") for n in sorted(above)])
    direct = fmt.to_decimal(by_level.get(COMMUNITY, {}).get(use) or 0)
    if not direct:
        return (
            f"{name}{fmt.wan_yuan(total)}全部拨付至{where}统筹使用，未直接拨付到社区，故不按社区逐一列示；"
            f"按全部{name}计算的户均、人均水平见正文。",
            True,
        )
    return f"另有{name}{fmt.wan_yuan(total)}拨付至{where}统筹使用，未计入上表各社区。", False
