"""Charts as server-rendered SVG: no JavaScript, no CDN, crisp when printed.

Each function returns safe markup to put inline in a page (CSS classes from static/css/dashboard.css colour it; every
bar also carries its figure as text, so a black-and-white print still reads). Data come in already computed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str = ""  # the figure printed by the bar ("" = the value)
    state: str = ""  # "pass" | "fail" | "short" | "" — the bar's colour (and, but for pass, its pattern)
    href: str = ""
    mark: float | None = None  # the bar's own standard, drawn across it where it is not the chart's line


# The states whose bars carry a pattern as well as a colour, so that they read in black and white.
PATTERNS = {"fail": "hatch", "short": "dots"}


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _nice_max(value: float) -> float:
    """A round upper bound for an axis."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _svg(width: int, height: int, body: list[str], title: str) -> SafeString:
    return mark_safe(  # noqa: S308 — every piece of text was escaped when the body was built
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _link(markup: str, href: str) -> str:
    return f'<a href="{escape(href)}">{markup}</a>' if href else markup


def _text_width(text: str) -> float:
    """About how wide a label is at 12 px: a CJK character is as wide as the font, a Latin one about 0.6 of it."""
    return sum(FONT if ord(ch) > 0x2E7F else FONT * 0.6 for ch in text)


def _pattern_defs(prefix: str) -> str:
    """The patterns laid over coloured bars (white lines or dots: they stay visible printed in grey)."""
    return (
        f'<defs><pattern id="{prefix}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern>'
        f'<pattern id="{prefix}-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<circle cx="3" cy="3" r="1.3" class="dots"/></pattern></defs>'
    )


def _swatch(x: float, y: float, state: str, prefix: str) -> str:
    """A legend's sample of a bar: its colour and its pattern."""
    box = f'<rect x="{x:.1f}" y="{y}" width="14" height="12" class="bar {escape(state)}"/>'
    if state in PATTERNS:
        box += f'<rect x="{x:.1f}" y="{y}" width="14" height="12" fill="url(#{prefix}-{PATTERNS[state]})"/>'
    return box


def _legend(entries: Sequence[tuple[str, str]], *, x0: float, y0: float, width: float, prefix: str):
    """Legend entries (kind, label) laid out in rows that fit ``width``: a bar state ("pass", "fail", "short"),
    "line" (the dashed standard) or "mark" (a bar's own standard). Returns (markup, height)."""
    parts, x, y = [], x0, y0
    for kind, label in entries:
        w = 20 + _text_width(label) + 18
        if x > x0 and x + w > width:
            x, y = x0, y + 18
        if kind == "line":
            parts.append(f'<line x1="{x:.1f}" x2="{x + 14:.1f}" y1="{y + 6}" y2="{y + 6}" class="standard"/>')
        elif kind == "mark":
            parts.append(f'<line x1="{x:.1f}" x2="{x + 14:.1f}" y1="{y + 6}" y2="{y + 6}" class="own-standard"/>')
        else:
            parts.append(_swatch(x, y, kind, prefix))
        parts.append(f'<text x="{x + 20:.1f}" y="{y + 11}" class="label legend">{escape(label)}</text>')
        x += w
    return "".join(parts), (y - y0) + 18 if entries else 0


def column_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    unit: str = "",
    standard: float | None = None,
    standard_label: str = "",
    legend: Sequence[tuple[str, str]] = (),
) -> SafeString:
    """Vertical bars, one per item, with an optional dashed standard line (e.g. m² per 100 households), each
    bar's own standard where it differs (``Bar.mark``), and a legend drawn in the chart (``legend``: see
    ``_legend``), so that it prints with it."""
    if not bars:
        return empty_chart(title)
    n = len(bars)
    slot = max(6, min(120, 900 // n))
    left, bottom = 56, 90 if n <= 40 else 24
    width = left + slot * n + 16
    prefix = "c" + hashlib.md5(title.encode()).hexdigest()[:8]  # noqa: S324 — an id, not a secret
    legend_markup, legend_height = _legend(legend, x0=left, y0=4, width=max(width, 480), prefix=prefix)
    width = max(width, 480) if legend else width
    top = 24 + legend_height
    height = top + 220 + bottom
    values = [b.value for b in bars if b.value is not None]
    marks = [b.mark for b in bars if b.mark is not None]
    top_value = _nice_max(max([*values, *marks, standard or 0, 0]))
    scale = 220 / top_value
    body = [_pattern_defs(prefix), legend_markup, f'<text x="4" y="{top - 10}" class="axis">{escape(unit)}</text>']
    for i in range(5):  # gridlines
        v = top_value * i / 4
        y = top + 220 - v * scale
        body.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        body.append(f'<text x="{left - 4}" y="{y + 4:.1f}" class="axis" text-anchor="end">{_fmt(v)}</text>')
    for i, bar in enumerate(bars):
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        if bar.value is None:
            body.append(f'<text x="{x + w / 2:.1f}" y="{top + 215}" class="axis" text-anchor="middle">—</text>')
        else:
            h = bar.value * scale
            rect = (
                f'<rect x="{x:.1f}" y="{top + 220 - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
                f'class="bar {escape(bar.state)}"><title>{escape(bar.label)}：{escape(bar.text or _fmt(bar.value))}'
                f"</title></rect>"
            )
            if bar.state in PATTERNS:
                rect += (
                    f'<rect x="{x:.1f}" y="{top + 220 - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
                    f'fill="url(#{prefix}-{PATTERNS[bar.state]})" class="pattern"/>'
                )
            body.append(_link(rect, bar.href))
            if n <= 40:
                body.append(
                    f'<text x="{x + w / 2:.1f}" y="{top + 216 - h:.1f}" class="value" text-anchor="middle">'
                    f"{escape(bar.text or _fmt(bar.value))}</text>"
                )
        if bar.mark is not None:
            my = top + 220 - bar.mark * scale
            body.append(
                f'<line x1="{x - 2:.1f}" x2="{x + w + 2:.1f}" y1="{my:.1f}" y2="{my:.1f}" class="own-standard">'
                f"<title>{escape(bar.label)}适用的标准：{_fmt(bar.mark)}</title></line>"
            )
        if n <= 40:
            lx, ly = x + w / 2, top + 232
            body.append(
                f'<text x="{lx:.1f}" y="{ly}" class="label" text-anchor="end" '
                f'transform="rotate(-40 {lx:.1f} {ly})">{escape(bar.label[:12])}</text>'
            )
    if standard is not None:
        y = top + 220 - standard * scale
        body.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" class="standard"/>')
        body.append(
            f'<text x="{width - 10}" y="{y - 4:.1f}" class="standard-label" text-anchor="end">'
            f"{escape(standard_label or '标准')} {_fmt(standard)}</text>"
        )
    return _svg(width, height, body, title)


def bar_list(bars: Sequence[Bar], *, title: str, max_value: float | None = None, percent: bool = False) -> SafeString:
    """Horizontal bars with their labels and figures (breakdowns: size bands, funding by source, coverage)."""
    if not bars:
        return empty_chart(title)
    label_w, bar_w, row = 130, 360, 24
    width, height = label_w + bar_w + 190, row * len(bars) + 10
    values = [b.value for b in bars if b.value is not None]
    top_value = max_value if max_value is not None else (max(values) if values and max(values) > 0 else 1)
    body = []
    for i, bar in enumerate(bars):
        y = 5 + i * row
        body.append(f'<text x="{label_w - 6}" y="{y + 16}" class="label" text-anchor="end">{escape(bar.label)}</text>')
        w = 0 if bar.value is None else max(0.0, bar.value) / top_value * bar_w
        body.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row - 8}" class="track"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" class="bar {escape(bar.state)}"/>'
        )
        text = bar.text or ("—" if bar.value is None else (f"{bar.value * 100:.1f}%" if percent else _fmt(bar.value)))
        body.append(f'<text x="{label_w + bar_w + 6}" y="{y + 16}" class="value">{escape(text)}</text>')
    return _svg(width, height, body, title)


def grouped_columns(
    groups: Sequence[tuple[str, Sequence[float | None]]],
    *,
    series: Sequence[str],
    title: str,
    unit: str = "",
    lines: Sequence[tuple[str, float]] = (),
    percent: bool = False,
) -> SafeString:
    """Several bars per group (e.g. loss and secondment rate by street), with optional reference lines."""
    if not groups:
        return empty_chart(title)
    n, k = len(groups), len(series)
    slot = max(14, min(160, 900 // n))
    left, top, plot = 56, 30, 200
    width = left + slot * n + 16
    height = top + plot + (90 if n <= 40 else 20)
    values = [v for _, vs in groups for v in vs if v is not None] + [v for _, v in lines]
    top_value = 1.0 if percent and (not values or max(values) <= 1) else _nice_max(max([*values, 0]))
    scale = plot / top_value
    body = [f'<text x="4" y="14" class="axis">{escape(unit)}</text>']
    for j, name in enumerate(series):  # legend
        body.append(
            f'<rect x="{left + j * 120}" y="4" width="12" height="12" class="bar s{j}"/>'
            f'<text x="{left + j * 120 + 16}" y="14" class="label">{escape(name)}</text>'
        )
    for i in range(5):
        v = top_value * i / 4
        y = top + plot - v * scale
        label = f"{v * 100:.0f}%" if percent else _fmt(v)
        body.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        body.append(f'<text x="{left - 4}" y="{y + 4:.1f}" class="axis" text-anchor="end">{label}</text>')
    for i, (label, vs) in enumerate(groups):
        x0 = left + i * slot + slot * 0.1
        w = slot * 0.8 / k
        for j, v in enumerate(vs):
            if v is None:
                continue
            h = v * scale
            text = f"{v * 100:.1f}%" if percent else _fmt(v)
            body.append(
                f'<rect x="{x0 + j * w:.1f}" y="{top + plot - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
                f'class="bar s{j}"><title>{escape(label)} {escape(series[j])}：{text}</title></rect>'
            )
            if n <= 12:
                body.append(
                    f'<text x="{x0 + j * w + w / 2:.1f}" y="{top + plot - h - 3:.1f}" class="value small" '
                    f'text-anchor="middle">{text}</text>'
                )
        if n <= 40:
            lx, ly = x0 + slot * 0.4, top + plot + 12
            body.append(
                f'<text x="{lx:.1f}" y="{ly}" class="label" text-anchor="end" '
                f'transform="rotate(-40 {lx:.1f} {ly})">{escape(label[:12])}</text>'
            )
    for j, (name, v) in enumerate(lines):
        y = top + plot - v * scale
        body.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" class="standard l{j}"/>')
        body.append(
            f'<text x="{width - 10}" y="{y - 4:.1f}" class="standard-label" text-anchor="end">'
            f"{escape(name)} {_fmt(v)}</text>"
        )
    return _svg(width, height, body, title)


def sparkline(points: Sequence[tuple[int, float | None]], *, title: str) -> SafeString:
    """A small line chart of one figure over the years: a y axis from 0 with its ticks and values (a change of a
    few percent looks like one), each point labelled. Years with no figure (no returns) before the first and after
    the last are left out; one between them keeps its place on the time axis, labelled 无数据."""
    known = [(x, y) for x, y in points if y is not None]
    width, height = 260, 136
    left, right, top, bottom = 46, 8, 22, 24
    inset = 22  # the first and last points stand clear of the axis, their labels inside the chart
    if not known:
        return empty_chart(title, width=width, height=height)
    first, last = known[0][0], known[-1][0]
    xs = [x for x, _ in points if first <= x <= last]
    plot_w, plot_h = width - left - right, height - top - bottom
    step = (plot_w - 2 * inset) / max(1, len(xs) - 1)
    top_value = _nice_max(max(max(y for _, y in known), 0))
    low = min(0.0, min(y for _, y in known))  # a fall below zero (a change) still has its axis

    def px(x) -> float:
        return left + (inset + xs.index(x) * step if len(xs) > 1 else plot_w / 2)

    def py(y) -> float:
        return top + plot_h - (y - low) / (top_value - low) * plot_h

    body = []
    for i in range(3):  # the y axis: 0, half and the top, with gridlines
        v = low + (top_value - low) * i / 2
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{py(v):.1f}" y2="{py(v):.1f}" class="grid"/>')
        body.append(f'<text x="{left - 4}" y="{py(v) + 4:.1f}" class="axis tick" text-anchor="end">{_fmt(v)}</text>')
    body.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" class="axis-line"/>')
    coords = [(px(x), py(y)) for x, y in known]
    body.append(
        '<polyline class="trend" fill="none" points="' + " ".join(f"{a:.1f},{b:.1f}" for a, b in coords) + '"/>'
    )
    for (_, y), (a, b) in zip(known, coords, strict=True):
        body.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" class="dot"/>')
        body.append(f'<text x="{a:.1f}" y="{b - 7:.1f}" class="value small" text-anchor="middle">{_fmt(y)}</text>')
    figures = dict(known)
    for x in xs:
        body.append(f'<text x="{px(x):.1f}" y="{height - 8}" class="axis" text-anchor="middle">{x}</text>')
        if x not in figures:
            body.append(
                f'<text x="{px(x):.1f}" y="{top + plot_h - 4}" class="axis small no-data" text-anchor="middle">'
                "无数据</text>"
            )
    return _svg(width, height, body, title)


def empty_chart(title: str, *, width: int = 400, height: int = 60) -> SafeString:
    return _svg(
        width,
        height,
        [f'<text x="{width / 2}" y="{height / 2 + 4}" class="axis" text-anchor="middle">暂无数据</text>'],
        title,
    )
