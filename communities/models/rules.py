"""Validation rules (校验规则) kept as data, set per region and inherited down the tree like standards."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..codes import UNIT_CODE_SQL_RE
from ..constraints import choices_check
from ..figures import FIGURE_CHOICES, FIGURES
from ..scoping import RegionScopedQuerySet
from .standards import StandardKey


class RuleKind(models.TextChoices):
    COMPARE = "compare", "比较两个数"
    CHANGE = "change", "与上年比较变化幅度"


class RuleOperator(models.TextChoices):
    LE = "le", "≤"
    GE = "ge", "≥"
    LT = "lt", "<"
    GT = "gt", ">"
    EQ = "eq", "="


class Severity(models.TextChoices):
    ERROR = "error", "错误"  # blocks submission and approval
    WARNING = "warning", "警告"  # needs the clerk's explanation in 填报说明


class ValidationRuleQuerySet(RegionScopedQuerySet):
    region_lookup = "region_code"


class ValidationRule(models.Model):
    """One check of a return: ``left`` OP the right side, where the right side is another figure × factor, a
    standard in force × factor, or a constant (kind "compare"); or the left figure's change against the
    community's previous return at most ``constant`` (a fraction: 0.3 = ±30%, kind "change").

    ``region_code`` '' is the national default; for a community the rule of each key in force is the one of the
    nearest unit above it (longest code) that sets that key — a county's rule with a national rule's key replaces
    it there, and an inactive one switches it off there."""

    region_code = models.CharField(
        "适用区划代码", max_length=12, blank=True, help_text="留空表示全国；下级区划未设置同一编号的规则时沿用上级。"
    )
    key = models.CharField(
        "规则编号",
        max_length=40,
        validators=[RegexValidator(r"^[a-z0-9_]+$", "规则编号只能由小写字母、数字和下划线组成。")],
        help_text="下级区划用同一编号设置规则，即在本区划替换上级的规则。",
    )
    position = models.PositiveSmallIntegerField("排序", default=100)
    kind = models.CharField("类型", max_length=10, choices=RuleKind.choices, default=RuleKind.COMPARE)
    left = models.CharField("左边的数", max_length=40, choices=FIGURE_CHOICES)
    operator = models.CharField("比较", max_length=2, choices=RuleOperator.choices, default=RuleOperator.LE)
    right_figure = models.CharField("右边的数", max_length=40, choices=FIGURE_CHOICES, blank=True)
    standard_key = models.CharField("右边的标准", max_length=40, choices=StandardKey.choices, blank=True)
    factor = models.DecimalField("倍数", max_digits=12, decimal_places=4, default=Decimal(1))
    constant = models.DecimalField(
        "常数",
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="“与上年比较”时为变化幅度上限，0.3 即 ±30%。",
    )
    message = models.CharField(
        "提示文字",
        max_length=300,
        help_text="填报员看到的提示；可用 {left} 和 {right} 代入左右两边的数。“与上年比较”的规则自动写出变化情况。",
    )
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.ERROR)
    source = models.CharField("依据", max_length=300, blank=True)
    active = models.BooleanField(
        "启用", default=True, help_text="停用下级区划的同编号规则，即在该区划不检查上级的这条规则。"
    )
    updated_at = models.DateTimeField("最后修改", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ValidationRuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "校验规则"
        verbose_name_plural = "校验规则"
        ordering = ["position", "key", "region_code"]
        constraints = [
            # A key names one rule per region: a region below replaces it by setting the same key.
            models.UniqueConstraint(
                fields=["region_code", "key"],
                name="one_rule_per_region_and_key",
                violation_error_message="该区划已有同一编号的规则：请修改原有规则，或换一个编号。",
            ),
            models.CheckConstraint(
                condition=Q(region_code="") | Q(region_code__regex=UNIT_CODE_SQL_RE),
                name="rule_region_code_format",
                violation_error_message="区划代码应留空（全国）或为 2、4、6、9、12 位数字（保留开头的 0），请核对。",
            ),
            choices_check("kind", RuleKind, name="rule_kind_valid", label="规则类型"),
            choices_check("operator", RuleOperator, name="rule_operator_valid", label="比较"),
            choices_check("severity", Severity, name="rule_severity_valid", label="严重程度"),
        ]

    def __str__(self) -> str:
        return f"{self.key}（{self.region_code or '全国'}）：{self.description}"

    @property
    def description(self) -> str:
        """The rule as a reviewer reads it: '年末在岗人数 ≤ 花名册人数', '常住人口 ≥ 户数 × 1.5'."""
        left = FIGURES[self.left].label if self.left in FIGURES else self.left
        if self.kind == RuleKind.CHANGE:
            return f"{left}较上年变化不超过 ±{_percent(self.constant)}"
        return f"{left} {RuleOperator(self.operator).label} {self.right_text}"

    @property
    def right_text(self) -> str:
        times = "" if self.factor == 1 else f" × {_plain(self.factor)}"
        if self.right_figure:
            return (FIGURES[self.right_figure].label if self.right_figure in FIGURES else self.right_figure) + times
        if self.standard_key:
            return f"标准“{StandardKey(self.standard_key).label}”{times}"
        return _plain(self.constant) if self.constant is not None else ""

    def clean(self) -> None:
        errors = {}
        if self.kind == RuleKind.CHANGE:
            if self.constant is None or self.constant <= 0:
                errors["constant"] = "“与上年比较”的规则请在“常数”中填写变化幅度上限（大于 0 的小数，0.3 即 ±30%）。"
            if self.right_figure or self.standard_key:
                errors["right_figure"] = "“与上年比较”的规则只比较左边的数与上年，不要选择右边的数或标准。"
        else:
            sides = [bool(self.right_figure), bool(self.standard_key), self.constant is not None]
            if sum(sides) != 1:
                errors["right_figure"] = "右边请只选一项：另一个数、一项标准，或一个常数。"
            if self.right_figure and self.right_figure == self.left:
                errors["right_figure"] = "左右两边不能是同一个数。"
        if self.factor is not None and self.factor <= 0:
            errors["factor"] = "倍数应大于 0。"
        if errors:
            raise ValidationError(errors)


def _plain(value) -> str:
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}"


def _percent(value) -> str:
    return "" if value is None else f"{Decimal(value) * 100:.0f}%"


class FollowUpKind(models.TextChoices):
    RULE = "rule", "校验规则"
    OUTLIER = "outlier", "异常值"
    COMMENT = "comment", "批注"


class FollowUpQuerySet(RegionScopedQuerySet):
    region_lookup = "survey_return__community__code"


class FollowUp(models.Model):
    """A reviewer's handling of one finding of one return (a rule's hit, by the rule's key, an outlier, by the
    figure's key, or a comment thread, by its target): marked done with a note, or opened again. A finding without
    a row, or with ``done`` False, is open. A rule's finding marked done no longer blocks submission or approval:
    the reviewer accepted it."""

    survey_return = models.ForeignKey(
        "communities.SurveyReturn", verbose_name="年度填报", on_delete=models.CASCADE, related_name="follow_ups"
    )
    kind = models.CharField("类别", max_length=10, choices=FollowUpKind.choices)
    key = models.CharField("规则编号、数字或批注对象", max_length=60)
    done = models.BooleanField("已处理", default=True)
    note = models.CharField("处理说明", max_length=300, blank=True)
    done_at = models.DateTimeField("处理时间", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "问题跟进"
        verbose_name_plural = "问题跟进"
        ordering = ["survey_return_id", "kind", "key"]
        constraints = [
            # One state per finding: marking it again changes the row (its history keeps the earlier notes).
            models.UniqueConstraint(
                fields=["survey_return", "kind", "key"],
                name="one_follow_up_per_finding",
                violation_error_message="该问题已有处理记录，请刷新页面后再操作。",
            ),
            choices_check("kind", FollowUpKind, name="follow_up_kind_valid", label="类别"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}（{'已处理' if self.done else '待处理'}）"
