"""The survey report (调研报告) for a region and year, written from the indicators.

Structured like the seed reports: 一、基本情况 (``basics``); 二、存在的问题 (``problems``: only the problems whose
indicator fails its standard, each with its figures); 三、与上年比较; 四、附表: the units one level down (the streets of
a county, the communities of a street) and the communities that fall short of each standard.

Every figure is read from the indicators engine (``Figures``) and written with ``formatting``; nothing here adds,
averages or divides survey data (the only arithmetic is the change from last year, of two engine figures).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from communities.indicator_engine import compute_by_unit, compute_indicators, indicator_definitions
from communities.models import StandardKey
from communities.standards import standards_for

from . import formatting as fmt
from . import selectors
from .basics import Extremes, basics_section
from .document import Report, Section, Table, ordinal
from .figures import Figures, Shortfall
from .money import MONEY_LISTS, held_above, levels_sentence
from .opening import opening_section, returns_state
from .problems import problems_list
from .suggestions import suggestions_list
from .wording import nonzero


def compute(region_code: str, year: int, approved_only: bool = False) -> Figures:
    """The indicators engine's result for the region and year (the one source of every figure)."""
    return Figures(compute_indicators(region_code=region_code, year=year, approved_only=approved_only))


@dataclass(frozen=True)
class Headline:
    key: str
    label: str  # with the unit, as a table header
    cell: Callable  # bare figure for a table cell
    delta: Callable  # how the change from last year is written


def _whole(v):
    return fmt.fixed(v, 0)


def _one(v):
    return fmt.fixed(v, 1)


HEADLINES = [
    Headline("streets", "街道（乡镇）数", fmt.short, fmt.short),
    Headline("communities", "社区数", fmt.short, fmt.short),
    Headline("households", "户数", fmt.short, fmt.short),
    Headline("population", "常住人口", fmt.short, fmt.short),
    Headline("workers_in_post", "年末在岗社区工作者（人）", fmt.short, fmt.short),
    Headline("households_per_worker", "每名工作者服务户数", _whole, _whole),
    Headline("office_area", "办公用房（平方米）", fmt.short, fmt.short),
    Headline("facility_area", "综合服务用房（平方米）", fmt.short, fmt.short),
    Headline("facility_area_per_100_households", "每百户综合服务用房（平方米）", _one, _one),
    Headline("facility_compliance_rate", "用房达标率", fmt.percent, fmt.points),
    Headline("worker_loss_rate", "社区工作者流失率", fmt.percent, fmt.points),
    Headline("avg_monthly_pay", "人均月报酬（元）", _whole, _whole),
    Headline("funding_budget", "经费预算（万元）", fmt.wan, fmt.wan),
    Headline("funding_received_rate", "经费到位率", fmt.percent, fmt.points),
    Headline("service_programs", "服务项目数", fmt.short, fmt.short),
]
STREET_KEYS = (
    "communities",
    "households",
    "population",
    "workers_in_post",
    "households_per_worker",
    "facility_area",
    "facility_area_per_100_households",
    "facility_compliance_rate",
    "funding_budget",
)
STREET_COLUMNS = [h for h in HEADLINES if h.key in STREET_KEYS]


# 三、与上年比较 -----------------------------------------------------------------------------------------------


def _comparison(current: Figures, previous: Figures, *, year: int) -> Section:
    section = Section("与上年比较")
    if not nonzero(previous.value("communities")):
        section.add(f"{year - 1}年没有填报数据，暂无法与上年比较。")
        return section
    changes = []
    for key, label, unit, same in (
        ("communities", "社区", "个", "社区数量"),
        ("households", "居民", "户", "居民户数"),
        ("population", "常住人口", "人", "常住人口"),
        ("workers_in_post", "在岗社区工作者", "人", "在岗社区工作者人数"),
    ):
        delta = fmt.change(current.value(key), previous.value(key), fmt.short)
        if delta == fmt.MISSING:
            continue
        if delta.startswith("+"):
            changes.append(f"{label}增加{delta[1:]}{unit}")
        elif delta.startswith("-"):
            changes.append(f"{label}减少{delta[1:]}{unit}")
        else:
            changes.append(f"{same}持平")
    text = f"与{year - 1}年相比，" + "，".join(changes) + "。" if changes else ""
    text += "主要指标对比见下表。"
    section.add(text)
    rows = []
    for headline in HEADLINES:
        rows.append(
            [
                headline.label,
                headline.cell(previous.value(headline.key)),
                headline.cell(current.value(headline.key)),
                fmt.change(current.value(headline.key), previous.value(headline.key), headline.delta),
            ]
        )
    section.tables.append(
        Table(
            caption=f"表1 主要指标{year - 1}—{year}年对比",
            headers=["指标", f"{year - 1}年", f"{year}年", "增减"],
            rows=rows,
            numeric={1, 2, 3},
        )
    )
    return section


# Tables ---------------------------------------------------------------------------------------------------------


def _points(rate) -> str:
    """A difference of rates as bare percentage points: 0.05 -> "5.0"."""
    number = fmt.to_decimal(rate)
    return fmt.MISSING if number is None else fmt.fixed(number * 100, 1)


def _bound(s: Shortfall) -> str:
    """The size bound a community crosses: "低于下限1000" or "高于上限3000"."""
    below = fmt.to_decimal(s.value) is not None and fmt.to_decimal(s.value) < fmt.to_decimal(s.required)
    return f"{'低于下限' if below else '高于上限'}{fmt.short(s.required)}"


@dataclass(frozen=True)
class ShortfallTable:
    key: str
    title: str
    headers: tuple[str, str, str]  # the community's figure, the standard that applies to it, the gap
    cells: Callable[[Shortfall], list[str]]


def _plain(value_cell: Callable, gap_cell: Callable | None = None) -> Callable[[Shortfall], list[str]]:
    """The community's figure and the standard written alike (one number of decimals per column, so a column
    never mixes "19" and "22.7"), and the gap (by default, alike too)."""
    gap_cell = gap_cell or value_cell
    return lambda s: [value_cell(s.value), _required(s.required, value_cell), gap_cell(s.gap)]


def _rates(s: Shortfall) -> list[str]:
    return [fmt.percent(s.value), fmt.percent(s.required), _points(s.gap)]


SHORTFALL_TABLES = [
    ShortfallTable(
        "facility_compliance_rate",
        "综合服务用房未达标的社区",
        ("用房面积（平方米）", "应达面积（平方米）", "缺口（平方米）"),
        _plain(_one),
    ),
    ShortfallTable(
        "facility_area_per_100_households",
        "每百户综合服务用房低于标准的社区",
        ("每百户用房（平方米）", "标准（平方米/百户）", "尚缺面积（平方米）"),
        _plain(_one),
    ),
    ShortfallTable(
        "households_per_worker",
        "社区工作者配备未达标的社区",
        ("每名工作者服务户数", "标准（户）", "尚需配备（人）"),
        _plain(_whole, _whole),
    ),
    ShortfallTable(
        "workers_per_10k_residents",
        "每万人社区工作者数未达标的社区",
        ("每万人工作者数", "标准（人）", "尚需配备（人）"),
        _plain(_one, _whole),
    ),
    ShortfallTable(
        "worker_loss_rate",
        "社区工作者流失率超过上限的社区",
        ("流失率", "上限", "超出（百分点）"),
        _rates,
    ),
    ShortfallTable(
        "worker_secondment_rate",
        "社区工作者借用率超过上限的社区",
        ("借用率", "上限", "超出（百分点）"),
        _rates,
    ),
    ShortfallTable(
        "leader_pay_vs_village_head",
        "书记、主任报酬低于村主职干部的社区",
        ("年报酬（元）", "村主职年报酬（元）", "差距（元）"),
        _plain(_whole),
    ),
    ShortfallTable(
        "staff_pay_vs_village_deputy",
        "其他人员报酬低于村副职干部的社区",
        ("年报酬（元）", "村副职年报酬（元）", "差距（元）"),
        _plain(_whole),
    ),
    ShortfallTable(
        "avg_monthly_pay",
        "在岗人员年报酬低于当地社会平均工资的社区",
        ("人均年报酬（元）", "社会平均工资（元）", "差距（元）"),
        _plain(_whole),
    ),
    ShortfallTable(
        "funding_received_rate",
        "直接拨付经费到位率低于要求的社区",
        ("到位率", "要求", "不足（百分点）"),
        _rates,
    ),
    ShortfallTable(
        "work_funds_per_household",
        "户均工作经费未达标的社区",
        ("户均工作经费（元）", "标准（元）", "缺口（元）"),
        _plain(lambda v: fmt.fixed(v, 2), _whole),
    ),
    ShortfallTable(
        "public_funds_per_worker",
        "人均公用经费未达标的社区",
        ("人均公用经费（元）", "标准（元）", "尚缺公用经费（元）"),
        _plain(_whole),
    ),
    ShortfallTable(
        "households_by_size",
        "规模不在建议范围内的社区",
        ("户数", "规模界限（户）", "相差（户）"),
        lambda s: [_whole(s.value), _bound(s), _whole(s.gap)],
    ),
]


def _children_table(region_code: str, year: int, number: int, approved_only: bool = False) -> Table | None:
    """Headline indicators of each unit one level down (streets of a county, counties of a city), read from the
    engine's per-unit figures (compute_by_unit): a fixed number of queries whatever the number of units."""
    label, children = selectors.child_units(region_code, year)
    if not children:
        return None
    known = indicator_definitions()
    figures = compute_by_unit(
        region_code=region_code,
        year=year,
        ids=[h.key for h in STREET_COLUMNS if h.key in known],
        unit_length=len(next(iter(children))),
        approved_only=approved_only,
    )
    rows = [
        [name] + [h.cell(figures.get(code, {}).get(h.key)) for h in STREET_COLUMNS] for code, name in children.items()
    ]
    return Table(
        caption=f"表{number} 各{label}主要指标（{year}年）",
        headers=[label] + [h.label for h in STREET_COLUMNS],
        rows=rows,
        numeric=set(range(1, len(STREET_COLUMNS) + 1)),
    )


def _shortfall_tables(f: Figures, number: int, *, by_level: dict, notes: Section) -> list[Table]:
    """A table per standard with communities that fall short of it (whether or not the region as a whole does). A
    list of money says how much of it is held above the communities; when none of it reached a community, the
    list is left out and ``notes`` says so instead of listing every community at 0."""
    tables = []
    for spec in SHORTFALL_TABLES:
        short = f.shortfalls(spec.key)
        if not short:
            continue
        note, instead = held_above(by_level, spec.key) if spec.key in MONEY_LISTS else ("", False)
        if instead:
            notes.add(note, lead=f"{spec.title.removesuffix('的社区')}：")
            continue
        rows = [[str(index), s.street, s.name, s.code, *spec.cells(s)] for index, s in enumerate(short, start=1)]
        tables.append(
            Table(
                caption=f"表{number} {spec.title}（{fmt.count(f.shortfall_count(spec.key), '个')}）",
                headers=["序号", "街道（乡镇）", "社区", "社区代码", *spec.headers],
                rows=rows,
                numeric={0, 4, 5, 6},
                note=note,
            )
        )
        number += 1
    return tables


def _required(required, cell: Callable) -> str:
    if isinstance(required, (list, tuple)) and len(required) == 2:
        return f"{cell(required[0])}—{cell(required[1])}"
    return cell(required)


COMPLIANCE_LABEL = next(h.label for h in HEADLINES if h.key == "facility_compliance_rate")
COMPLIANCE_WORDS = {fmt.percent(1): "达标", fmt.percent(0): "未达标"}


def _per_community(table: Table) -> Table:
    """The table of a street's communities: no "社区数" column (always 1), and whether each community's space
    complies said in words (its rate is 100% or 0%)."""
    drop = table.headers.index("社区数") if "社区数" in table.headers else None
    headers = [h for i, h in enumerate(table.headers) if i != drop]
    rows = [[cell for i, cell in enumerate(row) if i != drop] for row in table.rows]
    if COMPLIANCE_LABEL in headers:
        column = headers.index(COMPLIANCE_LABEL)
        headers[column] = "用房是否达标"
        for row in rows:
            row[column] = COMPLIANCE_WORDS.get(row[column], row[column])
    return Table(caption=table.caption, headers=headers, rows=rows, numeric=set(range(1, len(headers))))


# The report -------------------------------------------------------------------------------------------------------


def _extremes(f: Figures, region_code: str, year: int, approved_only: bool = False) -> Extremes | None:
    """The smallest and the largest community named (none in a one-community report)."""
    if len(region_code) == 12 or not f.value("communities") or f.value("communities") < 2:
        return None
    found = selectors.community_extremes(
        region_code,
        year,
        smallest=f.value("households_min"),
        largest=f.value("households_max"),
        approved_only=approved_only,
    )
    with_street = len(region_code) < 9
    names = {key: (street if with_street else "") + name for key, (street, name) in found.items()}
    return Extremes(smallest=names.get("smallest", ""), largest=names.get("largest", ""))


def report_build(*, region_code: str, year: int, approved_only: bool = False) -> Report:
    """The survey report for the region (any level) and year. Raises LookupError for an unknown region.
    ``approved_only``: the engine's figures of approved returns only (仅统计已审核), this year's and last year's."""
    name = selectors.region_name(region_code)
    if name is None:
        raise LookupError(f"没有找到区划代码为 {region_code} 的地区。")
    current = compute(region_code, year, approved_only)
    previous = compute(region_code, year - 1, approved_only)
    now = timezone.localtime()
    full_name = selectors.region_full_name(region_code)
    report = Report(
        title=f"{name}{year}年社区建设情况调研报告",
        region_code=region_code,
        region_name=name,
        year=year,
        generated_at=now.strftime("%Y-%m-%d %H:%M"),
        source_note=f"（数据来源：社区年度调查填报，{fmt.date(now)}生成；"
        f"统计范围：{full_name}，区划代码 {region_code}）",
        subtitle=f"{full_name}　{year}年度",
        signature=selectors.bureau_name(region_code),
        signed_on=fmt.date(now),
    )
    if not nonzero(current.value("communities")):
        empty = Section("基本情况")
        empty.add(f"{name}{year}年尚无社区年度填报数据，无法生成调研报告。请先填报或导入{year}年度调查表。")
        report.sections.append(empty)
        report.has_data = False
        report.number_headings()
        return report

    counts = selectors.return_counts(region_code, year)
    if approved_only:
        basis = f"，仅统计已审核的{counts['approved']}份）"
    elif counts["approved"] != current.value("communities"):
        basis = "，未审核的数据仍可能修改）"
    else:
        basis = "）"
    report.source_note = report.source_note[:-1] + f"；{returns_state(counts)}" + basis
    report.approved_only = approved_only
    report.sections.append(
        opening_section(
            current,
            name=name,
            full_name=full_name,
            code=region_code,
            year=year,
            bureau=report.signature,
            counts=counts,
            period=selectors.reporting_period(region_code, year),
            today=now.date(),
        )
    )
    extremes = _extremes(current, region_code, year, approved_only)
    had_data = nonzero(previous.value("communities"))
    by_level = selectors.funding_by_level(region_code, year, approved_only)
    report.sections.append(
        basics_section(
            current,
            region=name,
            code=region_code,
            year=year,
            extremes=extremes,
            previous=previous if had_data else None,
            funding_levels=levels_sentence(by_level),
        )
    )

    problems_section = Section("存在的问题")
    problems = problems_list(current, year=year)
    if problems:
        subject = name if name.endswith("社区") else f"{name}社区"
        problems_section.add(f"对照现行标准，{subject}建设还存在一些差距，主要表现在以下几个方面：")
        for index, problem in enumerate(problems):
            problems_section.add(problem.text, lead=f"（{ordinal(index)}）{problem.lead}")
    else:
        problems_section.add("对照已设置的标准，各项指标均已达标，未发现明显差距。")
    report.sections.append(problems_section)

    if problems:
        cost = standards_for(region_code=region_code, year=year).value(StandardKey.FACILITY_COST_PER_M2)
        advice = Section("对策建议")
        advice.add("针对上述问题，建议从以下几个方面加以改进：")
        for index, suggestion in enumerate(suggestions_list(current, problems, year=year, cost_per_m2=cost)):
            advice.add(suggestion.text, lead=f"（{ordinal(index)}）{suggestion.lead}")
        report.sections.append(advice)

    report.sections.append(_comparison(current, previous, year=year))

    tables = Section("附表", appendix=True)
    number = 2 if report.sections[-1].tables else 1
    unit_table = _children_table(region_code, year, number, approved_only)
    if unit_table:
        tables.tables.append(_per_community(unit_table) if len(region_code) == 9 else unit_table)
        number += 1
    tables.tables.extend(_shortfall_tables(current, number, by_level=by_level, notes=tables))
    if tables.tables or tables.blocks:
        report.sections.append(tables)
    report.number_headings()
    return report
