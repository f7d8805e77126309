"""Standards and benchmarks in force for a region and a year, and setting them.

A value in force for region R and year Y is the ``Standard`` row of the nearest unit that sets the key — R itself,
else its parent, ... up to the national default (``region_code`` '') — taking, at that unit, the row with the latest
``year_from`` not after Y. National defaults are seeded by migration ``communities/0002``.

``standards_for(region_code=..., year=...)`` reads everything a computation for R needs in one query: the rows of R
and its ancestors (the values in force for R) and the rows set below R (a street under a county may set its own
minimum area), so that per-community checks can use each community's own value in SQL (``StandardSet.expr``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, FloatField, Q, Value, When

from .codes import UNIT_CODE_RE, ancestor_codes
from .models import Standard, StandardKey
from .models.standards import RATE_KEYS

# The unit each key is expressed in, as pages show it.
STANDARD_UNITS: dict[str, str] = {
    StandardKey.FACILITY_AREA_PER_100_HOUSEHOLDS: "m²/百户",
    StandardKey.FACILITY_MIN_AREA: "m²",
    StandardKey.HOUSEHOLDS_PER_WORKER: "户/人",
    StandardKey.WORKERS_PER_10K_RESIDENTS: "人/万人",
    StandardKey.WORK_FUNDS_PER_HOUSEHOLD: "元/户·年",
    StandardKey.PUBLIC_FUNDS_PER_WORKER: "元/人·年",
    StandardKey.VILLAGE_HEAD_ANNUAL_PAY: "元/年",
    StandardKey.VILLAGE_DEPUTY_ANNUAL_PAY: "元/年",
    StandardKey.LOCAL_AVERAGE_WAGE: "元/年",
    StandardKey.COMMUNITY_MIN_HOUSEHOLDS: "户",
    StandardKey.COMMUNITY_MAX_HOUSEHOLDS: "户",
    StandardKey.WORKER_LOSS_RATE_MAX: "率",
    StandardKey.WORKER_SECONDMENT_RATE_MAX: "率",
    StandardKey.FUNDING_RECEIVED_RATE_MIN: "率",
    StandardKey.SERVICE_COVERAGE_MIN: "率",
    StandardKey.FACILITY_COST_PER_M2: "元/m²",
}


@dataclass(frozen=True)
class StandardValue:
    """One value in force: what it is, and where it comes from (the unit that set it, from which year, which
    document)."""

    key: str
    value: Decimal
    region_code: str
    year_from: int
    source: str

    @property
    def label(self) -> str:
        return StandardKey(self.key).label

    @property
    def unit(self) -> str:
        return STANDARD_UNITS.get(self.key, "")

    @property
    def inherited_from(self) -> str:
        """'' when set for the whole country, else the code of the unit that set it."""
        return self.region_code

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "value": float(self.value),
            "unit": self.unit,
            "region_code": self.region_code,
            "year_from": self.year_from,
            "source": self.source,
        }


class StandardSet:
    """The standards in force for a region and year, plus those set by units below it."""

    def __init__(self, region_code: str, year: int, rows: list[Standard]):
        self.region_code = region_code
        self.year = year
        # For each (unit, key): the row with the latest year_from (rows come ordered by year_from).
        latest: dict[tuple[str, str], Standard] = {}
        for row in rows:
            latest[(row.region_code, row.key)] = row
        prefixes = ["", *ancestor_codes(region_code), region_code] if region_code else [""]
        self.in_force: dict[str, StandardValue] = {}
        for prefix in prefixes:  # nearest last, so it wins
            for (code, key), row in latest.items():
                if code == prefix:
                    self.in_force[key] = _value(row)
        # Units strictly below the region that set their own value: longest code first (the nearest wins).
        self.below: dict[str, list[StandardValue]] = {}
        for (code, key), row in sorted(latest.items(), key=lambda item: -len(item[0][0])):
            if len(code) > len(region_code) and code.startswith(region_code):
                self.below.setdefault(key, []).append(_value(row))

    def get(self, key: str) -> StandardValue | None:
        return self.in_force.get(key)

    def value(self, key: str) -> float | None:
        found = self.in_force.get(key)
        return float(found.value) if found else None

    def value_for(self, key: str, code: str) -> float | None:
        """The value in force for a unit at or below the region: the nearest unit above it (or itself) that sets
        its own, else the region's (None where none is set)."""
        for found in self.below.get(key, []):  # longest code first: the nearest wins
            if code.startswith(found.region_code):
                return float(found.value)
        return self.value(key)

    def is_set(self, key: str) -> bool:
        """Whether the key has a value for the region or for any unit below it."""
        return key in self.in_force or key in self.below

    def expr(self, key: str, code_field: str = "community__code"):
        """A SQL expression giving each row the value in force for its own code (NULL where none is set)."""
        default = Value(self.value(key), output_field=FloatField())
        overrides = self.below.get(key, [])
        if not overrides:
            return default
        return Case(
            *[When(Q(**{f"{code_field}__startswith": s.region_code}), then=Value(float(s.value))) for s in overrides],
            default=default,
            output_field=FloatField(),
        )

    def sql(self, key: str, code_column: str) -> tuple[str, list]:
        """The same as ``expr`` for hand-written SQL: (CASE ... END, params); NULL where none is set (a numeric NULL,
        as a value is a numeric literal on PostgreSQL: a bare NULL column of a CTE would be text there)."""
        default = self.value(key)
        overrides = self.below.get(key, [])
        fallback, fallback_params = ("CAST(NULL AS NUMERIC)", []) if default is None else ("%s", [default])
        if not overrides:
            return (fallback, fallback_params)
        whens = " ".join(f"WHEN {code_column} LIKE %s THEN %s" for _ in overrides)
        params = [p for s in overrides for p in (s.region_code + "%", float(s.value))]
        return (f"(CASE {whens} ELSE {fallback} END)", [*params, *fallback_params])

    def as_dict(self) -> dict:
        """Every key, in the order of ``StandardKey``, with its value in force (None where none is set)."""
        return {key: (found.as_dict() if (found := self.in_force.get(key)) else None) for key in StandardKey.values}


def _value(row: Standard) -> StandardValue:
    return StandardValue(
        key=row.key, value=row.value, region_code=row.region_code, year_from=row.year_from, source=row.source
    )


def standards_for(*, region_code: str, year: int) -> StandardSet:
    """The standards in force for the region and year, and those set below it (one query)."""
    scope = Q(region_code__in=["", *ancestor_codes(region_code), region_code])
    if region_code:
        scope |= Q(region_code__startswith=region_code)
    else:
        scope = Q()
    rows = list(Standard.objects.filter(scope, year_from__lte=year).order_by("year_from"))
    return StandardSet(region_code, year, rows)


def standards_in_force(*, region_code: str, year: int) -> dict[str, StandardValue | None]:
    """Key -> value in force for the region and year (None where nothing is set)."""
    found = standards_for(region_code=region_code, year=year)
    return {key: found.get(key) for key in StandardKey.values}


def parse_standard_value(key: str, raw: str) -> tuple[str, Decimal]:
    """Validate a ``KEY=VALUE`` pair's parts; ValidationError with a Chinese message otherwise."""
    if key not in StandardKey.values:
        raise ValidationError(f"未知的标准项“{key}”。可用的标准项：{', '.join(StandardKey.values)}")
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"标准项 {key} 的数值“{raw}”不是数字。") from None
    if not value.is_finite() or value < 0:
        raise ValidationError(f"标准项 {key} 的数值不能为负数。")
    if key in RATE_KEYS and value > 1:
        raise ValidationError(f"标准项 {key} 是比率，应为0到1之间的小数（如0.1表示10%）。")
    return key, value


@transaction.atomic
def standards_save(
    *, region_code: str, year_from: int, values: dict[str, Decimal], source: str = "", unsourced: str = ""
) -> list[Standard]:
    """Set (create or update) the given keys for the region from ``year_from`` on, recording history. Without a
    ``source``, a row keeps the document it has; a new row (or one without) records ``unsourced`` instead."""
    if region_code and not UNIT_CODE_RE.match(region_code):
        raise ValidationError(f"区划代码“{region_code}”格式不正确：应为2、4、6、9或12位数字。")
    saved = []
    for key, value in values.items():
        parse_standard_value(key, str(value))
        row = Standard.objects.filter(region_code=region_code, key=key, year_from=year_from).first()
        if row is None:
            row = Standard(region_code=region_code, key=key, year_from=year_from)
        row.value = value
        if source or not row.source:
            row.source = source or unsourced
        row.full_clean()
        row.save()
        saved.append(row)
    return saved
