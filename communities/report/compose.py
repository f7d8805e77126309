"""The survey report (调研报告) for a region and year, written from the indicators.

Structured like the seed reports: 一、基本情况; 二、存在的问题 (only the problems whose indicator falls short of
its standard, each with its figures); 三、与上年比较; 四、附表: the units one level down (the streets of a county)
and the communities that fall short of each standard.

Every figure is read from the indicators engine (``Figures``) and written with ``formatting``; nothing here adds,
averages or divides survey data (the only arithmetic is the change from last year, of two engine figures).
Problems without a standard (workers who left or are seconded, funding not received, service areas not covered)
are listed whenever the figure is not zero (or not 100%), as the seed reports do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from communities.indicator_engine import compute_by_unit, compute_indicators, indicator_definitions

from . import formatting as fmt
from . import selectors
from .document import Report, Section, Table
from .figures import Figures

CHINESE_ORDINALS = "一二三四五六七八九十"


def compute(region_code: str, year: int) -> Figures:
    """The indicators engine's result for the region and year (the one source of every figure)."""
    return Figures(compute_indicators(region_code=region_code, year=year))


@dataclass(frozen=True)
class Headline:
    key: str
    label: str  # with the unit, as a table header
    cell: Callable  # bare figure for a table cell
    delta: Callable  # how the change from last year is written


HEADLINES = [
    Headline("streets", "街道(乡镇)数", fmt.short, fmt.short),
    Headline("communities", "社区数", fmt.short, fmt.short),
    Headline("households", "户数", fmt.short, fmt.short),
    Headline("population", "常住人口", fmt.short, fmt.short),
    Headline("workers_in_post", "年末在岗社区工作者(人)", fmt.short, fmt.short),
    Headline("households_per_worker", "每名工作者服务户数", lambda v: fmt.fixed(v, 1), lambda v: fmt.fixed(v, 1)),
    Headline("office_area", "办公用房(平方米)", fmt.short, fmt.short),
    Headline("facility_area", "综合服务用房(平方米)", fmt.short, fmt.short),
    Headline(
        "facility_area_per_100_households",
        "每百户综合服务用房(平方米)",
        lambda v: fmt.fixed(v, 1),
        lambda v: fmt.fixed(v, 1),
    ),
    Headline("facility_compliance_rate", "用房达标率", fmt.percent, fmt.points),
    Headline("worker_loss_rate", "社区工作者流失率", fmt.percent, fmt.points),
    Headline("avg_monthly_pay", "人均月报酬(元)", lambda v: fmt.fixed(v, 0), lambda v: fmt.fixed(v, 0)),
    Headline("funding_budget", "经费预算(万元)", fmt.wan, fmt.wan),
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


def _ordinal(index: int) -> str:
    return CHINESE_ORDINALS[index] if index < len(CHINESE_ORDINALS) else str(index + 1)


def _join(parts: list[str]) -> str:
    return "、".join(p for p in parts if p)


def _nonzero(value) -> bool:
    number = fmt.to_decimal(value)
    return number is not None and number != 0


# 一、基本情况 -------------------------------------------------------------------------------------------------


def _basics(f: Figures, *, region: str, code: str, year: int, by_type: dict[str, int]) -> Section:
    section = Section("一、基本情况")
    types = _join([f"{label}{fmt.count(n, '个')}" for label, n in by_type.items() if n])
    if len(code) == 12:  # one community: its type, no counts of streets or communities
        units = f"{year}年，{region}（{_join([label for label, n in by_type.items() if n])}）"
    else:
        units = f"{year}年，{region}共有" + (
            f"街道(乡镇){fmt.count(f.value('streets'), '个')}、" if len(code) < 9 else ""
        )
        units += f"社区{fmt.count(f.value('communities'), '个')}" + (f"（其中{types}）" if types else "")
    scale = (
        units + f"，所辖单位{fmt.count(f.value('units'), '个')}，小区{fmt.count(f.value('neighborhoods'), '个')}，"
        f"居民{fmt.count(f.value('households'), '户')}，常住人口{fmt.count(f.value('population'), '人')}。"
    )
    section.add(scale, lead="（一）社区规模。")

    workforce = (
        f"社区工作者花名册共{fmt.count(f.value('workers_roster'), '人')}，"
        f"年末在岗{fmt.count(f.value('workers_in_post'), '人')}，"
        f"其中被借用{fmt.count(f.value('workers_seconded'), '人')}，"
        f"实际在岗{fmt.count(f.value('workers_on_duty'), '人')}。"
        f"平均每名社区工作者服务居民{fmt.ratio(f.value('households_per_worker'), '户')}，"
        f"每万名常住人口配备社区工作者{fmt.ratio(f.value('workers_per_10k_residents'), '人')}。"
    )
    details = []
    education = [
        f"{label}{fmt.count(f.part('education_mix', label), '人')}"
        f"（占{fmt.percent(f.part('education_mix', label, 'share'))}）"
        for label in f.breakdown("education_mix")
        if _nonzero(f.part("education_mix", label))
    ]
    if education:
        details.append(_join(education))
    details.append(f"党员占{fmt.percent(f.value('party_member_share'))}")
    details.append(f"具有社会工作职业资格证书{fmt.count(f.value('certified_social_workers'), '人')}")
    details.append(f"平均年龄{fmt.short(f.value('avg_age'), 1)}岁")
    workforce += "在岗人员中，" + "；".join(details) + "。"
    section.add(workforce, lead="（二）社区工作者队伍。")

    premises = (
        f"现有办公用房{fmt.area(f.value('office_area'))}，平均每个社区{fmt.area(f.value('office_area_per_community'))}；"
        f"公共服务用房{fmt.area(f.value('service_area'))}；室外场地{fmt.area(f.value('outdoor_area'))}。"
        f"办公和公共服务用房合计{fmt.area(f.value('facility_area'))}，"
        f"每百户{fmt.area(f.value('facility_area_per_100_households'))}。"
    )
    section.add(premises, lead="（三）阵地建设。")

    by_source = [
        (label, f.part("funding_budget_by_source", label, "amount"))
        for label in f.breakdown("funding_budget_by_source")
        if _nonzero(f.part("funding_budget_by_source", label, "amount"))
    ]
    funding = f"{year}年社区经费共预算{fmt.wan_yuan(f.value('funding_budget'))}"
    if by_source:
        funding += "，其中" + _join([f"{label}{fmt.wan_yuan(amount)}" for label, amount in by_source])
    funding += (
        f"；实际到位{fmt.wan_yuan(f.value('funding_received'))}，到位率{fmt.percent(f.value('funding_received_rate'))}。"
        f"户均经费{fmt.yuan_precise(f.value('funding_per_household'))}，"
        f"户均工作经费{fmt.yuan_precise(f.value('work_funds_per_household'))}。"
    )
    section.add(funding, lead="（四）经费投入。")

    coverage = {
        label: f.part("service_area_coverage", label, "share") for label in f.breakdown("service_area_coverage")
    }
    services = (
        f"全年开展服务项目{fmt.count(f.value('service_programs'), '个')}，"
        f"受益{fmt.count(f.value('service_beneficiaries'), '人次')}，"
        f"其中政府购买服务和社会组织提供的占{fmt.percent(f.value('purchased_service_share'))}。"
    )
    covered = [(label, share) for label, share in coverage.items() if _nonzero(share)]
    if covered:
        services += (
            "各服务领域中，" + _join([f"{label}覆盖{fmt.percent(share)}的社区" for label, share in covered]) + "。"
        )
    section.add(services, lead="（五）社区服务。")
    return section


# 二、存在的问题 -----------------------------------------------------------------------------------------------


def _clauses(f: Figures, failing: list[str], clauses: list[tuple[str, Callable[[], str]]]) -> list[str]:
    """The text of each clause whose indicator fails its standard (and note the indicator as failing)."""
    found = []
    for key, text in clauses:
        if f.fails(key):
            found.append(text())
            failing.append(key)
    return found


def _problems(f: Figures, *, year: int) -> tuple[list[tuple[str, str]], list[str]]:
    """[(lead, text)] for each problem whose indicator falls short, and the ids that fell short."""
    problems: list[tuple[str, str]] = []
    failing: list[str] = []

    # Space below standard.
    if f.fails("facility_compliance_rate"):
        per_100 = f.standard("facility_compliance_rate")
        minimum = (f.standard_entry("facility_compliance_rate").get("minimum_area") or {}).get("value")
        rule = []
        if per_100:
            rule.append(f"每100户{fmt.area(per_100)}")
        if minimum:
            rule.append(f"不低于{fmt.area(minimum)}")
        source = f.source("facility_compliance_rate")
        text = (
            (f"根据{source}，" if source else "")
            + (f"按照{'、'.join(rule)}的标准，" if rule else "")
            + f"{fmt.count(f.value('communities'), '个')}社区中综合服务用房的达标率为"
            f"{fmt.percent(f.value('facility_compliance_rate'))}，"
            f"尚有{fmt.count(f.shortfall_count('facility_compliance_rate'), '个')}社区未达标，"
            f"用房缺口共计{fmt.area(f.value('facility_shortfall_area'))}。"
            f"平均每个社区办公用房{fmt.area(f.value('office_area_per_community'))}，"
            f"每百户综合服务用房{fmt.area(f.value('facility_area_per_100_households'))}。"
        )
        problems.append(("社区用房面积不达标。", text))
        failing.append("facility_compliance_rate")
    elif f.fails("facility_area_per_100_households"):
        text = (
            f"每百户综合服务用房{fmt.area(f.value('facility_area_per_100_households'))}，"
            f"低于每百户{fmt.area(f.standard('facility_area_per_100_households'))}的标准，"
            f"按标准尚缺{fmt.area(f.gap('facility_area_per_100_households'))}。"
        )
        problems.append(("社区用房面积不达标。", text))
        failing.append("facility_area_per_100_households")

    # Too few workers for the households or residents.
    staffing = _clauses(
        f,
        failing,
        [
            (
                "households_per_worker",
                lambda: (
                    f"平均每名社区工作者服务居民{fmt.ratio(f.value('households_per_worker'), '户')}，"
                    f"超过每{fmt.count(f.standard('households_per_worker'), '户')}配备一名社区工作者的标准"
                ),
            ),
            (
                "workers_per_10k_residents",
                lambda: (
                    f"每万名常住人口仅有社区工作者{fmt.ratio(f.value('workers_per_10k_residents'), '人')}，"
                    f"低于每万人{fmt.short(f.standard('workers_per_10k_residents'))}人的标准"
                ),
            ),
        ],
    )
    if staffing:
        problems.append(("社区工作者配备不足。", "；".join(staffing) + "。"))

    # Pay below village cadres (and the local average wage).
    pay = _clauses(
        f,
        failing,
        [
            (
                "leader_pay_vs_village_head",
                lambda: (
                    "社区书记、主任的年报酬仅为村主职干部年报酬"
                    f"（{fmt.wan_yuan(f.standard('leader_pay_vs_village_head'))}）的"
                    f"{fmt.percent(f.value('leader_pay_vs_village_head'))}，"
                    f"{fmt.count(f.shortfall_count('leader_pay_vs_village_head'), '个')}社区的书记、主任"
                    "报酬低于村主职干部"
                ),
            ),
            (
                "staff_pay_vs_village_deputy",
                lambda: (
                    "其他社区工作者的年报酬为村副职干部年报酬"
                    f"（{fmt.wan_yuan(f.standard('staff_pay_vs_village_deputy'))}）的"
                    f"{fmt.percent(f.value('staff_pay_vs_village_deputy'))}"
                ),
            ),
            (
                "avg_monthly_pay",
                lambda: (
                    f"按人均月报酬折算的年报酬比当地社会平均工资（{fmt.wan_yuan(f.standard('avg_monthly_pay'))}）"
                    f"低{fmt.yuan(f.gap('avg_monthly_pay'))}"
                ),
            ),
        ],
    )
    if pay:
        text = (
            f"社区工作者人均月报酬{fmt.yuan(f.value('avg_monthly_pay'))}（含五险），"
            f"缴纳个人社保后人均月实得{fmt.yuan(f.value('avg_monthly_net_pay'))}。" + "；".join(pay) + "。"
        )
        problems.append(("待遇偏低，与村干部差距较大。", text))

    # An unstable workforce: loss and secondment (listed when the engine says they fall short, or, where no
    # standard is set, whenever anyone left or is seconded).
    loss_flag = f.fails("worker_loss_rate") or (
        f.passes("worker_loss_rate") is None and _nonzero(f.value("workers_left"))
    )
    seconded_flag = f.fails("worker_secondment_rate") or (
        f.passes("worker_secondment_rate") is None and _nonzero(f.value("workers_seconded"))
    )
    if loss_flag or seconded_flag:
        text = f"社区工作者花名册共{fmt.count(f.value('workers_roster'), '人')}"
        parts = []
        if loss_flag:
            parts.append(
                f"累计离职{fmt.count(f.value('workers_left'), '人')}"
                f"（其中{year}年内离职{fmt.count(f.value('workers_left_in_year'), '人')}），"
                f"流失率{fmt.percent(f.value('worker_loss_rate'))}"
            )
            failing.append("worker_loss_rate")
        if seconded_flag:
            parts.append(
                f"在岗{fmt.count(f.value('workers_in_post'), '人')}中"
                f"被借用{fmt.count(f.value('workers_seconded'), '人')}，"
                f"借用率{fmt.percent(f.value('worker_secondment_rate'))}，"
                f"实际在岗仅{fmt.count(f.value('workers_on_duty'), '人')}"
            )
            failing.append("worker_secondment_rate")
        problems.append(("工作人员不稳定。", text + "，" + "；".join(parts) + "。"))

    # Funding not received, or below the per-household standard.
    funding = []
    received_rate = fmt.to_decimal(f.value("funding_received_rate"))
    if f.fails("funding_received_rate") or (
        f.passes("funding_received_rate") is None and received_rate is not None and received_rate < 1
    ):
        funding.append(
            f"{year}年社区经费预算{fmt.wan_yuan(f.value('funding_budget'))}，"
            f"实际到位{fmt.wan_yuan(f.value('funding_received'))}，到位率{fmt.percent(f.value('funding_received_rate'))}"
        )
        failing.append("funding_received_rate")
    funding += _clauses(
        f,
        failing,
        [
            (
                "work_funds_per_household",
                lambda: (
                    f"户均工作经费{fmt.yuan_precise(f.value('work_funds_per_household'))}，"
                    f"低于每户每年{fmt.yuan_precise(f.standard('work_funds_per_household'))}的标准，"
                    f"{fmt.count(f.shortfall_count('work_funds_per_household'), '个')}社区未达标"
                ),
            ),
            (
                "public_funds_per_worker",
                lambda: (
                    f"人均公用经费{fmt.yuan(f.value('public_funds_per_worker'))}，"
                    f"低于每人每年{fmt.yuan(f.standard('public_funds_per_worker'))}的标准"
                ),
            ),
        ],
    )
    if funding:
        problems.append(("经费保障不足。", "；".join(funding) + "。"))

    # Communities outside the recommended size.
    if f.fails("households_by_size"):
        text = (
            "居民户数"
            + "；".join(
                f"{label}的有{fmt.count(f.part('households_by_size', label), '个')}，"
                f"占{fmt.percent(f.part('households_by_size', label, 'share'))}"
                for label in f.breakdown("households_by_size")
            )
            + "。"
        )
        if f.shortfall_count("households_by_size"):
            text += f"共有{fmt.count(f.shortfall_count('households_by_size'), '个')}社区的规模不在建议范围内。"
        problems.append(("社区规模设置不合理。", text))
        failing.append("households_by_size")

    # Service areas not covered.
    coverage = {
        label: f.part("service_area_coverage", label, "share") for label in f.breakdown("service_area_coverage")
    }
    partial = [(label, share) for label, share in coverage.items() if _nonzero(share) and fmt.to_decimal(share) < 1]
    absent = [label for label, share in coverage.items() if share is not None and not _nonzero(share)]
    if f.fails("service_area_coverage") or (f.passes("service_area_coverage") is None and (partial or absent)):
        parts = []
        if absent:
            parts.append(f"{_join(absent)}领域尚无社区开展服务项目")
        if partial:
            parts.append(_join([f"{label}仅覆盖{fmt.percent(share)}的社区" for label, share in partial]))
        problems.append(("服务领域覆盖不全。", "；".join(parts) + "。"))
        failing.append("service_area_coverage")
    return problems, failing


# 三、与上年比较 -----------------------------------------------------------------------------------------------


def _comparison(current: Figures, previous: Figures, *, year: int) -> Section:
    section = Section("三、与上年比较")
    if not _nonzero(previous.value("communities")):
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


def _one(v):
    return fmt.fixed(v, 1)


# (indicator, title, value column, standard column, gap column, cell format)
SHORTFALL_TABLES = [
    (
        "facility_compliance_rate",
        "综合服务用房未达标的社区",
        "用房面积(平方米)",
        "应达面积(平方米)",
        "缺口(平方米)",
        fmt.short,
    ),
    ("households_per_worker", "社区工作者配备未达标的社区", "每名工作者服务户数", "标准(户)", "尚需配备(人)", _one),
    ("workers_per_10k_residents", "每万人社区工作者数未达标的社区", "每万人工作者数", "标准(人)", "尚需配备(人)", _one),
    (
        "leader_pay_vs_village_head",
        "书记、主任报酬低于村主职干部的社区",
        "年报酬(元)",
        "村主职年报酬(元)",
        "差距(元)",
        fmt.short,
    ),
    (
        "staff_pay_vs_village_deputy",
        "其他人员报酬低于村副职干部的社区",
        "年报酬(元)",
        "村副职年报酬(元)",
        "差距(元)",
        fmt.short,
    ),
    (
        "work_funds_per_household",
        "户均工作经费未达标的社区",
        "户均工作经费(元)",
        "标准(元)",
        "缺口(元)",
        lambda v: fmt.fixed(v, 2),
    ),
    ("households_by_size", "规模不在建议范围内的社区", "户数", "越过的界限(户)", "超出或不足(户)", fmt.short),
]


def _children_table(region_code: str, year: int, number: int) -> Table | None:
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


def _shortfall_tables(f: Figures, failing: list[str], number: int) -> list[Table]:
    tables = []
    for key, title, value_label, required_label, gap_label, cell in SHORTFALL_TABLES:
        short = f.shortfalls(key)
        if key not in failing and not short:
            continue
        if not short:
            continue
        rows = [
            [str(index), s.street, s.name, s.code, cell(s.value), _required(s.required), fmt.short(s.gap, 2)]
            for index, s in enumerate(short, start=1)
        ]
        tables.append(
            Table(
                caption=f"表{number} {title}（{fmt.count(f.shortfall_count(key), '个')}）",
                headers=["序号", "街道(乡镇)", "社区", "社区代码", value_label, required_label, gap_label],
                rows=rows,
                numeric={0, 4, 5, 6},
            )
        )
        number += 1
    return tables


def _required(required) -> str:
    if isinstance(required, (list, tuple)) and len(required) == 2:
        return f"{fmt.short(required[0], 2)}—{fmt.short(required[1], 2)}"
    return fmt.short(required, 2)


# The report -------------------------------------------------------------------------------------------------------


def report_build(*, region_code: str, year: int) -> Report:
    """The survey report for the region (any level) and year. Raises LookupError for an unknown region."""
    name = selectors.region_name(region_code)
    if name is None:
        raise LookupError(f"没有找到区划代码为 {region_code} 的地区。")
    current = compute(region_code, year)
    previous = compute(region_code, year - 1)
    now = timezone.localtime()
    report = Report(
        title=f"{name}{year}年社区建设情况调研报告",
        region_code=region_code,
        region_name=name,
        year=year,
        generated_at=now.strftime("%Y-%m-%d %H:%M"),
        source_note=f"（数据来源：社区年度调查填报，{now:%Y年%m月%d日}生成；统计范围：{name}，区划代码 {region_code}）",
    )
    if not _nonzero(current.value("communities")):
        empty = Section("一、基本情况")
        empty.add(f"{name}{year}年尚无社区年度填报数据，无法生成调研报告。请先填报或导入{year}年度调查表。")
        report.sections.append(empty)
        return report

    by_type, approved = selectors.returns_summary(region_code, year)
    communities = current.value("communities")
    report.source_note = report.source_note[:-1] + (
        f"；{year}年度填报{fmt.count(communities, '份')}，其中已审核{fmt.count(approved, '份')}"
        + ("，未审核的数据仍可能修改）" if approved != communities else "）")
    )
    report.sections.append(_basics(current, region=name, code=region_code, year=year, by_type=by_type))

    problems_section = Section("二、存在的问题")
    problems, failing = _problems(current, year=year)
    if problems:
        problems_section.add(f"对照现行标准，{name}社区建设还存在一些差距，主要表现在以下几个方面：")
        for index, (lead, text) in enumerate(problems):
            problems_section.add(text, lead=f"（{_ordinal(index)}）{lead}")
    else:
        problems_section.add("对照现行标准，各项指标均已达标，未发现明显差距。")
    report.sections.append(problems_section)

    report.sections.append(_comparison(current, previous, year=year))

    tables = Section("四、附表")
    number = 2 if report.sections[-1].tables else 1
    street_table = _children_table(region_code, year, number)
    if street_table:
        tables.tables.append(street_table)
        number += 1
    tables.tables.extend(_shortfall_tables(current, failing, number))
    if tables.tables:
        report.sections.append(tables)
    return report
