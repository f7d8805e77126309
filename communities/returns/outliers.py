"""Outliers (异常值): a return's key figures against the county's communities of the same type and against the
community's approved figure of the year before.

Against the peers by median and quartiles, not the mean and standard deviation — these figures are skewed (a few
very large communities): a value is an outlier when it lies outside the fences Q1 − 1.5 × IQR and Q3 + 1.5 × IQR
(Tukey's rule; IQR = Q3 − Q1). Quartiles are interpolated linearly between the sorted values (position
(n − 1) × p, as Excel's QUARTILE.INC and numpy's default), the community itself among its peers. With fewer than
``MIN_PEERS`` communities of the type in the county there are no quartiles worth the name: nothing is flagged, and
the page says so. Against last year: the change from the approved figure of the year before, flagged beyond the
figure's threshold; nothing when there is no approved return that year or its figure is 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from communities.figures import FIGURES

MIN_PEERS = 4
FENCE = Decimal("1.5")

# The figures checked, and how far from last year's approved figure is flagged (a fraction: 0.5 = ±50%).
OUTLIER_FIGURES: dict[str, Decimal] = {
    "households": Decimal("0.3"),
    "population": Decimal("0.3"),
    "workers_in_post": Decimal("0.5"),
    "avg_monthly_pay": Decimal("0.5"),
    "facility_area": Decimal("0.5"),
    "total_area": Decimal("0.5"),
    "funding_per_household": Decimal("0.5"),
}


def quantile(values: list[Decimal], p: Decimal) -> Decimal:
    """The p-quantile of sorted ``values`` by linear interpolation at position (n − 1) × p."""
    position = (len(values) - 1) * p
    below = int(position)
    above = min(below + 1, len(values) - 1)
    return values[below] + (values[above] - values[below]) * (position - below)


@dataclass(frozen=True)
class PeerRange:
    peers: int  # communities of the type in the county with a value (the community included)
    q1: Decimal | None = None
    median: Decimal | None = None
    q3: Decimal | None = None

    @property
    def enough(self) -> bool:
        return self.q1 is not None

    @property
    def low(self) -> Decimal | None:
        return None if self.q1 is None else self.q1 - FENCE * (self.q3 - self.q1)

    @property
    def high(self) -> Decimal | None:
        return None if self.q3 is None else self.q3 + FENCE * (self.q3 - self.q1)


def peer_range(values: list) -> PeerRange:
    """Quartiles of the values that are known (None left out); none below ``MIN_PEERS`` values."""
    known = sorted(Decimal(v) for v in values if v is not None)
    if len(known) < MIN_PEERS:
        return PeerRange(len(known))
    return PeerRange(
        len(known), quantile(known, Decimal("0.25")), quantile(known, Decimal("0.5")), quantile(known, Decimal("0.75"))
    )


@dataclass(frozen=True)
class Outlier:
    """One figure of one return against its peers and last year."""

    figure: str
    value: Decimal | None
    peers: PeerRange
    type_label: str  # the community type, as the range names it ("城市社区")
    last_year: int | None = None
    last_value: Decimal | None = None

    @property
    def label(self) -> str:
        return FIGURES[self.figure].label

    @property
    def unit(self) -> str:
        return FIGURES[self.figure].unit

    @property
    def value_text(self) -> str:
        return f"{number(self.value)} {self.unit}"

    @property
    def peer_side(self) -> str | None:
        """'high' or 'low' when outside the fences, else None."""
        if self.value is None or not self.peers.enough:
            return None
        if self.value > self.peers.high:
            return "high"
        if self.value < self.peers.low:
            return "low"
        return None

    @property
    def change(self) -> Decimal | None:
        if self.value is None or not self.last_value:
            return None
        return (self.value - self.last_value) / self.last_value

    @property
    def change_flagged(self) -> bool:
        return self.change is not None and abs(self.change) > OUTLIER_FIGURES[self.figure]

    @property
    def flagged(self) -> bool:
        return self.peer_side is not None or self.change_flagged

    @property
    def range_text(self) -> str:
        """'本县同类社区 25%–75%：1,200–2,400 户（中位数 1,800 户，12 个社区）'."""
        if not self.peers.enough:
            return f"本县{self.type_label}只有 {self.peers.peers} 个有此数据，不足 {MIN_PEERS} 个，未作比较"
        p = self.peers
        return (
            f"本县同类社区 25%–75%：{number(p.q1)}–{number(p.q3)} {self.unit}"
            f"（中位数 {number(p.median)} {self.unit}，{p.peers} 个{self.type_label}）"
        )

    @property
    def last_year_text(self) -> str:
        if self.last_value is None:
            return "上年无已审核数据"
        text = f"{self.last_year}年（已审核）{number(self.last_value)} {self.unit}"
        if self.change is not None:
            text += f"，变化 {self.change:+.0%}"
        return text

    @property
    def finding(self) -> str:
        """What is unusual, in a sentence (empty when nothing is)."""
        parts = []
        value = f"{self.label} {number(self.value)} {self.unit}"
        if self.peer_side == "high":
            parts.append(
                f"{value}，远高于本县同类社区（上限 {number(self.peers.high)} {self.unit}；{self.range_text}）"
            )
        elif self.peer_side == "low":
            parts.append(f"{value}，远低于本县同类社区（下限 {number(self.peers.low)} {self.unit}；{self.range_text}）")
        if self.change_flagged:
            threshold = OUTLIER_FIGURES[self.figure]
            last = f"{number(self.last_value)} {self.unit}"
            parts.append(
                f"{self.label}较{self.last_year}年已审核的 {last}变化 {self.change:+.0%}，超过 ±{threshold:.0%}"
            )
        return "；".join(parts)


def number(value) -> str:
    """A figure as the pages write it: separators, whole numbers without decimals, small ones to one decimal."""
    if value is None:
        return "—"
    value = Decimal(value)
    if abs(value) >= 100 or value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):,f}"
    return f"{value.quantize(Decimal('0.1')):,f}"


def outliers_of(
    code: str,
    figures: dict,
    peers: dict[str, dict[str, PeerRange]],
    type_of: dict[str, str],
    type_labels: dict[str, str],
    last: dict | None,
    last_year: int,
) -> list[Outlier]:
    """Every checked figure of one community (``peers``: per county and type, per figure, the range)."""
    kind = type_of.get(code, "")
    ranges = peers.get((code[:6], kind), {})
    return [
        Outlier(
            figure=key,
            value=figures.get(key),
            peers=ranges.get(key, PeerRange(0)),
            type_label=type_labels.get(kind, "社区"),
            last_year=last_year if last else None,
            last_value=(last or {}).get(key),
        )
        for key in OUTLIER_FIGURES
    ]


def peer_ranges(figures: dict[str, dict], type_of: dict[str, str]) -> dict[tuple[str, str], dict[str, PeerRange]]:
    """For each (county, community type): each checked figure's range over its communities."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for code, values in figures.items():
        groups.setdefault((code[:6], type_of.get(code, "")), []).append(values)
    return {
        group: {key: peer_range([values.get(key) for values in members]) for key in OUTLIER_FIGURES}
        for group, members in groups.items()
    }
