"""The indicator engine: one place where the dashboard, the API, the command and the survey report get indicators.

Each app defines its own indicators in ``<app>/indicators.py``: a list ``INDICATORS`` of ``Indicator`` definitions
(id, Chinese label, unit, theme, formula, standard key) and a function ``compute(ctx) -> dict[id, Result]`` that
reads the database with a fixed number of aggregate queries over the region's code prefix. The engine runs the apps
in order (communities, facilities, workforce, funding, services; a later app may read ``ctx.values`` of an earlier
one, e.g. households), and merges definitions and results into one JSON-ready object.

Public API
==========

``compute_indicators(*, region_code: str, year: int, shortfall_limit: int | None = None) -> dict``

- ``region_code``: '' for the whole country, or a code of 2, 4, 6, 9 or 12 digits (a 12-digit code is one
  community). Access is NOT checked here: callers scope first (``access.can_see_code``).
- ``year``: the survey year. Only returns of that year count (any status: draft, submitted, returned, approved).
- ``shortfall_limit``: keep at most this many communities in each ``shortfalls`` list (worst first);
  ``shortfall_count`` always gives the full number (a window count in the same query). None keeps them all.
- Queries: a fixed number whatever the number of communities or streets — 11 with the national defaults (standards
  1, communities 2, facilities 3, workforce 2, funding 2, services 1); fewer when a standard is set nowhere.

It returns a dict keyed by indicator id, in display order (the ids of DESIGN.md "Indicators", plus a few extra ids:
neighborhoods' companions ``party_members``, ``volunteers``, ``social_organizations``, ``police_officers``;
``public_funds_per_worker``). Every value is a dict::

    {
      "id": "facility_area_per_100_households",
      "label": "每百户综合服务用房",        # Chinese label
      "unit": "m²/百户",                   # unit of "value": 个 户 人 m² 元 岁 率 (a fraction 0.123) 倍 (a ratio)
      "kind": "number",                    # "number" | "rate" | "ratio" | "breakdown"
      "theme": "space",                    # overview | size | space | workforce | pay | funding | services
      "formula": "综合服务用房面积 ÷ 户数 × 100",
      "value": 23.46,                      # float | int | None (None when a denominator is 0) | breakdown dict
      "standard": None | {                 # the standard in force for the region (after inheritance);
                                           # facility_compliance_rate adds "minimum_area" (the same shape)
          "key": "facility_area_per_100_households", "label": "...", "value": 30.0,
          "unit": "m²/百户", "region_code": "", "year_from": 2000, "source": "《…》",
          "direction": "min",              # "min": value must be ≥ standard; "max": ≤; "range": value is [min, max]
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

A breakdown's "value" is an object keyed by the Chinese category labels, each ``{"count": n, "share": f}`` (or
``{"amount": 元, "share": f}`` for money); shares are fractions of the total (None when the total is 0):

- households_by_size: "1000户以下", "1000-2000户", "2000-2500户", "2500-3000户", "3000户以上" (share of communities)
- education_mix: 研究生 … 初中及以下 (share of workers in post)
- funding_budget_by_source, funding_budget_by_use: the Source / Use labels (share of funding_budget)
- service_area_coverage: the ServiceArea labels; count = communities with at least one program in that area,
  share = count / communities (the coverage)

Money is in 元, areas in m², rates are fractions. Everything is JSON-serialisable as is.

``compute_trend(*, region_code: str, years: list[int]) -> dict[int, dict[str, float | int | None]]`` gives the
headline figures (communities, households, population, workers_in_post, service_area (facility_area), funding_budget)
for several years in a fixed number of queries (one GROUP BY year per table), for year-over-year change and trends.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Window

from .models import SurveyReturn
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

    def returns(self) -> QuerySet:
        """The region's returns for the year: the rows every per-community figure starts from."""
        return SurveyReturn.objects.in_region(self.region_code).for_year(self.year)


# --- arithmetic helpers shared by the apps' indicators -------------------------------------------------------------


def num(value, digits: int = 2) -> float | None:
    """A JSON-ready float (None stays None)."""
    if value is None:
        return None
    return round(float(value), digits)


def ratio(numerator, denominator, *, scale: float = 1, digits: int = 4) -> float | None:
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
    return {**found.as_dict(), "direction": definition.direction}


def assess(value, standard: dict | None, direction: str | None) -> bool | None:
    """Whether a region-level value meets its standard (None when either is missing)."""
    if value is None or standard is None:
        return None
    if direction == "max":
        return value <= standard["value"]
    return value >= standard["value"]


LIST_FIELDS = ("community_id", "community__name", "community__street_id", "community__street__name", "households")


def shortfall_row(row: dict, value, standard, gap, *, digits: int = 2) -> dict:
    """One community of a shortfall list, as it appears in the JSON (rates keep four digits: ``digits=4``)."""
    return {
        "code": row["community_id"],
        "name": row["community__name"],
        "street_code": row["community__street_id"],
        "street_name": row["community__street__name"],
        "households": row["households"],
        "value": num(value, digits),
        "standard": num(standard, digits),
        "gap": num(gap, digits),
    }


def shortfall_rows(ctx: Context, queryset: QuerySet, *, value, standard, gap) -> tuple[list[dict], int]:
    """The communities of an annotated SurveyReturn queryset (already filtered to those that fall short), with
    their figure, the standard that applies to them and the gap, worst first, and how many there are in all
    (one query: the count is a window over the same rows, so a limit costs nothing more)."""
    rows = (
        queryset.annotate(_value=value, _standard=standard, _gap=gap, _count=Window(Count("*")))
        .values(*LIST_FIELDS, "_value", "_standard", "_gap", "_count")
        .order_by("-_gap", "community_id")
    )
    if ctx.shortfall_limit is not None:
        rows = rows[: ctx.shortfall_limit]
    rows = list(rows)
    found = [shortfall_row(row, row["_value"], row["_standard"], row["_gap"]) for row in rows]
    return found, (rows[0]["_count"] if rows else 0)


def split_shortfalls(
    ctx: Context, rows: list[dict], lists: dict[str, str], *, digits: dict[str, int] | None = None
) -> dict[str, tuple[list[dict], int]]:
    """Several shortfall lists from one query's rows: ``lists`` maps a list name to the prefix of its columns in
    the rows (``<prefix>_short`` a flag computed in SQL, ``<prefix>_value``, ``<prefix>_standard``,
    ``<prefix>_gap``). Each list is sorted worst first and cut at the limit; ``digits`` names the lists whose
    figures keep more than two decimals (rates)."""
    found = {}
    for name, prefix in lists.items():
        members = [row for row in rows if row[f"{prefix}_short"]]
        members.sort(key=lambda row: (-(row[f"{prefix}_gap"] or 0), row["community_id"]))
        kept = members if ctx.shortfall_limit is None else members[: ctx.shortfall_limit]
        found[name] = (
            [
                shortfall_row(
                    row,
                    row[f"{prefix}_value"],
                    row[f"{prefix}_standard"],
                    row[f"{prefix}_gap"],
                    digits=(digits or {}).get(name, 2),
                )
                for row in kept
            ],
            len(members),
        )
    return found


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


def compute_indicators(*, region_code: str, year: int, shortfall_limit: int | None = None) -> dict[str, dict]:
    """All indicators for the region (any level; '' = the whole country) and year. See the module docstring."""
    ctx = Context(
        region_code=region_code,
        year=year,
        standards=standards_for(region_code=region_code, year=year),
        shortfall_limit=shortfall_limit,
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


def compute_trend(*, region_code: str, years: list[int]) -> dict[int, dict[str, Any]]:
    """Headline figures per year (see HEADLINE_IDS), None where a year has no returns; a fixed number of queries."""
    trend: dict[int, dict[str, Any]] = {year: dict.fromkeys(HEADLINE_IDS) for year in years}
    for module in _modules():
        per_year = getattr(module, "headline_by_year", None)
        if per_year is None:
            continue
        for year, figures in per_year(region_code=region_code, years=years).items():
            trend[year].update(figures)
    return trend
