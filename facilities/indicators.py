"""Indicators of office and service space (DESIGN.md "Indicators": office_area … facility_shortfall_area)."""

from __future__ import annotations

from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Greatest, NullIf

from communities.indicator_engine import (
    Check,
    Context,
    Indicator,
    Result,
    assess,
    find,
    num,
    ratio,
    shortfall_lists,
    standard_dict,
    sum_by_unit,
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
        "office_area_per_community": ratio(office, communities, digits=2),
        "facility_area_per_100_households": ratio(facility, households, scale=100, digits=2),
        "service_area_per_community": ratio(service, communities, digits=2),
        "facility_area_per_community": ratio(facility, communities, digits=2),
    }


def _compliance_values(compliant, missing, communities: int) -> dict:
    """The compliance figures from the communities that comply and the m² the others miss."""
    return {
        "facility_compliance_rate": ratio(compliant, communities),
        "facility_shortfall_area": num(missing or 0) if communities else None,
        "facility_compliant_communities": compliant if communities else None,
    }


def compute(ctx: Context) -> dict[str, Result]:
    premises = Premises.objects.in_region(ctx.region_code).for_year(ctx.year)
    sums = premises.aggregate(
        **{f"{category.value}_area": Sum("area", filter=Q(category=category), default=0) for category in CATEGORIES}
    )
    communities, households = ctx.values["communities"], ctx.values["households"]
    values = _values(*(sums[f"{c.value}_area"] for c in CATEGORIES), communities, households)
    results = {key: Result(value=value) for key, value in values.items()}

    per_100 = find(INDICATORS, "facility_area_per_100_households")
    value = values[per_100.id]
    standard = standard_dict(ctx, per_100)
    result = Result(value=value, standard=standard, passes=assess(value, standard, per_100.direction))
    if result.passes is False:
        result.gap = num(standard["value"] * households / 100 - values["facility_area"])
    results[per_100.id] = result

    results.update(_compliance(ctx, communities))
    results["facility_area_per_community"] = _average(ctx, values["facility_area_per_community"])
    for indicator_id, (rows, count) in _community_lists(ctx).items():
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


def _per_community(ctx: Context) -> QuerySet:
    """Each return with its facility area (``_area``), the area the per-100 standard asks of it (``_per_100_area``)
    and its required area (``_required``): max(minimum area, area per 100 households × households/100), each with
    the standards in force for the community itself."""
    households = Cast("households", FloatField())
    return ctx.returns().annotate(
        _area=Cast(
            Coalesce(Sum("premises__area", filter=Q(premises__category__in=FACILITY_CATEGORIES)), Value(0)),
            FloatField(),
        ),
        _per_100_area=Coalesce(ctx.standards.expr(StandardKey.FACILITY_AREA_PER_100_HOUSEHOLDS), Value(0.0))
        * households
        / 100.0,
        _required=Greatest(Coalesce(ctx.standards.expr(StandardKey.FACILITY_MIN_AREA), Value(0.0)), F("_per_100_area")),
    )


def _average(ctx: Context, value) -> Result:
    """The comprehensive space per community against the minimum area."""
    definition = find(INDICATORS, "facility_area_per_community")
    standard = standard_dict(ctx, definition)
    average = Result(value=value, standard=standard, passes=assess(value, standard, definition.direction))
    if average.passes is False:
        average.gap = num(standard["value"] - value)
    return average


def _compliance(ctx: Context, communities: int) -> dict[str, Result]:
    """Each community against its own required area: max(minimum area, area per 100 households × households/100)."""
    definition = find(INDICATORS, "facility_compliance_rate")
    if not _compliance_applies(ctx):
        return {key: Result() for key in _compliance_values(None, None, 0)}
    short = Q(_area__lt=F("_required"))
    figures = _per_community(ctx).aggregate(
        compliant=Count("id", filter=~short), missing=Sum(F("_required") - F("_area"), filter=short)
    )
    values = _compliance_values(figures["compliant"], figures["missing"], communities)
    results = {key: Result(value=value) for key, value in values.items()}
    rate = results["facility_compliance_rate"]
    rate.standard = standard_dict(ctx, definition)
    minimum = ctx.standards.get(StandardKey.FACILITY_MIN_AREA)
    if minimum and rate.standard:
        rate.standard["minimum_area"] = minimum.as_dict()
    return results


def _community_lists(ctx: Context) -> dict[str, tuple[list[dict], int]]:
    """The communities short of their required area, and those short of the area per 100 households, from one
    GROUP BY over the rooms (a community short of the per-100 area is short of its required area too)."""
    checks = {}
    if _compliance_applies(ctx):
        checks["facility_compliance_rate"] = Check(
            short=Q(_area__lt=F("_required")),
            value=F("_area"),
            standard=F("_required"),
            gap=F("_required") - F("_area"),
        )
    per_100_key = StandardKey.FACILITY_AREA_PER_100_HOUSEHOLDS
    if ctx.standards.is_set(per_100_key):
        checks["facility_area_per_100_households"] = Check(
            short=Q(households__gt=0, _area__lt=F("_per_100_area")),
            value=F("_area") * 100.0 / NullIf(Cast("households", FloatField()), 0.0),
            standard=ctx.standards.expr(per_100_key),
            gap=F("_per_100_area") - F("_area"),
        )
    return shortfall_lists(ctx, _per_community(ctx), checks) if checks else {}


def compute_by_unit(ctx: Context) -> dict[str, dict]:
    """The same figures per unit, from one query: each community's areas by category and whether it complies, summed
    per unit."""
    per_community = _per_community(ctx).annotate(
        **{
            f"_{category.value}": Cast(
                Coalesce(Sum("premises__area", filter=Q(premises__category=category)), Value(0)), FloatField()
            )
            for category in CATEGORIES
        }
    )
    columns = [f"_{category.value}" for category in CATEGORIES]
    complies = _compliance_applies(ctx)
    if complies:
        short = Q(_area__lt=F("_required"))
        per_community = per_community.annotate(
            _compliant=Case(When(short, then=Value(0)), default=Value(1)),
            _missing=Case(When(short, then=F("_required") - F("_area")), default=Value(0.0), output_field=FloatField()),
        )
        columns += ["_compliant", "_missing"]
    found = {}
    for unit, sums in sum_by_unit(ctx, per_community, columns).items():
        communities, households = (ctx.unit_values[unit][key] for key in BY_UNIT_NEEDS)
        values = _values(*(sums[f"_{c.value}"] or 0 for c in CATEGORIES), communities, households)
        compliance = (
            _compliance_values(sums["_compliant"], sums["_missing"], communities)
            if complies
            else _compliance_values(None, None, 0)
        )
        found[unit] = {**values, **compliance}
    return found


def headline_by_year(*, region_code: str, years: list[int]) -> dict[int, dict]:
    rows = (
        Premises.objects.in_region(region_code)
        .filter(survey_return__year__in=years, category__in=FACILITY_CATEGORIES)
        .values("survey_return__year")
        .annotate(area=Sum("area"))
        .order_by("survey_return__year")
    )
    return {row["survey_return__year"]: {"facility_area": num(row["area"])} for row in rows}
