"""Reads the report needs beyond the indicators: names of the region and its streets, and the communities by type.

Each is one query, whatever the size of the region.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import Substr

from communities.models import Community, CommunityType, Region, ReturnStatus, SurveyReturn


def region_name(code: str) -> str | None:
    """The unit's name (a region of 2–9 digits or a community of 12), or None when there is no such unit."""
    if len(code) == 12:
        return Community.objects.filter(code=code).values_list("name", flat=True).first()
    return Region.objects.filter(code=code).values_list("name", flat=True).first()


# The level one down from a unit of each length, and what its units are called in a report.
CHILD_LEVELS: dict[int, tuple[int, str]] = {2: (4, "市(州)"), 4: (6, "县(市、区)"), 6: (9, "街道(乡镇)")}


def child_units(code: str, year: int) -> tuple[str, dict[str, str]]:
    """The units one level down that have returns for the year, {code: name} in code order, and what they are
    called ("街道(乡镇)" under a county). Nothing below a street. Two queries."""
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
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return label, {unit: names.get(unit, unit) for unit in sorted(codes)}


def returns_summary(code: str, year: int) -> tuple[dict[str, int], int]:
    """{社区类型 label: communities with a return for the year}, in the order of DESIGN.md, and how many of those
    returns are approved (one query)."""
    rows = (
        SurveyReturn.objects.in_region(code)
        .for_year(year)
        .values("community__community_type")
        .order_by("community__community_type")
        .annotate(n=Count("id"), approved=Count("id", filter=Q(status=ReturnStatus.APPROVED)))
    )
    counts = {row["community__community_type"]: row for row in rows}
    by_type = {kind.label: counts[kind.value]["n"] if kind.value in counts else 0 for kind in CommunityType}
    return by_type, sum(row["approved"] for row in counts.values())
