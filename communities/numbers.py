"""Rounding as people round by hand — half up, on the decimal value — for every figure a page, a download or the
report shows (``round`` and ``format`` round binary floats to even: 12.35 would be 12.3 on one page and 12.4 in the
report)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Number = int | float | Decimal | None


def to_decimal(value: Number) -> Decimal | None:
    """The value as a Decimal (a float by its shortest repr: 0.1 -> Decimal("0.1")); None for None, a bool, text
    that is not a number, or an infinity."""
    if value is None or isinstance(value, bool):
        return None
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


def half_up(value: Number, decimals: int) -> Decimal | None:
    """The value rounded half up to ``decimals`` places (never -0), or None when it is not a number."""
    number = to_decimal(value)
    if number is None:
        return None
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded
