"""The validation rules' engine, in the manner of DHIS2's validation rules: each rule (``ValidationRule``, kept in
the database per region and inherited down the tree, ``communities/validation.py``) checks one community's figures
(``communities/figures.py``) and, when it fails, gives a ``Problem``.

Two severities: an 错误 (error) blocks submission and approval until it is fixed; a 警告 (warning) blocks them only
until the clerk writes an explanation (``SurveyReturn.explanation``), which the reviewer sees. Two kinds of rule:
a comparison (``left`` OP the right side: another figure × factor, a standard in force × factor, or a constant) and
a change against the community's previous return beyond a threshold. ``DEFAULT_RULES`` are the national defaults
(the rules of the first version plus the issue's examples), loaded by migration
``communities/0014_default_validation_rules``.
"""

from __future__ import annotations

import operator as op
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from communities.figures import FIGURES
from communities.models.rules import RuleKind, Severity, ValidationRule

OPERATORS: dict[str, Callable] = {"le": op.le, "ge": op.ge, "lt": op.lt, "gt": op.gt, "eq": op.eq}


@dataclass(frozen=True)
class Problem:
    code: str  # the rule's key
    message: str
    needs_explanation: bool = False  # True: a warning, resolved by an explanation; False: an error, must be fixed
    finding: str = ""  # what was found, without the request (a jump: "户数较2024年变化 +63%（1489 → 2428），超过 ±30%")
    explained: bool = False  # answered: the return has an explanation
    rule_text: str = ""  # the rule as a reviewer reads it ("年末在岗人数 ≤ 花名册人数")
    region_code: str = ""  # the unit that set the rule ('' national)
    accepted: bool = False  # a reviewer marked it done on the follow-up list: shown, no longer blocking

    @property
    def text(self) -> str:
        """As the return pages show it: the request, or once the explanation is written, that it is answered."""
        if self.explained:
            return f"已说明：{self.finding}，原因见“填报说明”。"
        if self.accepted:
            return f"审核员已确认：{self.finding}。"
        return self.message

    @property
    def severity(self) -> str:
        return Severity.WARNING if self.needs_explanation else Severity.ERROR

    @property
    def severity_label(self) -> str:
        return Severity(self.severity).label


WARNING_REQUEST = "请在“填报说明”中说明原因。"
CHECK_REQUEST = "请核实；如情况属实，请在“填报说明”中说明原因。"

# The national defaults: the required parts and the jumps of the first version, and the examples.
SOURCE = "系统默认规则"
DEFAULT_RULES: list[dict] = [
    *[
        {
            "key": f"missing_{left}",
            "position": 10 + n,
            "left": left,
            "operator": "gt",
            "constant": Decimal(0),
            "message": message,
            "severity": "error",
            "source": SOURCE + "（必填项）",
        }
        for n, (left, message) in enumerate(
            [
                ("households", "请填写户数（基本情况）。"),
                ("population", "请填写常住人口（基本情况）。"),
                ("workers_roster", "社区工作者花名册为空，请至少填写一名社区工作者。"),
                ("total_area", "办公服务用房为空，请至少填写一处用房或场地。"),
                ("funding_budget", "经费为空，请填写本社区当年的经费预算。"),
            ]
        )
    ],
    {
        "key": "in_post_within_roster",
        "position": 20,
        "left": "workers_in_post",
        "operator": "le",
        "right_figure": "workers_roster",
        "message": "年末在岗人数（{left}人）多于花名册人数（{right}人），请核对社区工作者花名册。",
        "severity": "error",
        "source": SOURCE + "（年末在岗人员应在花名册中）",
    },
    {
        "key": "party_members_within_population",
        "position": 21,
        "left": "party_members",
        "operator": "le",
        "right_figure": "population",
        "message": "党员数（{left}人）多于常住人口（{right}人），请核对基本情况。",
        "severity": "error",
        "source": SOURCE + "（党员是常住人口的一部分）",
    },
    {
        "key": "population_per_household_min",
        "position": 22,
        "left": "population",
        "operator": "ge",
        "right_figure": "households",
        "factor": Decimal("1.5"),
        "message": "常住人口（{left}人）少于户数的 1.5 倍（{right}人）",
        "severity": "warning",
        "source": SOURCE + "（户均人口一般在 1.5–6 人之间）",
    },
    {
        "key": "population_per_household_max",
        "position": 23,
        "left": "population",
        "operator": "le",
        "right_figure": "households",
        "factor": Decimal(6),
        "message": "常住人口（{left}人）多于户数的 6 倍（{right}人）",
        "severity": "warning",
        "source": SOURCE + "（户均人口一般在 1.5–6 人之间）",
    },
    *[
        {
            "key": f"jump_{left}",
            "position": 30 + n,
            "kind": "change",
            "left": left,
            "operator": "le",
            "constant": threshold,
            "message": f"{FIGURES[left].label}较上年变化超过 ±{threshold * 100:.0f}%",
            "severity": "warning",
            "source": SOURCE + "（较上年变化较大须说明原因）",
        }
        for n, (left, threshold) in enumerate(
            [
                ("households", Decimal("0.30")),
                ("population", Decimal("0.30")),
                ("total_area", Decimal("0.50")),
                ("workers_roster", Decimal("0.50")),
            ]
        )
    ],
]


def default_rules() -> list[ValidationRule]:
    """The national defaults as (unsaved) rules: what ``check_return`` applies when given none."""
    return [ValidationRule(**fields) for fields in DEFAULT_RULES]


def evaluate(
    rules: Iterable[ValidationRule],
    *,
    figures: dict,
    previous: dict | None,
    previous_year: int | None = None,
    standard: Callable[[str], Decimal | float | None] = lambda key: None,
) -> list[Problem]:
    """What the rules find in one community's figures (``previous``: its previous return's, or None), in the
    rules' order. A comparison with a side that cannot be known (an average without workers, a standard not set)
    finds nothing; a missing figure compared with a constant counts as 0 (a required part not filled in)."""
    problems = []
    for rule in rules:
        problem = _check(rule, figures, previous, previous_year, standard)
        if problem is not None:
            problems.append(problem)
    return problems


def _check(rule, figures, previous, previous_year, standard) -> Problem | None:
    warning = rule.severity == Severity.WARNING
    common = {"needs_explanation": warning, "rule_text": rule.description, "region_code": rule.region_code}
    now = figures.get(rule.left)
    if rule.kind == RuleKind.CHANGE:
        before = (previous or {}).get(rule.left) or 0
        if not before or rule.constant is None:
            return None  # nothing to compare with: no earlier return, or an earlier value of 0
        now = now or 0
        change = (Decimal(now) - Decimal(before)) / Decimal(before)
        if abs(change) <= rule.constant:
            return None
        threshold = Decimal(rule.constant)
        label, year = FIGURES[rule.left].label, previous_year or "上"
        finding = f"{label}较{year}年变化 {change:+.0%}（{_plain(before)} → {_plain(now)}），超过 ±{threshold:.0%}"
        return Problem(rule.key, f"{finding}，{WARNING_REQUEST}", finding=finding, **common)
    if rule.right_figure:
        base = figures.get(rule.right_figure)
    elif rule.standard_key:
        base = standard(rule.standard_key)
    else:
        base = rule.constant
        now = now or 0
    if now is None or base is None:
        return None
    right = Decimal(str(base)) * Decimal(rule.factor)
    if OPERATORS[rule.operator](Decimal(str(now)), right):
        return None
    text = rule.message.replace("{left}", _plain(now)).replace("{right}", _plain(right))
    if warning:
        finding = text.rstrip("。；，")
        return Problem(rule.key, f"{finding}，{CHECK_REQUEST}", finding=finding, **common)
    return Problem(rule.key, text, finding=text.rstrip("。"), **common)


def check_return(
    *,
    figures: dict,
    previous: dict | None,
    explanation: str,
    previous_year: int | None = None,
    rules: Iterable[ValidationRule] | None = None,
    standard: Callable[[str], Decimal | float | None] = lambda key: None,
    accepted: Iterable[str] = (),
):
    """Every problem found (a warning marked ``explained`` when the return has an explanation), and those that
    block the submission and the approval (an error, or a warning with no explanation). ``rules``: the rules in
    force for the community (the national defaults when None). ``accepted``: keys of the rules whose finding a
    reviewer has marked done on the follow-up list: still shown, no longer blocking."""
    problems = evaluate(
        default_rules() if rules is None else rules,
        figures=figures,
        previous=previous,
        previous_year=previous_year,
        standard=standard,
    )
    if (explanation or "").strip():
        problems = [replace(p, explained=True) if p.needs_explanation else p for p in problems]
    accepted = set(accepted)
    problems = [replace(p, accepted=True) if p.code in accepted else p for p in problems]
    blocking = [p for p in problems if not p.explained and not p.accepted]
    return problems, blocking


def _plain(value) -> str:
    """A figure as the messages write it: whole numbers without decimals, others to two."""
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return f"{value.to_integral_value():f}"
    return f"{value.quantize(Decimal('0.01')).normalize():f}"
