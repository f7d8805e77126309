"""Indicators of the communities app: counts, households, population and community size (DESIGN.md "Indicators")."""

from __future__ import annotations

from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import Substr

from .indicator_engine import Context, Indicator, Result, breakdown, group_by_unit, ratio
from .indicator_sql import FLOAT, Cte, SqlCheck, queryset_sql, run
from .models import CommunityType, ReturnStatus, StandardKey, SurveyReturn

# Community size bands by households (labels as the reports write them), with their bounds [low, high).
SIZE_BANDS: list[tuple[str, int, int | None]] = [
    ("1000户以下", 0, 1000),
    ("1000-2000户", 1000, 2000),
    ("2000-2500户", 2000, 2500),
    ("2500-3000户", 2500, 3000),
    ("3000户以上", 3000, None),
]

INDICATORS = [
    Indicator("communities", "社区数", "个", "overview", "有本年度填报的社区数"),
    Indicator("streets", "街道(乡镇)数", "个", "overview", "这些社区所属的街道(乡镇)数（社区代码前9位去重）"),
    Indicator("households", "户数", "户", "overview", "各社区户数之和"),
    Indicator("population", "常住人口", "人", "overview", "各社区常住人口之和"),
    Indicator("neighborhoods", "小区数", "个", "overview", "各社区小区数之和"),
    Indicator("units", "辖区单位数", "个", "overview", "各社区辖区单位数之和"),
    Indicator("party_members", "党员数", "人", "overview", "各社区党员数之和"),
    Indicator("volunteers", "注册志愿者数", "人", "overview", "各社区注册志愿者数之和"),
    Indicator("social_organizations", "社区社会组织数", "个", "overview", "各社区社区社会组织数之和"),
    Indicator("police_officers", "驻社区民警数", "人", "overview", "各社区驻社区民警数之和"),
    Indicator(
        "households_by_size",
        "社区规模分布",
        "个",
        "size",
        "按户数分组的社区数及占比：1000户以下、1000-2000、2000-2500、2500-3000、3000户以上",
        kind="breakdown",
        standard_key=StandardKey.COMMUNITY_MIN_HOUSEHOLDS,
        direction="range",
        gap_unit="个",
        gap_label="规模不在标准范围内的社区",
        shortfall_unit="户",
        note="名单中“差距”为超出或不足标准范围的户数。",
    ),
    Indicator(
        "communities_by_type",
        "社区类型分布",
        "个",
        "overview",
        "按社区类型分组的社区数及占比",
        kind="breakdown",
    ),
    Indicator("households_min", "最小社区户数", "户", "size", "各社区户数的最小值"),
    Indicator("households_max", "最大社区户数", "户", "size", "各社区户数的最大值"),
    Indicator("households_per_community", "平均每社区户数", "户", "size", "户数 ÷ 社区数"),
]

_SUMS = [
    "households",
    "population",
    "neighborhoods",
    "units",
    "party_members",
    "volunteers",
    "social_organizations",
    "police_officers",
]


def _band_q(low: int, high: int | None) -> Q:
    q = Q(households__gte=low)
    return q & Q(households__lt=high) if high is not None else q


def _aggregates() -> dict:
    """The figures of a set of returns (the region's, or each unit's in a GROUP BY)."""
    return {
        "communities": Count("id"),
        "streets": Count(Substr("community_id", 1, 9), distinct=True),
        **{f"sum_{name}": Sum(name) for name in _SUMS},
        **{f"band_{i}": Count("id", filter=_band_q(low, high)) for i, (_, low, high) in enumerate(SIZE_BANDS)},
        **_spread_aggregates(),
    }


def _values(figures: dict) -> dict:
    values = {name: figures[name] for name in ["communities", "streets"]}
    values.update({name: int(figures[f"sum_{name}"] or 0) for name in _SUMS})
    bands = {label: figures[f"band_{i}"] for i, (label, _, _) in enumerate(SIZE_BANDS)}
    values["households_by_size"] = breakdown(bands, figures["communities"])
    values.update(_spread(figures))
    return values


def compute(ctx: Context) -> dict[str, Result]:
    returns = ctx.returns()
    values = _values(returns.aggregate(**_aggregates()))
    results = {name: Result(value=value) for name, value in values.items()}
    results["households_by_size"] = _size(ctx, values["households_by_size"], values["communities"])
    return results


def compute_by_unit(ctx: Context) -> dict[str, dict]:
    """The units with returns for the year, and their figures (one GROUP BY)."""
    rows = group_by_unit(ctx, ctx.returns(), "community_id", _aggregates(), units_known=False)
    return {unit: _values(figures) for unit, figures in rows.items()}


def _spread_aggregates() -> dict:
    """The aggregates behind communities_by_type and the smallest, largest and mean community (same query)."""
    return {
        **{f"type_{kind.value}": Count("id", filter=Q(community__community_type=kind)) for kind in CommunityType},
        "households_low": Min("households"),
        "households_high": Max("households"),
    }


def _spread(figures: dict) -> dict:
    communities = figures["communities"]
    by_type = {kind.label: figures[f"type_{kind.value}"] for kind in CommunityType}
    return {
        "communities_by_type": breakdown(by_type, communities),
        "households_min": figures["households_low"],
        "households_max": figures["households_high"],
        "households_per_community": ratio(figures["sum_households"], communities),
    }


def _size(ctx: Context, bands: dict[str, dict], communities: int) -> Result:
    """The size bands, checked against the range a 居委会 should have (community_min/max_households)."""
    result = Result(value=bands)
    min_key, max_key = StandardKey.COMMUNITY_MIN_HOUSEHOLDS, StandardKey.COMMUNITY_MAX_HOUSEHOLDS
    if not (ctx.standards.is_set(min_key) and ctx.standards.is_set(max_key)):
        return result
    low, high = ctx.standards.get(min_key), ctx.standards.get(max_key)
    if low and high:
        result.standard = {
            **low.as_dict(),
            "key": "community_households_range",
            "label": "社区规模(户)",
            "value": [float(low.value), float(high.value)],
            "unit": "户",
            "source": low.source if low.source == high.source else f"{low.source}；{high.source}",
            "direction": "range",
        }
    # Each community against the range in force for it: the bound it misses, and by how many households.
    returns = ctx.returns().values("community_id", "households")
    min_sql, min_params = ctx.standards.sql(min_key, "r.community_id")
    max_sql, max_params = ctx.standards.sql(max_key, "r.community_id")
    ctes = [
        Cte("r", *queryset_sql(returns)),
        Cte("sizes", f"SELECT *, {min_sql} AS min_std, {max_sql} AS max_std FROM r", [*min_params, *max_params]),
    ]
    households = f"CAST(households AS {FLOAT})"
    check = SqlCheck(
        "households < min_std OR households > max_std",
        households,
        "CASE WHEN households < min_std THEN min_std ELSE max_std END",
        f"CASE WHEN households < min_std THEN min_std - {households} ELSE {households} - max_std END",
    )
    _, lists = run(ctx, ctes=ctes, source="sizes", checks={"size": check})
    result.shortfalls, result.shortfall_count = lists["size"]
    result.gap = result.shortfall_count or None
    result.passes = result.shortfall_count == 0 if communities else None
    return result


def headline_by_year(*, region_code: str, years: list[int], approved_only: bool = False, codes=None) -> dict[int, dict]:
    scoped = SurveyReturn.objects.in_codes(codes) if codes is not None else SurveyReturn.objects.in_region(region_code)
    returns = scoped.filter(year__in=years)
    if approved_only:
        returns = returns.filter(status=ReturnStatus.APPROVED)
    rows = (
        returns.values("year")
        .annotate(communities=Count("id"), households=Sum("households"), population=Sum("population"))
        .order_by("year")
    )
    return {
        row["year"]: {
            "communities": row["communities"],
            "households": int(row["households"] or 0),
            "population": int(row["population"] or 0),
        }
        for row in rows
    }
