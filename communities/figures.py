"""The figures of a return that validation rules and outlier checks look at, by key: their Chinese labels and
units, and how each is read from the indicator engine's values for one community (``compute_indicators`` for one
return, or one community's entry of ``compute_by_unit(unit_length=12)`` for a whole region at once)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    parts: tuple[str, ...]  # the indicator ids summed to give it
    zero_if_missing: bool = True  # a count or a sum is 0 without rows; an average is missing (None)


FIGURES: dict[str, Figure] = {
    f.key: f
    for f in (
        Figure("households", "户数", "户", ("households",)),
        Figure("population", "常住人口", "人", ("population",)),
        Figure("party_members", "党员数", "人", ("party_members",)),
        Figure("volunteers", "注册志愿者数", "人", ("volunteers",)),
        Figure("workers_roster", "花名册人数", "人", ("workers_roster",)),
        Figure("workers_in_post", "年末在岗人数", "人", ("workers_in_post",)),
        Figure("workers_seconded", "被借用人数", "人", ("workers_seconded",)),
        Figure("party_members_in_post", "在岗党员数", "人", ("party_members_in_post",)),
        Figure("total_area", "用房总面积", "m²", ("office_area", "service_area", "outdoor_area")),
        Figure("facility_area", "综合服务用房面积", "m²", ("facility_area",)),
        Figure("office_area", "办公用房面积", "m²", ("office_area",)),
        Figure("service_area", "公共服务用房面积", "m²", ("service_area",)),
        Figure("funding_budget", "经费预算", "元", ("funding_budget",)),
        Figure("funding_received", "经费到位", "元", ("funding_received",)),
        Figure("funding_per_household", "户均经费", "元/户", ("funding_per_household",), zero_if_missing=False),
        Figure("avg_monthly_pay", "人均月报酬", "元", ("avg_monthly_pay",), zero_if_missing=False),
        Figure("avg_monthly_base_pay", "人均月基本报酬", "元", ("avg_monthly_base_pay",), zero_if_missing=False),
        Figure("service_programs", "服务项目数", "个", ("service_programs",)),
    )
}

FIGURE_CHOICES = [(f.key, f.label) for f in FIGURES.values()]

# The indicator ids every figure is read from (``compute_by_unit(ids=...)``).
INDICATOR_IDS = sorted({part for f in FIGURES.values() for part in f.parts})


def figures_of(values: dict) -> dict[str, Decimal | None]:
    """Every figure from one community's indicator values: ``{id: value}`` as ``compute_by_unit`` gives them, or
    ``{id: {"value": ...}}`` as ``compute_indicators`` does."""

    def read(indicator_id: str):
        value = values.get(indicator_id)
        return value.get("value") if isinstance(value, dict) else value

    found: dict[str, Decimal | None] = {}
    for figure in FIGURES.values():
        parts = [read(part) for part in figure.parts]
        if any(part is None for part in parts) and not figure.zero_if_missing:
            found[figure.key] = None
        else:
            found[figure.key] = sum((Decimal(str(part or 0)) for part in parts), Decimal(0))
    return found
