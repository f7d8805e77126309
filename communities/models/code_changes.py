"""Division codes that change between years (区划变更): communities merge, split, are re-coded, villages become
communities; a street (township) may be re-coded as a whole.

One row says "from ``year`` on, ``old_code``'s area reports as ``new_code``": a merge of A and B into C is two rows
(A→C, B→C), a split of A into A1 and A2 two rows (A→A1, A→A2). What follows from the rows (which codes stand for a
community's earlier years, which codes no longer report) is ``communities.code_changes``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from simple_history.models import HistoricalRecords

from ..constraints import choices_check, year_range
from ..scoping import RegionScopedQuerySet
from .returns import YEAR_VALIDATORS

CHANGE_CODE_SQL_RE = r"^([0-9]{9}|[0-9]{12})$"


class ChangeKind(models.TextChoices):
    MERGE = "merge", "合并"  # many → one (A and B → C; or B into A, A keeping its code)
    SPLIT = "split", "拆分"  # one → many (A → A1, A2; a part keeping A's code is the row A → A)
    RECODE = "recode", "更名/改码"  # one → one
    VILLAGE = "village", "村改居"  # a village committee becomes a community: no earlier return to follow


def validate_change_code(value: str) -> None:
    from django.core.exceptions import ValidationError

    from ..codes import zero_part_problem

    if not (value or "").isdigit() or len(value) not in (9, 12):
        raise ValidationError(
            "代码应为 12 位（社区）或 9 位（街道、乡镇）数字，收到“%(value)s”：请核对后重新填写。",
            params={"value": value},
            code="change_code",
        )
    problem = zero_part_problem(value)
    if problem:
        raise ValidationError(problem, code="zero_part")


class CodeChangeQuerySet(RegionScopedQuerySet):
    region_lookup = "new_code"

    def in_region(self, code: str | None):
        """A change is in a region when its old or its new code is (a street re-coded into another county is
        seen from both)."""
        if code is None:
            return self.none()
        if not code:
            return self
        return self.filter(Q(new_code__startswith=code) | Q(old_code__startswith=code))


class CodeChange(models.Model):
    """From ``year`` (生效年份, the first year the new code reports) on, ``old_code`` reports as ``new_code``."""

    old_code = models.CharField(
        "原代码", max_length=12, validators=[validate_change_code], help_text="变更前的 12 位社区代码或 9 位街道代码。"
    )
    new_code = models.CharField(
        "新代码", max_length=12, validators=[validate_change_code], help_text="变更后的代码，与原代码位数相同。"
    )
    year = models.PositiveSmallIntegerField(
        "生效年份", validators=YEAR_VALIDATORS, help_text="新代码第一次填报的年度；此前各年的数据按原代码。"
    )
    kind = models.CharField("变更类型", max_length=10, choices=ChangeKind.choices)
    note = models.CharField("备注", max_length=200, blank=True, help_text="如批准文件的文号。")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = CodeChangeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "区划变更"
        verbose_name_plural = "区划变更"
        ordering = ["-year", "new_code", "old_code"]
        # Changes are read by the code a community has now (its lineage); the unique index serves the old code.
        indexes = [models.Index(fields=["new_code", "year"], name="code_change_new_code_year")]
        constraints = [
            # One row per pair and year: the same change recorded twice would count the old code's figures twice.
            models.UniqueConstraint(
                fields=["old_code", "new_code", "year"],
                name="code_change_unique",
                violation_error_message="该变更已经登记过（原代码、新代码和生效年份相同）：请修改已有的记录。",
            ),
            models.CheckConstraint(
                condition=Q(old_code__regex=CHANGE_CODE_SQL_RE) & Q(new_code__regex=CHANGE_CODE_SQL_RE),
                name="code_change_code_format",
                violation_error_message="原代码和新代码应为 12 位（社区）或 9 位（街道、乡镇）数字：请核对后重新填写。",
            ),
            # A community becomes a community, a street a street: the figures follow like for like.
            models.CheckConstraint(
                condition=Exact(Length("old_code"), Length("new_code")),
                name="code_change_same_level",
                violation_error_message="请让原代码与新代码同为 12 位社区代码，或同为 9 位街道（乡镇）代码。",
            ),
            # A code mapped to itself says nothing, except the part of a split that keeps the code, or a village
            # that keeps its code as a community.
            models.CheckConstraint(
                condition=~Q(old_code=models.F("new_code")) | Q(kind__in=[ChangeKind.SPLIT, ChangeKind.VILLAGE]),
                name="code_change_not_to_itself",
                violation_error_message=(
                    "原代码与新代码相同：请填写变更后的新代码（只有拆分中保留原代码的部分、代码不变的村改居可以相同）。"
                ),
            ),
            # A street re-coded as a whole maps each of its communities digit for digit; streets that merge or
            # split move communities in ways their codes do not tell, so those are recorded community by community.
            models.CheckConstraint(
                condition=Q(new_code__regex=r"^[0-9]{12}$") | Q(kind=ChangeKind.RECODE),
                name="code_change_street_recode_only",
                violation_error_message=(
                    "9 位街道（乡镇）代码只能登记“更名/改码”：街道合并或拆分时，请逐个社区登记其 12 位代码的变更。"
                ),
            ),
            choices_check("kind", ChangeKind, name="code_change_kind_valid", label="变更类型"),
            year_range("year", name="code_change_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.old_code} → {self.new_code}（{self.year}年{self.get_kind_display()}）"

    def clean(self):
        from ..code_changes import check_consistency

        super().clean()
        check_consistency(self)
