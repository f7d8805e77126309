"""二、存在的问题: one paragraph per kind of problem whose indicator fails its standard, with its figures and the
documents its standards come from. A problem whose indicator meets its standard, or has no standard set, is not
listed (its figures are in 一、基本情况). The lead of each paragraph says what fails, as the seed reports do."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import formatting as fmt
from .figures import Figures
from .wording import basis, join, prose


@dataclass
class Problem:
    lead: str
    text: str
    # The indicators found failing: their shortfall lists are tabulated in 附表.
    keys: list[str] = field(default_factory=list)
    # Which kind of problem (space, staffing, pay, stability, funding, size, coverage): its suggestion's.
    kind: str = ""


def problems_list(f: Figures, *, year: int) -> list[Problem]:
    found = [
        _space(f),
        _staffing(f),
        _pay(f),
        _stability(f),
        _funding(f, year=year),
        _size(f),
        _coverage(f),
    ]
    return [problem for problem in found if problem is not None]


def _failing(f: Figures, keys: list[str]) -> list[str]:
    return [key for key in keys if f.fails(key)]


def _single(f: Figures) -> bool:
    """A report on one community: counts of communities are left out of the problems."""
    return f.value("communities") == 1


def _among(f: Figures, key: str, text: str) -> str:
    """ "，3个社区<text>" (how many communities fall short), or '' in a one-community report."""
    return "" if _single(f) else f"，{fmt.count(f.shortfall_count(key), '个')}社区{text}"


def _paragraph(f: Figures, clauses: list[str], keys: list[str]) -> str:
    """The clauses, then the documents the standards of ``keys`` come from, and — where units below the region set
    their own value — that their communities were judged by it (as the lists and counts were)."""
    text = "；".join(clauses) + "。" + basis([f.document(key) for key in keys])
    own = {unit["region_code"] for key in keys for unit in f.standard_entry(key).get("set_below", [])}
    if own:
        text += f"另有{fmt.count(len(own), '个')}下级单位自定了标准，其所辖社区按所定标准衡量。"
    return text


# Space below standard ---------------------------------------------------------------------------------------------


def _space(f: Figures) -> Problem | None:
    keys = _failing(f, ["facility_compliance_rate", "facility_area_per_100_households", "facility_area_per_community"])
    if not keys:
        return None
    per_100 = f.standard("facility_area_per_100_households")
    minimum = f.standard("facility_area_per_community")
    rule = []
    if per_100 is not None:
        rule.append(f"每100户{fmt.area(per_100)}")
    if minimum is not None:
        rule.append(f"每个社区不低于{fmt.area(minimum)}")
    clauses = []
    short = f.shortfalls("facility_compliance_rate")
    if _single(f) and short:
        clauses.append(
            f"按照{join(rule)}的标准，综合服务用房应有{fmt.area(short[0].required)}，"
            f"现有{fmt.area(f.value('facility_area'))}，尚缺{fmt.area(short[0].gap)}"
        )
    elif f.value("facility_compliance_rate") is not None:
        clauses.append(
            f"按照{join(rule)}的标准，{fmt.count(f.value('communities'), '个')}社区中综合服务用房达标的仅有"
            f"{fmt.count(f.value('facility_compliant_communities'), '个')}，达标率为"
            f"{fmt.percent(f.value('facility_compliance_rate'))}，"
            f"其余{fmt.count(f.shortfall_count('facility_compliance_rate'), '个')}社区未达标，"
            f"用房缺口共计{fmt.area(f.value('facility_shortfall_area'))}"
        )
    if not _single(f):
        average = f"平均每个社区综合服务用房{fmt.area(f.value('facility_area_per_community'))}"
        if f.fails("facility_area_per_community"):
            average += f"，与每个社区不低于{fmt.area(minimum)}的要求还有差距"
        clauses.append(average)
    per_100_text = f"每百户综合服务用房{fmt.area(f.value('facility_area_per_100_households'))}"
    if f.fails("facility_area_per_100_households"):
        per_100_text += (
            f"，低于每百户{fmt.area(per_100)}的标准，按此标准尚缺{fmt.area(f.gap('facility_area_per_100_households'))}"
        )
    clauses.append(per_100_text)
    standards = ["facility_area_per_100_households", "facility_area_per_community"]
    return Problem("社区用房面积不达标。", _paragraph(f, clauses, standards), keys, "space")


# Too few workers ------------------------------------------------------------------------------------------------


def _staffing(f: Figures) -> Problem | None:
    keys = _failing(f, ["households_per_worker", "workers_per_10k_residents"])
    if not keys:
        return None
    clauses = []
    if "households_per_worker" in keys:
        clauses.append(
            f"平均每名在岗社区工作者服务居民{fmt.count(f.value('households_per_worker'), '户')}，"
            f"超过每{fmt.count(f.standard('households_per_worker'), '户')}配备一名社区工作者的标准，"
            f"按此标准尚需配备{fmt.count(f.gap('households_per_worker'), '人')}"
            + _among(f, "households_per_worker", "配备不足")
        )
    if "workers_per_10k_residents" in keys:
        clauses.append(
            f"每万名常住人口仅有社区工作者{fmt.ratio(f.value('workers_per_10k_residents'), '人')}，"
            f"低于每万人{fmt.short(f.standard('workers_per_10k_residents'))}人的标准，"
            f"尚需配备{fmt.count(f.gap('workers_per_10k_residents'), '人')}"
            + _among(f, "workers_per_10k_residents", "低于此标准")
        )
    return Problem("社区工作者配备不足。", _paragraph(f, clauses, keys), keys, "staffing")


# Pay ------------------------------------------------------------------------------------------------------------


def _pay(f: Figures) -> Problem | None:
    keys = _failing(f, ["leader_pay_vs_village_head", "staff_pay_vs_village_deputy", "avg_monthly_pay"])
    if not keys:
        return None
    clauses = [
        f"社区工作者人均月报酬{fmt.yuan(f.value('avg_monthly_pay'))}（含五险和补贴），"
        f"扣除个人缴纳的社会保险后人均月实得仅{fmt.yuan(f.value('avg_monthly_net_pay'))}"
    ]
    if "leader_pay_vs_village_head" in keys:
        clauses.append(
            f"书记、主任人均月报酬{fmt.yuan(f.value('leader_avg_monthly_pay'))}，折合年报酬比村主职干部年报酬"
            f"（{fmt.wan_yuan(f.standard('leader_pay_vs_village_head'))}）少"
            f"{fmt.wan_yuan(f.gap('leader_pay_vs_village_head'))}，仅为其"
            f"{fmt.percent(f.value('leader_pay_vs_village_head'))}"
            + _among(f, "leader_pay_vs_village_head", "的书记、主任报酬低于村主职干部")
        )
    if "staff_pay_vs_village_deputy" in keys:
        clauses.append(
            f"其他社区工作者人均月报酬{fmt.yuan(f.value('staff_avg_monthly_pay'))}，折合年报酬比村副职干部年报酬"
            f"（{fmt.wan_yuan(f.standard('staff_pay_vs_village_deputy'))}）少"
            f"{fmt.wan_yuan(f.gap('staff_pay_vs_village_deputy'))}，为其"
            f"{fmt.percent(f.value('staff_pay_vs_village_deputy'))}"
        )
    if "avg_monthly_pay" in keys:
        clauses.append(
            f"人均月报酬折合年报酬比当地社会平均工资（{fmt.wan_yuan(f.standard('avg_monthly_pay'))}）"
            f"低{fmt.wan_yuan(f.gap('avg_monthly_pay'))}"
        )
    village = bool({"leader_pay_vs_village_head", "staff_pay_vs_village_deputy"} & set(keys))
    wage = "avg_monthly_pay" in keys
    if village and wage:
        lead = "待遇偏低，与村干部和当地平均工资差距较大。"
    elif village:
        lead = "待遇偏低，与村干部差距较大。"
    else:
        lead = "待遇偏低，低于当地社会平均工资。"
    return Problem(lead, _paragraph(f, clauses, keys), keys, "pay")


# Loss and secondment ------------------------------------------------------------------------------------------------


def _stability(f: Figures) -> Problem | None:
    keys = _failing(f, ["worker_loss_rate", "worker_secondment_rate"])
    if not keys:
        return None
    clauses = []
    if "worker_loss_rate" in keys:
        clauses.append(
            f"共招聘社区工作者{fmt.count(f.value('workers_roster'), '人')}，"
            f"其中离职{fmt.count(f.value('workers_left'), '人')}，流失率{fmt.percent(f.value('worker_loss_rate'))}，"
            f"高于{fmt.percent(f.standard('worker_loss_rate'))}的控制上限"
            + _among(f, "worker_loss_rate", "流失率超过上限")
        )
    if "worker_secondment_rate" in keys:
        clauses.append(
            f"年末在岗{fmt.count(f.value('workers_in_post'), '人')}中"
            f"被借用{fmt.count(f.value('workers_seconded'), '人')}，"
            f"借用率{fmt.percent(f.value('worker_secondment_rate'))}，"
            f"高于{fmt.percent(f.standard('worker_secondment_rate'))}的控制上限，"
            f"实际在岗仅{fmt.count(f.value('workers_on_duty'), '人')}"
            + _among(f, "worker_secondment_rate", "借用率超过上限")
        )
    if len(keys) == 2:
        lead = "工作人员不稳定，借用现象比较严重。"
    elif keys == ["worker_loss_rate"]:
        lead = "工作人员流失较多，队伍不稳定。"
    else:
        lead = "社区工作者被借用现象比较严重。"
    return Problem(lead, _paragraph(f, clauses, keys), keys, "stability")


# Funding ----------------------------------------------------------------------------------------------------------


def _funding(f: Figures, *, year: int) -> Problem | None:
    keys = _failing(f, ["funding_received_rate", "work_funds_per_household", "public_funds_per_worker"])
    if not keys:
        return None
    clauses = []
    if "funding_received_rate" in keys:
        reported = f.value("funding_budget_reported")
        whole = reported == f.value("funding_budget")
        clauses.append(
            f"{year}年{'' if whole else '填报了到位金额的'}社区经费预算{fmt.wan_yuan(reported)}，"
            f"实际到位{fmt.wan_yuan(f.value('funding_received'))}，到位率{fmt.percent(f.value('funding_received_rate'))}，"
            f"低于{fmt.percent(f.standard('funding_received_rate'))}的要求"
            + _among(f, "funding_received_rate", "直接拨付经费的到位率低于要求")
        )
    if "work_funds_per_household" in keys:
        clauses.append(
            f"户均工作经费{fmt.yuan_precise(f.value('work_funds_per_household'))}，"
            f"低于每户每年{fmt.yuan_precise(f.standard('work_funds_per_household'))}的标准，"
            f"按标准尚缺{fmt.wan_yuan(f.gap('work_funds_per_household'))}"
            + _among(f, "work_funds_per_household", "未达标")
        )
    if "public_funds_per_worker" in keys:
        clauses.append(
            f"在岗社区工作者人均公用经费{fmt.yuan(f.value('public_funds_per_worker'))}，"
            f"低于每人每年{fmt.yuan(f.standard('public_funds_per_worker'))}的标准，"
            f"尚缺{fmt.wan_yuan(f.gap('public_funds_per_worker'))}"
        )
    if keys == ["funding_received_rate"]:
        lead = "经费到位率偏低。"
    elif "funding_received_rate" in keys:
        lead = "经费保障不足，到位率偏低。"
    else:
        lead = "经费保障不足。"
    return Problem(lead, _paragraph(f, clauses, keys), keys, "funding")


# Community size ---------------------------------------------------------------------------------------------------


def _size(f: Figures) -> Problem | None:
    if not f.fails("households_by_size"):
        return None
    low, high = f.standard("households_by_size")
    bands = [
        f"{prose(label)}的有{fmt.count(f.part('households_by_size', label), '个')}，"
        f"占{fmt.percent(f.part('households_by_size', label, 'share'))}"
        for label in f.breakdown("households_by_size")
        if f.part("households_by_size", label)
    ]
    rule = f"按照每个社区{fmt.count(low)}—{fmt.count(high, '户')}的建议规模，"
    if _single(f):
        text = f"{rule}该社区居民{fmt.count(f.value('households'), '户')}，不在此范围内。"
    else:
        text = (
            f"{rule}{fmt.count(f.value('communities'), '个')}社区中有"
            f"{fmt.count(f.shortfall_count('households_by_size'), '个')}不在此范围内。"
            "按居民户数分，" + "；".join(bands) + "。"
        )
    text += basis([f.document("households_by_size")])
    return Problem("社区规模设置不合理。", text, ["households_by_size"], "size")


# Service coverage ---------------------------------------------------------------------------------------------------


def _coverage(f: Figures) -> Problem | None:
    if not f.fails("service_area_coverage"):
        return None
    below = [
        (label, f.part("service_area_coverage", label, "share"))
        for label in f.breakdown("service_area_coverage")
        if f.part("service_area_coverage", label, "passes") is False
    ]
    partial = [f"{label}仅覆盖{fmt.percent(share)}的社区" for label, share in below if share]
    absent = [label for label, share in below if not share]
    clauses = [
        f"按照每个服务领域覆盖不低于{fmt.percent(f.standard('service_area_coverage'))}社区的要求，"
        f"有{fmt.count(f.gap('service_area_coverage'), '个')}服务领域未达到"
    ]
    if partial:
        clauses.append(join(partial))
    if absent:
        clauses.append(f"{join(absent)}领域尚无社区开展服务项目")
    return Problem(
        "服务领域覆盖不全。", _paragraph(f, clauses, ["service_area_coverage"]), ["service_area_coverage"], "coverage"
    )
