"""Reads the report needs beyond the indicators: names of the region and of the units below it, how many returns are
approved, and which communities are the smallest and the largest.

Each is one or two queries, whatever the size of the region.
"""

from __future__ import annotations

from django.db.models.functions import Substr

from communities.models import Community, Region, ReturnStatus, SurveyReturn


def region_name(code: str) -> str | None:
    """The unit's name (a region of 2–9 digits or a community of 12), or None when there is no such unit."""
    if len(code) == 12:
        return Community.objects.filter(code=code).values_list("name", flat=True).first()
    return Region.objects.filter(code=code).values_list("name", flat=True).first()


def region_full_name(code: str) -> str:
    """The unit with its ancestors, placeholder cities left out (湖北省仙桃市, 湖北省襄阳市保康县); one query."""
    from communities.codes import ancestor_codes
    from communities.divisions import full_name

    codes = [*ancestor_codes(code[:9]), code[:9]] if len(code) == 12 else [*ancestor_codes(code), code]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    text = full_name(names, code[:9] if len(code) == 12 else code)
    if len(code) == 12:
        text += region_name(code) or code
    return text


# The level one down from a unit of each length, and what its units are called in a report.
CHILD_LEVELS: dict[int, tuple[int, str]] = {
    2: (4, "市（州）"),
    4: (6, "县（市、区）"),
    6: (9, "街道（乡镇）"),
    9: (12, "社区"),
}


def child_units(code: str, year: int) -> tuple[str, dict[str, str]]:
    """The units one level down that have returns for the year, {code: name} in code order, and what they are
    called ("街道（乡镇）" under a county, "社区" under a street). Nothing below a community. Two queries."""
    if len(code) not in CHILD_LEVELS:
        return "", {}
    length, label = CHILD_LEVELS[len(code)]
    codes = set(
        SurveyReturn.objects.in_region(code)
        .for_year(year)
        .annotate(unit=Substr("community_id", 1, length))
        .order_by()
        .values_list("unit", flat=True)
        .distinct()
    )
    named = Community if length == 12 else Region
    names = dict(named.objects.filter(code__in=codes).values_list("code", "name"))
    return label, {unit: names.get(unit, unit) for unit in sorted(codes)}


def community_extremes(
    code: str, year: int, *, smallest: int, largest: int, approved_only: bool = False
) -> dict[str, tuple[str, str]]:
    """The (street name, community name) of the first community, in code order, with the smallest and with the
    largest number of households (the engine's households_min and households_max). One query."""
    returns = SurveyReturn.objects.in_region(code).for_year(year)
    if approved_only:
        returns = returns.filter(status=ReturnStatus.APPROVED)
    rows = (
        returns.filter(households__in=[smallest, largest])
        .order_by("community_id")
        .values_list("households", "community__street__name", "community__name")
    )
    found: dict[str, tuple[str, str]] = {}
    for households, street, name in rows:
        if households == smallest:
            found.setdefault("smallest", (street, name))
        if households == largest:
            found.setdefault("largest", (street, name))
    return found


# Provinces whose civil-affairs office is a 民政局, not a 民政厅: the four municipalities.
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})


def bureau_name(code: str) -> str:
    """The civil-affairs bureau that issues a report on the unit: the county's for a county and everything below it
    (保康县民政局), else the city's (襄阳市民政局) or the province's (湖北省民政厅, 北京市民政局); placeholder units
    (市辖区, 省直辖县级行政区划) are skipped upwards. One query."""
    from communities.divisions import PLACEHOLDERS

    levels = [length for length in (6, 4, 2) if len(code) >= length]
    names = dict(Region.objects.filter(code__in=[code[:length] for length in levels]).values_list("code", "name"))
    for length in levels:
        name = names.get(code[:length])
        if name and name not in PLACEHOLDERS and name != code[:length]:
            office = "民政厅" if length == 2 and code[:2] not in MUNICIPALITIES else "民政局"
            return f"{name}{office}"
    return "民政局"


def return_counts(code: str, year: int) -> dict:
    """The region's communities and their returns of the year as the dashboard counts them (``total``,
    ``handed_in`` = submitted or approved, ``approved``, ``draft``, ``returned``, ``not_started``); one query."""
    from communities.dashboard.selectors import return_counts as dashboard_counts

    return dashboard_counts(code, year)


def reporting_period(code: str, year: int):
    """The 填报期 that held for the unit's returns of the year (the nearest region's at or above it), or None."""
    from communities.periods import Periods

    return Periods(code, year).period_for(code)


def funding_by_level(code: str, year: int, approved_only: bool = False) -> dict[int, dict]:
    """The region's allocations of the year by the level of the unit they were made to (the length of its code: 6 a
    county's own, 9 a street's, 12 a community's): {length: {"budget", "work", "public"}} in 元. One query.
    ``approved_only``: a community's own money only while its return is approved, as the engine counts it."""
    from django.db.models import Q, Sum
    from django.db.models.functions import Length

    from funding.models import Allocation, Use

    allocations = Allocation.objects.in_region(code).for_year(year)
    if approved_only:
        allocations = allocations.of_approved_returns()
    rows = (
        allocations.annotate(level=Length("unit_code"))
        .values("level")
        .order_by("level")
        .annotate(
            all_uses=Sum("budget"),
            work=Sum("budget", filter=Q(use=Use.WORK)),
            public=Sum("budget", filter=Q(use=Use.PUBLIC)),
        )
    )
    return {
        row["level"]: {"budget": row["all_uses"] or 0, "work": row["work"] or 0, "public": row["public"] or 0}
        for row in rows
    }
