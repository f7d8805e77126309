"""Reads the report needs beyond the indicators: names of the region and its streets, and the communities by type.

Each is one query, whatever the size of the region.
"""

from __future__ import annotations

from django.db.models import Count

from communities.models import Community, CommunityType, Region, SurveyReturn


def region_name(code: str) -> str | None:
    """The unit's name (a region of 2–9 digits or a community of 12), or None when there is no such unit."""
    if len(code) == 12:
        return Community.objects.filter(code=code).values_list("name", flat=True).first()
    return Region.objects.filter(code=code).values_list("name", flat=True).first()


def street_names(code: str) -> dict[str, str]:
    """{street code: name} for the streets under (or containing) the unit ``code``."""
    if len(code) >= 9:
        return dict(Region.objects.filter(code=code[:9]).values_list("code", "name"))
    return dict(Region.objects.streets().in_region(code).values_list("code", "name"))


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
