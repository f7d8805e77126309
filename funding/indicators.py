"""Indicators of funding (DESIGN.md "Indicators": funding_budget … work_funds_per_household).

Money allocated at any unit under the region counts for the region (a county's own allocations count for the county,
not for its streets). Per-community lists can only use money allocated to the community itself.
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import F, FloatField, Q, Sum
from django.db.models.functions import Cast, Length, NullIf

from communities.indicator_engine import (
    LIST_FIELDS,
    Context,
    Indicator,
    Result,
    assess,
    breakdown,
    find,
    group_by_unit,
    num,
    ratio,
    shortfall_row,
    standard_dict,
)
from communities.models import Community, Region, StandardKey, SurveyReturn
from workforce.models import Worker

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
        "funding_per_household": ratio(budget, households, digits=2),
        "work_funds_per_household": ratio(work, households, digits=2),
        "public_funds_per_worker": ratio(public, in_post, digits=2),
        "funding_budget_reported": num(f["reported_budget"]),
        "funding_budget_county_township": num(
            f[f"source_{Source.COUNTY.value}"] + f[f"source_{Source.TOWNSHIP.value}"]
        ),
    }


def compute(ctx: Context) -> dict[str, Result]:
    f = Allocation.objects.in_region(ctx.region_code).for_year(ctx.year).aggregate(**_aggregates())
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
        Allocation.objects.in_region(ctx.region_code)
        .for_year(ctx.year)
        .annotate(_length=Length("unit_code"))
        .filter(_length__gte=ctx.unit_length)
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
    Public funds per worker need each community's workers in post: a GROUP BY over the roster's rows of the region
    joined in the same statement (only when that standard is set).
    """
    active = {name: spec for name, spec in MONEY_LISTS.items() if ctx.standards.is_set(spec[0])}
    if not active:
        return {}
    pattern, end = ctx.region_code + "%", date(ctx.year, 12, 31)
    params: list = []
    standards = []
    for key, _, _ in MONEY_LISTS.values():
        standard_sql, standard_params = ctx.standards.sql(key, "r.community_id")
        standards.append(standard_sql)
        params += standard_params
    with_workers = "public_funds_per_worker" in active
    params += [Use.WORK.value, Use.PUBLIC.value, ctx.year, Use.WORK.value, Use.PUBLIC.value, pattern]
    workers_join = ""
    if with_workers:
        workers_join = f"""
            LEFT JOIN (
                SELECT w.survey_return_id, COUNT(*) AS in_post FROM {Worker._meta.db_table} w
                JOIN {SurveyReturn._meta.db_table} r2 ON r2.id = w.survey_return_id
                WHERE r2.year = %s AND r2.community_id LIKE %s AND (w.left_on IS NULL OR w.left_on > %s)
                GROUP BY w.survey_return_id
            ) w ON w.survey_return_id = r.id"""
        params += [ctx.year, pattern, end]
    params += [ctx.year, pattern]
    # Each community's money and standards; then those short of either standard; the names only for the listed.
    per_community = f"""
        SELECT r.community_id, r.households, {"COALESCE(w.in_post, 0)" if with_workers else "0"} AS in_post,
               COALESCE(a.work_funds, 0) * 1.0 AS work_funds, COALESCE(a.public_funds, 0) * 1.0 AS public_funds,
               {standards[0]} AS work_standard, {standards[1]} AS public_standard
        FROM {SurveyReturn._meta.db_table} r
        LEFT JOIN (
            SELECT unit_code, SUM(CASE WHEN use = %s THEN budget ELSE 0 END) AS work_funds,
                   SUM(CASE WHEN use = %s THEN budget ELSE 0 END) AS public_funds
            FROM {Allocation._meta.db_table}
            WHERE year = %s AND use IN (%s, %s) AND unit_code LIKE %s GROUP BY unit_code
        ) a ON a.unit_code = r.community_id{workers_join}
        WHERE r.year = %s AND r.community_id LIKE %s"""
    gaps = """
        SELECT community_id, households, in_post,
               work_funds / NULLIF(households, 0) AS work_value, work_standard,
               households * work_standard - work_funds AS work_gap,
               public_funds / NULLIF(in_post, 0) AS public_value, public_standard,
               in_post * public_standard - public_funds AS public_gap
        FROM per_community"""
    shorts = {
        name: f"{denominator} > 0 AND {'work' if use == Use.WORK else 'public'}_gap > 0"
        for name, (_, use, denominator) in active.items()
    }
    checked = f"SELECT * FROM gaps WHERE {' OR '.join(f'({short})' for short in shorts.values())}"
    limit = "" if ctx.shortfall_limit is None else f" LIMIT {int(ctx.shortfall_limit)}"
    lists = []
    for name, (_, use, _) in active.items():
        prefix = "work" if use == Use.WORK else "public"
        lists.append(
            f"""SELECT '{name}', listed.community_id, c.name, c.street_id, s.name, listed.households,
                       {prefix}_value, {prefix}_standard, {prefix}_gap,
                       (SELECT COUNT(*) FROM checked WHERE {shorts[name]})
                FROM (SELECT * FROM checked WHERE {shorts[name]} ORDER BY {prefix}_gap DESC, community_id{limit}) listed
                JOIN {Community._meta.db_table} c ON c.code = listed.community_id
                JOIN {Region._meta.db_table} s ON s.code = c.street_id"""
        )
    sql = (
        f"WITH per_community AS ({per_community}), gaps AS ({gaps}), checked AS ({checked}) "
        + " UNION ALL ".join(lists)
        + " ORDER BY 1, 9 DESC, 2"  # each list worst first
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    listed: dict[str, list[dict]] = {name: [] for name in active}
    counts = dict.fromkeys(active, 0)
    for name, code, community_name, street_code, street_name, households, value, standard, gap, count in rows:
        row = {
            "community_id": code,
            "community__name": community_name,
            "community__street_id": street_code,
            "community__street__name": street_name,
            "households": households,
        }
        listed[name].append(shortfall_row(row, value, standard, gap))
        counts[name] = count
    return {name: (listed[name], counts[name]) for name in active}


def headline_by_year(*, region_code: str, years: list[int]) -> dict[int, dict]:
    rows = (
        Allocation.objects.in_region(region_code)
        .filter(year__in=years)
        .values("year")
        .annotate(total=Sum("budget"))
        .order_by("year")
    )
    return {row["year"]: {"funding_budget": num(row["total"])} for row in rows}
