"""The opening (调研说明) the seed reports begin with, before 一、: who surveyed what, when and how — the bureau, the
region by its full name, the year's survey and its reference date (年末, 12月31日), the reporting period when one was
opened, how the returns were entered and reviewed — and how many returns the figures rest on, counted as the
dashboard counts them ("已填报 2/4，已审核 1")."""

from __future__ import annotations

from datetime import date

from . import formatting as fmt
from .document import Section
from .figures import Figures

TOPICS = "社区规模、社区工作者队伍、报酬待遇、阵地建设、经费投入和社区服务"


def returns_state(counts: dict) -> str:
    """ "已填报 2/4，已审核 1", the dashboard's words."""
    return f"已填报 {counts['handed_in']}/{counts['total']}，已审核 {counts['approved']}"


def opening_section(
    f: Figures,
    *,
    name: str,
    full_name: str,
    code: str,
    year: int,
    bureau: str,
    counts: dict,
    period,
    today: date,
) -> Section:
    section = Section("")
    if len(code) == 12:
        scope = f"{full_name}"
    elif len(code) == 9:
        scope = f"{full_name}所辖{fmt.count(counts['total'], '个')}社区"
    else:
        streets = f"{fmt.count(f.value('streets'), '个')}街道（乡镇）的" if len(code) == 6 else ""
        scope = f"{full_name}所辖{streets}{fmt.count(counts['total'], '个')}社区"
    when = f"以{year}年12月31日为统计时点"
    if period is not None:
        when = f"于{fmt.date(period.opens_on)}至{fmt.date(period.due_on)}集中填报，{when}"
    subject = name if name.endswith("社区") else f"{name}社区"
    text = (
        f"为全面掌握{subject}建设情况，{bureau}组织开展了{year}年度社区年度调查。"
        f"调查范围为{scope}，{when}，内容涵盖{TOPICS}等方面。"
        f"调查采取各街道（乡镇）逐社区填报社区年度调查表（网上填报或导入调查表）、{bureau}逐份审核的方式进行。"
    )
    text += f"截至{fmt.date(today)}，{returns_state(counts)}"
    if counts.get("submitted"):
        text += f"，待审核{fmt.count(counts['submitted'], '份')}"
    unsent = [
        f"{label}{fmt.count(counts[key], '份')}"
        for key, label in (("returned", "退回修改"), ("draft", "尚在填写"))
        if counts.get(key)
    ]
    if unsent:
        text += "；另有" + "、".join(unsent) + "未报送"
    if counts.get("not_started"):
        text += f"，{fmt.count(counts['not_started'], '个')}社区尚未开始填报"
    with_data = f.value("communities")
    text += f"。本报告依据已有{year}年度数据的{fmt.count(with_data, '个')}社区整理分析"
    if counts["approved"] != with_data:
        text += "，其中未审核的数据仍可能修改"
    text += "，现将有关情况报告如下。"
    section.add(text)
    return section
