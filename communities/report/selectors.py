"""Reads the report needs beyond the indicators: names of the region and its streets, and the communities by type.

Each is one query, whatever the size of the region.
"""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import Substr

from communities.models import Community, CommunityType, Region, SurveyReturn


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
        .values_list("unit", flat=True)
        .distinct()
    )
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return label, {unit: names.get(unit, unit) for unit in sorted(codes)}


def communities_by_type(code: str, year: int) -> dict[str, int]:
    """{社区类型 label: number of communities with a return for the year}, in the order of DESIGN.md."""
    counts = dict(
        SurveyReturn.objects.in_region(code)
        .for_year(year)
        .values_list("community__community_type")
        .annotate(n=Count("id"))
        .values_list("community__community_type", "n")
    )
    return {kind.label: counts.get(kind.value, 0) for kind in CommunityType}
