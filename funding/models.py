"""Funding allocations, at any level of the region tree, per year."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from simple_history.models import HistoricalRecords

from communities.codes import UNIT_CODE_SQL_RE
from communities.constraints import choices_check, non_negative, year_range
from communities.models import ReturnStatus, SurveyReturn
from communities.scoping import RegionScopedQuerySet
from communities.validators import validate_unit_code


class Source(models.TextChoices):
    CENTRAL_PROVINCIAL = "central_provincial", "中央及省级"
    CITY = "city", "市级财政"
    COUNTY = "county", "县级财政"
    TOWNSHIP = "township", "乡镇(街道)财政"
    SELF_RAISED = "self_raised", "社区自筹"
    RESIDENT_UNITS = "resident_units", "驻区单位支持"
    LOTTERY = "lottery", "彩票公益金"
    OTHER = "other", "其他"


class Use(models.TextChoices):
    WORK = "work", "工作经费"
    PERSONNEL = "personnel", "人员报酬"
    PUBLIC = "public", "公用经费"
    WELFARE = "welfare", "惠民资金"
    PREMISES = "premises", "阵地建设"
    PROGRAMS = "programs", "服务项目"
    OTHER = "other", "其他"


class AllocationQuerySet(RegionScopedQuerySet):
    region_lookup = "unit_code"

    def for_year(self, year: int):
        return self.filter(year=year)

    def of_approved_returns(self):
        """What 仅统计已审核 counts: a community's own money while its return of that year is approved; money held
        at a street or above belongs to no return and counts always (the engine, the trend and the report)."""
        approved = SurveyReturn.objects.filter(
            community_id=OuterRef("unit_code"), year=OuterRef("year"), status=ReturnStatus.APPROVED
        )
        return self.filter(Q(unit_code__regex=r"^[0-9]{2,9}$") | Exists(approved))


class Allocation(models.Model):
    """Money budgeted (and received) for a year at one unit: a community, a street, a county, a city or a province.

    Amounts are stored in 元; the workbook and the reports show 万元.
    """

    unit_code = models.CharField("单位代码", max_length=12, validators=[validate_unit_code])
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    source = models.CharField("资金来源", max_length=20, choices=Source.choices)
    use = models.CharField("经费用途", max_length=20, choices=Use.choices)
    budget = models.DecimalField(
        "预算金额(元)", max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    received = models.DecimalField(
        "到位金额(元)",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )

    objects = AllocationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "经费"
        verbose_name_plural = "经费"
        ordering = ["unit_code", "year", "source", "use"]
        constraints = [
            # One row per unit, year, source and use: the workbook's key for this sheet.
            models.UniqueConstraint(
                fields=["unit_code", "year", "source", "use"],
                name="allocation_unique_key",
                violation_error_message="该单位这一年度已有相同资金来源和经费用途的经费记录：请修改原有的记录（或把金额合并到其中）。",
            ),
            models.CheckConstraint(
                condition=Q(unit_code__regex=UNIT_CODE_SQL_RE),
                name="allocation_unit_code_format",
                violation_error_message="单位代码应为 2、4、6、9 或 12 位数字（保留开头的 0），请核对。",
            ),
            year_range("year", name="allocation_year_range"),
            choices_check("source", Source, name="allocation_source_valid", label="资金来源"),
            choices_check("use", Use, name="allocation_use_valid", label="经费用途"),
            non_negative("budget", name="allocation_budget_non_negative", label="预算金额"),
            non_negative("received", name="allocation_received_non_negative", label="到位金额"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.year}年 {self.get_source_display()} {self.get_use_display()}"
