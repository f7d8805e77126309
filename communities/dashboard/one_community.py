"""What a single community's pages (its dashboard and its return page) show of the indicators.

Most indicators of a region read the same for one community (its households, its space, its loss rate), but some
only mean something over many communities: how many communities and streets there are, the smallest, largest and
average community, how communities are spread over size bands and types, and the share and number of communities
that meet the space standard. A community's pages leave those out (``REGION_ONLY``, the one list both pages use)
and show the community's own verdict on its space instead of a compliance rate of 0 % or 100 %.
"""

from __future__ import annotations

import re

# Indicator ids meaningless for one community.
REGION_ONLY = frozenset(
    {
        # counts of communities and streets
        "communities",
        "streets",
        # distributions over communities
        "households_by_size",
        "communities_by_type",
        # the smallest, largest and average community
        "households_min",
        "households_max",
        "households_per_community",
        "office_area_per_community",
        "service_area_per_community",
        "facility_area_per_community",
        # compliance as a share and a count of communities (replaced by the community's own verdict)
        "facility_compliance_rate",
        "facility_compliant_communities",
    }
)

COMPLIES_ID = "facility_complies"


def is_one_community(code: str) -> bool:
    return len(code) == 12


def for_one_community(indicators: dict[str, dict]) -> dict[str, dict]:
    """The indicators as a community's pages show them: without ``REGION_ONLY``; the community's own verdict on its
    space against its required area where the compliance rate was; no lists of communities that fall short (the
    community's own verdict says it)."""
    found: dict[str, dict] = {}
    for key, item in indicators.items():
        if key == "facility_compliance_rate":
            verdict = _space_verdict(indicators)
            if verdict:
                found[COMPLIES_ID] = verdict
        if key in REGION_ONLY:
            continue
        found[key] = {**item, "shortfalls": [], "shortfall_count": 0, "note": _without_lists(item["note"])}
    return found


def _without_lists(note: str) -> str:
    """A note without what it says about the lists of communities (a community's page has none)."""
    parts = re.split(r"(?<=[。；])", note or "")
    return "".join(part for part in parts if "名单" not in part).rstrip("；")


def required_area(indicators: dict[str, dict]) -> tuple[float, str] | None:
    """The comprehensive space the community should have, max(minimum area, per-100 standard × households ÷ 100),
    and how it is worked out; None when neither standard is set."""
    standard = indicators["facility_compliance_rate"]["standard"] or {}
    minimum = (standard.get("minimum_area") or {}).get("value")
    per_100 = standard.get("value")
    households = indicators["households"]["value"] or 0
    if per_100 is None and minimum is None:
        return None
    by_households = (per_100 or 0) * households / 100
    parts = []
    if minimum is not None:
        parts.append(f"最低面积 {minimum:g} m²")
    if per_100 is not None:
        parts.append(f"每百户 {per_100:g} m² × {households:,} 户 ÷ 100")
    how = f"max({'，'.join(parts)})" if len(parts) > 1 else parts[0]
    return max(minimum or 0, by_households), how


def _space_verdict(indicators: dict[str, dict]) -> dict | None:
    """The community's comprehensive space against its own required area, as an indicator (None where no standard
    applies or the community has no return)."""
    rate = indicators["facility_compliance_rate"]
    required = required_area(indicators)
    if rate["value"] is None or required is None:
        return None
    area, how = required
    standard = rate["standard"] or {}
    passes = rate["value"] >= 1
    shortfall = indicators.get("facility_shortfall_area", {}).get("value")
    return {
        **rate,
        "id": COMPLIES_ID,
        "label": "综合服务用房是否达到应有面积",
        "unit": "m²",
        "kind": "number",
        "formula": "综合服务用房面积 ≥ 应有面积 max(最低面积, 每百户标准 × 户数 ÷ 100)",
        "value": indicators["facility_area"]["value"],
        "standard": {
            **standard,
            "key": COMPLIES_ID,
            "label": "应有面积",
            "value": round(area, 2),
            "unit": "m²",
            "direction": "min",
        },
        "passes": passes,
        "gap": None if passes else shortfall,
        "gap_unit": "m²",
        "gap_label": "距应有面积尚缺",
        "shortfall_count": 0,
        "shortfalls": [],
        "note": f"应有面积 = {how}",
    }
