"""Every workbook import, kept: the file, who, when, for which year and region, what it did."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..constraints import choices_check
from ..scoping import RegionScopedQuerySet
from .returns import YEAR_VALIDATORS


class ImportOutcome(models.TextChoices):
    PREVIEWED = "previewed", "已预览（未导入）"
    IMPORTED = "imported", "已导入"
    REJECTED = "rejected", "有错误，未导入"


class ImportRecordQuerySet(RegionScopedQuerySet):
    region_lookup = "region_code"


class ImportRecord(models.Model):
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=255)
    sha256 = models.CharField("文件摘要(SHA-256)", max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    region_code = models.CharField(
        "区划范围", max_length=12, blank=True, help_text="导入人的区划：能看到该区划的用户可查看此记录。"
    )
    outcome = models.CharField("结果", max_length=10, choices=ImportOutcome.choices)
    counts = models.JSONField("各表行数", default=dict, blank=True)
    errors = models.JSONField("错误", default=list, blank=True)
    notices = models.JSONField("提示", default=list, blank=True)
    state_digest = models.CharField(
        "预览时的数据摘要", max_length=64, blank=True, help_text="确认导入时数据若已变化（摘要不同），须重新预览。"
    )

    objects = ImportRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-created_at"]
        constraints = [choices_check("outcome", ImportOutcome, name="import_outcome_valid")]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.year}年，{self.get_outcome_display()}）"
