"""对策建议: one suggestion per problem found in 存在的问题 (nothing for an indicator that passes or has no standard),
in the seed reports' register ("建立社区工作者待遇正常增长机制。…"), each with the document its standard rests on and
the quantity needed to reach it: the m² to build (and their estimated cost when a cost per m² is set), the workers to
hire or to bring back, the funds per year.

The quantities are the engine's gaps. The few written here from two engine figures are said where they are made: the
cost (the m² short × the cost per m² standard), the secondments to end (the rate's excess × the workers in post,
rounded up), the funds still to be received (the rate's shortfall × the budget reported) and the communities each
service area still needs (the coverage standard × the communities, rounded up, less those covered).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import formatting as fmt
from .figures import Figures, Shortfall
from .problems import Problem
from .wording import NATIONAL_DEFAULT, join, prose

WORST = 3  # communities named as the first to deal with


@dataclass(frozen=True)
class Suggestion:
    lead: str
    text: str


def suggestions_list(f: Figures, problems: list[Problem], *, year: int, cost_per_m2=None) -> list[Suggestion]:
    """A suggestion per problem, in the problems' order. ``cost_per_m2``: the facility_cost_per_m2 standard in force
    (a number, or None when none is set)."""
    found = []
    for problem in problems:
        write = WRITERS.get(problem.kind)
        if write is not None:
            found.append(write(f, problem, year=year, cost_per_m2=cost_per_m2))
    return found


def _basis(f: Figures, keys: list[str]) -> str:
    """ "依据《…》，" for the distinct documents of the standards ("参照全国默认值，" for a national default that names
    none), '' when none is recorded."""
    found: list[str] = []
    for key in keys:
        text = f.document(key)
        if text and text not in found:
            found.append(text)
    documents = [text for text in found if text != NATIONAL_DEFAULT]
    text = f"依据{'、'.join(documents)}，" if documents else ""
    if NATIONAL_DEFAULT in found:
        text += f"{'并' if documents else ''}参照{NATIONAL_DEFAULT}，"
    return text


def _first(short: list[Shortfall], f: Figures) -> str:
    """The worst few communities, "清溪社区、南门社区、紫薇社区等" ('' in a one-community report or with none)."""
    if f.value("communities") == 1 or not short:
        return ""
    return join([s.name for s in short[:WORST]]) + ("等" if len(short) > WORST else "")


# Space --------------------------------------------------------------------------------------------------------------


def _space(f: Figures, problem: Problem, *, year: int, cost_per_m2) -> Suggestion:
    shortfall = fmt.to_decimal(f.value("facility_shortfall_area"))
    if not shortfall:  # every community has its minimum, the region as a whole is short per 100 households
        shortfall = fmt.to_decimal(f.gap("facility_area_per_100_households"))
    rule = []
    if f.standard("facility_area_per_100_households") is not None:
        rule.append(f"每百户不低于{fmt.area(f.standard('facility_area_per_100_households'))}")
    if f.standard("facility_area_per_community") is not None:
        rule.append(f"每个社区不低于{fmt.area(f.standard('facility_area_per_community'))}")
    short = f.shortfalls("facility_compliance_rate")
    who = (
        ""
        if f.value("communities") == 1
        else f"{fmt.count(f.shortfall_count('facility_compliance_rate'), '个')}未达标社区"
    )
    text = (
        f"{_basis(f, ['facility_area_per_100_households', 'facility_area_per_community'])}"
        f"按照{join(rule)}的要求，{who}共需新建或改扩建综合服务用房{fmt.area(shortfall)}"
    )
    cost = fmt.to_decimal(cost_per_m2)
    if cost and shortfall:
        text += f"，按每平方米{fmt.yuan(cost)}测算，约需资金{fmt.wan_yuan(shortfall * cost)}"  # m² short × cost per m²
    text += (
        "。建议将社区综合服务设施建设纳入城乡建设规划和年度财政预算，采取新建、改扩建、整合闲置资产、"
        "新建小区配建等办法逐步解决"
        + (f"，优先解决{first}缺口较大社区的用房问题。" if (first := _first(short, f)) else "。")
    )
    return Suggestion("加大阵地建设投入，推动社区用房达标。", text)


# Staffing -----------------------------------------------------------------------------------------------------------


def _staffing(f: Figures, problem: Problem, *, year: int, cost_per_m2) -> Suggestion:
    clauses, needed, worst = [], [], []
    if "households_per_worker" in problem.keys:
        clauses.append(f"每{fmt.count(f.standard('households_per_worker'), '户')}配备一名社区工作者")
        needed.append(f.gap("households_per_worker"))
        worst = f.shortfalls("households_per_worker")
    if "workers_per_10k_residents" in problem.keys:
        clauses.append(f"每万名常住人口配备{fmt.short(f.standard('workers_per_10k_residents'))}名社区工作者")
        needed.append(f.gap("workers_per_10k_residents"))
        worst = worst or f.shortfalls("workers_per_10k_residents")
    most = max(fmt.to_decimal(n) or 0 for n in needed)
    text = (
        f"{_basis(f, problem.keys)}按照{join(clauses, '、')}的标准，尚需补充配备社区工作者{fmt.count(most, '人')}。"
        "建议按照“总量控制、按需配备”的原则，通过公开招聘等方式及时补充到位"
        + (f"，重点充实{first}配备不足的社区。" if (first := _first(worst, f)) else "。")
    )
    return Suggestion("充实社区工作者队伍。", text)


# Pay ----------------------------------------------------------------------------------------------------------------


def _pay(f: Figures, problem: Problem, *, year: int, cost_per_m2) -> Suggestion:
    clauses = []
    if "leader_pay_vs_village_head" in problem.keys:
        clauses.append(
            f"书记、主任年报酬人均需提高{fmt.wan_yuan(f.gap('leader_pay_vs_village_head'))}，"
            f"方能达到村主职干部{fmt.wan_yuan(f.standard('leader_pay_vs_village_head'))}的水平"
        )
    if "staff_pay_vs_village_deputy" in problem.keys:
        clauses.append(
            f"其他人员年报酬人均需提高{fmt.wan_yuan(f.gap('staff_pay_vs_village_deputy'))}，"
            f"方能达到村副职干部{fmt.wan_yuan(f.standard('staff_pay_vs_village_deputy'))}的水平"
        )
    if "avg_monthly_pay" in problem.keys:
        clauses.append(
            f"在岗人员年报酬人均需提高{fmt.wan_yuan(f.gap('avg_monthly_pay'))}，"
            f"方能达到当地社会平均工资{fmt.wan_yuan(f.standard('avg_monthly_pay'))}的水平"
        )
    text = (
        f"{_basis(f, problem.keys)}社区工作者报酬待遇应不低于村干部水平，并随当地社会平均工资和工作年限的增长而增长。"
        f"按现行标准，{'；'.join(clauses)}。建议将所需资金纳入财政预算，建立社区工作者待遇正常增长机制。"
    )
    return Suggestion("建立社区工作者待遇正常增长机制。", text)


# Loss and secondment ----------------------------------------------------------------------------------------------


def _stability(f: Figures, problem: Problem, *, year: int, cost_per_m2) -> Suggestion:
    clauses = []
    if "worker_loss_rate" in problem.keys:
        left = f.value("workers_left_in_year")
        refill = f"对{year}年内离职的{fmt.count(left, '人')}岗位及时补充" if left else "对离职人员的岗位及时补充"
        clauses.append(
            f"建立社区工作者岗位正常补充机制，按照“总量控制、缺一补一”的原则，{refill}，"
            f"使流失率降至{fmt.percent(f.standard('worker_loss_rate'))}以下"
        )
    if "worker_secondment_rate" in problem.keys:
        excess = fmt.to_decimal(f.gap("worker_secondment_rate")) or 0
        in_post = fmt.to_decimal(f.value("workers_in_post")) or 0
        back = math.ceil(excess * in_post)  # the rate's excess × those in post, rounded up: whole workers
        ceiling = fmt.percent(f.standard("worker_secondment_rate"))
        clauses.append(
            f"各级各部门不得随意抽调、借用社区工作者，现被借用的{fmt.count(f.value('workers_seconded'), '人')}中"
            f"至少{fmt.count(back, '人')}应返回社区岗位，使借用率降至{ceiling}以下"
        )
    text = f"{_basis(f, problem.keys)}{'；'.join(clauses)}，以确保社区工作者队伍的稳定。"
    return Suggestion("稳定社区工作者队伍。", text)


# Funding ------------------------------------------------------------------------------------------------------------


def _funding(f: Figures, problem: Problem, *, year: int, cost_per_m2) -> Suggestion:
    clauses = []
    if "funding_received_rate" in problem.keys:
        shortfall = fmt.to_decimal(f.gap("funding_received_rate")) or 0
        budget = fmt.to_decimal(f.value("funding_budget_reported")) or 0
        clauses.append(  # the rate's shortfall × the budget reported: the money still to be received
            f"督促预算经费及时足额拨付，尚需拨付到位{fmt.wan_yuan(shortfall * budget)}，"
            f"方能使到位率达到{fmt.percent(f.standard('funding_received_rate'))}"
        )
    if "work_funds_per_household" in problem.keys:
        clauses.append(
            f"按每户每年{fmt.yuan_precise(f.standard('work_funds_per_household'))}的标准落实社区工作经费，"
            f"每年需增加{fmt.wan_yuan(f.gap('work_funds_per_household'))}"
        )
    if "public_funds_per_worker" in problem.keys:
        clauses.append(
            f"按每人每年{fmt.yuan(f.standard('public_funds_per_worker'))}的标准落实公用经费，"
            f"每年需增加{fmt.wan_yuan(f.gap('public_funds_per_worker'))}"
        )
    text = (
        f"{_basis(f, problem.keys)}{'；'.join(clauses)}。建议严格落实“权随责走、费随事转”的原则，"
        "将社区工作经费、公用经费列入各级财政预算，保障社区正常运转。"
    )
    return Suggestion("建立社区经费保障机制。", text)


# Size ---------------------------------------------------------------------------------------------------------------


def _size(f: Figures, problem: Problem, *, year: int, cost_per_m2) -> Suggestion:
    low, high = f.standard("households_by_size")
    short = f.shortfalls("households_by_size")
    small = [s for s in short if fmt.to_decimal(s.value) < fmt.to_decimal(low)]
    large = [s for s in short if fmt.to_decimal(s.value) > fmt.to_decimal(high)]

    def named(rows: list[Shortfall]) -> str:
        first = _first(rows, f)
        return f"{fmt.count(len(rows), '个')}（{first}）" if first else ""

    clauses = []
    if small:
        clauses.append(f"对规模偏小的社区{named(small)}，可结合实际与相邻社区合并或实行资源共享")
    if large:
        clauses.append(f"对规模偏大的社区{named(large)}，可适当拆分或增设网格、充实力量")
    text = (
        f"{_basis(f, ['households_by_size'])}按照便于管理、便于服务、便于居民自治的原则，"
        f"以每个社区{fmt.count(low)}—{fmt.count(high, '户')}为宜调整社区规模：{'；'.join(clauses)}。"
    )
    return Suggestion("优化社区规模设置。", text)


# Service coverage ---------------------------------------------------------------------------------------------------


def _coverage(f: Figures, problem: Problem, *, year: int, cost_per_m2) -> Suggestion:
    standard = fmt.to_decimal(f.standard("service_area_coverage")) or 0
    communities = fmt.to_decimal(f.value("communities")) or 0
    wanted = math.ceil(standard * communities)  # the coverage standard × the communities, rounded up
    below = [
        (prose(label), wanted - (f.part("service_area_coverage", label, "count") or 0))
        for label in f.breakdown("service_area_coverage")
        if f.part("service_area_coverage", label, "passes") is False
    ]
    needs = [f"{label}{fmt.count(n, '个')}" for label, n in below if n > 0]
    text = (
        f"{_basis(f, ['service_area_coverage'])}每个服务领域应有不少于{fmt.percent(standard)}的社区"
        f"（{fmt.count(wanted, '个')}）开展服务项目，尚需新增开展服务的社区：{join(needs)}。"
        "建议通过政府购买服务、培育引进社会组织、发动志愿者参与等方式，补齐服务短板。"
    )
    return Suggestion("拓展社区服务领域，补齐服务短板。", text)


WRITERS = {
    "space": _space,
    "staffing": _staffing,
    "pay": _pay,
    "stability": _stability,
    "funding": _funding,
    "size": _size,
    "coverage": _coverage,
}
