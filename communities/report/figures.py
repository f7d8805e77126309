"""Read-only access to the indicators engine's result for one region and year.

The report never computes a figure itself: every number it prints is read here from the dict the indicators
engine returns (keyed by the DESIGN.md ids). This module only knows the shape of that dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Shortfall:
    """One community that falls short of a standard."""

    code: str
    name: str
    street: str
    value: Any
    required: Any
    gap: Any


class Figures:
    """The engine's indicators for one region and year."""

    def __init__(self, indicators: Mapping[str, Any]):
        self.raw = indicators

    def __contains__(self, key: str) -> bool:
        return key in self.raw

    def entry(self, key: str) -> Mapping[str, Any]:
        entry = self.raw.get(key)
        if isinstance(entry, Mapping):
            return entry
        return {"value": entry}

    def value(self, key: str) -> Any:
        return self.entry(key).get("value")

    def breakdown(self, key: str) -> dict[str, Any]:
        """A breakdown indicator (households_by_size, education_mix, ...) as {label: value}."""
        value = self.value(key)
        return dict(value) if isinstance(value, Mapping) else {}

    def standard_entry(self, key: str) -> Mapping[str, Any]:
        """The standard in force for the indicator ({value, source, label, direction, ...}), or {} when none."""
        standard = self.entry(key).get("standard")
        return standard if isinstance(standard, Mapping) else {}

    def standard(self, key: str) -> Any:
        """The standard's value (None when no standard applies)."""
        return self.standard_entry(key).get("value")

    def source(self, key: str) -> str:
        return self.standard_entry(key).get("source") or ""

    def document(self, key: str) -> str:
        """The standard's document as the report cites it (``wording.document``): '' when none applies."""
        from .wording import document

        entry = self.standard_entry(key)
        return document(entry.get("source") or "", entry.get("region_code")) if entry else ""

    def label(self, key: str) -> str:
        return self.entry(key).get("label") or key

    def passes(self, key: str) -> bool | None:
        """True / False against the standard; None when no standard applies or the value is missing."""
        return self.entry(key).get("passes")

    def fails(self, key: str) -> bool:
        return self.passes(key) is False

    def gap(self, key: str) -> Any:
        return self.entry(key).get("gap")

    def shortfall_count(self, key: str) -> int:
        return self.entry(key).get("shortfall_count") or 0

    def shortfalls(self, key: str) -> list[Shortfall]:
        """The communities that fall short, worst first, as the engine listed them."""
        return [
            Shortfall(
                code=row.get("code", ""),
                name=row.get("name", ""),
                street=row.get("street_name", ""),
                value=row.get("value"),
                required=row.get("standard"),
                gap=row.get("gap"),
            )
            for row in self.entry(key).get("shortfalls") or []
        ]

    def part(self, key: str, label: str, field: str = "count") -> Any:
        """One category of a breakdown: part("education_mix", "本科") -> its count (or "share", "amount")."""
        value = self.breakdown(key).get(label)
        if isinstance(value, Mapping):
            return value.get(field)
        return value if field == "count" else None
