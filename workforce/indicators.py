"""Indicators of the community workforce and its pay (DESIGN.md "Indicators": workers_roster … avg_age)."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr

from communities.indicator_engine import (
    Context,
    Indicator,
    Result,
    assess,
    breakdown,
    ceil_positive,
    find,
    num,
    ratio,
    standard_dict,
)
from communities.indicator_sql import FLOAT as _FLOAT
from communities.indicator_sql import Cte, SqlCheck, queryset_sql, run
from communities.models import ReturnStatus, StandardKey

from .models import LEADER_POSITIONS, Education, PoliticalStatus, Qualification, Worker

INDICATORS = [
    Indicator("workers_roster", "花名册人数", "人", "workforce", "花名册行数（含年内及以前离职者）"),
    Indicator("workers_left", "累计离职", "人", "workforce", "离职日期不晚于当年12月31日的人数"),
    Indicator("workers_left_in_year", "年内离职", "人", "workforce", "离职日期在当年内的人数"),
    Indicator("workers_in_post", "年末在岗", "人", "workforce", "花名册人数 − 累计离职"),
    Indicator(
        "worker_loss_rate",
        "流失率",
        "率",
        "workforce",
        "累计离职 ÷ 花名册人数",
        kind="rate",
        standard_key=StandardKey.WORKER_LOSS_RATE_MAX,
        direction="max",
        gap_unit="率",
        gap_label="超出流失率上限",
        shortfall_unit="率",
        note="名单中“差距”为该社区流失率超出上限的部分。",
    ),
    Indicator("worker_turnover_rate", "年度离职率", "率", "workforce", "年内离职 ÷ (年末在岗 + 年内离职)", kind="rate"),
    Indicator("workers_seconded", "被借用", "人", "workforce", "年末在岗且被借用的人数"),
    Indicator(
        "worker_secondment_rate",
        "借用率",
        "率",
        "workforce",
        "被借用 ÷ 年末在岗",
        kind="rate",
        standard_key=StandardKey.WORKER_SECONDMENT_RATE_MAX,
        direction="max",
        gap_unit="率",
        gap_label="超出借用率上限",
        shortfall_unit="率",
        note="名单中“差距”为该社区借用率超出上限的部分。",
    ),
    Indicator("workers_on_duty", "实际在岗", "人", "workforce", "年末在岗 − 被借用"),
    Indicator(
        "households_per_worker",
        "每名社区工作者服务户数",
        "户/人",
        "workforce",
        "户数 ÷ 年末在岗",
        standard_key=StandardKey.HOUSEHOLDS_PER_WORKER,
        direction="max",
        gap_unit="人",
        gap_label="按服务户数标准尚需配备",
        shortfall_unit="户/人",
        note="名单中“差距”为按标准尚需配备的社区工作者人数。",
    ),
    Indicator(
        "workers_per_10k_residents",
        "每万人社区工作者数",
        "人/万人",
        "workforce",
        "年末在岗 ÷ 常住人口 × 10000",
        standard_key=StandardKey.WORKERS_PER_10K_RESIDENTS,
        direction="min",
        gap_unit="人",
        gap_label="按每万人标准尚需配备",
        shortfall_unit="人/万人",
        note="名单中“差距”为按标准尚需配备的社区工作者人数。",
    ),
    Indicator(
        "avg_monthly_pay",
        "人均月报酬",
        "元",
        "pay",
        "年末在岗人员 (月基本报酬 + 月补贴) 的平均数",
        standard_key=StandardKey.LOCAL_AVERAGE_WAGE,
        direction="min",
        gap_unit="元/年",
        gap_label="年报酬低于当地社会平均工资",
        shortfall_unit="元/年",
        note="与当地社会平均工资比较时按 12 × 人均月报酬 计；名单中“实际”为该社区在岗人员的 12 × 人均月报酬。",
    ),
    Indicator(
        "avg_monthly_net_pay", "人均月实得", "元", "pay", "年末在岗人员 (月基本报酬 + 月补贴 − 月个人社保) 的平均数"
    ),
    Indicator("leader_annual_pay", "书记/主任人均年报酬", "元/年", "pay", "12 × 书记、主任、书记兼主任人均月报酬"),
    Indicator("staff_annual_pay", "其他人员人均年报酬", "元/年", "pay", "12 × 其他在岗人员人均月报酬"),
    Indicator(
        "leader_pay_vs_village_head",
        "书记/主任报酬与村主职之比",
        "倍",
        "pay",
        "12 × 书记、主任、书记兼主任人均月报酬 ÷ 村主职干部年报酬",
        kind="ratio",
        standard_key=StandardKey.VILLAGE_HEAD_ANNUAL_PAY,
        direction="min",
        gap_unit="元/年·人",
        gap_label="年报酬低于村主职",
        shortfall_unit="元/年",
    ),
    Indicator(
        "staff_pay_vs_village_deputy",
        "其他人员报酬与村副职之比",
        "倍",
        "pay",
        "12 × 其他在岗人员人均月报酬 ÷ 村副职干部年报酬",
        kind="ratio",
        standard_key=StandardKey.VILLAGE_DEPUTY_ANNUAL_PAY,
        direction="min",
        gap_unit="元/年·人",
        gap_label="年报酬低于村副职",
        shortfall_unit="元/年",
    ),
    Indicator("education_mix", "学历结构", "人", "workforce", "年末在岗人员按学历分组的人数及占比", kind="breakdown"),
    Indicator("certified_social_workers", "持证社工", "人", "workforce", "年末在岗且持有社会工作者职业资格证书的人数"),
    Indicator("party_member_share", "党员比例", "率", "workforce", "年末在岗中共党员 ÷ 年末在岗", kind="rate"),
    Indicator("avg_age", "平均年龄", "岁", "workforce", "年末在岗人员 (年度 − 出生年份) 的平均数"),
    Indicator("avg_monthly_base_pay", "人均月基本报酬", "元", "pay", "年末在岗人员月基本报酬（含五险）的平均数"),
    Indicator("avg_monthly_allowance", "人均月补贴", "元", "pay", "年末在岗人员月补贴的平均数（未填按0计）"),
    Indicator(
        "leader_avg_monthly_pay",
        "书记、主任人均月报酬",
        "元",
        "pay",
        "年末在岗书记、主任、书记兼主任 (月基本报酬 + 月补贴) 的平均数",
    ),
    Indicator(
        "staff_avg_monthly_pay", "其他人员人均月报酬", "元", "pay", "其他年末在岗人员 (月基本报酬 + 月补贴) 的平均数"
    ),
    Indicator("party_members_in_post", "在岗党员", "人", "workforce", "年末在岗且政治面貌为中共党员的人数"),
    Indicator("college_educated", "大专以上学历", "人", "workforce", "年末在岗且学历为大专、本科或研究生的人数"),
    Indicator("college_educated_share", "大专以上学历占比", "率", "workforce", "大专以上学历 ÷ 年末在岗", kind="rate"),
]

# 大专以上: the education levels counted together, as the reports do.
COLLEGE_LEVELS = (Education.POSTGRADUATE, Education.BACHELOR, Education.COLLEGE)


def in_post_q(year: int, prefix: str = "") -> Q:
    """Still in post at the end of ``year``: no leaving date, or one after 31 December."""
    return Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": date(year, 12, 31)})


# compute_by_unit reads these per-unit figures of the communities app.
BY_UNIT_NEEDS = ("households", "population")


def _aggregates(year: int) -> dict:
    """The figures of a roster (the region's, each unit's, or each return's for its lists), as sums and counts: a
    mean is a sum over those in post, divided once summed (``TOTALS``). Counts count survey_return_id (never null)
    so that the in-post counts need only the roster's (survey_return_id, left_on) index."""
    end, start = date(year, 12, 31), date(year, 1, 1)
    in_post = in_post_q(year)
    leader = in_post & Q(position__in=LEADER_POSITIONS)
    return {
        "roster": Count("*"),
        "leavers": Count("survey_return", filter=Q(left_on__lte=end)),
        "leavers_in_year": Count("survey_return", filter=Q(left_on__gte=start, left_on__lte=end)),
        "seconded": Count("survey_return", filter=in_post & Q(seconded=True)),
        "leaders": Count("survey_return", filter=leader),
        "base": Sum("monthly_pay", filter=in_post),
        "allowance": Sum("monthly_allowance", filter=in_post),
        "insurance": Sum("monthly_social_insurance", filter=in_post),
        "leader_base": Sum("monthly_pay", filter=leader),
        "leader_allowance": Sum("monthly_allowance", filter=leader),
        "certified": Count("survey_return", filter=in_post & ~Q(qualification=Qualification.NONE)),
        "party": Count("survey_return", filter=in_post & Q(political_status=PoliticalStatus.CPC)),
        "birth_years": Sum("birth_year", filter=in_post),
        **{f"edu_{e.value}": Count("survey_return", filter=in_post & Q(education=e)) for e in Education},
    }


def _grouped(ctx: Context, group, names) -> QuerySet:
    """The roster's aggregates ``names`` of ``_aggregates`` over the region's workers, one row per value of
    ``group`` (the year: one row for the region; a code prefix: one per unit; the return: one per community)."""
    aggregates = _aggregates(ctx.year)
    return (
        ctx.rows(Worker.objects)
        .annotate(_group=group)
        .values("_group")
        .annotate(**{name: aggregates[name] for name in names})
        .order_by()
    )


def in_post_per_return(ctx: Context) -> QuerySet:
    """Each return's workers in post at the end of the year (returns with none absent): what funding's public funds
    per worker divide by."""
    return (
        ctx.rows(Worker.objects)
        .filter(in_post_q(ctx.year))
        .values("survey_return_id")
        .annotate(in_post=Count("*"))
        .order_by()
    )


def _mean(total: str, count: str) -> str:
    """SQL: a sum over a count, NULL when the count is 0 — the same numeric division as AVG on PostgreSQL (``* 1.0``
    only keeps SQLite from dividing integers)."""
    return f"({total}) * 1.0 / NULLIF({count}, 0)"


# The roster's figures (the keys ``_values`` reads) from one row ``t`` of ``_aggregates``.
_IN_POST = "t.roster - t.leavers"
_PAY = "t.base + t.allowance"
_LEADER_PAY = "t.leader_base + t.leader_allowance"
TOTALS = {
    "roster": "t.roster",
    "left": "t.leavers",
    "left_in_year": "t.leavers_in_year",
    "seconded": "t.seconded",
    "pay": _mean(_PAY, _IN_POST),
    "net_pay": _mean(f"{_PAY} - t.insurance", _IN_POST),
    "leader_pay": _mean(_LEADER_PAY, "t.leaders"),
    "staff_pay": _mean(f"{_PAY} - COALESCE({_LEADER_PAY}, 0)", f"{_IN_POST} - t.leaders"),
    "certified": "t.certified",
    "party": "t.party",
    "mean_birth_year": _mean("t.birth_years", _IN_POST),
    "base_pay": _mean("t.base", _IN_POST),
    "allowance": _mean("t.allowance", _IN_POST),
    **{f"edu_{e.value}": f"t.edu_{e.value}" for e in Education},
}
# A region or unit without workers: counts 0, means None.
_EMPTY = {key: (None if "NULLIF" in expression else 0) for key, expression in TOTALS.items()}


def _annual(monthly_pay) -> float | None:
    return None if monthly_pay is None else float(monthly_pay) * 12


def _values(f: dict, year: int, households: int, population: int, benchmark) -> dict:
    """Every workforce and pay figure of a roster; ``benchmark(key)`` is the value in force where it is."""
    roster, left, left_in_year, seconded = f["roster"], f["left"], f["left_in_year"], f["seconded"]
    in_post_n = roster - left
    leader_annual, staff_annual = _annual(f["leader_pay"]), _annual(f["staff_pay"])
    return {
        "workers_roster": roster,
        "workers_left": left,
        "workers_left_in_year": left_in_year,
        "workers_in_post": in_post_n,
        "worker_loss_rate": ratio(left, roster),
        "worker_turnover_rate": ratio(left_in_year, in_post_n + left_in_year),
        "workers_seconded": seconded,
        "worker_secondment_rate": ratio(seconded, in_post_n),
        "workers_on_duty": in_post_n - seconded,
        "households_per_worker": ratio(households, in_post_n),
        "workers_per_10k_residents": ratio(in_post_n, population, scale=10000),
        "avg_monthly_pay": num(f["pay"]),
        "avg_monthly_net_pay": num(f["net_pay"]),
        "leader_annual_pay": num(leader_annual),
        "staff_annual_pay": num(staff_annual),
        "leader_pay_vs_village_head": ratio(leader_annual, benchmark(StandardKey.VILLAGE_HEAD_ANNUAL_PAY)),
        "staff_pay_vs_village_deputy": ratio(staff_annual, benchmark(StandardKey.VILLAGE_DEPUTY_ANNUAL_PAY)),
        "education_mix": breakdown({e.label: f[f"edu_{e.value}"] for e in Education}, in_post_n),
        "certified_social_workers": f["certified"],
        "party_member_share": ratio(f["party"], in_post_n),
        "avg_age": num(year - f["mean_birth_year"]) if f["mean_birth_year"] is not None else None,
        **_pay_and_profile(f, in_post_n),
    }


def _pay_and_profile(f: dict, in_post: int) -> dict:
    """The pay figures the reports quote (base pay 含五险, allowance, leaders' and the others' pay) and the
    profile counts (party members, 大专以上), from the roster's one aggregate."""
    college = sum(f[f"edu_{level.value}"] for level in COLLEGE_LEVELS)
    return {
        "avg_monthly_base_pay": num(f["base_pay"]),
        "avg_monthly_allowance": num(f["allowance"]),
        "leader_avg_monthly_pay": num(f["leader_pay"]),
        "staff_avg_monthly_pay": num(f["staff_pay"]),
        "party_members_in_post": f["party"],
        "college_educated": college,
        "college_educated_share": ratio(college, in_post),
    }


def compute(ctx: Context) -> dict[str, Result]:
    f, lists = _roster(ctx)
    households, population = ctx.values["households"], ctx.values["population"]
    values = _values(f, ctx.year, households, population, ctx.standards.value)
    results = {key: Result(value=value) for key, value in values.items()}
    in_post_n = values["workers_in_post"]
    results["households_per_worker"] = _households_per_worker(
        ctx, values["households_per_worker"], households, in_post_n
    )
    results["workers_per_10k_residents"] = _workers_per_10k(
        ctx, values["workers_per_10k_residents"], population, in_post_n
    )
    results["avg_monthly_pay"] = _avg_pay(ctx, values["avg_monthly_pay"])
    for indicator_id, pay in [
        ("leader_pay_vs_village_head", "leader_pay"),
        ("staff_pay_vs_village_deputy", "staff_pay"),
    ]:
        results[indicator_id] = _pay_vs(ctx, indicator_id, values[indicator_id], _annual(f[pay]))
    for indicator_id in RATE_CHECKS:
        _assess_rate(ctx, results[indicator_id], indicator_id)
    for indicator_id, (rows, count) in lists.items():
        results[indicator_id].shortfalls, results[indicator_id].shortfall_count = rows, count
    return results


def compute_by_unit(ctx: Context) -> dict[str, dict]:
    """The same figures per unit (the per-return rows summed per unit), each ratio against the benchmark in force
    there."""
    grouped = _grouped(ctx, Substr("survey_return__community_id", 1, ctx.unit_length), _aggregates(ctx.year))
    sql, params = queryset_sql(grouped)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t._group, {', '.join(TOTALS.values())} FROM ({sql}) t", params)
        rows = {unit: dict(zip(TOTALS, figures, strict=True)) for unit, *figures in cursor.fetchall()}
    return {
        unit: _values(
            rows.get(unit, _EMPTY),
            ctx.year,
            ctx.unit_values[unit]["households"],
            ctx.unit_values[unit]["population"],
            partial(ctx.standards.value_for, code=unit),
        )
        for unit in ctx.unit_values
    }


def _assess_rate(ctx: Context, result: Result, indicator_id: str) -> None:
    """A region's loss or secondment rate against its ceiling (set by the county; no national default)."""
    definition = find(INDICATORS, indicator_id)
    result.standard = standard_dict(ctx, definition)
    result.passes = assess(result.value, result.standard, definition.direction)
    if result.passes is False:
        result.gap = num(result.value - result.standard["value"])


# The per-community checks, each with the standard key it compares against.
LIST_KEYS = {
    "households_per_worker": StandardKey.HOUSEHOLDS_PER_WORKER,
    "workers_per_10k_residents": StandardKey.WORKERS_PER_10K_RESIDENTS,
    "avg_monthly_pay": StandardKey.LOCAL_AVERAGE_WAGE,
    "leader_pay_vs_village_head": StandardKey.VILLAGE_HEAD_ANNUAL_PAY,
    "staff_pay_vs_village_deputy": StandardKey.VILLAGE_DEPUTY_ANNUAL_PAY,
    "worker_loss_rate": StandardKey.WORKER_LOSS_RATE_MAX,
    "worker_secondment_rate": StandardKey.WORKER_SECONDMENT_RATE_MAX,
}
# The checks of a rate against a ceiling: the community's (numerator, denominator) columns.
RATE_CHECKS = {"worker_loss_rate": ("leavers", "roster"), "worker_secondment_rate": ("seconded", "in_post")}
# The pay checks compare 12 × a community's mean monthly pay (of these workers in post) with an annual benchmark:
# (the pay summed, the number of workers it is summed over).
PAY_COLUMNS = {
    "avg_monthly_pay": ("w.base + w.allowance", "w.roster - w.leavers"),
    "leader_pay_vs_village_head": ("w.leader_base + w.leader_allowance", "w.leaders"),
    "staff_pay_vs_village_deputy": (
        "w.base + w.allowance - COALESCE(w.leader_base + w.leader_allowance, 0)",
        "w.roster - w.leavers - w.leaders",
    ),
}


def _roster(ctx: Context) -> tuple[dict, dict[str, tuple[list[dict], int]]]:
    """The region's roster figures and the communities that fall short of each workforce standard set for them, in
    one statement: the roster's aggregates over the region (``t``: one parallel pass over the rows), and for the
    lists each return's counts (``w``: one GROUP BY survey_return_id, only the columns the checks read) joined to
    the returns (each community's workers in post, its rates and mean pay, with a check per standard).

    Measured at national scale: summing each return's full figures first and the region's from them (one pass for
    everything) costs more than the two passes (1.4 s against 1.0 s), because PostgreSQL's parallel workers hand
    120,000 groups of numeric sums to one process to combine; in-post counts alone come from the roster's
    (survey_return_id, left_on) index without reading the rows."""
    totals = _grouped(ctx, F("survey_return__year"), _aggregates(ctx.year))
    ctes = [Cte("t", *queryset_sql(totals))]
    active = {name: key for name, key in LIST_KEYS.items() if ctx.standards.is_set(key)}
    checks = {}
    if active:
        # Each return's figures, only those the active checks read (workers in post from the roster's
        # (survey_return_id, left_on) index alone when no pay or secondment standard is set).
        names = ["roster", "leavers"]
        if "worker_secondment_rate" in active:
            names.append("seconded")
        if set(PAY_COLUMNS) & set(active):
            names += ["leaders", "base", "allowance", "leader_base", "leader_allowance"]
        ctes.append(Cte("w", *queryset_sql(_grouped(ctx, F("survey_return_id"), names))))
        seconded = "COALESCE(w.seconded, 0)" if "seconded" in names else "0"
        returns = ctx.returns().values("id", "community_id", "households", "population")
        returns_sql, returns_params = queryset_sql(returns)
        columns, column_params = [], []
        for name, key in active.items():
            standard_sql, standard_params = ctx.standards.sql(key, "r.community_id")
            columns.append(f"{standard_sql} AS {name}_std")
            column_params += standard_params
        for name, (total, count) in PAY_COLUMNS.items():
            if name in active:
                columns.append(f"CAST({_mean(total, count)} AS {_FLOAT}) * 12.0 AS {name}_pay")
        ctes += [
            Cte("r", returns_sql, returns_params),
            Cte(
                "per_community",
                "SELECT r.community_id, r.households, r.population, COALESCE(w.roster, 0) AS roster, "
                f"COALESCE(w.leavers, 0) AS leavers, {seconded} AS seconded, "
                f"COALESCE(w.roster - w.leavers, 0) AS in_post, {', '.join(columns)} "
                "FROM r LEFT JOIN w ON w._group = r.id",
                column_params,
            ),
        ]
        checks = {name: _check(name) for name in active}
    figures, lists = run(ctx, ctes=ctes, totals=TOTALS, totals_from="t", source="per_community", checks=checks)
    return figures or _EMPTY, lists


def _check(name: str) -> SqlCheck:
    """One per-community check as SQL over the per-community rows (``<name>_std``: the standard in force there)."""
    std = f"{name}_std"
    households, population = f"CAST(households AS {_FLOAT})", f"CAST(population AS {_FLOAT})"
    in_post = f"CAST(in_post AS {_FLOAT})"
    if name in RATE_CHECKS:
        numerator, denominator = RATE_CHECKS[name]
        rate = f"CAST({numerator} AS {_FLOAT}) / NULLIF(CAST({denominator} AS {_FLOAT}), 0.0)"
        short = f"{denominator} > 0 AND {numerator} > {denominator} * {std}"
        return SqlCheck(short, rate, std, f"{rate} - {std}")
    if name == "households_per_worker":
        return SqlCheck(
            f"{std} > 0 AND households > in_post * {std}",
            f"{households} / NULLIF({in_post}, 0.0)",
            std,
            f"CEILING({households} / {std}) - in_post",
        )
    if name == "workers_per_10k_residents":
        return SqlCheck(
            f"population > 0 AND in_post < {population} * {std} / 10000.0",
            f"{in_post} * 10000.0 / NULLIF({population}, 0.0)",
            std,
            f"CEILING({population} * {std} / 10000.0) - in_post",
        )
    pay = f"{name}_pay"
    return SqlCheck(f"{pay} < {std}", pay, std, f"{std} - {pay}")


def _households_per_worker(ctx: Context, value, households: int, in_post: int) -> Result:
    definition = find(INDICATORS, "households_per_worker")
    standard = standard_dict(ctx, definition)
    result = Result(value=value, standard=standard, passes=assess(value, standard, "max"))
    if standard and households and (value is None or result.passes is False):
        result.passes = False
        result.gap = ceil_positive(households / standard["value"] - in_post) if standard["value"] else None
    return result


def _workers_per_10k(ctx: Context, value, population: int, in_post: int) -> Result:
    definition = find(INDICATORS, "workers_per_10k_residents")
    standard = standard_dict(ctx, definition)
    result = Result(value=value, standard=standard, passes=assess(value, standard, "min"))
    if result.passes is False:
        result.gap = ceil_positive(population * standard["value"] / 10000 - in_post)
    return result


def _avg_pay(ctx: Context, value) -> Result:
    definition = find(INDICATORS, "avg_monthly_pay")
    standard = standard_dict(ctx, definition)
    result = Result(value=value, standard=standard)
    if value is not None and standard:
        result.passes = value * 12 >= standard["value"]
        if not result.passes:
            result.gap = num(standard["value"] - value * 12)
    return result


def _pay_vs(ctx: Context, indicator_id: str, value, annual: float | None) -> Result:
    """Leaders' (or the others') annual pay against the village cadre's benchmark."""
    definition = find(INDICATORS, indicator_id)
    standard = standard_dict(ctx, definition)
    result = Result(standard=standard)
    if standard:
        result.value = value
        if result.value is not None:
            result.passes = result.value >= 1
            if not result.passes:
                result.gap = num(standard["value"] - annual)
    return result


def headline_by_year(*, region_code: str, years: list[int], approved_only: bool = False, codes=None) -> dict[int, dict]:
    scoped = Worker.objects.in_codes(codes) if codes is not None else Worker.objects.in_region(region_code)
    workers = scoped.filter(survey_return__year__in=years)
    if approved_only:
        workers = workers.filter(survey_return__status=ReturnStatus.APPROVED)
    rows = workers.in_post().values("survey_return__year").annotate(n=Count("id")).order_by("survey_return__year")
    return {row["survey_return__year"]: {"workers_in_post": row["n"]} for row in rows}
