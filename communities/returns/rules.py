"""Validation rules checked when a return is submitted, in the manner of DHIS2's validation rules.

Two kinds: a required part that is missing blocks the submission; a year-over-year jump beyond its threshold
blocks it only until the clerk writes a short explanation (``SurveyReturn.explanation``), which the reviewer sees.
The rules are data: add a row to ``REQUIRED_PARTS`` or ``JUMP_RULES``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal


@dataclass(frozen=True)
class RequiredPart:
    figure: str  # a key of selectors.return_figures (or "basics")
    message: str


@dataclass(frozen=True)
class JumpRule:
    figure: str
    label: str
    threshold: Decimal  # a fraction: 0.30 = ±30%


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    needs_explanation: bool = False  # True: resolved by an explanation; False: must be fixed
    finding: str = ""  # what was found, without the request (a jump: "户数较2024年变化 +63%（1489 → 2428），超过 ±30%")
    explained: bool = False  # answered: the return has an explanation

    @property
    def text(self) -> str:
        """As the return pages show it: the request, or once the explanation is written, that it is answered."""
        if self.explained:
            return f"已说明：{self.finding}，原因见“填报说明”。"
        return self.message


REQUIRED_PARTS = (
    RequiredPart("households", "请填写户数（基本情况）。"),
    RequiredPart("population", "请填写常住人口（基本情况）。"),
    RequiredPart("workers_roster", "社区工作者花名册为空，请至少填写一名社区工作者。"),
    RequiredPart("total_area", "办公服务用房为空，请至少填写一处用房或场地。"),
    RequiredPart("funding_budget", "经费为空，请填写本社区当年的经费预算。"),
)

JUMP_RULES = (
    JumpRule("households", "户数", Decimal("0.30")),
    JumpRule("population", "常住人口", Decimal("0.30")),
    JumpRule("total_area", "用房总面积", Decimal("0.50")),
    JumpRule("workers_roster", "花名册人数", Decimal("0.50")),
)


def missing_parts(figures: dict) -> list[Problem]:
    return [Problem(f"missing_{part.figure}", part.message) for part in REQUIRED_PARTS if not figures.get(part.figure)]


def jumps(figures: dict, previous: dict | None, previous_year: int | None = None) -> list[Problem]:
    """Year-over-year changes beyond the thresholds; nothing to compare when there is no earlier return or
    the earlier value is 0."""
    if not previous:
        return []
    problems = []
    for rule in JUMP_RULES:
        before, now = previous.get(rule.figure) or 0, figures.get(rule.figure) or 0
        if not before:
            continue
        change = (Decimal(now) - Decimal(before)) / Decimal(before)
        if abs(change) > rule.threshold:
            finding = (
                f"{rule.label}较{previous_year or '上'}年变化 {change:+.0%}（{_plain(before)} → {_plain(now)}），"
                f"超过 ±{rule.threshold:.0%}"
            )
            problems.append(
                Problem(
                    f"jump_{rule.figure}",
                    f"{finding}，请在“填报说明”中说明原因。",
                    needs_explanation=True,
                    finding=finding,
                )
            )
    return problems


def check_return(*, figures: dict, previous: dict | None, explanation: str, previous_year: int | None = None):
    """Every problem found (a jump marked ``explained`` when the return has an explanation), and those that block
    the submission (a missing part, or a jump with no explanation)."""
    problems = missing_parts(figures) + jumps(figures, previous, previous_year)
    if (explanation or "").strip():
        problems = [replace(p, explained=True) if p.needs_explanation else p for p in problems]
    blocking = [p for p in problems if not p.explained]
    return problems, blocking


def _plain(value) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)
