"""Everything a dashboard page shows for one unit and year, assembled from the indicator engine and the selectors.

The same page shape at every level (country, province, city, county, street, community): headline cards with the
change from last year, a section per theme (indicators with standard, pass/fail and gap; charts; the communities
that fall short), the units one level down with their progress, a five-year trend. Every table is a ``Table`` so the
page and the .xlsx download show the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from communities import code_changes
from communities.codes import child_length, spoken_level
from communities.indicator_engine import THEMES, compute_indicators, compute_trend
from communities.models import ReturnStatus
from communities.numbers import half_up

from . import charts
from .changes import LABELS as CHANGE_LABELS
from .changes import change_state
from .charts import Bar
from .one_community import REGION_ONLY, for_one_community, is_one_community
from .selectors import breadcrumb, children, per_community_space, return_counts, sort_by_space, unit_names
from .tables import Column, Table, format_cell, unit_kind, wan_text

TREND_YEARS = 5
UNIT_NAMES = {2: "省", 4: "市", 6: "县(区)", 9: "街道(乡镇)", 12: "社区"}

# Headline cards: indicator id, label, how it is shown.
HEADLINE = [
    ("communities", "社区数", "个", "int"),
    ("households", "户数", "户", "int"),
    ("population", "常住人口", "人", "int"),
    ("workers_in_post", "年末在岗社区工作者", "人", "int"),
    ("facility_area", "综合服务用房", "m²", "int"),
    ("funding_budget", "经费预算", "万元", "wan"),
]

# Money indicators the reports write in 万元; other 元 figures (per household, per worker, pay) stay in 元.
# Every other figure is shown with the decimals of its unit (tables.unit_kind).
WAN_IDS = {"funding_budget", "funding_received", "service_funds"}


@dataclass
class Section:
    key: str
    title: str
    indicators: list[dict] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    table: Table | None = None  # the section's indicators as a table (the download of the indicators above)


def dashboard_page(
    *,
    code: str,
    year: int,
    scope_code: str,
    shortfall_limit: int | None = None,
    crumbs: list[dict] | None = None,
    approved_only: bool = False,
) -> dict:
    """The page for a unit (``code`` '' = the whole country) and year; the caller has checked access (and may pass
    the breadcrumb it read to check that the unit exists). ``approved_only``: the figures of approved returns only
    (仅统计已审核), in the trend too; the progress counts are of every return either way."""
    indicators = compute_indicators(
        region_code=code, year=year, shortfall_limit=shortfall_limit, approved_only=approved_only
    )
    # What every link and download of the page carries: the year, and 仅统计已审核 when it is on.
    view = f"year={year}" + ("&approved=1" if approved_only else "")
    name_standards(item["standard"] for item in indicators.values())
    one = is_one_community(code)
    if one:  # no counts of communities, distributions or compliance rates for one community
        indicators = for_one_community(indicators)
    headline_spec = [h for h in HEADLINE if not (one and h[0] in REGION_ONLY)]
    years = list(range(year - TREND_YEARS + 1, year + 1))
    # A community's earlier years follow its code changes (the communities merged into it, its old code).
    lineage = code_changes.lineage(code, year) if len(code) == 12 else None
    trend = compute_trend(region_code=code, years=years, lineage=lineage, approved_only=approved_only)
    crumbs = crumbs if crumbs is not None else breadcrumb(code, scope_code)
    units = children(code, year, approved_only=approved_only)
    rows = [r for r in units if r["communities"]]  # the units with returns, and so with figures
    n = child_length(code)
    if n == 12:  # a street: the units one level down are its communities
        per_community = sort_by_space(rows)
    elif n is not None:
        per_community = per_community_space(code, year, indicators["communities"]["value"], approved_only=approved_only)
    else:
        per_community = []
    child_unit = UNIT_NAMES.get(n, "") if n else ""

    headline = _headline(indicators, trend, year, headline_spec)
    sections = [
        section
        for section in _sections(indicators, rows, per_community, child_unit, code, year, view)
        if section.indicators or section.charts or section.tables
    ]
    tables = [
        _headline_table(headline),
        _indicator_table(indicators),
        *[table for section in sections for table in (section.table, *section.tables) if table is not None],
    ]
    children_table = _children_table(rows, child_unit, indicators) if rows else None
    progress_table = _progress_table(units, child_unit) if units else None
    trend_table = _trend_table(trend, headline_spec)
    tables += [t for t in (children_table, progress_table, trend_table) if t is not None]
    region_url = reverse("dashboard:region", args=["000000"]).replace("000000", "{code}") + f"?{view}"
    for table in tables:
        table.link_url = region_url
    name = crumbs[-1]["name"] if crumbs else "全国"
    return {
        "code": code,
        "year": year,
        "approved_only": approved_only,
        "download_query": f"region={code}&{view}",
        "name": name,
        "level": spoken_level(code, name),
        "crumbs": crumbs,
        # What the figures stand on, on screen and on paper: returns handed in and approved, and when.
        "returns": _returns_state(units) if units else return_counts(code, year),
        "produced_at": timezone.localtime(),
        "indicators": indicators,
        "headline": headline,
        "headline_notes": lineage.notes(year - 1) if lineage is not None else [],
        "sections": sections,
        "child_unit": child_unit,
        "children_table": children_table,
        "progress_table": progress_table,
        "trend_table": trend_table,
        "trend_charts": [
            {
                "title": label,
                "svg": charts.sparkline([(y, _scaled(trend[y][key], kind)) for y in years], title=label),
                "unit": unit,
            }
            for key, label, unit, kind in headline_spec
        ],
        "tables": tables,
        "report_url": _report_url(code, year),
    }


def _report_url(code: str, year: int) -> str:
    if len(code) not in (2, 4, 6, 9):
        return ""
    try:
        return reverse("report:page", args=[code, year])
    except NoReverseMatch:
        return ""


# --- headline ---------------------------------------------------------------------------------------------------


def _headline(indicators: dict, trend: dict, year: int, spec: list[tuple]) -> list[dict]:
    cards = []
    for key, label, unit, kind in spec:
        value = indicators[key]["value"]
        previous = trend.get(year - 1, {}).get(key)
        change = None if previous is None or value is None else value - previous
        rate = (change / previous) if change is not None and previous else None
        cards.append(
            {
                "id": key,
                "label": label,
                "unit": unit,
                "kind": kind,
                "value": value,
                "previous": previous,
                "change": change,
                "change_rate": rate,
                "change_rate_text": "" if rate is None else ("+" if rate > 0 else "") + format_cell(rate, "rate"),
                "change_state": change_state(key, change),
                "change_label": CHANGE_LABELS[change_state(key, change)],
                "text": format_cell(_scaled(value, kind), kind),
                "change_text": "—"
                if change is None
                else ("+" if change > 0 else "") + format_cell(_scaled(change, kind), kind),
            }
        )
    return cards


def _headline_table(headline: list[dict]) -> Table:
    return Table(
        "headline",
        "主要指标及较上年变化",
        [
            Column("label", "指标"),
            Column("value", "本年", "num"),
            Column("previous", "上年", "num"),
            Column("change", "增减", "num"),
            Column("change_rate", "增减幅度", "rate"),
            Column("unit", "单位"),
        ],
        rows=[
            {
                **card,
                "value": _scaled(card["value"], card["kind"]),
                "previous": _scaled(card["previous"], card["kind"]),
                "change": _scaled(card["change"], card["kind"]),
                "_kinds": dict.fromkeys(("value", "previous", "change"), _shown_kind(card["kind"])),
            }
            for card in headline
        ],
    )


def _shown_kind(kind: str) -> str:
    """The kind of a headline figure already scaled (``_scaled``): 万元 with two decimals."""
    return "dec2" if kind == "wan" else kind


def _scaled(value, kind: str):
    """A headline figure in the unit it is shown in (money in 万元)."""
    if value is None:
        return None
    return float(half_up(value / 10000, 2)) if kind == "wan" else value


# --- indicators -------------------------------------------------------------------------------------------------


def indicator_text(item: dict) -> str:
    """An indicator's value as the page shows it."""
    value = item["value"]
    if item["kind"] == "breakdown":
        return "见图表"
    if value is None:
        return "—"
    if item["kind"] == "rate":
        return format_cell(value, "rate")
    if item["id"] in WAN_IDS:
        return f"{wan_text(value)} 万元"
    if item["kind"] == "ratio":
        return f"{half_up(value, 2):.2f} 倍"
    return f"{format_cell(value, unit_kind(item['unit']))} {item['unit']}"


VERBS = {"min": "不低于", "max": "不高于", "range": ""}
# The benchmarks a ratio (or a monthly pay) is judged against, as a sentence names them.
BENCHMARK_NAMES = {
    "village_head_annual_pay": "村主职年报酬",
    "village_deputy_annual_pay": "村副职年报酬",
    "local_average_wage": "当地社会平均工资",
}


def standard_text(standard: dict | None) -> str:
    if not standard:
        return "未设置"
    verb = VERBS.get(standard.get("direction") or "", "")
    return f"{verb}{standard_value_text(standard)}"


def standard_value_text(standard: dict) -> str:
    """The value with its unit: "300 m²", "1,000–3,000 户"; a rate (a fraction in the data) as a percentage."""
    value = standard["value"]
    if standard["unit"] == "率":  # as set, to the hundredth of a percent: 0.0625 → 6.25%
        return f"{float(value) * 100:.2f}".rstrip("0").rstrip(".") + "%"
    if isinstance(value, list):
        shown = f"{format_cell(value[0], 'num')}–{format_cell(value[1], 'num')}"
    else:
        shown = format_cell(value, "num")
    return f"{shown} {standard['unit']}".strip()


def _unit_of(unit: str) -> str:
    """A unit without its period ("元/户·年" is the 元/户 of a year's return)."""
    return unit.removesuffix("·年")


def standard_shown(item: dict) -> tuple[str, bool]:
    """The standard beside an indicator, and whether the indicator is judged by it (达标/未达标).

    A standard is judged only beside the indicator in its own unit: "不低于30 m²/百户" beside m² per 100 households.
    A ratio against a pay benchmark is judged against 1: "不低于 1.00 倍（村主职年报酬 41,000 元）"; a monthly pay
    against a yearly wage in 元 a month. Beside a share or a count of communities (用房达标率, the size bands) the
    standard only explains what is counted: "（标准：每百户不低于30 m²）", no verdict of its own.
    """
    standard = item["standard"]
    if not standard:
        return "", False
    verb = VERBS.get(standard.get("direction") or "", "")
    name = BENCHMARK_NAMES.get(standard.get("key", ""), standard.get("label", ""))
    if item["kind"] == "ratio":
        return f"{verb} 1.00 倍（{name} {format_cell(standard['value'], 'num')} 元）", True
    if item["unit"] == "元" and standard["unit"] == "元/年":  # a monthly pay against a yearly wage
        monthly = format_cell(standard["value"] / 12, "num")
        return f"{verb} {monthly} 元/月（{name} {format_cell(standard['value'], 'num')} 元/年 ÷ 12）", True
    item_unit = "率" if item["kind"] == "rate" else item["unit"]
    if _unit_of(item_unit) == _unit_of(standard["unit"]):
        return standard_text(standard), True
    return f"（标准：{_explained(standard)}）", False


def _explained(standard: dict) -> str:
    """What a standard asks of each community: "每百户不低于30 m²", "每社区1,000–3,000 户"."""
    verb = VERBS.get(standard.get("direction") or "", "")
    unit = standard["unit"]
    if "/" in unit and not isinstance(standard["value"], list):
        amount, per = unit.split("/", 1)
        text = f"每{per}{verb}{format_cell(standard['value'], 'num')} {amount}"
    else:
        text = f"每社区{verb}{standard_value_text(standard)}"
    minimum = standard.get("minimum_area")
    if minimum:
        text += f"，且每社区{VERBS['min']}{standard_value_text(minimum)}"
    return text


def verdict_of(item: dict) -> bool | None:
    """达标 (True), 未达标 (False), or no verdict: no standard, or one that only explains (``standard_shown``)."""
    return item["passes"] if standard_shown(item)[1] else None


def name_standards(standards) -> None:
    """Give each standard dict (and its minimum_area) the name of the region that set it, ``region_name``: one
    query for them all, none when every one is national."""
    found = [s for s in standards if s]
    found += [s["minimum_area"] for s in found if s.get("minimum_area")]
    codes = sorted({s["region_code"] for s in found if s["region_code"]})
    names = unit_names(codes) if codes else {}
    for standard in found:
        standard["region_name"] = names.get(standard["region_code"], standard["region_code"]) or "全国"


def standard_origin(standard: dict | None) -> str:
    """Where a standard comes from, as a reviewer reads it: "保康县，2023年起；《…》" (the region by its name)."""
    if not standard:
        return ""
    where = standard.get("region_name") or standard["region_code"] or "全国"
    return f"{where}，{standard['year_from']}年起；{standard['source'] or '未注明依据'}"


def _indicator_rows(indicators: dict, theme: str) -> list[dict]:
    found = []
    for item in indicators.values():
        if item["theme"] != theme:
            continue
        shown, judged = standard_shown(item)
        passes = item["passes"] if judged else None
        found.append(
            {
                **item,
                "text": indicator_text(item),
                "standard_text": shown,
                "standard_explains": bool(shown) and not judged,
                "standard_origin": standard_origin(item["standard"]),
                "state": {True: "pass", False: "fail"}.get(passes, ""),
                "verdict": {True: "达标", False: "未达标"}.get(passes, ""),
                "gap_text": _gap_text(item),
            }
        )
    return found


def _gap_text(item: dict) -> str:
    """ "距标准尚缺面积 1,139.8 m²"; a rate's gap in percentage points: "超出流失率上限 13.0 个百分点"."""
    gap = item["gap"]
    if gap is None:
        return ""
    if item["gap_unit"] == "率":
        return f"{item['gap_label']} {format_cell(gap * 100, 'points')} 个百分点"
    return f"{item['gap_label']} {format_cell(gap, unit_kind(item['gap_unit']))} {item['gap_unit']}"


def _indicator_table(indicators: dict, theme: str | None = None) -> Table:
    """Every indicator (``theme`` None: the 指标一览 sheet), or those of one theme (its section's download)."""
    items = [item for item in indicators.values() if theme is None or item["theme"] == theme]
    return Table(
        "indicators" if theme is None else f"theme_{theme}",
        "指标一览" if theme is None else f"{THEMES[theme]}指标",
        [
            *([Column("theme_title", "主题")] if theme is None else []),
            Column("label", "指标"),
            Column("value", "数值", "num"),
            Column("unit", "单位"),
            Column("standard_text", "标准"),
            Column("standard_origin", "标准来源"),
            Column("verdict", "是否达标"),
            Column("gap", "差距", "num"),
            Column("gap_unit", "差距单位"),
            Column("shortfall_count", "未达标社区数", "int"),
        ],
        rows=[
            {
                **item,
                "theme_title": THEMES[item["theme"]],
                "value": item["value"] if item["kind"] != "breakdown" else None,
                **_indicator_units(item),
                "standard_text": standard_shown(item)[0],
                "standard_origin": standard_origin(item["standard"]),
                "verdict": {True: "达标", False: "未达标"}.get(verdict_of(item), ""),
                "_state": {"verdict": {True: "pass", False: "fail"}.get(verdict_of(item), "")},
            }
            for item in items
        ],
        note="金额单位：元；面积：平方米；比率为百分比，其差距为百分点。",
    )


def _indicator_units(item: dict) -> dict:
    """An indicator row's number formats and units: counts whole, rates as percentages (their gap in points)."""
    if item["kind"] == "rate" or item["unit"] == "率":
        kinds = {"value": "rate"}
        found = {"unit": "%"}
    else:
        kinds = {"value": unit_kind(item["unit"])}
        found = {}
    if item.get("gap_unit") == "率":
        kinds["gap"] = "points"
        found["gap_unit"] = "百分点"
    elif item.get("gap_unit"):
        kinds["gap"] = unit_kind(item["gap_unit"])
    return {"_kinds": kinds, **found}


def _shortfall_table(item: dict) -> Table:
    unit = item["shortfall_unit"] or item["unit"]
    if unit == "率":  # rates as percentages, their gap in percentage points
        figures = [
            Column("value", "实际", "rate"),
            Column("standard", "标准", "rate"),
            Column("gap", "差距(百分点)", "points"),
        ]
    else:
        gap_unit = item["gap_unit"] if item["gap_unit"] != "个" else unit
        figures = [
            Column("value", f"实际({unit})", unit_kind(unit)),
            Column("standard", f"标准({unit})", unit_kind(unit)),
            Column("gap", f"差距({gap_unit})", unit_kind(gap_unit)),
        ]
    return Table(
        f"shortfall_{item['id']}",
        f"未达标社区：{item['label']}",
        [
            Column("code", "社区代码"),
            Column("name", "社区"),
            Column("street_name", "街道(乡镇)"),
            Column("households", "户数", "int"),
            *figures,
        ],
        rows=[{**row, "_state": {"value": "fail"}} for row in item["shortfalls"]],
        link_key="code",
        note=" ".join(
            part
            for part in [
                f"共{item['shortfall_count']}个，仅列差距最大的{len(item['shortfalls'])}个；完整名单请下载 Excel。"
                if item["shortfall_count"] > len(item["shortfalls"])
                else "",
                item["note"],
            ]
            if part
        ),
    )


def _breakdown_table(item: dict, *, money: bool = False) -> Table:
    measure = "amount" if money else "count"
    return Table(
        f"breakdown_{item['id']}",
        item["label"],
        [
            Column("label", "类别"),
            Column(measure, "金额(万元)" if money else "数量", "wan" if money else "int"),
            Column("share", "占比", "rate"),
        ],
        rows=[{"label": label, **part} for label, part in (item["value"] or {}).items()],
    )


# --- sections ---------------------------------------------------------------------------------------------------


def _sections(indicators, rows, per_community, child_unit, code, year, view) -> list[Section]:
    sections = {
        key: Section(key, title, _indicator_rows(indicators, key), table=_indicator_table(indicators, key))
        for key, title in THEMES.items()
    }
    for item in indicators.values():
        if item["shortfalls"] or item["shortfall_count"]:
            sections[item["theme"]].tables.append(_shortfall_table(item))

    def link(unit_code: str) -> str:
        return reverse("dashboard:region", args=[unit_code]) + f"?{view}"

    # Community size (not on a community's own page: one community has no distribution).
    size = indicators.get("households_by_size")
    if size:
        sections["size"].charts.append(
            {
                "title": "社区规模分布（按户数）",
                "svg": charts.bar_list(
                    [
                        Bar(label, part["count"], text=f"{part['count']}个（{format_cell(part['share'], 'rate')}）")
                        for label, part in size["value"].items()
                    ],
                    title="社区规模分布",
                ),
            }
        )
        sections["size"].tables.insert(0, _breakdown_table(size))

    # Space: m² per 100 households per community against the standards in force for it (or per unit one level
    # down when there are too many communities, against the region's standard line); the legend in the chart.
    standard = indicators["facility_area_per_100_households"]["standard"]
    line = standard["value"] if standard else None
    per_100 = "facility_area_per_100_households"
    legend = [("line", f"虚线：每百户标准 {format_cell(line, 'num')} m²")] if line is not None else []
    if per_community:
        minimum = (indicators.get("facility_area_per_community") or {}).get("standard")
        bars = [_space_bar(r, standard, href=link(r["code"])) for r in per_community]
        title = "各社区每百户综合服务用房（平方米）与标准"
        states = {bar.state for bar in bars}
        legend = [
            ("pass", "达到应有面积"),
            ("fail", "低于每百户标准"),
            ("short", f"每百户达标，但面积低于最低 {format_cell(minimum['value'], 'num')} m²" if minimum else ""),
            *legend,
            ("mark", "短横线：所在街道(乡镇)另设的每百户标准"),
        ]
        legend = [
            (kind, label)
            for kind, label in legend
            if label and (kind in states or kind == "line" or (kind == "mark" and any(b.mark for b in bars)))
        ]
        note = "应有面积 = max(最低面积, 每百户标准 × 户数 ÷ 100)，按各社区适用的标准。"
    else:
        bars = [Bar(r["name"], r[per_100], state=_state(r[per_100], line)) for r in rows]
        title = f"各{child_unit}每百户综合服务用房（平方米）与标准"
        legend = [("pass", "不低于每百户标准"), ("fail", "低于每百户标准"), *legend] if line is not None else []
        note = ""
    if bars:
        sections["space"].charts.append(
            {
                "title": title,
                "svg": charts.column_chart(
                    bars, title=title, unit="m²/百户", standard=line, standard_label="标准", legend=legend
                ),
                "note": note,
            }
        )
    if per_community:
        sections["space"].tables.append(_per_community_table(per_community))

    # Workforce: loss and secondment by unit one level down; education.
    if rows:
        title = f"各{child_unit}社区工作者流失率与借用率"
        sections["workforce"].charts.append(
            {
                "title": title,
                "svg": charts.grouped_columns(
                    [(r["name"], [r["worker_loss_rate"], r["worker_secondment_rate"]]) for r in rows],
                    series=["流失率", "借用率"],
                    title=title,
                    percent=True,
                ),
            }
        )
    education = indicators["education_mix"]
    sections["workforce"].charts.append(
        {
            "title": "年末在岗人员学历结构",
            "svg": charts.bar_list(
                [
                    Bar(label, part["count"], text=f"{part['count']}人（{format_cell(part['share'], 'rate')}）")
                    for label, part in education["value"].items()
                ],
                title="学历结构",
            ),
        }
    )
    sections["workforce"].tables.insert(0, _breakdown_table(education))

    # Pay against the village cadres' benchmarks.
    lines = [
        (label, indicators[key]["standard"]["value"])
        for key, label in [
            ("leader_pay_vs_village_head", "村主职年报酬"),
            ("staff_pay_vs_village_deputy", "村副职年报酬"),
            ("avg_monthly_pay", "当地社会平均工资"),
        ]
        if indicators[key]["standard"]
    ]
    pay_groups = [(r["name"], [r["leader_annual_pay"], r["staff_annual_pay"]]) for r in rows]
    if pay_groups:
        title = f"各{child_unit}书记/主任与其他人员年报酬（元）对比村干部基准"
        sections["pay"].charts.append(
            {
                "title": title,
                "svg": charts.grouped_columns(
                    pay_groups, series=["书记/主任", "其他人员"], title=title, unit="元/年", lines=lines
                ),
                "note": "" if lines else "尚未设置村主职、村副职年报酬基准：审核员可在“标准与基准”中设置。",
            }
        )

    # Funding by source and by use.
    for key in ("funding_budget_by_source", "funding_budget_by_use"):
        item = indicators[key]
        sections["funding"].charts.append(
            {
                "title": item["label"] + "（万元）",
                "svg": charts.bar_list(
                    [
                        Bar(
                            label,
                            part["amount"] / 10000,
                            text=f"{wan_text(part['amount'])}万元（{format_cell(part['share'], 'rate')}）",
                        )
                        for label, part in item["value"].items()
                    ],
                    title=item["label"],
                ),
            }
        )
        sections["funding"].tables.insert(0, _breakdown_table(item, money=True))

    # Service-area coverage.
    coverage = indicators["service_area_coverage"]
    sections["services"].charts.append(
        {
            "title": "服务领域覆盖（有该领域服务项目的社区占比）",
            "svg": charts.bar_list(
                [
                    Bar(label, part["share"], text=f"{format_cell(part['share'], 'rate')}（{part['count']}个）")
                    for label, part in coverage["value"].items()
                ],
                title="服务领域覆盖",
                max_value=1,
                percent=True,
            ),
        }
    )
    sections["services"].tables.insert(0, _breakdown_table(coverage))
    return list(sections.values())


def _state(value, standard) -> str:
    if value is None or standard is None:
        return ""
    return "pass" if value >= standard else "fail"


def _own_standard(standard: dict | None, code: str) -> float | None:
    """The value in force for a community: the nearest unit above it that sets its own, else the region's."""
    if not standard:
        return None
    for below in standard.get("set_below", []):  # longest code first: the nearest wins
        if code.startswith(below["region_code"]):
            return below["value"]
    return standard["value"]


def _space_bar(row: dict, standard: dict | None, *, href: str) -> Bar:
    """A community's bar: red and hatched below its per-100 standard; amber and dotted above it but short of its
    required area (below the minimum area); green when it has its required area. Its own per-100 standard is
    marked on it where a street sets another than the chart's line."""
    value = row["facility_area_per_100_households"]
    own = _own_standard(standard, row["code"])
    complies = _complies(row)
    if value is not None and own is not None and value < own:
        state = "fail"
    elif complies == "fail":
        state = "short"
    else:
        state = complies
    mark = own if standard and own is not None and own != standard["value"] else None
    return Bar(row["name"], value, state=state, href=href, mark=mark)


def _complies(row: dict) -> str:
    """A community's colour: whether its space meets its own required area ("" where no standard applies)."""
    return {1.0: "pass", 0.0: "fail"}.get(row["facility_compliance_rate"], "")


def _per_community_table(per_community: list[dict]) -> Table:
    return Table(
        "facility_per_community",
        "各社区综合服务用房",
        [
            Column("code", "社区代码"),
            Column("name", "社区"),
            Column("households", "户数", "int"),
            Column("facility_area", "综合服务用房(m²)", unit_kind("m²")),
            Column("facility_area_per_100_households", "每百户(m²)", unit_kind("m²/百户")),
            Column("verdict", "是否达到应有面积"),
            Column("facility_shortfall_area", "缺口(m²)", unit_kind("m²")),
        ],
        rows=[
            {
                **r,
                "verdict": {"pass": "达标", "fail": "未达标"}.get(_complies(r), ""),
                "_state": {"facility_area_per_100_households": _complies(r), "verdict": _complies(r)},
            }
            for r in per_community
        ],
        link_key="code",
        note="应有面积 = max(最低面积, 每百户标准 × 户数 ÷ 100)，按各社区适用的标准。",
    )


def _children_table(rows: list[dict], child_unit: str, indicators: dict) -> Table:
    standard = indicators["facility_area_per_100_households"]["standard"]
    line = standard["value"] if standard else None
    per_100 = "facility_area_per_100_households"
    return Table(
        "children",
        f"各{child_unit}主要指标",
        [
            Column("code", "代码"),
            Column("name", child_unit),
            Column("communities", "社区数", "int"),
            Column("households", "户数", "int"),
            Column("population", "常住人口", "int"),
            Column("workers_in_post", "年末在岗", "int"),
            Column("worker_loss_rate", "流失率", "rate"),
            Column("worker_secondment_rate", "借用率", "rate"),
            Column("facility_area", "综合服务用房(m²)", unit_kind("m²")),
            Column(per_100, "每百户(m²)", unit_kind("m²/百户")),
            Column("facility_compliance_rate", "用房达标率", "rate"),
            Column("funding_budget", "经费预算(万元)", "wan"),
        ],
        rows=[{**r, "_state": {per_100: _state(r[per_100], line)}} for r in rows],
        link_key="code",
        note="经费只计拨付到该单位及其下级的部分。",
    )


PROGRESS_COUNTS = ["total", "with_return", "not_started", "draft", "submitted", "returned", "approved"]


def _returns_state(units: list[dict]) -> dict:
    """The unit's reporting state summed from its units one level down (every community is in one of them)."""
    counts = {key: sum(u[key] for u in units) for key in PROGRESS_COUNTS}
    return {**counts, "handed_in": counts["submitted"] + counts["approved"]}


STATUS_NAMES = {"not_started": "未开始", **{status.value: status.label for status in ReturnStatus}}


def _progress_table(units: list[dict], child_unit: str) -> Table:
    """Reporting progress per unit one level down, including the communities (and units) that have not started,
    and a total row; at a street, whose units are its communities, each community's status instead."""
    total = {"code": "", "name": "合计", **{key: sum(u[key] for u in units) for key in PROGRESS_COUNTS}}
    if child_unit == UNIT_NAMES[12]:
        return _community_progress_table(units, total)
    return Table(
        "progress",
        f"各{child_unit}填报进度",
        [
            Column("code", "代码"),
            Column("name", child_unit),
            Column("total", "社区数", "int"),
            Column("with_return", "已建填报", "int"),
            Column("not_started", "未开始", "int"),
            Column("draft", "草稿", "int"),
            Column("submitted", "已提交", "int"),
            Column("returned", "退回", "int"),
            Column("approved", "已审核", "int"),
            Column("approved_share", "审核完成率", "rate"),
        ],
        rows=[_progress_row(r) for r in units],
        footer=[_progress_row(total)],
        link_key="code",
        note="审核完成率 = 已审核 ÷ 社区数；未开始 = 尚无本年度填报的社区。",
    )


def _community_progress_table(units: list[dict], total: dict) -> Table:
    """A street's communities, each with its return's status as a badge; the total row counts them by status."""

    def status_of(unit: dict) -> str:
        return next((key for key in ("approved", "submitted", "returned", "draft") if unit[key]), "not_started")

    counts = "，".join(f"{STATUS_NAMES[key]} {total[key]}" for key in STATUS_NAMES if total[key])
    return Table(
        "progress",
        "各社区填报进度",
        [Column("code", "代码"), Column("name", "社区"), Column("status", "填报状态", "status")],
        rows=[{**u, "status": STATUS_NAMES[status_of(u)], "_state": {"status": status_of(u)}} for u in units],
        footer=[
            {"code": "", "name": f"合计 {total['total']} 个社区", "status": counts or "—", "_kinds": {"status": "text"}}
        ],
        link_key="code",
        note="未开始 = 尚无本年度填报的社区。",
    )


def _progress_row(r: dict) -> dict:
    return {
        **r,
        "approved_share": (r["approved"] / r["total"]) if r["total"] else None,
        "_state": {"not_started": "fail" if r["not_started"] else ""},
    }


def _trend_table(trend: dict, spec: list[tuple]) -> Table:
    return Table(
        "trend",
        "近五年主要指标",
        [Column("year", "年度"), *[Column(key, f"{label}({unit})", kind) for key, label, unit, kind in spec]],
        rows=[{"year": str(year), **figures} for year, figures in sorted(trend.items()) if year in _trend_span(trend)],
    )


def _trend_span(trend: dict) -> range:
    """The years from the first to the last with returns (the years before and after, without any, are left out)."""
    known = [year for year, figures in trend.items() if figures.get("communities") is not None]
    return range(min(known), max(known) + 1) if known else range(0)
