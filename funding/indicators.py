"""Indicators of funding (DESIGN.md "Indicators": funding_budget … work_funds_per_household).

Money allocated at any unit under the region counts for the region (a county's own allocations count for the county,
not for its streets). Per-community lists can only use money allocated to the community itself.
"""

from __future__ import annotations

from django.db.models import F, FloatField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce

from communities.indicator_engine import (
    Context,
    Indicator,
    Result,
    assess,
    breakdown,
    find,
    num,
    ratio,
    shortfall_rows,
    standard_dict,
)
from communities.models import StandardKey

from .models import Allocation, Source, Use

DIRECT_NOTE = "名单按直接拨付到社区的经费计算；拨付到街道(乡镇)及以上的经费计入本区域合计，不分摊到社区。"

INDICATORS = [
    Indicator("funding_budget", "经费预算", "元", "funding", "本区域内各级单位经费预算金额之和"),
    Indicator("funding_received", "经费到位", "元", "funding", "本区域内各级单位经费到位金额之和"),
    Indicator(
        "funding_budget_by_source", "经费预算(按来源)", "元", "funding", "按资金来源分组的预算金额", kind="breakdown"
    ),
    Indicator(
        "funding_budget_by_use", "经费预算(按用途)", "元", "funding", "按经费用途分组的预算金额", kind="breakdown"
    ),
    Indicator("funding_received_rate", "到位率", "率", "funding", "经费到位 ÷ 经费预算", kind="rate"),
    Indicator("funding_per_household", "户均经费", "元/户", "funding", "经费预算 ÷ 户数"),
    Indicator(
        "work_funds_per_household",
        "户均工作经费",
        "元/户",
        "funding",
        "用途为工作经费的预算 ÷ 户数",
        standard_key=StandardKey.WORK_FUNDS_PER_HOUSEHOLD,
        direction="min",
        gap_unit="元",
        gap_label="按户均标准尚缺工作经费",
        shortfall_unit="元/户",
        note=DIRECT_NOTE + "名单中“差距”为该社区尚缺的工作经费(元)。",
    ),
    Indicator(
        "public_funds_per_worker",
        "人均公用经费",
        "元/人",
        "funding",
        "用途为公用经费的预算 ÷ 年末在岗社区工作者",
        standard_key=StandardKey.PUBLIC_FUNDS_PER_WORKER,
        direction="min",
        gap_unit="元",
        gap_label="按人均标准尚缺公用经费",
    ),
]


def compute(ctx: Context) -> dict[str, Result]:
    f = (
        Allocation.objects.in_region(ctx.region_code)
        .for_year(ctx.year)
        .aggregate(
            total_budget=Sum("budget", default=0),
            total_received=Sum("received", default=0),
            **{f"source_{s.value}": Sum("budget", filter=Q(source=s), default=0) for s in Source},
            **{f"use_{u.value}": Sum("budget", filter=Q(use=u), default=0) for u in Use},
        )
    )
    budget, received = num(f["total_budget"]), num(f["total_received"])
    households, in_post = ctx.values["households"], ctx.values["workers_in_post"]
    work, public = num(f[f"use_{Use.WORK.value}"]), num(f[f"use_{Use.PUBLIC.value}"])
    results = {
        "funding_budget": Result(value=budget),
        "funding_received": Result(value=received),
        "funding_budget_by_source": Result(
            value=breakdown({s.label: f[f"source_{s.value}"] for s in Source}, budget, amount=True)
        ),
        "funding_budget_by_use": Result(
            value=breakdown({u.label: f[f"use_{u.value}"] for u in Use}, budget, amount=True)
        ),
        "funding_received_rate": Result(value=ratio(received, budget)),
        "funding_per_household": Result(value=ratio(budget, households, digits=2)),
    }
    results["work_funds_per_household"] = _work_funds(ctx, work, households)

    definition = find(INDICATORS, "public_funds_per_worker")
    value = ratio(public, in_post, digits=2)
    standard = standard_dict(ctx, definition)
    result = Result(value=value, standard=standard, passes=assess(value, standard, "min"))
    if result.passes is False:
        result.gap = num(standard["value"] * in_post - public)
    results[definition.id] = result
    return results


def _work_funds(ctx: Context, work: float, households: int) -> Result:
    definition = find(INDICATORS, "work_funds_per_household")
    value = ratio(work, households, digits=2)
    standard = standard_dict(ctx, definition)
    result = Result(value=value, standard=standard, passes=assess(value, standard, "min"))
    if result.passes is False:
        result.gap = num(standard["value"] * households - work)
    if ctx.standards.is_set(definition.standard_key):
        direct = (
            Allocation.objects.filter(unit_code=OuterRef("community_id"), year=ctx.year, use=Use.WORK)
            .order_by()
            .values("unit_code")
            .annotate(total=Sum("budget"))
            .values("total")
        )
        households_f = Cast("households", FloatField())
        annotated = ctx.returns().annotate(
            _work=Coalesce(Cast(Subquery(direct), FloatField()), Value(0.0)),
            _std=ctx.standards.expr(definition.standard_key),
        )
        short = annotated.filter(households__gt=0, _work__lt=households_f * F("_std"))
        result.shortfalls, result.shortfall_count = shortfall_rows(
            ctx,
            short,
            value=F("_work") / households_f,
            standard=F("_std"),
            gap=households_f * F("_std") - F("_work"),
        )
    return result


def headline_by_year(*, region_code: str, years: list[int]) -> dict[int, dict]:
    rows = (
        Allocation.objects.in_region(region_code)
        .filter(year__in=years)
        .values("year")
        .annotate(total=Sum("budget"))
        .order_by("year")
    )
    return {row["year"]: {"funding_budget": num(row["total"])} for row in rows}
