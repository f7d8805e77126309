"""一、基本情况: the region's communities, workers, pay, premises, funding and services, phrased as the seed reports
phrase them ("共招聘社区工作者65人，其中离职8人，被借用38人"; "县乡两级财政共预算367.57万元，其中县级财政预算
209.79万元"). Every figure is an indicator of the engine (``Figures``); nothing here adds or divides survey data."""

from __future__ import annotations

from dataclasses import dataclass

from . import formatting as fmt
from .document import Section
from .figures import Figures
from .wording import join, nonzero, prose

COUNTY_LEVEL = "县级财政"
TOWNSHIP_LEVEL = "乡镇(街道)财政"


@dataclass(frozen=True)
class Extremes:
    """The smallest and the largest community by households, as "城关街道东门社区" (the street left out in a
    street's own report)."""

    smallest: str
    largest: str


def basics_section(
    f: Figures,
    *,
    region: str,
    code: str,
    year: int,
    extremes: Extremes | None,
    previous: Figures | None = None,
    funding_levels: str = "",
) -> Section:
    """``previous``: last year's figures, when there are any, for the change of each rate; ``funding_levels``: how
    much was allocated to each level (``money.levels_sentence``)."""
    section = Section("基本情况")
    one_community = len(code) == 12
    was = _Changes(f, previous)
    section.add(_scale(f, region=region, code=code, year=year, extremes=extremes), lead="（一）社区分布与规模。")
    section.add(_workforce(f, region=region, year=year, was=was), lead="（二）社区工作者队伍。")
    section.add(_pay(f), lead="（三）报酬待遇。")
    section.add(_premises(f, one_community=one_community, was=was), lead="（四）阵地建设。")
    section.add(_funding(f, year=year, was=was, by_level=funding_levels), lead="（五）经费投入。")
    section.add(_services(f, one_community=one_community), lead="（六）社区服务。")
    return section


class _Changes:
    """How a rate moved since last year, in percentage points: "（较上年上升4.6个百分点）", "（与上年持平）"; ''
    when there is no figure for last year (or none this year)."""

    def __init__(self, current: Figures, previous: Figures | None):
        self.current, self.previous = current, previous

    def __call__(self, key: str, *, bracketed: bool = True) -> str:
        if self.previous is None:
            return ""
        delta = fmt.change(self.current.value(key), self.previous.value(key), fmt.points)
        if delta == fmt.MISSING:
            return ""
        if delta.startswith("+"):
            words = f"较上年上升{delta[1:]}"
        elif delta.startswith("-"):
            words = f"较上年下降{delta[1:]}"
        else:
            words = "与上年持平"
        return f"（{words}）" if bracketed else f"，{words}"


def _types(f: Figures) -> list[tuple[str, object]]:
    return [(label, f.part("communities_by_type", label)) for label in f.breakdown("communities_by_type")]


def _scale(f: Figures, *, region: str, code: str, year: int, extremes: Extremes | None) -> str:
    units = (
        f"辖区单位{fmt.count(f.value('units'), '个')}、小区{fmt.count(f.value('neighborhoods'), '个')}，"
        f"居民{fmt.count(f.value('households'), '户')}，常住人口{fmt.count(f.value('population'), '人')}"
    )
    if len(code) == 12:
        kind = next((label for label, n in _types(f) if nonzero(n)), "社区")
        return f"{year}年，{region}为{kind}，有{units}。"
    types = [(label, n) for label, n in _types(f) if nonzero(n)]
    text = f"{year}年，{region}共有" + (f"街道（乡镇）{fmt.count(f.value('streets'), '个')}、" if len(code) < 9 else "")
    text += f"社区{fmt.count(f.value('communities'), '个')}"
    if len(types) == 1:
        text += f"，均为{types[0][0]}"
    elif types:
        text += "，其中" + join([f"{label}{fmt.count(n, '个')}" for label, n in types])
    text += f"；共有{units}。"
    if extremes is not None:
        text += (
            f"平均每个社区{fmt.count(f.value('households_per_community'), '户')}，"
            f"最小的社区（{extremes.smallest}）仅有{fmt.count(f.value('households_min'), '户')}，"
            f"最大的社区（{extremes.largest}）有{fmt.count(f.value('households_max'), '户')}。"
        )
    return text


def _workforce(f: Figures, *, region: str, year: int, was: _Changes) -> str:
    roster = f.value("workers_roster")
    if not nonzero(roster):
        return f"{region}尚未填报社区工作者花名册。"
    left, in_year, seconded = f.value("workers_left"), f.value("workers_left_in_year"), f.value("workers_seconded")
    text = f"共招聘社区工作者{fmt.count(roster, '人')}"
    if nonzero(left):
        text += (
            f"，其中离职{fmt.count(left, '人')}"
            + (f"（{year}年内离职{fmt.count(in_year, '人')}）" if in_year != left and nonzero(in_year) else "")
            + f"，流失率{fmt.percent(f.value('worker_loss_rate'))}{was('worker_loss_rate')}"
        )
    else:
        text += "，无人离职"
    text += f"；年末在岗{fmt.count(f.value('workers_in_post'), '人')}"
    if nonzero(seconded):
        text += (
            f"，其中被借用{fmt.count(seconded, '人')}，借用率{fmt.percent(f.value('worker_secondment_rate'))}"
            f"{was('worker_secondment_rate')}，除去被借用人员，实际在岗{fmt.count(f.value('workers_on_duty'), '人')}"
        )
    text += (
        f"。平均每名在岗社区工作者服务居民{fmt.count(f.value('households_per_worker'), '户')}，"
        f"每万名常住人口配备社区工作者{fmt.ratio(f.value('workers_per_10k_residents'), '人')}。"
    )
    if nonzero(f.value("workers_in_post")):
        text += (
            f"在岗人员中，大专以上学历{fmt.count(f.value('college_educated'), '人')}，"
            f"占{fmt.percent(f.value('college_educated_share'))}{was('college_educated_share')}；"
            f"具有社会工作职业资格证书{fmt.count(f.value('certified_social_workers'), '人')}；"
            f"中共党员{fmt.count(f.value('party_members_in_post'), '人')}，"
            f"占{fmt.percent(f.value('party_member_share'))}{was('party_member_share')}；"
            f"平均年龄{fmt.short(f.value('avg_age'), 1)}岁。"
        )
    return text


def _pay(f: Figures) -> str:
    if f.value("avg_monthly_pay") is None:
        return "尚无在岗社区工作者的报酬数据。"
    text = (
        f"社区工作者人均月基本报酬{fmt.yuan(f.value('avg_monthly_base_pay'))}（含五险），"
        f"人均月补贴{fmt.yuan(f.value('avg_monthly_allowance'))}，合计人均月报酬{fmt.yuan(f.value('avg_monthly_pay'))}；"
        f"扣除个人缴纳的社会保险后，人均月实得{fmt.yuan(f.value('avg_monthly_net_pay'))}。"
    )
    groups = []
    if f.value("leader_avg_monthly_pay") is not None:
        groups.append(f"书记、主任人均月报酬{fmt.yuan(f.value('leader_avg_monthly_pay'))}")
    if f.value("staff_avg_monthly_pay") is not None:
        groups.append(f"其他人员人均月报酬{fmt.yuan(f.value('staff_avg_monthly_pay'))}")
    if groups:
        text += "其中" + "，".join(groups) + "。"
    return text


def _premises(f: Figures, *, one_community: bool, was: _Changes) -> str:
    text = (
        f"现有办公用房{fmt.area(f.value('office_area'))}、公共服务用房{fmt.area(f.value('service_area'))}，"
        f"合计综合服务用房{fmt.area(f.value('facility_area'))}"
    )
    if nonzero(f.value("outdoor_area")):
        text += f"；另有室外场地{fmt.area(f.value('outdoor_area'))}"
    text += "。"
    if not one_community:
        text += (
            f"平均每个社区办公用房{fmt.area(f.value('office_area_per_community'))}、"
            f"公共服务用房{fmt.area(f.value('service_area_per_community'))}、"
            f"综合服务用房{fmt.area(f.value('facility_area_per_community'))}；"
        )
    text += f"每百户居民拥有综合服务用房{fmt.area(f.value('facility_area_per_100_households'))}。"
    rate = f.value("facility_compliance_rate")
    if rate is not None and one_community:
        text += f"综合服务用房{'已' if rate == 1 else '未'}达到应有面积。"
    elif rate is not None:
        text += (
            f"综合服务用房达到应有面积的社区{fmt.count(f.value('facility_compliant_communities'), '个')}，"
            f"达标率{fmt.percent(rate)}{was('facility_compliance_rate')}。"
        )
    return text


def _funding(f: Figures, *, year: int, was: _Changes, by_level: str) -> str:
    budget = f.value("funding_budget")
    if not nonzero(budget):
        return f"{year}年尚未填报社区经费预算。"
    text = f"{year}年社区经费共预算{fmt.wan_yuan(budget)}"
    county = f.part("funding_budget_by_source", COUNTY_LEVEL, "amount")
    township = f.part("funding_budget_by_source", TOWNSHIP_LEVEL, "amount")
    if nonzero(f.value("funding_budget_county_township")):
        levels = [
            f"{prose(label)}预算{fmt.wan_yuan(amount)}"
            for label, amount in ((COUNTY_LEVEL, county), (TOWNSHIP_LEVEL, township))
            if nonzero(amount)
        ]
        text += f"，其中县乡两级财政共预算{fmt.wan_yuan(f.value('funding_budget_county_township'))}，" + join(
            levels, "，"
        )
    others = [
        f"{prose(label)}{fmt.wan_yuan(f.part('funding_budget_by_source', label, 'amount'))}"
        for label in f.breakdown("funding_budget_by_source")
        if label not in (COUNTY_LEVEL, TOWNSHIP_LEVEL) and nonzero(f.part("funding_budget_by_source", label, "amount"))
    ]
    if others:
        text += "；此外，" + join(others)
    text += "。" + by_level
    rate = f.value("funding_received_rate")
    if rate is None:
        text += "各项经费均未填报到位金额，无法计算到位率。"
    elif f.value("funding_budget_reported") == budget:
        text += (
            f"实际到位{fmt.wan_yuan(f.value('funding_received'))}，到位率{fmt.percent(rate)}"
            f"{was('funding_received_rate')}。"
        )
    else:
        text += (
            f"填报了到位金额的预算{fmt.wan_yuan(f.value('funding_budget_reported'))}，"
            f"实际到位{fmt.wan_yuan(f.value('funding_received'))}，到位率{fmt.percent(rate)}"
            f"（未填到位金额的经费不计入）{was('funding_received_rate', bracketed=False)}。"
        )
    text += (
        f"户均经费{fmt.yuan_precise(f.value('funding_per_household'))}，"
        f"户均工作经费{fmt.yuan_precise(f.value('work_funds_per_household'))}"
    )
    if f.value("public_funds_per_worker") is not None:
        text += f"，在岗社区工作者人均公用经费{fmt.yuan(f.value('public_funds_per_worker'))}"
    return text + "。"


def _services(f: Figures, *, one_community: bool) -> str:
    programs = f.value("service_programs")
    if not nonzero(programs):
        return "尚未填报社区服务项目。"
    by_area = [
        f"{label}{fmt.count(f.part('service_programs_by_area', label), '个')}"
        for label in f.breakdown("service_programs_by_area")
        if nonzero(f.part("service_programs_by_area", label))
    ]
    text = (
        f"全年开展服务项目{fmt.count(programs, '个')}，其中{join(by_area)}；"
        f"受益{fmt.count(f.value('service_beneficiaries'), '人次')}，"
        f"志愿者参与服务{fmt.count(f.value('service_volunteer_visits'), '人次')}，"
        f"注册志愿者{fmt.count(f.value('volunteers'), '人')}。"
        f"由政府购买服务和社会组织提供的项目占全部服务项目的{fmt.percent(f.value('purchased_service_share'))}。"
    )
    if one_community:
        return text
    coverage = [
        (label, f.part("service_area_coverage", label, "share")) for label in f.breakdown("service_area_coverage")
    ]
    covered = [f"{label}覆盖{fmt.percent(share)}的社区" for label, share in coverage if nonzero(share)]
    absent = [label for label, share in coverage if share is not None and not nonzero(share)]
    if covered:
        text += "从服务领域看，" + join(covered)
        text += f"；{join(absent)}领域尚无社区开展服务项目。" if absent else "。"
    return text
