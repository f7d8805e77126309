"""Indicators of office and service space (DESIGN.md "Indicators": office_area … facility_shortfall_area)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, Sum

from communities.indicator_engine import (
    Context,
    Indicator,
    Result,
    assess,
    find,
    num,
    ratio,
    standard_dict,
)
from communities.indicator_sql import FLOAT, Cte, SqlCheck, queryset_sql, run
from communities.models import ReturnStatus, StandardKey

from .models import Category, Premises

FACILITY_CATEGORIES = (Category.OFFICE, Category.SERVICE)

INDICATORS = [
    Indicator("office_area", "办公用房面积", "m²", "space", "用房类别为办公用房的建筑面积之和"),
    Indicator("service_area", "公共服务用房面积", "m²", "space", "用房类别为公共服务用房的建筑面积之和"),
    Indicator("outdoor_area", "室外场地面积", "m²", "space", "用房类别为室外场地的面积之和"),
    Indicator("facility_area", "综合服务用房面积", "m²", "space", "办公用房面积 + 公共服务用房面积"),
    Indicator("office_area_per_community", "平均每社区办公用房", "m²", "space", "办公用房面积 ÷ 社区数"),
    Indicator(
        "facility_area_per_100_households",
        "每百户综合服务用房",
        "m²/百户",
        "space",
        "综合服务用房面积 ÷ 户数 × 100",
        standard_key=StandardKey.FACILITY_AREA_PER_100_HOUSEHOLDS,
        direction="min",
        gap_unit="m²",
        gap_label="按每百户标准尚缺面积",
        note="名单中“差距”为该社区按每百户标准尚缺的面积(m²)。",
    ),
    Indicator(
        "facility_compliance_rate",
        "用房达标率",
        "率",
        "space",
        "综合服务用房面积 ≥ max(最低面积, 每百户标准 × 户数 ÷ 100) 的社区数 ÷ 社区数",
        kind="rate",
        standard_key=StandardKey.FACILITY_AREA_PER_100_HOUSEHOLDS,
        direction="min",
        gap_unit="个",
        gap_label="未达标社区",
        shortfall_unit="m²",
        note="名单中“标准”为该社区应有面积 max(最低面积, 每百户标准 × 户数 ÷ 100)。",
    ),
    Indicator(
        "facility_shortfall_area",
        "用房缺口",
        "m²",
        "space",
        "未达标社区的 (应有面积 − 实有面积) 之和",
    ),
    Indicator("service_area_per_community", "平均每社区公共服务用房", "m²", "space", "公共服务用房面积 ÷ 社区数"),
    Indicator(
        "facility_area_per_community",
        "平均每社区综合服务用房",
        "m²",
        "space",
        "综合服务用房面积 ÷ 社区数",
        standard_key=StandardKey.FACILITY_MIN_AREA,
        direction="min",
        gap_unit="m²",
        gap_label="平均每社区距最低面积尚缺",
    ),
    Indicator(
        "facility_compliant_communities",
        "用房达标社区数",
        "个",
        "space",
        "综合服务用房面积 ≥ max(最低面积, 每百户标准 × 户数 ÷ 100) 的社区数",
    ),
]


# compute_by_unit reads these per-unit figures of the communities app.
BY_UNIT_NEEDS = ("communities", "households")
CATEGORIES = (Category.OFFICE, Category.SERVICE, Category.OUTDOOR)


def _values(office, service, outdoor, communities: int, households: int) -> dict:
    """The space figures of a region (or a unit) from its areas by category."""
    office, service, outdoor = num(office), num(service), num(outdoor)
    facility = num(office + service)
    return {
        "office_area": office,
        "service_area": service,
        "outdoor_area": outdoor,
        "facility_area": facility,
        "office_area_per_community": ratio(office, communities),
        "facility_area_per_100_households": ratio(facility, households, scale=100),
        "service_area_per_community": ratio(service, communities),
        "facility_area_per_community": ratio(facility, communities),
    }


def _compliance_values(compliant, missing, communities: int) -> dict:
    """The compliance figures from the communities that comply and the m² the others miss."""
    return {
        "facility_compliance_rate": ratio(compliant, communities),
        "facility_shortfall_area": num(missing or 0) if communities else None,
        "facility_compliant_communities": compliant if communities else None,
    }


def compute(ctx: Context) -> dict[str, Result]:
    communities, households = ctx.values["communities"], ctx.values["households"]
    complies = _compliance_applies(ctx)
    totals = dict(AREA_TOTALS, **(COMPLIANCE_TOTALS if complies else {}))
    sums, lists = run(
        ctx,
        ctes=_per_community(ctx),
        totals=totals,
        totals_from="per_community",
        source="per_community",
        checks=_checks(ctx),
    )
    values = _values(*(sums[c.value] for c in CATEGORIES), communities, households)
    results = {key: Result(value=value) for key, value in values.items()}

    per_100 = find(INDICATORS, "facility_area_per_100_households")
    value = values[per_100.id]
    standard = standard_dict(ctx, per_100)
    result = Result(value=value, standard=standard, passes=assess(value, standard, per_100.direction))
    if result.passes is False:
        result.gap = num(standard["value"] * households / 100 - values["facility_area"])
    results[per_100.id] = result

    results.update(_compliance(ctx, sums, communities) if complies else _no_compliance())
    results["facility_area_per_community"] = _average(ctx, values["facility_area_per_community"])
    for indicator_id, (rows, count) in lists.items():
        results[indicator_id].shortfalls, results[indicator_id].shortfall_count = rows, count
    rate = results["facility_compliance_rate"]
    if communities and rate.standard:
        rate.passes = rate.shortfall_count == 0
        rate.gap = rate.shortfall_count or None
    return results


def _compliance_applies(ctx: Context) -> bool:
    return ctx.standards.is_set(StandardKey.FACILITY_AREA_PER_100_HOUSEHOLDS) or ctx.standards.is_set(
        StandardKey.FACILITY_MIN_AREA
    )


def _per_community(ctx: Context) -> list[Cte]:
    """One pass over the rooms: each return's areas by category (``p``: one GROUP BY survey_return_id), joined to
    the region's returns (``per_community``): its areas, its facility area (``area``: office + service), the area
    the per-100 standard asks of it (``per_100_area``) and its required area (``required``: max(minimum area, area
    per 100 households × households/100)), each with the standards in force for the community itself."""
    rooms = (
        ctx.rows(Premises.objects)
        .values("survey_return_id")
        .annotate(**{c.value: Sum("area", filter=Q(category=c)) for c in CATEGORIES})
        .order_by()
    )
    returns = ctx.returns().values("id", "community_id", "households")
    per_100_sql, per_100_params = ctx.standards.sql(StandardKey.FACILITY_AREA_PER_100_HOUSEHOLDS, "r.community_id")
    minimum_sql, minimum_params = ctx.standards.sql(StandardKey.FACILITY_MIN_AREA, "r.community_id")
    areas = ", ".join(f"COALESCE(p.{c.value}, 0) AS {c.value}" for c in CATEGORIES)
    facility = " + ".join(f"COALESCE(p.{c.value}, 0)" for c in FACILITY_CATEGORIES)
    per_100_area = f"COALESCE(per_100_std, 0.0) * CAST(households AS {FLOAT}) / 100.0"
    minimum = "COALESCE(minimum_std, 0.0)"
    return [
        Cte("p", *queryset_sql(rooms)),
        Cte("r", *queryset_sql(returns)),
        Cte(
            "standards",
            f"SELECT r.community_id, r.households, {areas}, CAST({facility} AS {FLOAT}) AS area, "
            f"{per_100_sql} AS per_100_std, {minimum_sql} AS minimum_std "
            "FROM r LEFT JOIN p ON p.survey_return_id = r.id",
            [*per_100_params, *minimum_params],
        ),
        Cte(
            "per_community",
            f"SELECT *, {per_100_area} AS per_100_area, "
            f"CASE WHEN {minimum} >= {per_100_area} THEN {minimum} ELSE {per_100_area} END AS required FROM standards",
            [],
        ),
    ]


# The region's (or a unit's) areas by category, and its compliance figures, over its per-community rows.
AREA_TOTALS = {c.value: f"COALESCE(SUM({c.value}), 0)" for c in CATEGORIES}
COMPLIANCE_TOTALS = {
    "compliant": "COUNT(*) FILTER (WHERE NOT area < required)",
    "missing": "SUM(required - area) FILTER (WHERE area < required)",
}


def _average(ctx: Context, value) -> Result:
    """The comprehensive space per community against the minimum area."""
    definition = find(INDICATORS, "facility_area_per_community")
    standard = standard_dict(ctx, definition)
    average = Result(value=value, standard=standard, passes=assess(value, standard, definition.direction))
    if average.passes is False:
        average.gap = num(standard["value"] - value)
    return average


def _no_compliance() -> dict[str, Result]:
    return {key: Result() for key in _compliance_values(None, None, 0)}


def _compliance(ctx: Context, sums: dict, communities: int) -> dict[str, Result]:
    """Each community against its own required area: max(minimum area, area per 100 households × households/100)."""
    definition = find(INDICATORS, "facility_compliance_rate")
    values = _compliance_values(sums["compliant"], sums["missing"], communities)
    results = {key: Result(value=value) for key, value in values.items()}
    rate = results["facility_compliance_rate"]
    rate.standard = standard_dict(ctx, definition)
    minimum = ctx.standards.get(StandardKey.FACILITY_MIN_AREA)
    if minimum and rate.standard:
        rate.standard["minimum_area"] = minimum.as_dict()
    return results


def _checks(ctx: Context) -> dict[str, SqlCheck]:
    """The communities short of their required area, and those short of the area per 100 households (a community
    short of the per-100 area is short of its required area too)."""
    checks = {}
    if _compliance_applies(ctx):
        checks["facility_compliance_rate"] = SqlCheck("area < required", "area", "required", "required - area")
    if ctx.standards.is_set(StandardKey.FACILITY_AREA_PER_100_HOUSEHOLDS):
        checks["facility_area_per_100_households"] = SqlCheck(
            "households > 0 AND area < per_100_area",
            f"area * 100.0 / NULLIF(CAST(households AS {FLOAT}), 0.0)",
            "per_100_std",
            "per_100_area - area",
        )
    return checks


def compute_by_unit(ctx: Context) -> dict[str, dict]:
    """The same figures per unit, from the same per-community rows summed per unit (one query)."""
    complies = _compliance_applies(ctx)
    totals = dict(AREA_TOTALS, **(COMPLIANCE_TOTALS if complies else {}))
    ctes = _per_community(ctx)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {', '.join(f'{cte.name} AS ({cte.sql})' for cte in ctes)} "
            f"SELECT SUBSTR(community_id, 1, %s), {', '.join(totals.values())} FROM per_community GROUP BY 1",
            [p for cte in ctes for p in cte.params] + [ctx.unit_length],
        )
        rows = {unit: dict(zip(totals, figures, strict=True)) for unit, *figures in cursor.fetchall()}
    found = {}
    for unit in ctx.unit_values:
        communities, households = (ctx.unit_values[unit][key] for key in BY_UNIT_NEEDS)
        sums = rows.get(unit) or dict.fromkeys(totals, 0)
        values = _values(*(sums[c.value] for c in CATEGORIES), communities, households)
        compliance = (
            _compliance_values(sums["compliant"], sums["missing"], communities)
            if complies
            else _compliance_values(None, None, 0)
        )
        found[unit] = {**values, **compliance}
    return found


def headline_by_year(*, region_code: str, years: list[int], approved_only: bool = False, codes=None) -> dict[int, dict]:
    scoped = Premises.objects.in_codes(codes) if codes is not None else Premises.objects.in_region(region_code)
    premises = scoped.filter(survey_return__year__in=years, category__in=FACILITY_CATEGORIES)
    if approved_only:
        premises = premises.filter(survey_return__status=ReturnStatus.APPROVED)
    rows = premises.values("survey_return__year").annotate(area=Sum("area")).order_by("survey_return__year")
    return {row["survey_return__year"]: {"facility_area": num(row["area"])} for row in rows}
