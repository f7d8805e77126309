"""Figures in templates as the dashboard writes them (``communities.dashboard.tables.format_cell``: rounded half up,
thousands separators), so that a return page and the dashboard above it read alike."""

from django import template

from communities.dashboard.tables import format_cell

register = template.Library()


@register.filter
def yuan(value) -> str:
    """An amount in 元 with separators, two decimals and its unit: 170000 → "170,000.00 元"; "—" when empty."""
    if value is None or value == "":
        return "—"
    return f"{format_cell(value, 'yuan')} 元"
