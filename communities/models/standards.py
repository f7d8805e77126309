"""Standards and benchmarks, set per region from a year on, with the document they come from."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..codes import UNIT_CODE_SQL_RE
from ..constraints import choices_check, non_negative
from ..scoping import RegionScopedQuerySet
from .returns import YEAR_VALIDATORS


class StandardKey(models.TextChoices):
    FACILITY_AREA_PER_100_HOUSEHOLDS = "facility_area_per_100_households", "每百户综合服务用房面积(平方米)"
    FACILITY_MIN_AREA = "facility_min_area", "综合服务用房最低面积(平方米)"
    HOUSEHOLDS_PER_WORKER = "households_per_worker", "每名社区工作者服务户数"
    WORKERS_PER_10K_RESIDENTS = "workers_per_10k_residents", "每万人社区工作者数"
    WORK_FUNDS_PER_HOUSEHOLD = "work_funds_per_household", "户均工作经费(元/年)"
    PUBLIC_FUNDS_PER_WORKER = "public_funds_per_worker", "人均公用经费(元/年)"
    VILLAGE_HEAD_ANNUAL_PAY = "village_head_annual_pay", "村主职干部年报酬(元)"
    VILLAGE_DEPUTY_ANNUAL_PAY = "village_deputy_annual_pay", "村副职干部年报酬(元)"
    LOCAL_AVERAGE_WAGE = "local_average_wage", "当地社会平均工资(元/年)"
    COMMUNITY_MIN_HOUSEHOLDS = "community_min_households", "社区规模下限(户)"
    COMMUNITY_MAX_HOUSEHOLDS = "community_max_households", "社区规模上限(户)"
    # Rates (fractions: 0.1 is 10%) with no national default: a county sets them, as it sets the pay benchmarks.
    WORKER_LOSS_RATE_MAX = "worker_loss_rate_max", "社区工作者流失率上限(小数，0.1即10%)"
    WORKER_SECONDMENT_RATE_MAX = "worker_secondment_rate_max", "社区工作者借用率上限(小数，0.1即10%)"
    FUNDING_RECEIVED_RATE_MIN = "funding_received_rate_min", "经费到位率下限(小数，0.9即90%)"
    SERVICE_COVERAGE_MIN = "service_coverage_min", "各服务领域社区覆盖率下限(小数，0.6即60%)"
    # A price, not a threshold: the report's 对策建议 prices the space still to build with it (no default).
    FACILITY_COST_PER_M2 = "facility_cost_per_m2", "综合服务用房建设造价(元/平方米)"


# The keys whose value is a rate: a fraction between 0 and 1.
RATE_KEYS = frozenset(
    {
        StandardKey.WORKER_LOSS_RATE_MAX,
        StandardKey.WORKER_SECONDMENT_RATE_MAX,
        StandardKey.FUNDING_RECEIVED_RATE_MIN,
        StandardKey.SERVICE_COVERAGE_MIN,
    }
)


class StandardQuerySet(RegionScopedQuerySet):
    region_lookup = "region_code"


class Standard(models.Model):
    """A standard or benchmark in force in a region (and everything under it) from a year on.

    ``region_code`` '' is the national default. The value in force for a region is the one set by the nearest
    ancestor (longest code) with the latest ``year_from`` not after the year asked for.
    """

    region_code = models.CharField(
        "适用区划代码", max_length=12, blank=True, help_text="留空表示全国默认值；下级区划未设置时沿用上级。"
    )
    key = models.CharField("标准项", max_length=40, choices=StandardKey.choices)
    year_from = models.PositiveSmallIntegerField("起始年度", validators=YEAR_VALIDATORS)
    # Four decimals: rates are fractions (a loss rate of 12.5% is 0.125).
    value = models.DecimalField("数值", max_digits=16, decimal_places=4, validators=[MinValueValidator(Decimal(0))])
    source = models.CharField("依据文件", max_length=300, blank=True)
    updated_at = models.DateTimeField("最后修改", auto_now=True)

    objects = StandardQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "标准与基准"
        verbose_name_plural = "标准与基准"
        ordering = ["region_code", "key", "year_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "key", "year_from"],
                name="one_standard_per_region_key_year",
                violation_error_message="该区划的这一项标准已有从这一年度起的设定：请修改原有记录，或改用另一个起始年度。",
            ),
            models.CheckConstraint(
                condition=Q(region_code="") | Q(region_code__regex=UNIT_CODE_SQL_RE),
                name="standard_region_code_format",
                violation_error_message="区划代码应留空（全国）或为 2、4、6、9、12 位数字（保留开头的 0），请核对。",
            ),
            choices_check("key", StandardKey, name="standard_key_valid", label="标准项"),
            non_negative("value", name="standard_value_non_negative", label="标准的数值"),
            # A rate is a fraction: 0.1 is 10%. Guards imports too, which do not run the model's clean().
            models.CheckConstraint(
                condition=~Q(key__in=sorted(RATE_KEYS)) | Q(value__lte=1),
                name="standard_rate_at_most_one",
                violation_error_message="比率类标准应为 0 到 1 之间的小数（如 0.1 表示百分之十），请改正数值。",
            ),
        ]

    def __str__(self) -> str:
        where = self.region_code or "全国"
        return f"{self.get_key_display()} = {self.value}（{where}，{self.year_from}年起）"

    def clean(self) -> None:
        if self.key in RATE_KEYS and self.value is not None and self.value > 1:
            raise ValidationError({"value": f"{self.get_key_display()}是比率，应为0到1之间的小数（如0.1表示10%）。"})
