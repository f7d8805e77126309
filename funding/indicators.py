"""Indicators of funding (DESIGN.md "Indicators": funding_budget … work_funds_per_household).

Money allocated at any unit under the region counts for the region (a county's own allocations count for the county,
not for its streets). Per-community lists can only use money allocated to the community itself.
"""

from __future__ import annotations

from django.db.models import FloatField, Q, Sum
from django.db.models.functions import Cast, Length, NullIf

from communities.indicator_engine import (
    Context,
    Indicator,
    Result,
    assess,
    breakdown,
    find,
    group_by_unit,
    num,
    ratio,
    standard_dict,
)
from communities.indicator_sql import Cte, SqlCheck, queryset_sql, run
from communities.models import StandardKey
from workforce.indicators import in_post_per_return

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
        shortfall_unit="元/人",
        note=DIRECT_NOTE + "名单中“差距”为该社区尚缺的公用经费(元)。",
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


# compute_by_unit reads these per-unit figures of the communities and workforce apps.
BY_UNIT_NEEDS = ("households", "workers_in_post")


def _aggregates() -> dict:
    """The figures of a set of allocations (the region's, or each unit's in a GROUP BY)."""
    return {
        "total_budget": Sum("budget", default=0),
        "total_received": Sum("received", default=0),
        "reported_budget": Sum("budget", filter=Q(received__isnull=False), default=0),
        **{f"source_{s.value}": Sum("budget", filter=Q(source=s), default=0) for s in Source},
        **{f"use_{u.value}": Sum("budget", filter=Q(use=u), default=0) for u in Use},
    }


def _values(f: dict, households: int, in_post: int) -> dict:
    budget, received = num(f["total_budget"]), num(f["total_received"])
    work, public = num(f[f"use_{Use.WORK.value}"]), num(f[f"use_{Use.PUBLIC.value}"])
    return {
        "funding_budget": budget,
        "funding_received": received,
        "funding_budget_by_source": breakdown({s.label: f[f"source_{s.value}"] for s in Source}, budget, amount=True),
        "funding_budget_by_use": breakdown({u.label: f[f"use_{u.value}"] for u in Use}, budget, amount=True),
        "funding_received_rate": ratio(received, num(f["reported_budget"])),
        "funding_per_household": ratio(budget, households),
        "work_funds_per_household": ratio(work, households),
        "public_funds_per_worker": ratio(public, in_post),
        "funding_budget_reported": num(f["reported_budget"]),
        "funding_budget_county_township": num(
            f[f"source_{Source.COUNTY.value}"] + f[f"source_{Source.TOWNSHIP.value}"]
        ),
    }


def compute(ctx: Context) -> dict[str, Result]:
    f = ctx.allocations(Allocation.objects).aggregate(**_aggregates())
    households, in_post = ctx.values["households"], ctx.values["workers_in_post"]
    values = _values(f, households, in_post)
    results = {key: Result(value=value) for key, value in values.items()}
    work, public = num(f[f"use_{Use.WORK.value}"]), num(f[f"use_{Use.PUBLIC.value}"])
    results["funding_received_rate"] = _received_rate(ctx, values["funding_received_rate"])
    results["work_funds_per_household"] = _work_funds(ctx, values["work_funds_per_household"], work, households)

    definition = find(INDICATORS, "public_funds_per_worker")
    value = values[definition.id]
    standard = standard_dict(ctx, definition)
    result = Result(value=value, standard=standard, passes=assess(value, standard, "min"))
    if result.passes is False:
        result.gap = num(standard["value"] * in_post - public)
    results[definition.id] = result
    for indicator_id, (rows, count) in _direct_funds_shortfalls(ctx).items():
        results[indicator_id].shortfalls, results[indicator_id].shortfall_count = rows, count
    return results


def compute_by_unit(ctx: Context) -> dict[str, dict]:
    """The same figures per unit (one GROUP BY): money allocated to the unit or below it; the region's own
    allocations above the units count for none of them."""
    allocations = (
        ctx.allocations(Allocation.objects).annotate(_length=Length("unit_code")).filter(_length__gte=ctx.unit_length)
    )
    rows = group_by_unit(ctx, allocations, "unit_code", _aggregates())
    return {
        unit: _values(f, ctx.unit_values[unit]["households"], ctx.unit_values[unit]["workers_in_post"])
        for unit, f in rows.items()
    }


def _received_rate(ctx: Context, value) -> Result:
    """Money received over the budget of the allocations whose received amount is given (a blank is not 0), null
    when none is given; against the county's floor, with the communities whose own allocations fall below it."""
    definition = find(INDICATORS, "funding_received_rate")
    standard = standard_dict(ctx, definition)
    result = Result(value=value, standard=standard, passes=assess(value, standard, definition.direction))
    if result.passes is False:
        result.gap = num(standard["value"] - value)
    if ctx.standards.is_set(definition.standard_key):
        result.shortfalls, result.shortfall_count = _received_shortfalls(ctx, definition.standard_key)
    return result


def _received_shortfalls(ctx: Context, key: str) -> tuple[list[dict], int]:
    """Communities whose directly allocated money, where its received amount is given, arrived below the floor:
    the allocations grouped by community (with the floor in force for each), joined to the region's returns, the
    worst cut at the limit, in one statement."""
    received = Cast(Sum("received"), FloatField())
    budget = Cast(Sum("budget"), FloatField())
    rates = (
        ctx.allocations(Allocation.objects)
        .filter(unit_code__regex=r"^[0-9]{12}$", received__isnull=False)
        .values("unit_code")
        .order_by()
        .annotate(rate=received / NullIf(budget, 0.0), rate_floor=ctx.standards.expr(key, "unit_code"))
    )
    returns = ctx.returns().values("community_id", "households")
    ctes = [
        Cte("a", *queryset_sql(rates)),
        Cte("r", *queryset_sql(returns)),
        Cte(
            "rates",
            "SELECT r.community_id, r.households, a.rate, a.rate_floor FROM r JOIN a ON a.unit_code = r.community_id",
            [],
        ),
    ]
    check = SqlCheck("rate < rate_floor", "rate", "rate_floor", "rate_floor - rate")
    _, lists = run(ctx, ctes=ctes, source="rates", checks={"rate": check})
    return lists["rate"]


def _work_funds(ctx: Context, value, work: float, households: int) -> Result:
    definition = find(INDICATORS, "work_funds_per_household")
    standard = standard_dict(ctx, definition)
    result = Result(value=value, standard=standard, passes=assess(value, standard, "min"))
    if result.passes is False:
        result.gap = num(standard["value"] * households - work)
    return result


# The per-community money lists: indicator id -> (its standard, the use of the money, its denominator column).
MONEY_LISTS = {
    "work_funds_per_household": (StandardKey.WORK_FUNDS_PER_HOUSEHOLD, Use.WORK, "households"),
    "public_funds_per_worker": (StandardKey.PUBLIC_FUNDS_PER_WORKER, Use.PUBLIC, "in_post"),
}


def _direct_funds_shortfalls(ctx: Context) -> dict[str, tuple[list[dict], int]]:
    """Communities whose own (directly allocated) work funds per household, or public funds per worker in post, are
    below the standard in force for them: every list from one statement, each cut at the limit worst first, with
    its full count.

    Hand-written SQL, because returns and allocations are joined on the code rather than a foreign key: the ORM
    could only say it with a correlated subquery per community (seconds at national scale); this is one hash join.
    Public funds per worker need each community's workers in post: the roster's per-return count (workforce's
    ``in_post_per_return``) joined in the same statement (only when that standard is set).
    """
    active = {name: spec for name, spec in MONEY_LISTS.items() if ctx.standards.is_set(spec[0])}
    if not active:
        return {}
    with_workers = "public_funds_per_worker" in active
    standards, standard_params = [], []
    for key, _, _ in MONEY_LISTS.values():
        standard_sql, params = ctx.standards.sql(key, "r.community_id")
        standards.append(standard_sql)
        standard_params += params
    funds = (
        ctx.allocations(Allocation.objects)
        .filter(use__in=[Use.WORK, Use.PUBLIC])
        .values("unit_code")
        .annotate(
            **{f"{use.value}_funds": Sum("budget", filter=Q(use=use), default=0) for use in (Use.WORK, Use.PUBLIC)}
        )
        .order_by()
    )
    ctes = [
        Cte("a", *queryset_sql(funds)),
        Cte("r", *queryset_sql(ctx.returns().values("id", "community_id", "households"))),
    ]
    workers_join = ""
    if with_workers:
        ctes.append(Cte("w", *queryset_sql(in_post_per_return(ctx))))
        workers_join = " LEFT JOIN w ON w.survey_return_id = r.id"
    ctes.append(
        Cte(
            "per_community",
            f"""SELECT r.community_id, r.households, {"COALESCE(w.in_post, 0)" if with_workers else "0"} AS in_post,
                   COALESCE(a.work_funds, 0) * 1.0 AS work_funds, COALESCE(a.public_funds, 0) * 1.0 AS public_funds,
                   {standards[0]} AS work_standard, {standards[1]} AS public_standard
            FROM r LEFT JOIN a ON a.unit_code = r.community_id{workers_join}""",
            standard_params,
        )
    )
    checks = {
        "work_funds_per_household": SqlCheck(
            "households > 0 AND households * work_standard - work_funds > 0",
            "work_funds / NULLIF(households, 0)",
            "work_standard",
            "households * work_standard - work_funds",
        ),
        "public_funds_per_worker": SqlCheck(
            "in_post > 0 AND in_post * public_standard - public_funds > 0",
            "public_funds / NULLIF(in_post, 0)",
            "public_standard",
            "in_post * public_standard - public_funds",
        ),
    }
    _, lists = run(ctx, ctes=ctes, source="per_community", checks={name: checks[name] for name in active})
    return lists


def headline_by_year(*, region_code: str, years: list[int], approved_only: bool = False, codes=None) -> dict[int, dict]:
    scoped = Allocation.objects.in_codes(codes) if codes is not None else Allocation.objects.in_region(region_code)
    allocations = scoped.filter(year__in=years)
    if approved_only:
        allocations = allocations.of_approved_returns()
    rows = allocations.values("year").annotate(total=Sum("budget")).order_by("year")
    return {row["year"]: {"funding_budget": num(row["total"])} for row in rows}
