"""Reads the dashboard needs beyond the region's indicators: one GROUP BY per table, never a query per unit.

A region's "children" are the units one level down (country → provinces → cities → counties → streets →
communities), found by grouping rows on the first n digits of their code; their figures come from the indicator
engine (``compute_by_unit``), so the dashboard computes no figure of its own.
"""

from __future__ import annotations

from django.db.models import Count, FilteredRelation, Q
from django.db.models.functions import Substr

from communities.codes import ancestor_codes, child_length, level_name
from communities.divisions import PLACEHOLDERS
from communities.indicator_engine import compute_by_unit
from communities.models import Community, Region, ReturnStatus, SurveyReturn

# Above this many communities, the per-community chart is drawn per child unit instead.
PER_COMMUNITY_CHART_LIMIT = 300
# The engine's figures each unit one level down shows (the children table, the charts by unit).
CHILD_IDS = (
    "communities",
    "households",
    "population",
    "workers_in_post",
    "worker_loss_rate",
    "worker_secondment_rate",
    "leader_annual_pay",
    "staff_annual_pay",
    "facility_area",
    "facility_area_per_100_households",
    "facility_compliance_rate",
    "facility_shortfall_area",
    "funding_budget",
)
# The figures of each community in the space chart: its area against its own required area.
SPACE_IDS = (
    "households",
    "facility_area",
    "facility_area_per_100_households",
    "facility_compliance_rate",
    "facility_shortfall_area",
)
PROGRESS_STATUSES = {
    "draft": ReturnStatus.DRAFT,
    "submitted": ReturnStatus.SUBMITTED,
    "returned": ReturnStatus.RETURNED,
    "approved": ReturnStatus.APPROVED,
}


def years_available(scope_code: str) -> list[int]:
    """Years with at least one return under the scope, newest first."""
    return list(SurveyReturn.objects.in_region(scope_code).values_list("year", flat=True).distinct().order_by("-year"))


def unit_names(codes: list[str]) -> dict[str, str]:
    """Names of regions and communities by code (one query per kind asked for)."""
    names: dict[str, str] = {}
    regions = [c for c in codes if len(c) < 12]
    communities = [c for c in codes if len(c) == 12]
    if regions:
        names.update(Region.objects.filter(code__in=regions).values_list("code", "name"))
    if communities:
        names.update(Community.objects.filter(code__in=communities).values_list("code", "name"))
    return names


def unit_name(code: str) -> str:
    """One unit's name ("全国" for '', the code itself when no such unit): headings of pages about a region."""
    return unit_names([code]).get(code, code) if code else "全国"


def unit_exists(code: str) -> bool:
    """Whether there is a region (2–9 digits) or a community (12) with this code ('' = the whole country); one
    query."""
    if not code:
        return True
    model = Community if len(code) == 12 else Region
    return model.objects.filter(code=code).exists()


def breadcrumb(code: str, scope_code: str) -> list[dict]:
    """From the user's scope down to ``code``: [{code, name, level, exists}], the country first for administrators.
    A unit not named yet shows its code; ``exists`` says whether the unit is there at all (one query per kind)."""
    codes = [c for c in ancestor_codes(code) if c.startswith(scope_code) and len(c) >= len(scope_code)]
    if code:
        codes.append(code)
    names = unit_names(codes)
    crumbs = [{"code": "", "name": "全国", "level": "全国", "exists": True}] if scope_code == "" else []
    crumbs += [
        {"code": c, "name": names.get(c, c), "level": level_name(c), "exists": c in names}
        for c in codes
        # A placeholder city of the division list (4290 省直辖县级行政区划, 1101 市辖区) is no unit anybody visits:
        # 湖北省 › 仙桃市, as full names read.
        if c == code or names.get(c) not in PLACEHOLDERS
    ]
    return crumbs


def progress(code: str, year: int, n: int) -> dict[str, dict]:
    """Per unit of ``n`` digits under ``code``: its communities, how many have a return for the year and in which
    state, and how many have not started (one query: the communities LEFT JOIN their return of the year)."""
    rows = (
        Community.objects.in_region(code)
        .annotate(_unit=Substr("code", 1, n), _return=FilteredRelation("returns", condition=Q(returns__year=year)))
        .values("_unit")
        .order_by("_unit")
        .annotate(
            total=Count("code"),
            with_return=Count("_return"),
            **{key: Count("_return", filter=Q(_return__status=status)) for key, status in PROGRESS_STATUSES.items()},
        )
    )
    return {row.pop("_unit"): {**row, "not_started": row["total"] - row["with_return"]} for row in rows}


def return_counts(code: str, year: int) -> dict:
    """The unit's own reporting state for the year (one query): its communities (``total``), returns handed in
    (``handed_in``: submitted or approved), approved, and the rest as in ``progress``."""
    counts = progress(code, year, len(code)).get(code) or {
        "total": 0,
        "with_return": 0,
        "not_started": 0,
        **dict.fromkeys(PROGRESS_STATUSES, 0),
    }
    return {**counts, "handed_in": counts["submitted"] + counts["approved"]}


def children(code: str, year: int, *, approved_only: bool = False) -> list[dict]:
    """One row per unit one level down that has communities, in code order: its reporting progress for the year
    and, where it has returns, its figures from the engine (None where it has none). A fixed number of queries:
    progress 1, the engine's per-unit figures 5 (standards, communities, facilities, workforce, funding), names 1."""
    n = child_length(code)
    if n is None:
        return []
    found = progress(code, year, n)
    figures = compute_by_unit(region_code=code, year=year, ids=CHILD_IDS, approved_only=approved_only)
    names = unit_names(list(found))
    empty = {**dict.fromkeys(CHILD_IDS), "communities": 0}
    return [
        {"code": unit, "name": names.get(unit, unit), **found[unit], **figures.get(unit, empty)}
        for unit in sorted(found)
    ]


def per_community_space(code: str, year: int, communities: int, *, approved_only: bool = False) -> list[dict]:
    """Each community's space against its own required area (the engine's per-community figures; four queries:
    standards, communities, facilities, names), smallest m² per 100 households first; [] when
    there are more than PER_COMMUNITY_CHART_LIMIT communities with returns (``communities``, known from the
    indicators) — then no query at all."""
    if not communities or communities > PER_COMMUNITY_CHART_LIMIT:
        return []
    figures = compute_by_unit(region_code=code, year=year, ids=SPACE_IDS, unit_length=12, approved_only=approved_only)
    names = unit_names(list(figures))
    return sort_by_space([{"code": c, "name": names.get(c, c), **f} for c, f in figures.items()])


def sort_by_space(rows: list[dict]) -> list[dict]:
    key = "facility_area_per_100_households"
    return sorted(rows, key=lambda r: (r[key] is None, r[key] or 0, r["code"]))
