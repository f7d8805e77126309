"""Indicators of office and service space (DESIGN.md "Indicators": office_area … facility_shortfall_area)."""

from __future__ import annotations

from django.db.models import Count, F, FloatField, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, Greatest

from communities.indicator_engine import (
    Context,
    Indicator,
    Result,
    assess,
    find,
    num,
    ratio,
    shortfall_rows,
    standard_dict,
)
from communities.models import StandardKey

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


def compute(ctx: Context) -> dict[str, Result]:
    premises = Premises.objects.in_region(ctx.region_code).for_year(ctx.year)
    sums = premises.aggregate(
        **{
            f"{category.value}_area": Sum("area", filter=Q(category=category), default=0)
            for category in (Category.OFFICE, Category.SERVICE, Category.OUTDOOR)
        }
    )
    office, service, outdoor = (num(sums[f"{c}_area"]) for c in ("office", "service", "outdoor"))
    facility = num(office + service)
    communities, households = ctx.values["communities"], ctx.values["households"]
    results = {
        "office_area": Result(value=office),
        "service_area": Result(value=service),
        "outdoor_area": Result(value=outdoor),
        "facility_area": Result(value=facility),
        "office_area_per_community": Result(value=ratio(office, communities, digits=2)),
    }

    per_100 = find(INDICATORS, "facility_area_per_100_households")
    value = ratio(facility, households, scale=100, digits=2)
    standard = standard_dict(ctx, per_100)
    result = Result(value=value, standard=standard, passes=assess(value, standard, per_100.direction))
    if result.passes is False:
        result.gap = num(standard["value"] * households / 100 - facility)
    results[per_100.id] = result

    results["facility_compliance_rate"], results["facility_shortfall_area"] = _compliance(ctx, communities)
    results.update(_per_community(ctx, results, communities))
    return results


def _per_community(ctx: Context, results: dict[str, Result], communities: int) -> dict[str, Result]:
    """Averages per community (the comprehensive space against the minimum area) and the compliant communities."""
    definition = find(INDICATORS, "facility_area_per_community")
    value = ratio(results["facility_area"].value, communities, digits=2)
    standard = standard_dict(ctx, definition)
    average = Result(value=value, standard=standard, passes=assess(value, standard, definition.direction))
    if average.passes is False:
        average.gap = num(standard["value"] - value)
    rate = results["facility_compliance_rate"]
    return {
        "service_area_per_community": Result(value=ratio(results["service_area"].value, communities, digits=2)),
        "facility_area_per_community": average,
        "facility_compliant_communities": Result(
            value=None if rate.value is None else communities - rate.shortfall_count
        ),
    }


def _compliance(ctx: Context, communities: int) -> tuple[Result, Result]:
    """Each community against its own required area: max(minimum area, area per 100 households × households/100)."""
    definition = find(INDICATORS, "facility_compliance_rate")
    per_100_key, min_key = StandardKey.FACILITY_AREA_PER_100_HOUSEHOLDS, StandardKey.FACILITY_MIN_AREA
    if not (ctx.standards.is_set(per_100_key) or ctx.standards.is_set(min_key)):
        return Result(), Result()
    households = Cast("households", FloatField())
    annotated = ctx.returns().annotate(
        _area=Cast(
            Coalesce(Sum("premises__area", filter=Q(premises__category__in=FACILITY_CATEGORIES)), Value(0)),
            FloatField(),
        ),
        _required=Greatest(
            Coalesce(ctx.standards.expr(min_key), Value(0.0)),
            Coalesce(ctx.standards.expr(per_100_key), Value(0.0)) * households / 100.0,
        ),
    )
    short = Q(_area__lt=F("_required"))
    figures = annotated.aggregate(
        compliant=Count("id", filter=~short), missing=Sum(F("_required") - F("_area"), filter=short)
    )
    rate = Result(value=ratio(figures["compliant"], communities), standard=standard_dict(ctx, definition))
    if ctx.standards.get(min_key) and rate.standard:
        minimum = ctx.standards.get(min_key)
        rate.standard["minimum_area"] = minimum.as_dict()
    rate.shortfalls, rate.shortfall_count = shortfall_rows(
        ctx, annotated.filter(short), value=F("_area"), standard=F("_required"), gap=F("_required") - F("_area")
    )
    if communities:
        rate.passes = rate.shortfall_count == 0
        rate.gap = rate.shortfall_count or None
    missing = num(figures["missing"] or 0) if communities else None
    return rate, Result(value=missing)


def headline_by_year(*, region_code: str, years: list[int]) -> dict[int, dict]:
    rows = (
        Premises.objects.in_region(region_code)
        .filter(survey_return__year__in=years, category__in=FACILITY_CATEGORIES)
        .values("survey_return__year")
        .annotate(area=Sum("area"))
        .order_by("survey_return__year")
    )
    return {row["survey_return__year"]: {"facility_area": num(row["area"])} for row in rows}
