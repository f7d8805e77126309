"""The reporting period (填报期) of a survey year: opened by a reviewer for their region with a start and a
deadline, extended for one street or community, and closed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ..constraints import year_range
from .returns import YEAR_VALIDATORS


class ReportingPeriod(models.Model):
    """A region's survey year open for returns from ``opens_on`` to ``due_on`` (inclusive), until closed.

    It holds for every community under ``region_code`` (a county, or a city or province that runs one period for
    all of its counties); the nearest region's period wins where several are set.
    """

    region_code = models.CharField("区划代码", max_length=9)
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    opens_on = models.DateField("开始日期")
    due_on = models.DateField("截止日期")
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="开启人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField("开启时间", auto_now_add=True)

    class Meta:
        verbose_name = "填报期"
        verbose_name_plural = "填报期"
        ordering = ["-year", "region_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "year"],
                name="one_period_per_region_and_year",
                violation_error_message="该地区这一年度已开启填报期：请修改原有的填报期。",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("opens_on")),
                name="period_due_after_start",
                violation_error_message="截止日期不能早于开始日期，请重新选择日期。",
            ),
            year_range("year", name="period_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年填报期（{self.region_code}，{self.opens_on}至{self.due_on}）"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class PeriodExtension(models.Model):
    """A later deadline for one street (9 digits: all its communities) or one community (12 digits)."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name="填报期", on_delete=models.CASCADE, related_name="extensions"
    )
    unit_code = models.CharField("单位代码", max_length=12)
    due_on = models.DateField("延期至")
    reason = models.CharField("延期原因", max_length=200, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批准人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField("批准时间", auto_now_add=True)

    class Meta:
        verbose_name = "填报期延期"
        verbose_name_plural = "填报期延期"
        ordering = ["unit_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit_code"],
                name="one_extension_per_unit",
                violation_error_message="该单位已有延期：请修改原有的延期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} 延期至 {self.due_on}"


class Reminder(models.Model):
    """A reminder (催报) a reviewer sends to a street about the returns of a year still not handed in."""

    unit_code = models.CharField("街道(乡镇)代码", max_length=9)
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    message = models.CharField("催报内容", max_length=300)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发送人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)
    read_by = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="已读", blank=True, related_name="+")

    class Meta:
        verbose_name = "催报"
        verbose_name_plural = "催报"
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["unit_code", "year"], name="reminder_unit_year")]

    def __str__(self) -> str:
        return f"{self.year}年催报 {self.unit_code}"
