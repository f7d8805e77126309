"""The indicator engine: one place where the dashboard, the API, the command and the survey report get indicators.

Each app defines its own indicators in ``<app>/indicators.py``: a list ``INDICATORS`` of ``Indicator`` definitions
(id, Chinese label, unit, theme, formula, standard key), a function ``compute(ctx) -> dict[id, Result]`` that reads
the database with a fixed number of aggregate queries over the region's code prefix, and a function
``compute_by_unit(ctx) -> dict[unit code, dict[id, value]]`` that gives the same figures for each unit one level
down, with the same aggregate expressions and the same arithmetic, in one GROUP BY. The engine runs the apps in order
(communities, facilities, workforce, funding, services; a later app may read ``ctx.values`` — or, per unit,
``ctx.unit_values`` — of an earlier one, e.g. households), and merges definitions and results into one JSON-ready
object.

Public API
==========

``compute_indicators(*, region_code: str, year: int, shortfall_limit: int | None = None) -> dict``

- ``region_code``: '' for the whole country, or a code of 2, 4, 6, 9 or 12 digits (a 12-digit code is one
  community). Access is NOT checked here: callers scope first (``access.can_see_code``).
- ``year``: the survey year. Only returns of that year count (any status: draft, submitted, returned, approved).
- ``approved_only``: only approved returns count (仅统计已审核), with their rows and their own allocations; money
  allocated to a street or above counts either way (``Context.returns``, ``rows``, ``allocations``).
- ``shortfall_limit``: keep at most this many communities in each ``shortfalls`` list (worst first);
  ``shortfall_count`` always gives the full number (a window count in the same query). None keeps them all.
- Queries: a fixed number whatever the number of communities or streets — 8 with the national defaults (standards
  1, communities 2, facilities 1, workforce 1, funding 2, services 1); 9 when a floor for funding_received_rate is
  set (its list: 1).
  Where a table's figures and its lists need each return's figures, one hand-written statement
  (``communities/indicator_sql.py``) gives the region's totals and every list of that table: the space figures,
  compliance and both space lists from one pass over the rooms; the roster's totals and the workforce and pay lists
  from one statement; the money lists (work funds per household, public funds per worker) from one statement. Each
  list is cut at the limit in SQL, worst first, and only the listed communities are joined to their names.

It returns a dict keyed by indicator id, in display order: the ids of DESIGN.md "Indicators", plus these extra ids
(figures the survey reports quote):

- overview and size: ``party_members``, ``volunteers``, ``social_organizations``, ``police_officers`` (sums, like
  neighborhoods); ``communities_by_type`` (breakdown); ``households_min``, ``households_max``,
  ``households_per_community``;
- space: ``service_area_per_community``, ``facility_area_per_community`` (against facility_min_area),
  ``facility_compliant_communities``;
- workforce and pay: ``leader_annual_pay``, ``staff_annual_pay`` (12 × mean monthly pay, what the village-cadre
  ratios compare), ``avg_monthly_base_pay``, ``avg_monthly_allowance``, ``leader_avg_monthly_pay``,
  ``staff_avg_monthly_pay``, ``party_members_in_post``, ``college_educated``, ``college_educated_share``;
- funding: ``public_funds_per_worker``, ``funding_budget_reported`` (the received rate's denominator),
  ``funding_budget_county_township``;
- services: ``service_volunteer_visits``, ``service_funds``, ``service_programs_by_area`` (breakdown).

Every value is a dict::

    {
      "id": "facility_area_per_100_households",
      "label": "每百户综合服务用房",        # Chinese label
      "unit": "m²/百户",                   # unit of "value": 个 户 人 m² 元 岁 率 (a fraction 0.123) 倍 (a ratio)
      "kind": "number",                    # "number" | "rate" | "ratio" | "breakdown"
      "theme": "space",                    # overview | size | space | workforce | pay | funding | services
      "formula": "综合服务用房面积 ÷ 户数 × 100",
      "value": 23.456789,                  # float | int | None (None when a denominator is 0) | breakdown dict
      "standard": None | {                 # the standard in force for the region (after inheritance);
                                           # facility_compliance_rate adds "minimum_area" (the same shape)
          "key": "facility_area_per_100_households", "label": "...", "value": 30.0,
          "unit": "m²/百户", "region_code": "", "year_from": 2000, "source": "《…》",
          "direction": "min",              # "min": value must be ≥ standard; "max": ≤; "range": value is [min, max]
          "set_below": [{"region_code": "420626001", "value": 20.0}],  # units below that set their own value
                                           # (their communities are judged by it in the lists)
      },
      "passes": True | False | None,       # None when there is no standard or no value
      "gap": 1234.5 | None,                # how far from the standard, in natural units (None when it passes)
      "gap_unit": "m²",                    # m² (still missing), 人 (workers still needed), 元 (short), 个 (communities)
      "gap_label": "距标准尚缺面积",
      "shortfall_count": 3,                # communities that fall short (0 when none or no standard)
      "shortfall_unit": "m²",              # unit of "value" and "standard" in the rows below
      "shortfalls": [                      # worst (largest gap) first
          {"code": "420626001001", "name": "…", "street_code": "420626001", "street_name": "…",
           "households": 1200, "value": 180.0, "standard": 360.0, "gap": 180.0},
      ],
      "note": "",                          # how to read it, when needed
    }

These indicators list the communities that fall short, each community against the standard in force for it (a
street may set its own): households_by_size (outside the households range),
facility_area_per_100_households, facility_compliance_rate, households_per_worker, workers_per_10k_residents,
avg_monthly_pay (12 × the community's mean monthly pay against local_average_wage), leader_pay_vs_village_head,
staff_pay_vs_village_deputy, worker_loss_rate and worker_secondment_rate (against a ceiling), and the money lists
work_funds_per_household, public_funds_per_worker and funding_received_rate (money allocated to the community
itself). service_area_coverage, a share of communities, has no list: with a floor set, each area is marked
``passes``.

A breakdown's "value" is an object keyed by the Chinese category labels, each ``{"count": n, "share": f}`` (or
``{"amount": 元, "share": f}`` for money); shares are fractions of the total (None when the total is 0):

- households_by_size: "1000户以下", "1000-2000户", "2000-2500户", "2500-3000户", "3000户以上" (share of communities)
- communities_by_type: the CommunityType labels (share of communities)
- education_mix: 研究生 … 初中及以下 (share of workers in post)
- funding_budget_by_source, funding_budget_by_use: the Source / Use labels (share of funding_budget)
- service_area_coverage: the ServiceArea labels; count = communities with at least one program in that area,
  share = count / communities (the coverage)
- service_programs_by_area: the ServiceArea labels (share of programs)

Money is in 元, areas in m², rates are fractions; every figure is kept to six decimals (``PRECISION``), so a page or
report rounds it once, from the figure itself. Everything is JSON-serialisable as is.

``compute_by_unit(*, region_code: str, year: int, ids=None, unit_length: int | None = None)
-> dict[str, dict[str, Any]]`` gives, for each unit one level down that has returns for the year (streets of a
county; ``unit_length=12``: each community), ``{indicator id: value}`` — the same values ``compute_indicators``
gives for that unit alone, but for every unit at once: one GROUP BY per app whatever the number of units (standards
1, communities 1, facilities 1, workforce 1, funding 1, services 1; an app is skipped when none of ``ids`` needs
it). Money is counted at the unit when allocated to it or below it. Values only (no standards, lists or
breakdowns' standards); a ratio against a benchmark (leader_pay_vs_village_head) uses the benchmark in force for the
unit. Units come in code order.

``compute_trend(*, region_code: str, years: list[int]) -> dict[int, dict[str, float | int | None]]`` gives the
headline figures (communities, households, population, workers_in_post, service_area (facility_area), funding_budget)
for several years in a fixed number of queries (one GROUP BY year per table), for year-over-year change and trends:
0 where a year has returns but none of those rows (no premises, nobody in post), None where it has no returns.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Substr

from .codes import child_length
from .models import ReturnStatus, SurveyReturn
from .standards import StandardSet, standards_for

THEMES: dict[str, str] = {
    "overview": "基本情况",
    "size": "社区规模",
    "space": "办公服务用房",
    "workforce": "社区工作者队伍",
    "pay": "报酬待遇",
    "funding": "经费保障",
    "services": "服务项目",
}

# The apps whose indicators.py the engine reads, in the order they are computed.
INDICATOR_APPS = ("communities", "facilities", "workforce", "funding", "services")

HEADLINE_IDS = ("communities", "households", "population", "workers_in_post", "facility_area", "funding_budget")


@dataclass(frozen=True)
class Indicator:
    """The definition of one indicator: what it is, not how it is computed."""

    id: str
    label: str
    unit: str
    theme: str
    formula: str
    kind: str = "number"  # number | rate | ratio | breakdown
    standard_key: str | None = None
    direction: str | None = None  # "min" | "max" | "range" when a standard applies
    gap_unit: str = ""
    gap_label: str = ""
    shortfall_unit: str = ""
    note: str = ""


@dataclass
class Result:
    """What an app's ``compute`` found for one indicator; the engine adds the definition."""

    value: Any = None
    standard: dict | None = None
    passes: bool | None = None
    gap: float | None = None
    shortfalls: list[dict] = field(default_factory=list)
    shortfall_count: int = 0
    note: str = ""


@dataclass
class Context:
    region_code: str
    year: int
    standards: StandardSet
    shortfall_limit: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    # compute_by_unit: the code length of the units, and the figures of the apps computed so far, per unit.
    unit_length: int | None = None
    unit_values: dict[str, dict[str, Any]] = field(default_factory=dict)

    # Only approved returns count ("仅统计已审核": the figures a bureau publishes), their rows and their own money;
    # money allocated to a street or above belongs to no return and counts either way.
    approved_only: bool = False
    # The communities whose figures stand for the region instead of its code prefix: last year's figures of a
    # community that others were merged into (``communities.code_changes``); None: the prefix.
    codes: tuple[str, ...] | None = None

    def _scoped(self, manager):
        return manager.in_codes(self.codes) if self.codes is not None else manager.in_region(self.region_code)

    def returns(self) -> QuerySet:
        """The region's returns for the year: the rows every per-community figure starts from."""
        returns = self._scoped(SurveyReturn.objects).for_year(self.year)
        return returns.filter(status=ReturnStatus.APPROVED) if self.approved_only else returns

    def rows(self, manager) -> QuerySet:
        """A return's rows (workers, premises, programs: ``Model.objects``) of the region's returns for the year."""
        rows = self._scoped(manager).for_year(self.year)
        return rows.filter(survey_return__status=ReturnStatus.APPROVED) if self.approved_only else rows

    def allocations(self, manager) -> QuerySet:
        """The region's allocations for the year (``Allocation.objects``): a community's own only while its return
        counts; a street's or a county's always."""
        rows = self._scoped(manager).for_year(self.year)
        return rows.of_approved_returns() if self.approved_only else rows


# --- arithmetic helpers shared by the apps' indicators -------------------------------------------------------------


# The decimals every figure keeps: more than any page, download or report shows, so what they show is rounded once,
# from the figure itself (10/81 = 0.123457 is shown 12.3%; kept to 4 decimals, 0.1235, it would be shown 12.4%);
# few enough that a figure computed in SQL and the same figure computed in Python compare equal.
PRECISION = 6


def num(value, digits: int = PRECISION) -> float | None:
    """A JSON-ready float (None stays None)."""
    if value is None:
        return None
    return round(float(value), digits)


def ratio(numerator, denominator, *, scale: float = 1, digits: int = PRECISION) -> float | None:
    """numerator / denominator × scale, None when the denominator is 0 or missing."""
    if numerator is None or not denominator:
        return None
    return round(float(numerator) / float(denominator) * scale, digits)


def breakdown(counts: dict[str, Any], total, *, amount: bool = False) -> dict[str, dict]:
    """{label: {"count"|"amount": x, "share": x/total}} in the given order."""
    key = "amount" if amount else "count"
    return {
        label: {key: (num(value) if amount else int(value or 0)), "share": ratio(value or 0, total)}
        for label, value in counts.items()
    }


def ceil_positive(value: float | None) -> int | None:
    """What is missing, in whole units (workers still needed): rounded up, never below 0."""
    return None if value is None else max(0, math.ceil(value - 1e-9))


def find(definitions: list[Indicator], indicator_id: str) -> Indicator:
    return next(d for d in definitions if d.id == indicator_id)


def standard_dict(ctx: Context, definition: Indicator) -> dict | None:
    found = ctx.standards.get(definition.standard_key) if definition.standard_key else None
    if found is None:
        return None
    below = ctx.standards.below.get(definition.standard_key, [])
    return {
        **found.as_dict(),
        "direction": definition.direction,
        "set_below": [{"region_code": unit.region_code, "value": float(unit.value)} for unit in below],
    }


def assess(value, standard: dict | None, direction: str | None) -> bool | None:
    """Whether a region-level value meets its standard (None when either is missing)."""
    if value is None or standard is None:
        return None
    if direction == "max":
        return value <= standard["value"]
    return value >= standard["value"]


# --- per unit -------------------------------------------------------------------------------------------------------


def _empty(aggregate) -> Any:
    """What an aggregate gives over no rows: its default, 0 for a count, else None."""
    default = getattr(aggregate, "default", None)
    return default if default is not None else getattr(aggregate, "empty_result_set_value", None)


def group_by_unit(
    ctx: Context, queryset: QuerySet, code_field: str, aggregates: dict[str, Any], *, units_known: bool = True
) -> dict[str, dict]:
    """The same aggregates an app's ``compute`` runs over the region, per unit (the first ``ctx.unit_length``
    digits of ``code_field``) in one GROUP BY: {unit: figures}. Once the units are known (``ctx.unit_values``: those
    with returns, found by the communities app with ``units_known=False``), every one of them and only they get
    figures, a unit without rows what the aggregates give over no rows."""
    rows = (
        queryset.annotate(_unit=Substr(code_field, 1, ctx.unit_length))
        .values("_unit")
        .order_by("_unit")
        .annotate(**aggregates)
    )
    found = {row.pop("_unit"): row for row in rows}
    if not units_known:
        return found
    empty = {name: _empty(aggregate) for name, aggregate in aggregates.items()}
    return {unit: found.get(unit, empty) for unit in ctx.unit_values}


# --- the registry ---------------------------------------------------------------------------------------------------


def _modules():
    return [importlib.import_module(f"{app}.indicators") for app in INDICATOR_APPS]


def indicator_definitions() -> dict[str, Indicator]:
    """Every indicator's definition, keyed by id, in display order."""
    found: dict[str, Indicator] = {}
    for module in _modules():
        for definition in module.INDICATORS:
            found[definition.id] = definition
    return found


def compute_indicators(
    *,
    region_code: str,
    year: int,
    shortfall_limit: int | None = None,
    approved_only: bool = False,
    codes: tuple[str, ...] | None = None,
) -> dict[str, dict]:
    """All indicators for the region (any level; '' = the whole country) and year. See the module docstring.
    ``codes``: the figures of these communities together instead of the region's prefix (the standards stay the
    region's): a community's last year when others were merged into it."""
    ctx = Context(
        region_code=region_code,
        year=year,
        standards=standards_for(region_code=region_code, year=year),
        shortfall_limit=shortfall_limit,
        approved_only=approved_only,
        codes=tuple(codes) if codes is not None else None,
    )
    output: dict[str, dict] = {}
    for module in _modules():
        results: dict[str, Result] = module.compute(ctx)
        for definition in module.INDICATORS:
            result = results.get(definition.id, Result())
            ctx.values[definition.id] = result.value
            output[definition.id] = {
                "id": definition.id,
                "label": definition.label,
                "unit": definition.unit,
                "kind": definition.kind,
                "theme": definition.theme,
                "formula": definition.formula,
                "value": result.value,
                "standard": result.standard,
                "passes": result.passes,
                "gap": result.gap,
                "gap_unit": definition.gap_unit,
                "gap_label": definition.gap_label,
                "shortfall_count": result.shortfall_count,
                "shortfall_unit": definition.shortfall_unit,
                "shortfalls": result.shortfalls,
                "note": result.note or definition.note,
            }
    return output


def _provider(modules) -> dict[str, Any]:
    return {definition.id: module for module in modules for definition in module.INDICATORS}


def compute_by_unit(
    *, region_code: str, year: int, ids=None, unit_length: int | None = None, approved_only: bool = False
) -> dict[str, dict[str, Any]]:
    """Indicator values per unit one level down (or of ``unit_length`` digits) with returns for the year; see the
    module docstring. ``ids`` keeps only those indicators (and skips the apps none of them needs)."""
    unit_length = unit_length or child_length(region_code)
    if unit_length is None:
        return {}
    modules = _modules()
    provider = _provider(modules)
    wanted = set(provider) if ids is None else set(ids)
    unknown = wanted - set(provider)
    if unknown:
        raise ValueError(f"unknown indicator ids: {sorted(unknown)}")
    # The apps the wanted ids come from, and those their per-unit figures read (BY_UNIT_NEEDS), nearest first.
    needed = {modules[0]}  # the communities app: the units themselves
    pending = [provider[i] for i in wanted]
    while pending:
        module = pending.pop()
        if module not in needed:
            needed.add(module)
            pending += [provider[i] for i in getattr(module, "BY_UNIT_NEEDS", ())]
    ctx = Context(
        region_code=region_code,
        year=year,
        standards=standards_for(region_code=region_code, year=year),
        unit_length=unit_length,
        approved_only=approved_only,
    )
    for module in modules:
        if module in needed:
            for unit, figures in module.compute_by_unit(ctx).items():
                ctx.unit_values.setdefault(unit, {}).update(figures)
    return {
        unit: {key: value for key, value in figures.items() if key in wanted}
        for unit, figures in sorted(ctx.unit_values.items())
    }


def compute_trend(
    *, region_code: str, years: list[int], lineage=None, approved_only: bool = False
) -> dict[int, dict[str, Any]]:
    """Headline figures per year (see HEADLINE_IDS): None where a year has no returns, 0 where it has returns but
    none of the rows a figure sums (no premises, nobody in post, no allocation); a fixed number of queries.
    ``lineage`` (a community's ``code_changes.Lineage``): each year's figures are those of the codes that stand for
    the community that year (the communities merged into it, its old code) — one pass per set of codes."""
    trend: dict[int, dict[str, Any]] = {year: dict.fromkeys(HEADLINE_IDS) for year in years}
    passes = [(None, years)]
    if lineage is not None and lineage.changed:
        passes = list(lineage.segments(years).items())
    for module in _modules():
        per_year = getattr(module, "headline_by_year", None)
        if per_year is None:
            continue
        for codes, group in passes:
            for year, figures in per_year(
                region_code=region_code, years=group, codes=codes, approved_only=approved_only
            ).items():
                trend[year].update(figures)
    for figures in trend.values():
        if figures["communities"]:
            for key, value in figures.items():
                if value is None:
                    figures[key] = 0
    return trend
