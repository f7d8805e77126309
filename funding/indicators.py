"""Indicators of funding (DESIGN.md "Indicators": funding_budget … work_funds_per_household).

Money allocated at any unit under the region counts for the region (a county's own allocations count for the county,
not for its streets). Per-community lists can only use money allocated to the community itself.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, FloatField, Q, Sum
from django.db.models.functions import Cast, NullIf

from communities.indicator_engine import (
    LIST_FIELDS,
    Context,
    Indicator,
    Result,
    assess,
    breakdown,
    find,
    num,
    ratio,
    shortfall_row,
    standard_dict,
)
from communities.models import Community, Region, StandardKey, SurveyReturn

from .models import Allocation, Source, Use

DIRECT_NOTE = "名单按直接拨付到社区的经费计算；拨付到街道(乡镇)及以上的经费计入本区域合计，不分摊到社区。"

INDICATORS = [
    Indicator("funding_budget", "经费预算", "元", "funding", "本区域内各级单位经费预算金额之和"),
    Indicator(
        "funding_received", "经费到位", "元", "funding", "本区域内各级单位经费到位金额之和（未填到位金额的不计）"
    ),
    Indicator(
        "funding_budget_by_source", "经费预算(按来源)", "元", "funding", "按资金来源分组的预算金额", kind="breakdown"
    ),
    Indicator(
        "funding_budget_by_use", "经费预算(按用途)", "元", "funding", "按经费用途分组的预算金额", kind="breakdown"
    ),
    Indicator(
        "funding_received_rate",
        "到位率",
        "率",
        "funding",
        "经费到位 ÷ 填报了到位金额的经费预算（未填到位金额的经费不计入分子和分母）",
        kind="rate",
        standard_key=StandardKey.FUNDING_RECEIVED_RATE_MIN,
        direction="min",
        gap_unit="率",
        gap_label="低于到位率下限",
        shortfall_unit="率",
        note=DIRECT_NOTE + "名单中“差距”为该社区到位率低于下限的部分。",
    ),
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
    Indicator(
        "funding_budget_reported",
        "填报了到位金额的经费预算",
        "元",
        "funding",
        "到位金额已填报的经费的预算金额之和（到位率的分母）",
    ),
    Indicator(
        "funding_budget_county_township",
        "县乡两级财政预算",
        "元",
        "funding",
        "资金来源为县级财政或乡镇(街道)财政的预算金额之和",
    ),
]


def compute(ctx: Context) -> dict[str, Result]:
    f = (
        Allocation.objects.in_region(ctx.region_code)
        .for_year(ctx.year)
        .aggregate(
            total_budget=Sum("budget", default=0),
            total_received=Sum("received", default=0),
            reported_budget=Sum("budget", filter=Q(received__isnull=False), default=0),
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
        "funding_received_rate": _received_rate(ctx, received, num(f["reported_budget"])),
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
    results["funding_budget_reported"] = Result(value=num(f["reported_budget"]))
    results["funding_budget_county_township"] = Result(
        value=num(f[f"source_{Source.COUNTY.value}"] + f[f"source_{Source.TOWNSHIP.value}"])
    )
    return results


def _received_rate(ctx: Context, received: float, reported_budget: float) -> Result:
    """Money received over the budget of the allocations whose received amount is given (a blank is not 0), null
    when none is given; against the county's floor, with the communities whose own allocations fall below it."""
    definition = find(INDICATORS, "funding_received_rate")
    value = ratio(received, reported_budget)
    standard = standard_dict(ctx, definition)
    result = Result(value=value, standard=standard, passes=assess(value, standard, definition.direction))
    if result.passes is False:
        result.gap = round(standard["value"] - value, 4)
    if ctx.standards.is_set(definition.standard_key):
        result.shortfalls, result.shortfall_count = _received_shortfalls(ctx, definition.standard_key)
    return result


def _received_shortfalls(ctx: Context, key: str) -> tuple[list[dict], int]:
    """Communities whose directly allocated money, where its received amount is given, arrived below the floor.

    Two queries whatever the number of communities: the allocations grouped by community (with the floor in force
    for each, in SQL), then the names and households of the worst of them.
    """
    received = Cast(Sum("received"), FloatField())
    budget = Cast(Sum("budget"), FloatField())
    grouped = (
        Allocation.objects.in_region(ctx.region_code)
        .for_year(ctx.year)
        .filter(unit_code__regex=r"^[0-9]{12}$", received__isnull=False)
        .values("unit_code")
        .order_by()
        .annotate(_rate=received / NullIf(budget, 0.0), _standard=ctx.standards.expr(key, "unit_code"))
        .filter(_rate__lt=F("_standard"))
        .values_list("unit_code", "_rate", "_standard")
    )
    rates = {code: (rate, standard) for code, rate, standard in grouped}
    # [""] matches no community, so the second query runs (and the count stays fixed) when none falls short.
    rows = list(ctx.returns().filter(community_id__in=list(rates) or [""]).values(*LIST_FIELDS).order_by())
    rows.sort(key=lambda row: (-(rates[row["community_id"]][1] - rates[row["community_id"]][0]), row["community_id"]))
    kept = rows if ctx.shortfall_limit is None else rows[: ctx.shortfall_limit]
    found = []
    for row in kept:
        rate, standard = rates[row["community_id"]]
        found.append(shortfall_row(row, rate, standard, standard - rate, digits=4))
    return found, len(rows)


def _work_funds(ctx: Context, work: float, households: int) -> Result:
    definition = find(INDICATORS, "work_funds_per_household")
    value = ratio(work, households, digits=2)
    standard = standard_dict(ctx, definition)
    result = Result(value=value, standard=standard, passes=assess(value, standard, "min"))
    if result.passes is False:
        result.gap = num(standard["value"] * households - work)
    if ctx.standards.is_set(definition.standard_key):
        result.shortfalls, result.shortfall_count = _work_funds_shortfalls(ctx, definition.standard_key)
    return result


def _work_funds_shortfalls(ctx: Context, key: str) -> tuple[list[dict], int]:
    """Communities whose own (directly allocated) work funds per household are below the standard.

    Hand-written SQL, because returns and allocations are joined on the code rather than a foreign key: the ORM
    could only say it with a correlated subquery per community (seconds at national scale); this is one hash join.
    """
    standard_sql, standard_params = ctx.standards.sql(key, "r.community_id")
    funds = "COALESCE(a.total, 0) * 1.0"
    sql = f"""
        SELECT * FROM (
            SELECT r.community_id, c.name AS community_name, c.street_id, s.name AS street_name, r.households,
                   {funds} / r.households AS value, {standard_sql} AS standard,
                   r.households * {standard_sql} - {funds} AS gap
            FROM {SurveyReturn._meta.db_table} r
            JOIN {Community._meta.db_table} c ON c.code = r.community_id
            JOIN {Region._meta.db_table} s ON s.code = c.street_id
            LEFT JOIN (
                SELECT unit_code, SUM(budget) AS total FROM {Allocation._meta.db_table}
                WHERE year = %s AND use = %s AND unit_code LIKE %s GROUP BY unit_code
            ) a ON a.unit_code = r.community_id
            WHERE r.year = %s AND r.community_id LIKE %s AND r.households > 0
        ) per_community
        WHERE gap > 0
    """
    pattern = ctx.region_code + "%"
    params = [*standard_params, *standard_params, ctx.year, Use.WORK.value, pattern, ctx.year, pattern]
    listed = f"SELECT *, COUNT(*) OVER () FROM ({sql}) short ORDER BY gap DESC, community_id"
    if ctx.shortfall_limit is not None:
        listed += f" LIMIT {int(ctx.shortfall_limit)}"
    with connection.cursor() as cursor:
        cursor.execute(listed, params)
        rows = cursor.fetchall()
    found = [
        shortfall_row(
            {
                "community_id": code,
                "community__name": name,
                "community__street_id": street_code,
                "community__street__name": street_name,
                "households": households,
            },
            value,
            standard,
            gap,
        )
        for code, name, street_code, street_name, households, value, standard, gap, _ in rows
    ]
    return found, (rows[0][-1] if rows else 0)


def headline_by_year(*, region_code: str, years: list[int]) -> dict[int, dict]:
    rows = (
        Allocation.objects.in_region(region_code)
        .filter(year__in=years)
        .values("year")
        .annotate(total=Sum("budget"))
        .order_by("year")
    )
    return {row["year"]: {"funding_budget": num(row["total"])} for row in rows}
