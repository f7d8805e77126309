"""Indicators of service programs (DESIGN.md "Indicators": service_programs … purchased_service_share)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from communities.indicator_engine import (
    Context,
    Indicator,
    Result,
    breakdown,
    find,
    group_by_unit,
    num,
    ratio,
    standard_dict,
)
from communities.models import StandardKey

from .models import PURCHASED_PROVIDERS, ServiceArea, ServiceProgram

INDICATORS = [
    Indicator("service_programs", "服务项目数", "个", "services", "服务项目行数"),
    Indicator("service_beneficiaries", "受益人次", "人次", "services", "各服务项目受益人次之和"),
    Indicator("service_volunteer_visits", "志愿者人次", "人次", "services", "各服务项目志愿者人次之和"),
    Indicator("service_funds", "服务项目经费", "元", "services", "各服务项目经费之和"),
    Indicator(
        "service_area_coverage",
        "服务领域覆盖",
        "率",
        "services",
        "各服务领域：至少有一个该领域服务项目的社区数 ÷ 社区数",
        kind="breakdown",
        standard_key=StandardKey.SERVICE_COVERAGE_MIN,
        direction="min",
        gap_unit="个",
        gap_label="覆盖率低于下限的服务领域",
        note="设置下限时，各服务领域另注是否达标（passes）。",
    ),
    Indicator(
        "purchased_service_share",
        "购买服务占比",
        "率",
        "services",
        "政府购买服务或社会组织提供的项目数 ÷ 服务项目数",
        kind="rate",
    ),
    Indicator(
        "service_programs_by_area",
        "服务项目(按服务领域)",
        "个",
        "services",
        "按服务领域分组的服务项目数及占全部项目的比例",
        kind="breakdown",
    ),
]


# compute_by_unit reads this per-unit figure of the communities app.
BY_UNIT_NEEDS = ("communities",)


def _aggregates() -> dict:
    """The figures of a set of programs (the region's, or each unit's in a GROUP BY)."""
    return {
        "programs": Count("id"),
        "total_beneficiaries": Sum("beneficiaries", default=0),
        "total_volunteer_visits": Sum("volunteer_visits", default=0),
        "total_funds": Sum("funds", default=0),
        "purchased": Count("id", filter=Q(provider__in=PURCHASED_PROVIDERS)),
        **{f"area_{a.value}": Count("survey_return", distinct=True, filter=Q(area=a)) for a in ServiceArea},
        **{f"programs_{a.value}": Count("id", filter=Q(area=a)) for a in ServiceArea},
    }


def _values(f: dict, communities: int) -> dict:
    return {
        "service_programs": f["programs"],
        "service_beneficiaries": int(f["total_beneficiaries"]),
        "service_volunteer_visits": int(f["total_volunteer_visits"]),
        "service_funds": num(f["total_funds"]),
        "service_area_coverage": breakdown({a.label: f[f"area_{a.value}"] for a in ServiceArea}, communities),
        "purchased_service_share": ratio(f["purchased"], f["programs"]),
        "service_programs_by_area": breakdown({a.label: f[f"programs_{a.value}"] for a in ServiceArea}, f["programs"]),
    }


def compute(ctx: Context) -> dict[str, Result]:
    f = ctx.rows(ServiceProgram.objects).aggregate(**_aggregates())
    results = {key: Result(value=value) for key, value in _values(f, ctx.values["communities"]).items()}
    _assess_coverage(ctx, results["service_area_coverage"])
    return results


def compute_by_unit(ctx: Context) -> dict[str, dict]:
    """The same figures per unit (one GROUP BY)."""
    programs = ctx.rows(ServiceProgram.objects)
    rows = group_by_unit(ctx, programs, "survey_return__community_id", _aggregates())
    return {unit: _values(f, ctx.unit_values[unit]["communities"]) for unit, f in rows.items()}


def _assess_coverage(ctx: Context, result: Result) -> None:
    """Each service area's coverage against the county's floor: every area must reach it. Each area is marked
    ``passes``; the gap is the number of areas below the floor. No community list: coverage is a share of them."""
    definition = find(INDICATORS, "service_area_coverage")
    result.standard = standard_dict(ctx, definition)
    if result.standard is None or not ctx.values["communities"]:
        return
    floor = result.standard["value"]
    for part in result.value.values():
        part["passes"] = part["share"] >= floor
    below = sum(1 for part in result.value.values() if not part["passes"])
    result.passes = below == 0
    result.gap = below or None
